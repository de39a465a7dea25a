#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make fuzz: both modules fuzzed on the debug kernel (KASAN, lockdep,
# kmemleak, DEBUG_OBJECTS, atomic-sleep checks; scripts/debug-kernel.sh),
# one phase per word of FUZZ_MODES: Debian's trinity against
# /dev/lothars_chardev and its sysfs files with roundtrip=0 and =1, then
# against /dev/crcpool and its sysfs files (crcpool), each while the
# module is unloaded and loaded again beside the fuzzer; then crcfuzz, our
# protocol fuzzer for /dev/crcpool (tests/vm/guest/probes/crcfuzz*.c),
# which checks every answer and errno. The guest side is
# tests/vm/guest/fuzz.sh and fuzz-crcpool.sh.
#   FUZZ_SECONDS  seconds of fuzzing PER PHASE (default 600: 40 minutes in all)
#   FUZZ_SEED     trinity's seed for the first round (round r uses SEED + r),
#                 and crcfuzz's; default: random, printed so that a failing
#                 run replays
#   FUZZ_CHILDREN trinity children (default 4)
#   FUZZ_ROUND    seconds per trinity run (default 30); the victims take turns
#   FUZZ_MODES    the phases (default "0 1 crcpool crcfuzz"; 0 and 1 are
#                 kthread.ko's roundtrip values)
#   FUZZ_THREADS  crcfuzz's threads (default 8)
#   FUZZ_KERNEL   the debug kernel: kasan (default) or kcsan (data races;
#                 make check-debug runs a smoke on each)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${FUZZ_SECONDS:-600}
seed=${FUZZ_SEED:-$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')}
children=${FUZZ_CHILDREN:-4}
round=${FUZZ_ROUND:-30}
modes=${FUZZ_MODES:-0 1 crcpool crcfuzz}
threads=${FUZZ_THREADS:-8}
trinity=$(command -v trinity || true)
[[ -n $trinity ]] || { echo "error: no trinity (scripts/deps.sh fuzz)" >&2; exit 1; }

kernel=${FUZZ_KERNEL:-kasan}
tree=$(scripts/debug-kernel.sh "$kernel")
out=$root/build/fuzz-$kernel
rm -rf "$out/src"
mkdir -p "$out/src"
cp -r --parents Kbuild lib kthread crcpool debian/changelog "$out/src/"
cp -r tests/fuzz/fopcount "$out/fopcount"
echo "[fuzz] building kthread.ko, crcpool.ko and fopcount.ko against $tree"
make -s -C "$tree" M="$out/src" KCXX_WERROR=1 modules
make -s -C "$tree" M="$out/fopcount" modules
# shellcheck source=tests/vm/vm-lib.sh
. tests/vm/vm-lib.sh
vm_probe crcfuzz "$out/crcfuzz" >/dev/null

# trinity and the shared libraries it links, by their paths in the guest.
libs=$(ldd "$trinity" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
files=(--file "$trinity" --file "$out/fopcount/fopcount.ko" --file "$out/fuzz.env"
	--file "$out/src/crcpool/crcpool.ko" --file "$out/crcfuzz")
for lib in $libs; do files+=(--file "$(readlink -f "$lib")"); done
guest_libs=""
for lib in $libs; do guest_libs="$guest_libs $lib"; done
# The guest copies /test/<basename of the real file> to each path: make
# the names match (libc.so.6 is itself the file on bookworm; be safe).
for lib in $libs; do
	[[ $(basename "$(readlink -f "$lib")") == "$(basename "$lib")" ]] ||
		{ echo "error: $lib is a link to another name; not supported" >&2; exit 1; }
done
cat >"$out/fuzz.env" <<EOF
FUZZ_SECONDS=$seconds
FUZZ_SEED=$seed
FUZZ_CHILDREN=$children
FUZZ_ROUND=$round
FUZZ_MODES="$modes"
FUZZ_THREADS=$threads
FUZZ_LIBS="${guest_libs# }"
EOF
nmodes=$(wc -w <<<"$modes")
echo "[fuzz] trinity $(dpkg-query -W -f='${Version}' trinity 2>/dev/null || echo '?'), seed $seed, $seconds s per phase ($modes), $children children, crcfuzz $threads threads"
echo "[fuzz] replay: FUZZ_KERNEL=$kernel FUZZ_SEED=$seed FUZZ_SECONDS=$seconds FUZZ_ROUND=$round FUZZ_CHILDREN=$children FUZZ_MODES=\"$modes\" make fuzz"
status=0
KDIR=$tree VM_TIMEOUT=$((nmodes * (seconds + 120) + 300)) tests/vm/run-suite.sh \
	--name "fuzz-$kernel" --groups none --ko "$out/src/kthread.ko" \
	--kernel "$tree/arch/x86/boot/bzImage" \
	--extra tests/vm/guest/fuzz.sh "${files[@]}" \
	--append "kmemleak=on" | tee "$out/fuzz.log" || status=$?
report=$root/build/vm-fuzz-$kernel/report.txt
echo "[fuzz] seed $seed; $(grep -E '^# trinity made' "$report" | sed 's/^# //' || echo 'no syscall count')"
grep -E '^# (roundtrip=[01]|crcpool|crcfuzz): calls that reached' "$report" | sed 's/^# /[fuzz] /' || true
grep -E '^# crcfuzz: calls=' "$report" | sed 's/^# /[fuzz] /' || true
passed=$(grep -c '^ok ' "$report" || true)
failed=$(grep -c '^not ok ' "$out/fuzz.log" || true)
[[ $status -eq 0 || $failed -gt 0 ]] || failed=1
echo "$passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 ]]
