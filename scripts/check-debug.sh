#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check-debug: the in-VM suite on two debug kernels built from
# Debian's kernel source (scripts/debug-kernel.sh), each once (about 10
# minutes) and cached:
#   kasan  lockdep, KASAN, kmemleak, DEBUG_OBJECTS, DEBUG_LIST; then the
#          lockdep proof (tests/lockdep);
#   kcsan  KCSAN (strict) with lockdep and the rest but KASAN, which it
#          excludes: a race KCSAN finds in our modules fails the suite
#          (tests/vm/guest/klog.sh); then the KCSAN proof (tests/kcsan).
# Each boot runs both modules' groups and the example's, fault injection
# at every init step and the KUnit suite of the C++ layer; then, on each
# kernel, make fuzz's smoke (every phase, DEBUG_FUZZ_SECONDS each).
#   DEBUG_KERNELS  the kernels to use, in order (default "kasan kcsan")
#   CYCLES         load/unload cycles of the suite (default 200)
#   DEBUG_FUZZ_SECONDS  seconds per fuzzing phase (default 24; 0: no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# debug_suite FLAVOUR: both modules built against that kernel, then the
# suite in one boot; the log is build/debug/<flavour>/suite.log.
debug_suite() {
	local flavour=$1 tree out
	# (Called in an || list, where set -e does not reach: each step returns.)
	tree=$(scripts/debug-kernel.sh "$flavour") || return 1
	out=$root/build/debug/$flavour
	rm -rf "$out"
	mkdir -p "$out/src/tests"
	cp -r --parents Kbuild lib kthread crcpool examples/echo debian/changelog "$out/src/"
	cp -r tests/kunit tests/conformance "$out/src/tests/"
	echo "[check-debug] $flavour: building kthread.ko, crcpool.ko, echo.ko and kthread_kunit.ko against $tree"
	# The top-level Kbuild makes kthread.ko and crcpool/crcpool.ko.
	make -s -C "$tree" M="$out/src" KCXX_WERROR=1 modules || return 1
	make -s -C "$tree" M="$out/src/tests/kunit" KCXX_WERROR=1 modules || return 1
	make -s -C "$tree" M="$out/src/examples/echo" KCXX_WERROR=1 modules || return 1
	KDIR=$tree VM_TIMEOUT=${VM_TIMEOUT:-1800} tests/vm/run-suite.sh \
		--name "debug-$flavour" --ko "$out/src/kthread.ko" \
		--kernel "$tree/arch/x86/boot/bzImage" \
		--cycles "${CYCLES:-200}" --readers 8 \
		--crcpool-ko "$out/src/crcpool/crcpool.ko" --echo-ko "$out/src/examples/echo/echo.ko" \
		--extra tests/vm/guest/debug-extra.sh --extra tests/vm/guest/crcpool-debug.sh \
		--file "$out/src/tests/kunit/kthread_kunit.ko" \
		--append "kmemleak=on slub_debug=A,kmalloc-*" 2>&1 | tee "$out/suite.log"
}

kernels=${DEBUG_KERNELS:-kasan kcsan}
for flavour in $kernels; do
	[[ $flavour == kasan || $flavour == kcsan ]] ||
		{ echo "error: DEBUG_KERNELS: no kernel '$flavour' (kasan, kcsan)" >&2; exit 2; }
done

# run_part LOG COMMAND...: one part of the verdict, its output in LOG.
status=0 logs=()
run_part() {
	local log=$1
	shift
	"$@" 2>&1 | tee "$log" || status=1
	logs+=("$log")
}

for flavour in $kernels; do
	debug_suite "$flavour" || status=1
	logs+=("build/debug/$flavour/suite.log")
	if [[ $flavour == kasan ]]; then
		echo "[check-debug] lockdep proof: an AB-BA order between two lock sites is reported"
		run_part build/debug/lockdep.log tests/lockdep/run.sh
	else
		echo "[check-debug] KCSAN proof: a race in C++ code is reported by name"
		run_part build/debug/kcsan-proof.log tests/kcsan/run.sh
	fi
	if [[ ${DEBUG_FUZZ_SECONDS:-24} -gt 0 ]]; then
		echo "[check-debug] $flavour: make fuzz's smoke"
		run_part "build/debug/$flavour-fuzz.log" env FUZZ_KERNEL="$flavour" \
			FUZZ_SECONDS="${DEBUG_FUZZ_SECONDS:-24}" FUZZ_ROUND=12 scripts/fuzz.sh
	fi
done

# One summary for every part; a part that died counts as a failure.
count() { tr -d '\r' <"$1" | sed -nE "s/^([0-9]+) passed, ([0-9]+) failed.*/\\$2/p" | tail -n 1 | grep . || echo 0; }
passed=0 failed=0
for log in "${logs[@]}"; do
	passed=$((passed + $(count "$log" 1))) failed=$((failed + $(count "$log" 2)))
done
[[ $status -eq 0 || $failed -gt 0 ]] || failed=1
echo "$passed passed, $failed failed"
exit $status
