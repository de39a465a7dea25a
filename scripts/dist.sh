#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make dist: the source tarball, build/kthread-cxx-<version>.tar.xz, one
# folder kthread-cxx-<version>/ with every source file (scripts/source-files.sh)
# and no .git. Every command of README.md and docs/ works from it unpacked;
# make deb-check builds its package that way. The version is debian/changelog's
# (without the Debian revision). The last line is "tarball: PATH".
set -euo pipefail
cd "$(dirname "$0")/.."

# The top entry of debian/changelog: "kthread-cxx (1.0.0-1) unstable; ..."
read -r source version < <(sed -n '1{s/^\([^ ]*\) (\([^)]*\)).*/\1 \2/p;q}' debian/changelog)
upstream=${version%-*}
[[ -n $source && -n $upstream ]] || { echo "dist: no version in debian/changelog" >&2; exit 1; }
name=$source-$upstream
out=build/$name.tar.xz
mkdir -p build
# The changelog's date as every file's: the same sources, the same tarball.
stamp=$(sed -n 's/^ -- .*>  //p' debian/changelog | head -n 1)
scripts/source-files.sh |
	tar --null -T - --sort=name --owner=0 --group=0 --numeric-owner --mtime="$stamp" \
		--transform "s|^|$name/|" -cJf "$out.tmp"
mv "$out.tmp" "$out"
echo "$(tar -tJf "$out" | grep -vc '/$') files"
echo "tarball: $out"
