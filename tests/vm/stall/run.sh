#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The harness's stall dump: a guest that goes silent must leave every
# task's stack in its console log, so that a suite that stops making
# progress (the 6.1-rt stall of issue 19) explains itself next time. The
# guest blocks a task reading a FIFO and goes silent; with VM_STALL_SECS=15
# the watcher presses SysRq w and t through QEMU's monitor, and the console
# log must show the SysRq headers and that task's stack, then the timeout
# ends the run. With the watcher off (VM_STALL_SECS=0) every check but the
# first fails.
#   tests/vm/stall/run.sh [--kernel VMLINUZ]
set -euo pipefail
cd "$(dirname "$0")/../../.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh
kernel=""
if [[ ${1:-} == --kernel ]]; then kernel=$2; fi
[[ -n $kernel ]] || kernel=$(vm_kernel "$(vm_release_of "$KDIR")")
out=build/vm-stall
mkdir -p "$out"
vm_initramfs "$out/initrd.cpio" tests/vm/stall/guest.sh
t=$SECONDS
VM_STALL_SECS=${VM_STALL_SECS:-15} vm_boot "$kernel" "$out/initrd.cpio" "$out" 50 >/dev/null || true
passed=0 failed=0
vm_verdict "the guest started and then went silent" \
	bash -c "grep -q '^stall-started' '$out/report.txt' && ! grep -q '^stall-ended' '$out/report.txt'"
vm_verdict "the watcher noticed the silence ($out/stall.txt)" test -s "$out/stall.txt"
vm_verdict "SysRq w: the blocked tasks on the console" grep -q 'sysrq: Show Blocked State' "$out/console.log"
vm_verdict "SysRq t: every task on the console" grep -q 'sysrq: Show State' "$out/console.log"
vm_verdict "the blocked reader's stack is there (task:cat, in a FIFO read)" \
	bash -c "grep -A30 'task:cat ' '$out/console.log' | grep -q 'pipe_read\\|fifo_open\\|pipe_wait\\|wait_for_partner'"
echo "# stall test: $((SECONDS - t)) s; console log: $out/console.log"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
