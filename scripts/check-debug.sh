#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the in-VM suite on a debug kernel (lockdep, KASAN,
# kmemleak, DEBUG_OBJECTS, DEBUG_LIST) built from Debian's kernel source,
# plus fault injection at every init step and the KUnit suite of the C++
# layer; crcpool.ko's groups and its fault injection run in the same boot.
# The kernel is built once (about 10 minutes) and cached.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
tree=$(scripts/debug-kernel.sh)
out=$root/build/debug
rm -rf "$out/src"
mkdir -p "$out/src/tests"
cp -r --parents Kbuild lib kthread debian/changelog "$out/src/"
cp -r crcpool "$out/src/"
cp -r tests/kunit tests/conformance "$out/src/tests/"
echo "[check-debug] building kthread.ko and kthread_kunit.ko against $tree"
make -s -C "$tree" M="$out/src" KCXX_WERROR=1 modules
make -s -C "$tree" M="$out/src/tests/kunit" KCXX_WERROR=1 modules
echo "[check-debug] building crcpool.ko against $tree"
make -s -C "$tree" M="$out/src/crcpool" KCXX_WERROR=1 modules
status=0
KDIR=$tree VM_TIMEOUT=${VM_TIMEOUT:-1800} tests/vm/run-suite.sh \
	--name debug --ko "$out/src/kthread.ko" \
	--kernel "$tree/arch/x86/boot/bzImage" \
	--cycles "${CYCLES:-200}" --readers 8 \
	--crcpool-ko "$out/src/crcpool/crcpool.ko" \
	--extra tests/vm/guest/debug-extra.sh --extra tests/vm/guest/crcpool-debug.sh \
	--file "$out/src/tests/kunit/kthread_kunit.ko" \
	--append "kmemleak=on slub_debug=A,kmalloc-*" 2>&1 | tee "$out/suite.log" || status=1
echo "[check-debug] lockdep proof: an AB-BA order between two lock sites is reported"
tests/lockdep/run.sh 2>&1 | tee "$out/lockdep.log" || status=1

# One summary for both parts; a part that died counts as a failure.
count() { tr -d '\r' <"$1" | sed -nE "s/^([0-9]+) passed, ([0-9]+) failed.*/\\$2/p" | tail -n 1 | grep . || echo 0; }
passed=$(($(count "$out/suite.log" 1) + $(count "$out/lockdep.log" 1)))
failed=$(($(count "$out/suite.log" 2) + $(count "$out/lockdep.log" 2)))
[[ $status -eq 0 || $failed -gt 0 ]] || failed=1
echo "$passed passed, $failed failed"
exit $status
