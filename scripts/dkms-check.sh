#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make dkms-check: dkms add/build/install with Debian's real dkms against
# the installed headers, then the in-VM suite on the module DKMS built.
# Removes the DKMS module again afterwards. This is docs/packaging.md's
# "DKMS by hand" route; scripts/deb-check.sh tests the package.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh

name=$(sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' dkms.conf)
# dkms.conf says PACKAGE_VERSION="#MODULE_VERSION#": the version is
# debian/changelog's, filled in as dh_dkms -V does for the package.
version=$(dpkg-parsechangelog -S Version)
version=${version%-*}
release=$(vm_release_of "$KDIR")
src=/usr/src/$name-$version
passed=0 failed=0
step() { # step DESCRIPTION COMMAND...
	local desc=$1 t=$SECONDS
	shift
	if "$@" >build/dkms.log 2>&1; then
		passed=$((passed + 1)); echo "ok - $desc ($((SECONDS - t)) s)"
	else
		failed=$((failed + 1)); echo "not ok - $desc"; sed 's/^/#   /' build/dkms.log | tail -n 30
	fi
}
cleanup() {
	dkms remove -m "$name" -v "$version" --all >/dev/null 2>&1 || true
	rm -rf "$src"
}
mkdir -p build
cleanup
trap cleanup EXIT

mkdir -p "$src"
cp -r Kbuild lib kthread crcpool "$src/"
sed "s/#MODULE_VERSION#/$version/" dkms.conf >"$src/dkms.conf"
step "dkms add $name/$version" dkms add -m "$name" -v "$version"
step "dkms build for $release" dkms build -m "$name" -v "$version" -k "$release"
step "dkms install for $release" dkms install -m "$name" -v "$version" -k "$release" --force
ko=$(find "/lib/modules/$release/updates" -name 'kthread.ko*' 2>/dev/null | head -n 1)
step "installed module found: ${ko:-none}" test -n "$ko"
step "crcpool.ko installed beside it" bash -c "find '/lib/modules/$release/updates' -name 'crcpool.ko*' | grep -q ."
# crc32c() is libcrc32c.ko's where the kernel builds that as a module (to
# 6.12): crcpool.ko depends on it, so `modprobe crcpool` loads it first.
crc_ko=$(find "/lib/modules/$release/updates" -name 'crcpool.ko*' 2>/dev/null | head -n 1)
crc_dep=""
! grep -qx 'CONFIG_LIBCRC32C=m' "$KDIR/.config" || crc_dep=libcrc32c
step "crcpool.ko depends on '$crc_dep' (modinfo), for modprobe" \
	bash -c "[[ -n '$crc_ko' && \$(modinfo -F depends '$crc_ko') == '$crc_dep' ]]"
step "modinfo: GPL, C++ module with retpoline, version $version" bash -c "modinfo '$ko' | grep -q '^license: *GPL' && modinfo '$ko' | grep -q '^retpoline: *Y' && modinfo '$ko' | grep -qx 'version: *$version'"
if [[ -n $ko ]]; then
	cp "$ko" build/dkms-kthread.ko
	# kthread.ko's own groups: the torture groups ran on the same sources
	# in make check's main suite; what differs here is who built it.
	if tests/vm/run-suite.sh --ko build/dkms-kthread.ko --name dkms --cycles 10 --groups base >build/dkms-vm.log 2>&1; then
		passed=$((passed + 1)); echo "ok - the DKMS-built module passes the VM suite ($(tail -n 1 build/dkms-vm.log | sed 's/.*: //'))"
	else
		failed=$((failed + 1)); echo "not ok - the DKMS-built module fails the VM suite"; grep -E '^not ok|^#' build/dkms-vm.log | head -n 40
	fi
fi
step "dkms remove" dkms remove -m "$name" -v "$version" --all
step "no module left in /lib/modules/$release/updates" \
	bash -c "! find /lib/modules/$release/updates -name 'kthread.ko*' -o -name 'crcpool.ko*' 2>/dev/null | grep -q ."
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
