# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# timing.sh - sourced by the check scripts: run a command with its time.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# run CMD...: print it, run it, print how long it took; returns its status.
run() {
	local start status
	echo "+ $*"
	start=$(now)
	set +e
	"$@"
	status=$?
	set -e
	echo "  ($(elapsed "$start") s, exit $status)"
	return $status
}
