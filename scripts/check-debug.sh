#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the in-VM suite on a debug kernel (lockdep, KASAN,
# kmemleak, DEBUG_OBJECTS, DEBUG_LIST) built from Debian's linux-source-6.1,
# plus fault injection at every init step and the KUnit suite of the C++
# layer. The kernel is built once (about 10 minutes) and cached.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tree=$(scripts/debug-kernel.sh)
out=$root/build/debug
rm -rf "$out/src"
mkdir -p "$out/src/tests"
cp -r --parents Kbuild kbuild shim kernel module debian/changelog "$out/src/"
cp -r tests/kunit "$out/src/tests/"
echo "[check-debug] building kthread.ko and kthread_kunit.ko against $tree"
make -s -C "$tree" M="$out/src" LOTHARS_WERROR=1 modules
make -s -C "$tree" M="$out/src/tests/kunit" LOTHARS_WERROR=1 modules
KDIR=$tree VM_TIMEOUT=${VM_TIMEOUT:-1800} tests/vm/run-suite.sh \
	--name debug --ko "$out/src/kthread.ko" \
	--kernel "$tree/arch/x86/boot/bzImage" \
	--cycles "${CYCLES:-200}" --readers 8 \
	--extra tests/vm/guest/debug-extra.sh \
	--file "$out/src/tests/kunit/kthread_kunit.ko" \
	--append "kmemleak=on slub_debug=A,kmalloc-*"
