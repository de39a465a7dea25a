#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Issue 19's "Oops: int3" in ttwu_do_activate(), chased without our
# modules: a guest that switches a trace event on and off while both vCPUs
# run the scheduler's wake-up path (guest.sh). One boot per variant, each
# with the same kernel and the same load; a variant "oopsed" when the
# console shows an int3 Oops (the guest panics on it and QEMU stops):
#   wakeup-mttcg   sched_wakeup switched, TCG with a host thread per vCPU
#   control-mttcg  module_load switched (code nobody runs), same machine
#   wakeup-single  sched_wakeup switched, TCG with one host thread for both
#                  vCPUs (QEMU's round-robin mode: no vCPU runs while
#                  another writes the code)
# A diagnostic, not part of make check: under TCG it is a matter of
# chance, so it prints what each boot saw and ends "N passed, N failed",
# where a check is "this variant stayed up" (the control and the
# single-threaded variant must; the first is the experiment).
#   tests/vm/textpoke/run.sh [--seconds N] [--kernel VMLINUZ] [--only VARIANT]
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/../../../scripts/usage.sh"
cd "$(dirname "$0")/../../.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh
seconds=240 kernel="" only=""
while [[ $# -gt 0 ]]; do
	case $1 in
	--seconds) seconds=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--only) only=$2; shift 2 ;;
	*) usage; exit 2 ;;
	esac
done
[[ -n $kernel ]] || kernel=$(vm_kernel "$(vm_release_of "$KDIR")")
out=build/vm-textpoke
passed=0 failed=0
# variant NAME EVENT ACCEL: one boot; prints what it saw.
variant() {
	local name=$1 event=$2 accel=$3 dir=$out/$1
	[[ -z $only || $only == "$name" ]] || return 0
	mkdir -p "$dir"
	{
		echo "TEXTPOKE_EVENT=$event"
		echo "TEXTPOKE_SECONDS=$seconds"
		cat tests/vm/textpoke/guest.sh
	} >"$dir/guest.sh"
	vm_initramfs "$dir/initrd.cpio" "$dir/guest.sh"
	VM_QEMU_ARGS="-accel $accel" vm_boot "$kernel" "$dir/initrd.cpio" "$dir" $((seconds + 300)) >/dev/null || true
	local ended oops
	ended=$(sed -n 's/^textpoke-ended //p' "$dir/report.txt")
	oops=$(tr -d '\r' <"$dir/console.log" | grep -m1 -E 'Oops|BUG:|RIP:' || true)
	echo "# $name: ${ended:-no end} ${oops:+| $oops}"
	tr -d '\r' <"$dir/console.log" | grep -A3 -m1 'Oops: int3\|int3:' | sed 's/^/#   /' || true
	if [[ -n $ended && -z $oops ]]; then
		passed=$((passed + 1)); echo "ok - $name: stayed up ($ended)"
	else
		failed=$((failed + 1)); echo "not ok - $name: ${oops:-the guest stopped before its end}"
	fi
}
variant wakeup-mttcg sched/sched_wakeup tcg,thread=multi
variant control-mttcg module/module_load tcg,thread=multi
variant wakeup-single sched/sched_wakeup tcg,thread=single
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
