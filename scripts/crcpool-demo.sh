#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# crcpool.ko's usage in a throwaway QEMU VM booting the Debian kernel the
# headers belong to (tests/vm/guest/crcpool-demo.sh): what docs/design.md's
# crcpool section shows. Nothing is loaded into the host's kernel.
#   scripts/crcpool-demo.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/kdir.sh
. scripts/kdir.sh
# shellcheck source=tests/vm/vm-lib.sh
. tests/vm/vm-lib.sh

release=$(vm_release_of "$KDIR")
kdir_banner "$release" "in QEMU (TCG) with crcpool.ko ..."
echo
make --no-print-directory -C "$KDIR" M="$PWD/crcpool" modules >/dev/null
kernel=$(vm_kernel "$release")
run=build/crcpool-demo
mkdir -p "$run"
cp crcpool/crcpool.ko "$run/crcpool.ko"
vm_probe crcprobe "$run/crcprobe" >/dev/null
# The demo types crcprobe by name: the initramfs has /test on no PATH.
# shellcheck disable=SC2016 # the guest's $PATH, expanded there
sed '1a export PATH=$PATH:/test' tests/vm/guest/crcpool-demo.sh >"$run/demo.sh"
vm_initramfs "$run/initrd.cpio" "$run/demo.sh" "$run/crcpool.ko" "$run/crcprobe"
status=0
vm_boot "$kernel" "$run/initrd.cpio" "$run" 180 | grep --line-buffered -v '^# guest-' || status=$?
trouble=$(vm_console_trouble "$run/console.log")
if [[ -n $trouble ]]; then
	echo "kernel trouble on the console:"
	echo "$trouble"
	exit 1
fi
grep -q 'crcpool: unloaded: ' "$run/report.txt" ||
	{ echo "demo did not complete (QEMU status $status; see $run/console.log)"; exit 1; }
