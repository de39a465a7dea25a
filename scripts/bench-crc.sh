#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make bench's CRC throughput: crcpool.ko's bench build (bench/crcpool)
# against Debian's kernel in QEMU (TCG, -smp 2), one boot, every variant
# in it (bench/guest/crc.sh): the pool with 1, 2 and N workers, the same
# CRC computed in write() itself, and a work item on system_wq, at 4 KiB
# and 64 KiB, in alternating slices. scripts/bench.sh runs it after its own
# boots; bench/report.py turns the report into ratios.
#   scripts/bench-crc.sh
# Output: build/bench-crc/report.txt (lines "crc VARIANT SIZE ROUND
# BYTES_PER_S BYTES MS") and, unless BENCH_CRC_QUIET=1 (scripts/bench.sh,
# whose own report has them), the table and the ratios on stdout
# (bench/report_crc.py). Knobs: BENCH_CRC_ROUNDS, BENCH_CRC_SLICES,
# BENCH_CRC_MS (per variant, size and round); VM_TIMEOUT (900 s).
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/usage.sh"
[[ $# == 0 ]] || { usage; exit 2; }
cd "$(dirname "$0")/.."
. scripts/kdir.sh
. tests/vm/vm-lib.sh

out=build/bench-crc
mkdir -p "$out"
knob() { sed -n "s/^$1=//p" bench/guest/crc.sh; }
rounds=${BENCH_CRC_ROUNDS:-$(knob ROUNDS)}
slices=${BENCH_CRC_SLICES:-$(knob SLICES)}
ms=${BENCH_CRC_MS:-$(knob CRC_MS)}

make --no-print-directory -C "$KDIR" M="$PWD/bench/crcpool" modules >"$out/build.log" 2>&1 ||
	{ cat "$out/build.log" >&2; exit 1; }
cp bench/crcpool/crcpool.ko "$out/crcpool.ko"
vm_probe crcprobe "$out/crcprobe" >/dev/null
sed -e "s/^ROUNDS=.*/ROUNDS=$rounds/" -e "s/^SLICES=.*/SLICES=$slices/" -e "s/^CRC_MS=.*/CRC_MS=$ms/" \
	bench/guest/crc.sh >"$out/crc.sh"
release=$(vm_release_of "$KDIR")
kernel=$(vm_kernel "$release")
vm_initramfs "$out/initrd.cpio" "$out/crc.sh" "$out/crcpool.ko" "$out/crcprobe"
echo "[bench $(date +%T)] booting $release (TCG, ${VM_SMP:-2} cpus): CRC throughput, $rounds rounds" >&2
vm_boot_done "the CRC throughput" bench-done "$kernel" "$out/initrd.cpio" "$out" "${VM_TIMEOUT:-900}" tsc=reliable ||
	exit 1
[[ ${BENCH_CRC_QUIET:-0} == 1 ]] || python3 bench/report_crc.py "$out/report.txt"
