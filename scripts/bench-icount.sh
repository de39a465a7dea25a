#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The instruction count of make bench: kthread.ko against its C twin in one
# boot of Debian's kernel under QEMU's -icount shift=0 (one vCPU; the guest
# clock advances 1 ns per executed instruction, so bench/guest/icount.sh
# turns its timed loops into instruction counts that a busy host cannot
# move). Expects build/bench/{kthread,ctwin}.ko (scripts/bench.sh builds
# them, kthread.ko from bench/kthread; run alone, this script builds them itself).
# Output: build/bench-icount/report.txt (lines "icount VARIANT KIND BOOT REP
# OPS INSTRUCTIONS"), read by bench/report.py.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh

out=build/bench-icount
mods=build/bench
mkdir -p "$out" "$mods"
if [[ ${1:-} != --prebuilt ]]; then
	# kthread.ko's bench build, as scripts/bench.sh makes it.
	for dir in bench/kthread bench/ctwin bench/anchors; do
		make --no-print-directory -C "$KDIR" M="$PWD/$dir" modules >"$out/$(basename "$dir").log" 2>&1 ||
			{ cat "$out/$(basename "$dir").log" >&2; exit 1; }
	done
	cp bench/kthread/kthread.ko bench/ctwin/ctwin.ko bench/anchors/lothars_anchors.ko "$mods/"
fi
vm_cc -static -O2 -Wall -Wextra -Werror -o "$out/opcount" bench/guest/opcount.c
release=$(vm_release_of "$KDIR")
kernel=$(vm_kernel "$release")
vm_initramfs "$out/initrd.cpio" bench/guest/icount.sh "$mods/kthread.ko" "$mods/ctwin.ko" "$mods/lothars_anchors.ko" \
	bench/guest/variants.sh
# The tool goes next to ktprobe, in /bin.
tree=$(mktemp -d)
mkdir -p "$tree/bin"
cp "$out/opcount" "$tree/bin/"
(cd "$tree" && find bin | cpio -o -H newc --quiet) >>"$out/initrd.cpio"
rm -rf "$tree"

# Two boots: the counts must repeat from one boot to the next, not only
# within one (ICOUNT_BOOTS=1 for a quick look).
boots=${ICOUNT_BOOTS:-2}
: >"$out/report.txt"
for boot in $(seq 1 "$boots"); do
	echo "[bench $(date +%T)] boot $boot of $boots: $release under -icount shift=0 (TCG, 1 cpu): instruction counts" >&2
	# sleep=off: an idle guest skips ahead to its next timer instead of
	# waiting in real time, so the run is as fast as the host allows.
	VM_SMP=1 VM_QEMU_ARGS="-icount shift=0,sleep=off" vm_boot_done "the instruction count" icount-done \
		"$kernel" "$out/initrd.cpio" "$out/boot$boot" "${VM_TIMEOUT:-900}" tsc=reliable || exit 1
	# "icount VARIANT KIND REP OPS N" becomes "icount VARIANT KIND BOOT REP OPS N".
	awk -v boot="$boot" '$1 == "icount" { $3 = $3 " " boot } { print }' \
		"$out/boot$boot/report.txt" >>"$out/report.txt"
done
