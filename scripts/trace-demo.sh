#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# kthread.ko's tracepoints (lothars:lothars_event_posted and
# lothars:lothars_event_handled) in a QEMU VM: boot Debian's kernel, load
# the module, enable the events in tracefs, read three times, print the
# trace. The same check runs at the end of `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh

make --no-print-directory KDIR="$KDIR" >/dev/null
out=build/trace-demo
mkdir -p "$out"
vm_initramfs "$out/initrd.cpio" bench/guest/trace.sh kthread.ko
vm_boot "$(vm_kernel "$(vm_release_of "$KDIR")")" "$out/initrd.cpio" "$out" 120 tsc=reliable >/dev/null || true
sed -n 's/^trace //p' "$out/report.txt"
grep '^check tracepoints' "$out/report.txt" || { echo "no verdict; see $out/console.log"; exit 1; }
grep -q '^check tracepoints ok' "$out/report.txt"
