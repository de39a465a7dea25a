#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# make check's demo suite: the timeline checker's host-side tests (on
# recorded traces, broken on purpose), then `make demo` and `make demo
# ROUNDTRIP=1` in the VM, each one's timeline checked against its log.
# Prints ok/not ok lines and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
mkdir -p build
pass=0 fail=0
result() { # result OK|FAIL TEXT
	if [[ $1 == OK ]]; then
		pass=$((pass + 1)); echo "ok - $2"
	else
		fail=$((fail + 1)); echo "not ok - $2"
	fi
}

# 1. The checker itself: each unittest is one check.
log=build/check-demo-unittest.log
python3 -m unittest discover -s tests/timeline -v >"$log" 2>&1
while read -r line; do
	name=${line%% (*}
	case $line in
	*" ... ok") result OK "checker: $name" ;;
	*" ... FAIL" | *" ... ERROR") result FAIL "checker: $name" ;;
	esac
done <"$log"
grep -q '^OK$' "$log" || { result FAIL "checker: unittest run (see $log)"; }

# 2. Both demos in the VM; the checks of their timelines, one line each.
for mode in plain roundtrip; do
	args=() suffix=""
	if [[ $mode == roundtrip ]]; then args=(--roundtrip) suffix=-roundtrip; fi
	out=build/check-demo-$mode.log
	start=$SECONDS
	if scripts/demo.sh "${args[@]}" >"$out" 2>&1; then
		result OK "make demo ($mode) runs, draws and passes its checks ($((SECONDS - start)) s)"
	else
		result FAIL "make demo ($mode) (see $out)"
	fi
	report=build/demo/vm-$mode/report.txt
	[[ -f $report ]] || continue
	while read -r line; do
		case $line in
		"ok - "*) result OK "$mode: ${line#ok - }" ;;
		"not ok - "*) result FAIL "$mode: ${line#not ok - }" ;;
		esac
	done < <(python3 scripts/timeline.py "$report" --check --quiet)
	for f in "build/demo/timeline$suffix.svg" "build/demo/timeline$suffix.png"; do
		if [[ -s $f && $f -nt $report ]]; then result OK "$mode: $f written"; else result FAIL "$mode: $f written"; fi
	done
done
echo "$pass passed, $fail failed"
[[ $fail -eq 0 ]]
