#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make demo: build kthread.ko and run the classic demo's Usage in a
# throwaway QEMU VM booting the Debian kernel the headers belong to,
# recorded with the kernel's tracing; then draw the timeline of that run
# (text here, build/demo/timeline.svg and .png) and check it against the
# run's log. Nothing is loaded into the host's kernel.
#   scripts/demo.sh [--roundtrip] [--ko PATH] [--out DIR]   (make demo ROUNDTRIP=1)
# --ko: another build of the module (e.g. one broken on purpose, to see
# the timeline checks fail, or one the matrix built for KDIR); --out: where
# the run and its timeline go (build/demo).
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/usage.sh"
cd "$(dirname "$0")/.."
# shellcheck source=scripts/kdir.sh
. scripts/kdir.sh
# shellcheck source=tests/vm/vm-lib.sh
. tests/vm/vm-lib.sh

mode=plain roundtrip=0 suffix="" param="" ko="" out=build/demo
while [[ $# -gt 0 ]]; do
	case $1 in
	--roundtrip) mode=roundtrip roundtrip=1 suffix=-roundtrip param=" roundtrip=1"; shift ;;
	--ko) ko=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	*) usage; exit 2 ;;
	esac
done

release=$(vm_release_of "$KDIR")
kdir_banner "$release" "in QEMU (TCG) with kthread.ko$param ..."
echo
if [[ -z $ko ]]; then
	make --no-print-directory KDIR="$KDIR" >/dev/null
	ko=kthread.ko
fi
kernel=$(vm_kernel "$release")
run=$out/vm-$mode
mkdir -p "$run"
echo "ROUNDTRIP=$roundtrip" >"$run/demo.conf"
[[ $ko -ef $run/kthread.ko ]] || cp "$ko" "$run/kthread.ko"
vm_initramfs "$run/initrd.cpio" tests/vm/guest/demo.sh "$run/kthread.ko" "$run/demo.conf"
start=$SECONDS
# The guest's session as it comes; the trace it sends last stays in the file.
status=0
vm_boot "$kernel" "$run/initrd.cpio" "$run" 120 | grep --line-buffered -v -e '^# guest-' -e '^trace-' || status=$?
trouble=$(vm_console_trouble "$run/console.log")
echo
if [[ -n $trouble ]]; then
	echo "kernel trouble on the console:"; echo "$trouble"; exit 1
fi
grep -q 'cleanup_hello_completion() READY.' "$run/report.txt" ||
	{ echo "demo did not complete (QEMU status $status$([[ $status == 124 ]] && echo ': timed out'); see $run/console.log)"; exit 1; }
grep -q '^trace-end' "$run/report.txt" ||
	{ echo "the guest sent no trace (see $run/report.txt)"; exit 1; }
up=$(sed -n 's/^# guest-uptime \([0-9]*\).*/\1/p' "$run/report.txt")
# The wall time includes any wait for the machine's VM lock (vm-lib.sh).
echo "(VM run took $((SECONDS - start)) s, the guest's own clock ${up:-?} s from boot to power-off;" \
	"console log: $run/console.log)"
echo
python3 scripts/timeline.py "$run/report.txt" --out "$out/timeline$suffix" --check
