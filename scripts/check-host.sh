#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check-host: the host unit tests (tests/host, GoogleTest through
# CMake/ctest) in three builds: plain, ASan+UBSan and TSan, each in
# build/host-<variant>. Ends with "N passed, N failed" summed over the
# three; exits non-zero if any build or test failed.
#
# Debian packages: cmake g++ googletest libgtest-dev (ninja-build optional).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() {
	echo "check-host: $*" >&2
	exit 1
}
command -v cmake >/dev/null || die "cmake not found: install the Debian package cmake"
command -v ctest >/dev/null || die "ctest not found: install the Debian package cmake"
command -v g++ >/dev/null || die "g++ not found: install the Debian package g++"
compgen -G '/usr/lib/*/cmake/GTest/GTestConfig.cmake' >/dev/null ||
	die "GoogleTest's CMake package not found: install the Debian packages googletest libgtest-dev"

generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
jobs=$(nproc 2>/dev/null || echo 2)

. "$ROOT/scripts/timing.sh"

variants=(
	"plain|"
	"asan|address"
	"tsan|thread"
)

mkdir -p build
total_pass=0
total_fail=0
failed_variants=()
script_start=$(now)

for entry in "${variants[@]}"; do
	name=${entry%%|*}
	sanitize=${entry#*|}
	dir=build/host-$name
	echo "=== host tests: $name${sanitize:+ (-fsanitize=$sanitize)}"
	variant_start=$(now)
	# A cache from a different generator cannot be reused.
	if [[ -f $dir/CMakeCache.txt ]] && ! grep -q "^CMAKE_GENERATOR:INTERNAL=${generator[1]:-Unix Makefiles}\$" "$dir/CMakeCache.txt"; then
		rm -rf "$dir"
	fi
	if ! run cmake -S tests/host -B "$dir" "${generator[@]}" -DKCXX_SANITIZE="$sanitize" \
		-DKCXX_MODULE_SOURCE="$ROOT/kthread/kthread_module.cpp" -DKCXX_OVERRIDE_INCLUDE= \
		>"$dir.configure.log" 2>&1; then
		cat "$dir.configure.log"
		echo "=== $name: configure FAILED"
		total_fail=$((total_fail + 1))
		failed_variants+=("$name (configure)")
		continue
	fi
	if ! run cmake --build "$dir" --parallel "$jobs"; then
		echo "=== $name: build FAILED"
		total_fail=$((total_fail + 1))
		failed_variants+=("$name (build)")
		continue
	fi
	log=$dir/ctest.log
	set +e
	run ctest --test-dir "$dir" --output-on-failure --parallel "$jobs" --timeout 120 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	set -e
	summary=$(grep -E '^[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -n 1 || true)
	if [[ -n $summary ]]; then
		failed=$(sed -E 's/.* ([0-9]+) tests? failed out of.*/\1/' <<<"$summary")
		count=$(sed -E 's/.*failed out of ([0-9]+).*/\1/' <<<"$summary")
		passed=$((count - failed))
	else
		passed=0 failed=0 count=0
	fi
	if [[ $count -eq 0 || ( $status -ne 0 && $failed -eq 0 ) ]]; then
		failed=$((failed + 1)) # ran no test, or ctest itself failed
	fi
	total_pass=$((total_pass + passed))
	total_fail=$((total_fail + failed))
	[[ $status -eq 0 && $failed -eq 0 ]] || failed_variants+=("$name")
	echo "=== $name: $passed passed, $failed failed in $(elapsed "$variant_start") s"
	echo
done

echo "check-host: $(elapsed "$script_start") s in all"
for v in "${failed_variants[@]}"; do
	echo "FAILED: $v"
done
echo "$total_pass passed, $total_fail failed"
[[ $total_fail -eq 0 && ${#failed_variants[@]} -eq 0 ]]
