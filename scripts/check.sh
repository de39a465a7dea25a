#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check: every test suite in turn, each printing as it goes and
# ending with its own "N passed, N failed"; the last line sums them up.
set -uo pipefail
cd "$(dirname "$0")/.." || exit
. scripts/kdir.sh
. tests/vm/vm-lib.sh
kdir_banner "$(vm_release_of "$KDIR")" "for the VM suites"
mkdir -p build

suites=(
	"host unit tests (GoogleTest: plain, ASan+UBSan, TSan)|scripts/check-host.sh"
	"static checks (sparse, -Werror, clang-tidy, cppcheck, modinfo, kdir, atomics, tarball, archive, readme-size, doc-links, sizes, duplicates)|scripts/check-static.sh"
	"kernel style (checkpatch --strict, kernel-doc) and shellcheck|scripts/check-style.sh"
	"in-VM suite on Debian's kernel|tests/vm/run-suite.sh"
	"the harness: a guest that goes silent dumps its tasks' stacks (SysRq w, t)|tests/vm/stall/run.sh"
	"DKMS add/build/install + VM suite|scripts/dkms-check.sh"
	"make demo's timeline against its log (both modes)|scripts/check-demo.sh"
	"the -dkms package from the tarball, in a clean chroot of the kernel's Debian release + VM suite|scripts/deb-check.sh"
)
total_pass=0 total_fail=0 broken=()
start=$SECONDS
for entry in "${suites[@]}"; do
	title=${entry%%|*} cmd=${entry#*|}
	log=build/check-$(basename "$cmd" .sh).log
	echo "=== $title: $cmd"
	t=$SECONDS
	"$cmd" 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
	line=$(tr -d '\r' <"$log" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${line:-0 passed, 0 failed}")
	f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"${line:-0 passed, 0 failed}")
	if [[ $status -ne 0 && $f -eq 0 ]]; then f=1; fi # a suite that died counts
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f))
	[[ $status -eq 0 ]] || broken+=("$title")
	echo "=== $title: exit $status, $((SECONDS - t)) s"
	echo
done
echo "make check: $((SECONDS - start)) s"
for b in "${broken[@]}"; do echo "FAILED: $b"; done
echo "$total_pass passed, $total_fail failed"
[[ ${#broken[@]} -eq 0 && $total_fail -eq 0 ]]
