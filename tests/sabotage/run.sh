#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Proves the VM suite guards what it claims: each entry breaks the module
# on purpose (in a copy of the sources), runs the suite on the broken
# module, and expects the named checks to fail.
#   tests/sabotage/run.sh [--build-only | --one-boot] [NAME...]
# --build-only: apply and build every mutation, boot nothing (a quick check
# that each old-text still matches the sources).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. scripts/kdir.sh
root=$PWD

# name | groups | file | python replace: old => new | a check that must fail (regex)
# groups: the suite's groups the run needs (run-suite.sh --groups): base
# (suite.sh), torture (torture.sh, about 30 s shorter) or all; with a
# trailing "!" the mutation gets a VM of its own (it may crash the kernel,
# hang rmmod or leave the kernel unusable), the others share one boot. Each mutation breaks one
# promise of docs/testing.md (table "Every promise, guarded"); keep old-texts
# small: the sources move.
sabotages=(
	# The existing six.
	"no-fops-owner|base!|lib/kernel/CharDevice.h|table.at(KCXX_FOPS_OWNER).owner = \&__this_module;|(void)0;|rmmod fails while the device is open"
	"merged-events|base!|kthread/kthread_module.cpp|        m_event.complete(); // Step 4: one read|        if (!m_event.completion_done()) m_event.complete(); // Step 4: one read|each exactly once|counters"
	"d-state-wait|base!|kthread/kthread_module.cpp|while (m_event.wait_for_completion_interruptible().is_error()) {|while ((m_event.wait_for_completion(), false)) {|state S|hung-task"
	"no-drain-on-exit|base|kthread/kthread_module.cpp|m_idle.wait_event(|if (0) m_idle.wait_event(|the last READ event, the exit event|exit event"
	"no-session-reinit|base!|kthread/kthread_module.cpp|session.answered.reinit_completion();|(void)0;|a new event each time"
	"no-release-wait|base!|kthread/kthread_module.cpp|session.answered.wait_for_completion();|(void)0;|nothing left|kernel log clean|rmmod after killed|answers|handled|kernel trouble|did not finish"
	# The story's log lines.
	"no-load-line|base|kthread/kthread_module.cpp|KERNEL_LOG_INFO(\"kthread_create() successful\");|(void)0;|load lines in order"
	"wrong-major-logged|base|kthread/kthread_module.cpp|number.major, number.minor);|number.major + 1, number.minor);|major in /proc/devices|device node numbers"
	"thread-renamed|base|kthread/kthread_module.cpp|\"lothars_wait_thread\"|\"lothars_thread\"|thread lothars_wait_thread runs"
	"no-read-line|base|kthread/kthread_module.cpp|KERNEL_LOG_INFO(\"chardev_read()\");|(void)0;|read lines"
	"events-from-1|base!|kthread/kthread_module.cpp|u64 number = m_events.read();|u64 number = m_events.read() + 1;|read lines in order|each exactly once"
	"no-exit-line|base|kthread/kthread_module.cpp|KERNEL_LOG_INFO(\"event came from exit function\");|(void)0;|exit event"
	"no-ready-line|base|kthread/kthread_module.cpp|KERNEL_LOG_INFO(\"cleanup_hello_completion() READY.\");|(void)0;|READY"
	"class-left-behind|base!|lib/kernel/CharDevice.h|            class_destroy(m_class);|            (void)m_class;|no class left"
	# Refused operations: errno and log line.
	"write-errno|base|kthread/kthread_module.cpp|SHIM_EINVAL, \"write refused|SHIM_EPERM, \"write refused|write\(\) refused with EINVAL"
	"ioctl-errno|base|lib/kernel/CharDevice.h|return -SHIM_ENOTTY;|return -SHIM_EINVAL;|ioctl\(\) refused with ENOTTY"
	"mmap-errno|base|lib/kernel/CharDevice.h|return -SHIM_ENODEV;|return -SHIM_EINVAL;|mmap\(\) refused with ENODEV"
	"refusal-unlogged|base|lib/kernel/CharDevice.h|KERNEL_LOG_INFO_RATELIMITED(\"mmap refused: nothing to map\");|(void)0;|refusals are logged"
	# Parameters. (signal=0 and the wake-latency statistics are make
	# bench's build only, bench/kthread: the installed module has neither,
	# and torture checks that; no mutation of it here.)
	"roundtrip-default-on|base|kthread/kthread_main.c|bool kthread_param_roundtrip;|bool kthread_param_roundtrip = true;|roundtrip parameter defaults to N"
	"log-events-ignored|base|kthread/kthread_module.cpp|if (m_log_events \&\& !m_quiet)|if (!m_quiet)|log_events=0: no per-event line"
	"no-read-iter|torture|lib/kernel/CharDevice.h|table.at(KCXX_FOPS_READ_ITER).read_iter = \&read_iter;|(void)0;|readv64x1|readv4\+60"
	"quiet-ignored|base|kthread/kthread_module.cpp|        if (!m_quiet)\n            KERNEL_LOG_INFO(\"chardev_read()\");|        KERNEL_LOG_INFO(\"chardev_read()\");|quiet=1: no chardev_read"
	# Counters.
	"events-counter-is-reads|base|kthread/kthread_module.cpp|return m_events.read();|return m_posted.read();|left the thread a backlog"
	"pending-always-0|torture|kthread/kthread_module.cpp|return m_event.completion_done() ? 1 : 0;|return 0;|pending is 1"
	"no-posted-tracepoint|torture|kthread/kthread_events.c|trace_lothars_event_posted(number);|(void)number;|tracepoint lothars_event_posted"
	# Round trip: one line, cut to the buffer, then EOF; threads; signals.
	"roundtrip-no-eof|torture|kthread/kthread_module.cpp|if (*position > 0)|if (false)|next=EOF|then EOF"
	"reply-not-cut|torture|kthread/kthread_module.cpp|unsigned long count = line.length() < target.length() ? line.length() : target.length();|unsigned long count = line.length();|not one byte more|bytes:"
	"copy-errno|torture|lib/shim/uio.c|? -EFAULT : 0;|? -EINVAL : 0;|fail with EFAULT|EFAULT, nothing before"
	"no-session-lock|torture!|kthread/kthread_module.cpp|auto guard = locked.release_value();|{ auto guard = locked.release_value(); }|one descriptor|one event posted per answer|kernel|did not finish"
	"uninterruptible-answer-wait|torture|kthread/kthread_module.cpp|if (session.answered.wait_for_completion_interruptible().is_error()) {|if ((session.answered.wait_for_completion(), false)) {|signals landed|EINTR"
	"restart-posts-again|torture!|kthread/kthread_module.cpp|if (!session.in_flight) {|if (true) {|posted twice|answers|kernel|did not finish"
	# The library: a wake-up that skips the sleepers it should wake.
	"wake-skips-sleepers|base!|lib/kernel/WaitQueue.h|if (waitqueue_active())|if (false)|exit event|did not finish|kernel trouble|hung"
	"restart-as-eintr|torture|kthread/kthread_module.cpp|SHIM_ERESTARTSYS);\n        }\n        session.in_flight = false;|SHIM_EINTR);\n        }\n        session.in_flight = false;|with SA_RESTART no read fails"
	"lock-wait-eintr|torture|kthread/kthread_module.cpp|SHIM_ERESTARTSYS); // restartable, like the wait below|SHIM_EINTR); // restartable, like the wait below|B, restarted, the next one"
)

build_only=0 one_boot=0
if [[ ${1:-} == --build-only ]]; then build_only=1; shift; fi
# --one-boot: the "!" mutations too join the shared boot, last (cheaper
# when the machine's VM lock is contended; a crash then ends the boot).
if [[ ${1:-} == --one-boot ]]; then one_boot=1; shift; fi
want=("$@")
passed=0 failed=0
batch=() # "name|groups|expect" of the mutations that share one boot
late=()  # the "!" ones, with --one-boot

# verdict NAME EXPECT LOG: the mutation is caught if a check matching
# EXPECT failed in LOG (a TODO, a known bug, does not count).
verdict() {
	local caught
	caught=$(grep -E '^not ok' "$3" | grep -v ' # TODO ' | grep -E "$2" || true)
	if [[ -n $caught ]]; then
		passed=$((passed + 1)); echo "ok - $1 caught by:"; echo "$caught" | sed 's/^/#   /' | head -n 8
	else
		failed=$((failed + 1)); echo "not ok - $1 not caught (expected a failure matching: $2)"
		grep -E '^not ok' "$3" | head -n 5 | sed 's/^/#   /'
	fi
}

for entry in "${sabotages[@]}"; do
	IFS='|' read -r name groups file old new expect <<<"$entry"
	[[ ${#want[@]} -eq 0 || " ${want[*]} " == *" $name "* ]] || continue
	work=$root/build/sabotage/$name
	# SABOTAGE_REUSE=1: take the broken module built by an earlier run
	# (only valid while the sources are unchanged since then).
	if [[ ${SABOTAGE_REUSE:-0} == 1 && -f $work/kthread.ko && $build_only == 0 ]]; then
		if [[ $groups != *! ]]; then batch+=("$name|$groups|$expect")
		elif [[ $one_boot == 1 ]]; then late+=("$name|${groups%!}|$expect")
		else echo "# $name: reuse is for the shared boot only"; fi
		continue
	fi
	rm -rf "$work"
	mkdir -p "$work"
	# What the top-level Kbuild reads (it names crcpool/ too); only
	# kthread.ko is built (kbuild's single-module target).
	cp -r --parents Kbuild lib kthread crcpool debian/changelog "$work/"
	python3 - "$work/$file" "$old" "$new" <<'PY' || { echo "not ok - $name: could not apply"; failed=$((failed + 1)); continue; }
import sys
path, old, new = sys.argv[1], sys.argv[2].replace("\\n", "\n").replace("\\&", "&"), sys.argv[3].replace("\\n", "\n").replace("\\&", "&")
text = open(path).read()
if old not in text:
    sys.exit(f"pattern not found in {path}")
open(path, "w").write(text.replace(old, new, 1))
PY
	if ! make -s -C "$KDIR" M="$work" kthread.ko >"$work/build.log" 2>&1; then
		echo "not ok - $name: broken module does not build"; failed=$((failed + 1)); continue
	fi
	if [[ $build_only == 1 ]]; then
		passed=$((passed + 1)); echo "ok - $name: applies and builds"; continue
	fi
	if [[ $groups != *! ]]; then
		batch+=("$name|$groups|$expect")
		continue
	fi
	if [[ $one_boot == 1 ]]; then
		late+=("$name|${groups%!}|$expect")
		continue
	fi
	# Groups ending in "!": a mutation that may crash the kernel or leave
	# it unusable for the next module gets a boot of its own.
	t=$SECONDS
	VM_TIMEOUT=300 tests/vm/run-suite.sh --ko "$work/kthread.ko" --name "sabotage-$name" --cycles 5 \
		--groups "${groups%!}" >"$work/suite.log" 2>&1
	echo "# $name: suite groups '${groups%!}', a boot of its own, $((SECONDS - t)) s"
	verdict "$name" "$expect" "$work/suite.log"
done

batch+=("${late[@]}")
# Named on the command line: the shared boot runs them in that order.
if [[ ${#want[@]} -gt 0 && ${#batch[@]} -gt 0 ]]; then
	ordered=()
	for w in "${want[@]}"; do
		for b in "${batch[@]}"; do [[ ${b%%|*} == "$w" ]] && ordered+=("$b"); done
	done
	batch=("${ordered[@]}")
fi
if [[ ${#batch[@]} -gt 0 ]]; then
	# The others share one boot (the machine's VM lock is taken once): each
	# broken module in turn runs its suite groups in a fresh shell, between
	# markers, with a time limit of its own.
	dir=$root/build/sabotage/batch
	rm -rf "$dir"
	mkdir -p "$dir"
	base() { sed -e 's/^CYCLES=.*/CYCLES=5/' tests/vm/guest/suite.sh; }
	preamble() { sed -n '/^\. \/test\/tap.sh/,/^echo "# kernel/p' tests/vm/guest/suite.sh; }
	{ base; echo finish; } >"$dir/suite-base.sh"
	{ preamble; cat tests/vm/guest/torture.sh; echo finish; } >"$dir/suite-torture.sh"
	{ base; cat tests/vm/guest/torture.sh; echo finish; } >"$dir/suite-all.sh"
	files=(--file "$dir/suite-base.sh" --file "$dir/suite-torture.sh" --file "$dir/suite-all.sh")
	for b in "${batch[@]}"; do
		IFS='|' read -r name groups expect <<<"$b"
		cp "$root/build/sabotage/$name/kthread.ko" "$dir/$name.ko"
		files+=(--file "$dir/$name.ko")
		# A mutation that leaves kthread.ko (an rmmod stuck for good) or
		# its device behind makes every later load fail: the boot's
		# remaining mutations are then skipped, not run on a broken
		# kernel (run them again, named, in a boot of their own).
		printf '%s\n' "if [ -n \"\${stuck:-}\" ]; then echo '# sabotage-skipped $name'; else" \
			"echo '# sabotage-begin $name'" \
			"KO=/test/$name.ko timeout 240 sh /test/suite-$groups.sh" \
			"echo '# sabotage-end $name'" \
			"rmmod kthread 2>/dev/null &" \
			"i=0; while [ \$i -lt 30 ] && grep -q '^kthread ' /proc/modules; do sleep 1; i=\$((i + 1)); done" \
			"if grep -q '^kthread ' /proc/modules || grep -q lothars_chardev /proc/devices || [ -e /sys/class/lothars_chardev ]; then" \
			"stuck=$name; echo '# sabotage: $name left kthread.ko or its device behind: the rest of this boot is skipped'; fi" \
			"dmesg -c >/dev/null; fi"
	done >"$dir/batch.sh"
	t=$SECONDS
	VM_TIMEOUT=$((${#batch[@]} * 120 + 300)) tests/vm/run-suite.sh --ko "$dir/${batch[0]%%|*}.ko" \
		--name sabotage-batch --groups none --extra "$dir/batch.sh" "${files[@]}" >"$dir/suite.log" 2>&1
	echo "# ${#batch[@]} mutations in one boot: $((SECONDS - t)) s"
	report=$root/build/vm-sabotage-batch/report.txt
	for b in "${batch[@]}"; do
		IFS='|' read -r name groups expect <<<"$b"
		log=$root/build/sabotage/$name/suite.log
		sed -n "/^# sabotage-begin $name\$/,/^# sabotage-end $name\$/p" "$report" >"$log"
		if grep -q "^# sabotage-skipped $name\$" "$report"; then
			failed=$((failed + 1))
			echo "not ok - $name: not run: $(grep -m1 '^# sabotage: ' "$report" | cut -d' ' -f3) left kthread.ko behind earlier in the boot"
			continue
		fi
		if ! grep -q "^# sabotage-begin $name\$" "$report"; then
			failed=$((failed + 1))
			echo "not ok - $name: not run: the boot ended before it (a crash or a time-out of an earlier mutation)"
			continue
		fi
		# No summary: the suite was cut short (its time limit, a crash).
		grep -q "^# sabotage-end $name\$" "$log" && grep -qE '^[0-9]+ passed, [0-9]+ failed' "$log" ||
			echo "not ok - $name: the guest did not finish its suite" >>"$log"
		echo "# $name: suite groups '$groups': $(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" || echo 'no summary')"
		verdict "$name" "$expect" "$log"
	done
fi
echo "$passed passed, $failed failed"
[[ $failed -eq 0 ]]
