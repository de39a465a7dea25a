#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The lockdep proof on the debug kernel: lockdep_abba.ko takes two mutexes
# of two lock sites (kernel/LockClass.h) in both orders; lockdep must
# report a possible circular dependency naming both sites' classes. With
# one class for every Mutex it would report recursive locking instead, and
# with no lockdep at all nothing: both fail here. Its own boot, because a
# lockdep report switches lockdep off for the rest of that boot.
#   tests/lockdep/run.sh   (after scripts/debug-kernel.sh has built the kernel)
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/vm/vm-lib.sh
tree=$(scripts/debug-kernel.sh)
out=build/lockdep
rm -rf "$out/src"
mkdir -p "$out/src/tests"
cp -r lib "$out/src/"
cp -r tests/lockdep "$out/src/tests/"
make -s -C "$tree" M="$PWD/$out/src/tests/lockdep" KCXX_WERROR=1 modules
vm_initramfs "$out/initrd.cpio" tests/lockdep/guest.sh "$out/src/tests/lockdep/lockdep_abba.ko"
vm_boot "$tree/arch/x86/boot/bzImage" "$out/initrd.cpio" "$out" 300 >/dev/null || true
passed=0 failed=0
vm_verdict "the guest finished" grep -q '^abba-done$' "$out/report.txt"
vm_verdict "insmod lockdep_abba.ko" grep -q '^ok - insmod' "$out/report.txt"
vm_verdict "lockdep reports the AB-BA order" grep -q 'possible circular locking dependency detected' "$out/report.txt"
vm_verdict "the report names class abba_first" grep -q 'abba_first' "$out/report.txt"
vm_verdict "the report names class abba_second" grep -q 'abba_second' "$out/report.txt"
vm_verdict "no recursive-locking report (one class per site)" bash -c "! grep -q 'possible recursive locking' '$out/report.txt'"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
