#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Proves the VM suite guards what it claims: each entry breaks the module
# on purpose (in a copy of the sources), runs the suite on the broken
# module, and expects the named checks to fail.
#   tests/sabotage/run.sh [NAME...]
set -uo pipefail
cd "$(dirname "$0")/../.." || exit
. scripts/kdir.sh
root=$PWD

# name | file | python replace: old => new | a check that must fail (regex)
sabotages=(
	"no-fops-owner|module/kthread_fops.c|	.owner = THIS_MODULE,\n	.open|	.open|rmmod fails while the device is open"
	"merged-events|module/kthread_module.cpp|        m_event.complete(); // Step 4: one read|        if (!m_event.is_posted()) m_event.complete(); // Step 4: one read|each exactly once|counters"
	"d-state-wait|module/kthread_module.cpp|while (m_event.wait_interruptible().is_error()) {|while ((m_event.wait(), false)) {|state S|hung-task"
	"no-drain-on-exit|module/kthread_module.cpp|            m_idle.wait_until(|            if (0) m_idle.wait_until(|the last READ event, the exit event|exit event"
	"no-session-reinit|module/kthread_module.cpp|            session.answered.reinit();|            (void)0;|a new event each time"
	"no-release-wait|module/kthread_module.cpp|        if (session->in_flight \&\& !session->answered.is_posted()) // Step 5\n            session->answered.wait();|        (void)0;|nothing left|kernel log clean|rmmod after killed|answers|handled|kernel trouble|did not finish"
)

want=("$@")
passed=0 failed=0
for entry in "${sabotages[@]}"; do
	IFS='|' read -r name file old new expect <<<"$entry"
	[[ ${#want[@]} -eq 0 || " ${want[*]} " == *" $name "* ]] || continue
	work=$root/build/sabotage/$name
	rm -rf "$work"
	mkdir -p "$work"
	cp -r --parents Kbuild kbuild shim kernel module debian/changelog "$work/"
	python3 - "$work/$file" "$old" "$new" <<'PY' || { echo "not ok - $name: could not apply"; failed=$((failed + 1)); continue; }
import sys
path, old, new = sys.argv[1], sys.argv[2].replace("\\n", "\n").replace("\\&", "&"), sys.argv[3].replace("\\n", "\n").replace("\\&", "&")
text = open(path).read()
if old not in text:
    sys.exit(f"pattern not found in {path}")
open(path, "w").write(text.replace(old, new, 1))
PY
	if ! make -s -C "$KDIR" M="$work" modules >"$work/build.log" 2>&1; then
		echo "not ok - $name: broken module does not build"; failed=$((failed + 1)); continue
	fi
	VM_TIMEOUT=300 tests/vm/run-suite.sh --ko "$work/kthread.ko" --name "sabotage-$name" --cycles 5 >"$work/suite.log" 2>&1
	caught=$(grep -E '^not ok' "$work/suite.log" | grep -E "$expect" || true)
	if [[ -n $caught ]]; then
		passed=$((passed + 1)); echo "ok - $name caught by:"; echo "$caught" | sed 's/^/#   /' | head -n 8
	else
		failed=$((failed + 1)); echo "not ok - $name not caught (expected a failure matching: $expect)"
		grep -E '^not ok' "$work/suite.log" | head -n 5 | sed 's/^/#   /'
	fi
done
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
