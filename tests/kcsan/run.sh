#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# The KCSAN proof on the data-race kernel (scripts/debug-kernel.sh kcsan):
# kcsan_race.ko's two C++ threads bump a plain counter and an Atomic<int>.
# KCSAN must report the plain one by its function's name, in a report
# that tests/vm/guest/klog.sh counts as ours (a frame of the module), and
# must not report the atomic one. Without instrumented C++ (kbuild's
# -fsanitize=thread lost on the way to g++) or without KCSAN, nothing is
# reported and this fails. Its own boot: KCSAN reports a race once.
#   tests/kcsan/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
. tests/vm/vm-lib.sh
. tests/vm/guest/klog.sh
. tests/debug/proof.sh
tree=$(scripts/debug-kernel.sh kcsan)
proof_boot "$tree" kcsan kcsan_race
vm_verdict "the module's threads ran (its done line)" grep -q 'kcsan_race: done, [0-9]* plain bumps lost' "$report"
# (Names are mangled: KThread::run<&PlainRacer::run> is ...10PlainRacer3run....)
vm_verdict "KCSAN reports the plain counter's race by its function" \
	grep -q 'BUG: KCSAN: data-race in [^ ]*PlainRacer3run[^ ]* \[kcsan_race\]' "$report"
# (klog.sh is sourced above: the scan every suite uses, in this shell.)
counted_as_ours() { klog_bugs "$report" | grep -q 'KCSAN: data-race in [^ ]*PlainRacer3run'; }
no_marked_report() { ! grep -q 'KCSAN:.*MarkedRacer' "$report"; }
vm_verdict "the klog scan counts that report as ours" counted_as_ours
vm_verdict "no report names the Atomic<int> counter's racers" no_marked_report
echo "# $(grep -c "kcsan: the kernel's own race" <(klog_kcsan "$report") || true) KCSAN reports of the kernel's own races in this boot (not ours)"
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
