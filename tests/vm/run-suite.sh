#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The in-VM suite: build kthread.ko for KDIR, boot that kernel in QEMU and
# run tests/vm/guest/suite.sh; its TAP report streams here as it goes.
#   tests/vm/run-suite.sh [--ko PATH] [--name LABEL] [--cycles N]
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh

ko="" name=stock cycles=${CYCLES:-100} timeout=${VM_TIMEOUT:-900}
while [[ $# -gt 0 ]]; do
	case $1 in
	--ko) ko=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	*) echo "usage: $0 [--ko PATH] [--name LABEL] [--cycles N]" >&2; exit 2 ;;
	esac
done

if [[ -z $ko ]]; then
	make --no-print-directory KDIR="$KDIR" >/dev/null
	ko=kthread.ko
fi
release=$(vm_release_of "$KDIR")
kernel=$(vm_kernel "$release")
out=build/vm-$name
mkdir -p "$out"
sed "s/^CYCLES=.*/CYCLES=$cycles/" tests/vm/guest/suite.sh >"$out/suite.sh"
[[ $ko -ef $out/kthread.ko ]] || cp "$ko" "$out/kthread.ko"
vm_initramfs "$out/initrd.cpio" "$out/suite.sh" "$out/kthread.ko"
vm_log "booting $release ($(basename "$kernel")), suite '$name', $cycles load/unload cycles"
start=$SECONDS
status=0
vm_boot "$kernel" "$out/initrd.cpio" "$out" "$timeout" || status=$?
elapsed=$((SECONDS - start))

# The verdict: the guest's own summary, a complete run, a quiet console.
failed=0
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/report.txt" | tail -n 1 || true)
if [[ -z $summary ]]; then
	echo "not ok - the guest did not finish (QEMU status $status; see $out/console.log)"
	tail -n 30 "$out/console.log" | sed 's/^/#   /'
	failed=1
fi
if grep -q '^not ok' "$out/report.txt"; then failed=1; fi
trouble=$(vm_console_trouble "$out/console.log")
if [[ -n $trouble ]]; then
	echo "not ok - kernel trouble on the console"
	echo "$trouble" | head -n 40 | sed 's/^/#   /'
	failed=1
fi
passed=$(grep -c '^ok ' "$out/report.txt" || true)
notok=$(grep -c '^not ok ' "$out/report.txt" || true)
vm_log "suite '$name' on $release: $passed passed, $notok failed, ${elapsed} s"
exit $failed
