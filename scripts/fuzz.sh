#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make fuzz: Debian's trinity against /dev/lothars_chardev and the module's
# sysfs files, on the debug kernel (KASAN, lockdep, kmemleak,
# DEBUG_OBJECTS, atomic-sleep checks; scripts/debug-kernel.sh), once per
# mode (roundtrip=0, roundtrip=1), while the module is unloaded and loaded
# again beside the fuzzer. The guest side is tests/vm/guest/fuzz.sh.
#   FUZZ_SECONDS  seconds of fuzzing PER MODE (default 600: 20 minutes in all)
#   FUZZ_SEED     trinity's seed for the first round (round r uses SEED + r);
#                 default: random, printed so that a failing run replays
#   FUZZ_CHILDREN trinity children (default 4)
#   FUZZ_ROUND    seconds per trinity run (default 30); the victims take turns
#   FUZZ_MODES    the roundtrip values to run (default "0 1")
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
seconds=${FUZZ_SECONDS:-600}
seed=${FUZZ_SEED:-$(od -An -N3 -tu4 /dev/urandom | tr -d ' ')}
children=${FUZZ_CHILDREN:-4}
round=${FUZZ_ROUND:-30}
modes=${FUZZ_MODES:-0 1}
trinity=$(command -v trinity || true)
[[ -n $trinity ]] || { echo "error: no trinity (scripts/deps.sh fuzz)" >&2; exit 1; }

tree=$(scripts/debug-kernel.sh)
out=$root/build/fuzz
rm -rf "$out/src"
mkdir -p "$out/src"
cp -r --parents Kbuild lib kthread crcpool debian/changelog "$out/src/"
cp -r tests/fuzz/fopcount "$out/fopcount"
echo "[fuzz] building kthread.ko and fopcount.ko against $tree"
make -s -C "$tree" M="$out/src" KCXX_WERROR=1 modules
make -s -C "$tree" M="$out/fopcount" modules

# trinity and the shared libraries it links, by their paths in the guest.
libs=$(ldd "$trinity" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | sort -u)
files=(--file "$trinity" --file "$out/fopcount/fopcount.ko" --file "$out/fuzz.env")
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
FUZZ_LIBS="${guest_libs# }"
EOF
nmodes=$(wc -w <<<"$modes")
echo "[fuzz] trinity $(dpkg-query -W -f='${Version}' trinity 2>/dev/null || echo '?'), seed $seed, $seconds s per mode ($modes), $children children"
echo "[fuzz] replay: FUZZ_SEED=$seed FUZZ_SECONDS=$seconds FUZZ_ROUND=$round FUZZ_CHILDREN=$children make fuzz"
status=0
KDIR=$tree VM_TIMEOUT=$((nmodes * (seconds + 120) + 300)) tests/vm/run-suite.sh \
	--name fuzz --groups none --ko "$out/src/kthread.ko" \
	--kernel "$tree/arch/x86/boot/bzImage" \
	--extra tests/vm/guest/fuzz.sh "${files[@]}" \
	--append "kmemleak=on" | tee "$out/fuzz.log" || status=$?
report=$root/build/vm-fuzz/report.txt
echo "[fuzz] seed $seed; $(grep -E '^# trinity made' "$report" | sed 's/^# //' || echo 'no syscall count')"
grep -E '^# roundtrip=[01]: calls that reached' "$report" | sed 's/^# /[fuzz] /' || true
passed=$(grep -c '^ok ' "$report" || true)
failed=$(grep -c '^not ok ' "$out/fuzz.log" || true)
[[ $status -eq 0 || $failed -gt 0 ]] || failed=1
echo "$passed passed, $failed failed"
[[ $status -eq 0 && $failed -eq 0 ]]
