#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench: what the C++ costs, and what a completion costs.
#
# Builds kthread.ko's bench build (bench/kthread), its C twin (bench/ctwin) and the round-trip anchors
# (bench/anchors) against the same headers, boots Debian's kernel in QEMU
# (TCG, -smp 2) once and runs bench/guest/bench.sh there: reads/s with 1..16
# readers, the wake latency (complete() to the thread running, measured in
# the kernel), the user-space round trip, the null read (signal=0), in
# rounds that alternate the variants. Every figure is compared as a ratio
# within this one run: the host may be busy with other work.
#
# A second, short boot counts guest instructions per operation under
# QEMU's -icount (scripts/bench-icount.sh): figures a busy host cannot move.
# A third measures crcpool.ko's CRC throughput against the same CRC
# computed in write() and on system_wq (scripts/bench-crc.sh).
#
# Output: a table on stdout, build/bench.json, build/bench.png.
# Knobs (environment; defaults at the top of bench/guest/bench.sh):
# BENCH_ROUNDS, BENCH_SLICES, BENCH_TPUT_MS (per variant and reader count
# in a round), BENCH_WAKE_N, BENCH_LAT_N (reads per variant in a round);
# VM_TIMEOUT (900 s).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh
kdir_banner "$(vm_release_of "$KDIR")" "for make bench"

knob() { sed -n "s/^$1=//p" bench/guest/bench.sh; }
rounds=${BENCH_ROUNDS:-$(knob ROUNDS)}
slices=${BENCH_SLICES:-$(knob SLICES)}
tput_ms=${BENCH_TPUT_MS:-$(knob TPUT_MS)}
wake_n=${BENCH_WAKE_N:-$(knob WAKE_N)}
lat_n=${BENCH_LAT_N:-$(knob LAT_N)}
out=build/bench
start=$SECONDS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

log() { printf '[bench %s] %s\n' "$(date +%T)" "$*" >&2; }

release=$(vm_release_of "$KDIR")
mkdir -p "$out"
log "building bench/kthread/kthread.ko, bench/ctwin/ctwin.ko and bench/anchors/lothars_anchors.ko against $KDIR"
# kthread.ko's bench build (bench/kthread: its sources with the signal
# parameter and the wake-latency statistics, as the twin has them).
for dir in bench/kthread bench/ctwin bench/anchors; do
	make --no-print-directory -C "$KDIR" M="$PWD/$dir" modules >"$out.$(basename "$dir").log" 2>&1 ||
		{ cat "$out.$(basename "$dir").log" >&2; exit 1; }
done
rm -f "$out".*.log
cp bench/kthread/kthread.ko bench/ctwin/ctwin.ko bench/anchors/lothars_anchors.ko "$out/"
# That architecture's size (aarch64-linux-gnu-size when cross-building).
"${CROSS_COMPILE:-}size" "$out/kthread.ko" "$out/ctwin.ko" >"$out/size.txt"

# The guest's clocksource: under TCG the kernel distrusts the TSC and falls
# back to the HPET, whose every read (ktime_get_ns, clock_gettime) is an
# emulated MMIO access under QEMU's global lock. tsc=reliable keeps the
# TSC: cheap clock reads, for every variant alike.
append=${BENCH_APPEND-tsc=reliable}
kernel=$(vm_kernel "$release")
sed -e "s/^ROUNDS=.*/ROUNDS=$rounds/" -e "s/^SLICES=.*/SLICES=$slices/" -e "s/^TPUT_MS=.*/TPUT_MS=$tput_ms/" \
	-e "s/^WAKE_N=.*/WAKE_N=$wake_n/" -e "s/^LAT_N=.*/LAT_N=$lat_n/" \
	bench/guest/bench.sh >"$out/bench.sh"
vm_initramfs "$out/initrd.cpio" "$out/bench.sh" "$out/kthread.ko" "$out/ctwin.ko" "$out/lothars_anchors.ko" \
	bench/guest/trace.sh bench/guest/variants.sh
log "booting $release (TCG, 2 cpus): $rounds rounds"
vm_start=$SECONDS
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
status=0
# shellcheck disable=SC2086 # $append: kernel arguments, one word each
vm_boot "$kernel" "$out/initrd.cpio" "$out" "${VM_TIMEOUT:-900}" $append |
	grep --line-buffered -E '^# |^check .*FAILED' || status=${PIPESTATUS[0]}
vm_secs=$((SECONDS - vm_start))

trouble=$(vm_console_trouble "$out/console.log")
if [[ -n $trouble ]]; then
	echo "kernel trouble on the console ($out/console.log):"
	echo "$trouble" | head -n 20
	exit 1
fi
if ! grep -q '^bench-done$' "$out/report.txt"; then
	echo "the benchmark did not finish (QEMU status $status); see $out/report.txt and $out/console.log"
	tail -n 20 "$out/report.txt"
	exit 1
fi

icount_start=$SECONDS
scripts/bench-icount.sh --prebuilt
# crcpool.ko's throughput: its own boot, its variants alternating in it.
BENCH_CRC_QUIET=1 scripts/bench-crc.sh
vm_secs=$((vm_secs + SECONDS - icount_start))

[[ ${BENCH_RAW_ONLY:-0} == 1 ]] && exit 0
python3 bench/report.py --report "$out/report.txt" --size "$out/size.txt" \
	--icount build/bench-icount/report.txt --crc build/bench-crc/report.txt --ko "$out/kthread.ko" "$out/ctwin.ko" \
	--json build/bench.json --data "$out" --vm-seconds "$vm_secs" \
	--total-seconds "$((SECONDS - start))" \
	--host "$(nproc) cpus, load average $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
gnuplot -e "dir='$out'" bench/plot.gp
log "plot: build/bench.png; figures: build/bench.json; raw report: $out/report.txt"
log "make bench took $((SECONDS - start)) s (the VM $vm_secs s)"
