#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make soak: both modules worked at once for N minutes on the debug kernel
# (KASAN, lockdep, kmemleak; scripts/debug-kernel.sh) - readers, round
# trips on shared files under signals, crcpool requests checked in user
# space, both modules unloaded and loaded again beside them - one line of
# figures a minute, and at the end "0 reports, memory flat" or what grew.
# The guest side is tests/vm/guest/soak.sh.
#   [MINUTES=N] [SOAK_LEAK=N] scripts/soak.sh
#     MINUTES    how long the work runs (default 60)
#     SOAK_LEAK  build crcpool.ko to leak one buffer every N requests: the
#                proof that the verdict sees a leak (it must fail)
# Output: build/soak/soak.tsv (a row a minute), build/soak/soak.png (memory
# and throughput over time, gnuplot); a run of 15 minutes or more that
# passes, without SOAK_LEAK, copies both to docs/ (soak.tsv, soak.png).
set -euo pipefail
# shellcheck source=scripts/usage.sh
. "$(dirname "$0")/usage.sh"
cd "$(dirname "$0")/.."
root=$PWD
minutes=${MINUTES:-60} leak=${SOAK_LEAK:-}
[[ $# -eq 0 && $minutes =~ ^[1-9][0-9]*$ && ${leak:-1} =~ ^[1-9][0-9]*$ ]] || { usage; exit 2; }
# shellcheck source=tests/vm/vm-lib.sh
. tests/vm/vm-lib.sh

tree=$(scripts/debug-kernel.sh)
out=$root/build/soak
rm -rf "$out/src"
mkdir -p "$out/src"
cp -r --parents Kbuild lib kthread crcpool debian/changelog "$out/src/"

# leak_mutation FILE N: after every Nth completed request, collect() also
# allocates up to 4 KiB (the request's length, modulo 4096, plus 1: sizes
# of the kmalloc caches the module's buffers use) and drops the pointer.
leak_mutation() {
	python3 - "$1" "$2" <<-'PY'
		import sys
		path, n = sys.argv[1], int(sys.argv[2])
		old = "        session.bytes.release();\n"
		new = ("        if (session.request.seq %% %d == %d)\n"
		       "            (void)shim_alloc_bytes(session.request.length %% 4096 + 1); // make soak, SOAK_LEAK\n"
		       % (n, n - 1)) + old
		text = open(path).read()
		if text.count(old) != 1:
		    sys.exit("soak: the leak's old text is not in " + path + " (once)")
		open(path, "w").write(text.replace(old, new))
	PY
}
[[ -z $leak ]] || leak_mutation "$out/src/crcpool/crcpool_module.cpp" "$leak"

echo "[soak] building kthread.ko and crcpool.ko against $tree${leak:+ (crcpool.ko leaks one buffer every $leak requests)}"
make -s -C "$tree" M="$out/src" KCXX_WERROR=1 modules
vm_probe crcprobe "$out/crcprobe" >/dev/null
cat >"$out/soak.env" <<EOF
SOAK_MINUTES=$minutes
SOAK_SAMPLE=10
SOAK_UP=1
SOAK_LEAK=$leak
EOF
# The guest runs the minutes, a kmemleak scan a minute, then its checks;
# booting and the final scans add a few minutes on a busy machine.
timeout=$((minutes * 75 + 600))
echo "[soak] $minutes minutes (the VM's timeout: $timeout s, not counting a wait for the VM lock)"
status=0
KDIR=$tree VM_TIMEOUT=$timeout tests/vm/run-suite.sh \
	--name soak --groups none --ko "$out/src/kthread.ko" \
	--kernel "$tree/arch/x86/boot/bzImage" --extra tests/vm/guest/soak.sh \
	--file "$out/src/crcpool/crcpool.ko" --file "$out/crcprobe" --file "$out/soak.env" \
	--append "kmemleak=on" | tee "$out/soak.log" || status=$?
report=$root/build/vm-soak/report.txt

# The table and the plot, from the guest's "# soak-tsv" lines.
tsv=$out/soak.tsv
sed -n 's/^# soak-tsv-header\t//p' "$report" | head -n 1 >"$tsv"
sed -n 's/^# soak-tsv\t//p' "$report" >>"$tsv"
rows=$(($(wc -l <"$tsv") - 1))
passed=$(grep -c '^ok ' "$report" || true)
failed=$(grep -c '^not ok ' "$out/soak.log" || true)
vm_verdict "the table has a row for each of the $minutes minutes ($rows; $tsv)" test "$rows" -eq "$minutes"
title="make soak: kthread.ko and crcpool.ko, $minutes minutes on the debug kernel ($(date +%F))${leak:+, crcpool.ko leaking every $leak requests}"
vm_verdict "the plot is drawn ($out/soak.png)" \
	gnuplot -e "tsv='$tsv'; out='$out/soak.png'; title='$title'" scripts/soak.gp
echo "[soak] $(grep -E '^# soak verdict' "$report" | sed 's/^# //' || echo 'no verdict: the guest did not finish')"
[[ $status -eq 0 || $failed -gt 0 ]] || failed=1
if [[ $failed -eq 0 && -z $leak && $minutes -ge 15 ]]; then
	cp "$tsv" "$out/soak.png" docs/
	echo "[soak] a run of $minutes minutes: docs/soak.tsv and docs/soak.png updated"
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
