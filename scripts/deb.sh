#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make deb: build the kthread-cxx-dkms package with Debian's own tools
# (dpkg-buildpackage, debhelper, dh_dkms) and check it with lintian.
#
# Everything happens under build/deb/: the upstream tarball
# (kthread-cxx_<upstream>.orig.tar.xz, made from scripts/source-files.sh's
# list: in a git clone what git tracks or would track, in an unpacked
# tarball every source file; debian/ left out), the unpacked source with debian/ added,
# and what dpkg-buildpackage writes next to it (.dsc, .debian.tar.xz,
# .changes, .buildinfo). The package itself is copied to build/. The
# version is debian/changelog's, the one place it is kept.
# The last line is "package: build/kthread-cxx-dkms_<version>_all.deb".
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh deb

source=$(dpkg-parsechangelog -S Source)
version=$(dpkg-parsechangelog -S Version)
upstream=${version%-*}
out=build/deb
tree=$out/$source-$upstream

rm -rf "$out"
mkdir -p "$tree"
echo "building $source $version in $out/"
scripts/source-files.sh --without debian |
	tar --null -T - --sort=name --owner=0 --group=0 --mtime="@$(dpkg-parsechangelog -S Timestamp)" \
		--transform "s|^|$source-$upstream/|" -cJf "$out/${source}_$upstream.orig.tar.xz"
tar -xf "$out/${source}_$upstream.orig.tar.xz" -C "$out"
cp -r debian "$tree/"

(cd "$tree" && dpkg-buildpackage -us -uc) >"$out/build.log" 2>&1 ||
	{ tail -n 40 "$out/build.log"; echo "dpkg-buildpackage failed (log: $out/build.log)" >&2; exit 1; }
changes=$out/${source}_${version}_amd64.changes
deb=$out/${source}-dkms_${version}_all.deb
[[ -f $deb && -f $changes ]] || { echo "no $deb or $changes" >&2; exit 1; }

# lintian on the .changes checks the source package and the .deb.
echo "lintian $(lintian --version | cut -d' ' -f2): $changes"
lintian --fail-on error,warning --info --display-info "$changes" | tee "$out/lintian.log"
cp "$deb" build/
echo "lintian: no error, no warning"
echo "package: build/$(basename "$deb")"
