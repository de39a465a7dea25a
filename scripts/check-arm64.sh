#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# check-arm64.sh - the arm64 port's smoke (make check-arm64; CI runs it):
#   scripts/check-arm64.sh [--kernel 6.1|6.12|RELEASE] [--cycles N]
# On any machine: Debian's arm64 kernel of that line (6.1 by default:
# bookworm's own) fetched into cache/ (scripts/arm64-kernel.sh), both
# modules cross-built against its headers with every warning an error,
# checked as arm64 objects for that kernel (no out-of-line atomic helper,
# every ftrace record where the kernel's ftrace needs it), kernel::Atomic
# against the kernel's own atomics (scripts/check-atomics.sh arm64), then
# one boot of the whole VM suite (both modules, N load/unload cycles, 10 by
# default) in qemu-system-aarch64 -M virt -cpu max. A few minutes under
# TCG. Ends with "N passed, N failed" (the suite's checks included).
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/usage.sh"
cd "$(dirname "$0")/.."

line=6.1 cycles=10
while [[ $# -gt 0 ]]; do
	case $1 in
	--kernel) line=$2; shift 2 ;;
	--cycles) cycles=$2; shift 2 ;;
	*) usage; exit 2 ;;
	esac
done

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "ok - $*"; }
not_ok() { failed=$((failed + 1)); echo "not ok - $*"; }
finish() {
	echo "check-arm64: $SECONDS s"
	echo "$passed passed, $failed failed"
	[[ $failed -eq 0 ]]
	exit
}
out=build/check-arm64
mkdir -p "$out"

# Unset, so that an outer make's flags and a native ARCH do not leak in.
unset MAKEFLAGS MFLAGS MAKELEVEL KDIR
if KDIR=$(scripts/arm64-kernel.sh "$line" 2>"$out/fetch.log"); then
	ok "Debian's arm64 $line headers, image and busybox ($(basename "$KDIR"))"
else
	not_ok "Debian's arm64 $line headers, image and busybox"
	sed 's/^/#   /' "$out/fetch.log"
	finish
fi
export KDIR ARCH=arm64
# shellcheck source=scripts/kdir.sh
. scripts/kdir.sh
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$KDIR/include/generated/utsrelease.h")

if make --no-print-directory KDIR="$KDIR" KCXX_WERROR=1 >"$out/build.log" 2>&1 &&
	! grep -E 'warning:|error:|WARNING:|ERROR:' "$out/build.log" >/dev/null; then
	ok "both modules cross-build for $release, no warning ($CROSS_COMPILE)"
else
	not_ok "both modules cross-build for $release, no warning"
	grep -E 'warning:|error:|WARNING:|ERROR:' "$out/build.log" | head -n 20 | sed 's/^/#   /'
	finish
fi

for ko in kthread.ko crcpool/crcpool.ko; do
	vermagic=$(modinfo -F vermagic "$ko")
	machine=$("${CROSS_COMPILE}readelf" -h "$ko" | sed -n 's/^ *Machine: *//p')
	helpers=$("${CROSS_COMPILE}nm" -u "$ko" | awk '$2 ~ /^__(aarch64|atomic|sync)_/ { print $2 }')
	if [[ $machine == AArch64 && $vermagic == "$release "* && $vermagic == *aarch64* && -z $helpers ]]; then
		ok "$ko: AArch64, vermagic $vermagic, no out-of-line atomic helper"
	else
		not_ok "$ko: AArch64 ($machine), vermagic ($vermagic) for $release, no out-of-line atomic helper (${helpers:-none})"
	fi
	# With ftrace's call ops (6.2 on) the kernel writes a literal into the
	# 8 bytes before each traced function: each record must be 8-aligned.
	if grep -q '^CONFIG_DYNAMIC_FTRACE_WITH_CALL_OPS=y' "$KDIR/.config"; then
		misaligned=$("${CROSS_COMPILE}readelf" -rW "$ko" |
			awk '/Relocation section .*__patchable_function_entries/ { p = 1; next }
				/Relocation section/ { p = 0 }
				p && $1 ~ /^[0-9a-f]+$/ && $7 !~ /[08]$/ { print $5 "+" $7 }')
		if [[ -z $misaligned ]]; then
			ok "$ko: every ftrace record 8-byte aligned (the kernel's call ops)"
		else
			not_ok "$ko: every ftrace record 8-byte aligned (the kernel's call ops)"
			echo "#   misaligned: $misaligned"
		fi
	fi
done

if scripts/check-atomics.sh arm64 >"$out/atomics.log" 2>&1; then
	ok "kernel::Atomic orders memory as the kernel's arm64 atomics ($(tail -n 1 "$out/atomics.log"))"
else
	not_ok "kernel::Atomic orders memory as the kernel's arm64 atomics"
	grep -E '^not ok|DIFFERS' "$out/atomics.log" | sed 's/^/#   /'
fi

status=0
tests/vm/run-suite.sh --cycles "$cycles" --name check-arm64 --ko kthread.ko --crcpool-ko crcpool/crcpool.ko \
	>"$out/suite.log" 2>&1 || status=$?
grep -E '^# cpu feature: (Address authentication|Branch Target|LSE)|^# kernel ' "$out/suite.log" || true
grep -E '^not ok' "$out/suite.log" | head -n 20 || true
summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$out/suite.log" | tail -n 1 || true)
p=$(sed -E 's/^([0-9]+) passed.*/\1/' <<<"${summary:-0 passed}")
f=$(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"${summary:-0 passed, 0 failed}")
passed=$((passed + p)) failed=$((failed + f))
if [[ $status -eq 0 && -n $summary ]]; then
	ok "the VM suite on $release ($summary, $cycles cycles)"
else
	not_ok "the VM suite on $release (${summary:-no summary}; see $out/suite.log)"
	tail -n 5 "$out/suite.log" | sed 's/^/#   /'
fi
finish
