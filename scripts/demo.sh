#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build kthread.ko and run the classic demo's Usage in a
# throwaway QEMU VM booting the Debian kernel the headers belong to.
# Nothing is loaded into the host's kernel.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh

release=$(vm_release_of "$KDIR")
kdir_banner "$release" "in QEMU (TCG) with kthread.ko ..."
echo
make --no-print-directory KDIR="$KDIR" >/dev/null
kernel=$(vm_kernel "$release")
mkdir -p build/demo
vm_initramfs build/demo/initrd.cpio tests/vm/guest/demo.sh kthread.ko
start=$SECONDS
vm_boot "$kernel" build/demo/initrd.cpio build/demo 120 | grep -v '^# guest-exit'
trouble=$(vm_console_trouble build/demo/console.log)
echo
if [[ -n $trouble ]]; then
	echo "kernel trouble on the console:"; echo "$trouble"; exit 1
fi
grep -q 'cleanup_hello_completion() READY.' build/demo/report.txt ||
	{ echo "demo did not complete (see build/demo/console.log)"; exit 1; }
echo "(VM run took $((SECONDS - start)) s; console log: build/demo/console.log)"
