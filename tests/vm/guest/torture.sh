# torture.sh - targeted torture of /dev/lothars_chardev (busybox sh, TAP
# out; appended to the suite by run-suite.sh). Every group loads the
# module itself and unloads it again, so a group can run alone. The
# probes are ktprobe's (tests/vm/guest/probes/kt_shared.c: rt-shared,
# rt-signal; kt_queued.c: rt-queued-restart; kt_abuse.c: guard, badbuf,
# odd, uring).

# reads_delta BEFORE: reads posted since BEFORE.
reads_delta() { echo $(($(counter reads) - $1)); }

# probe_in RT PROBE: the module loaded with roundtrip=RT, then ktprobe PROBE;
# its output in $out (and shown), the reads counter before it in $before.
probe_in() {
	check "insmod roundtrip=$1" insmod $KO roundtrip=$1
	before=$(counter reads)
	out=$(ktprobe $2)
	echo "# roundtrip=$1: $out"
}

# answers_ok LINE WANT FIRST: ktprobe's "answers A distinct D span S bad B
# first F" says WANT answers, all distinct, contiguous from FIRST, none bad.
answers_ok() {
	is "$4" "$(echo "$1" | sed 's/^.*\(answers .*\)$/\1/')" "answers $2 distinct $2 span $2 bad 0 first $3"
}

group "torture: many threads, one descriptor, round trips"
check "insmod roundtrip=1 log_events=0" insmod $KO roundtrip=1 log_events=0
before=$(counter reads)
out=$(ktprobe rt-shared 16 25)
echo "# $out"
answers_ok "$out" 400 "$before" "16 threads x 25 on one open file: 400 distinct answers, none lost"
is "one event posted per answer" "$(reads_delta "$before")" 400
check "every event handled" settle
check "rmmod" rmmod kthread
end_group

group "torture: signals landing in round-trip waits"
check "insmod roundtrip=1 log_events=0" insmod $KO roundtrip=1 log_events=0
# SIGUSR1 every 100 us at a reader doing 300 round trips. A signal that
# lands in the wait leaves the request in flight: without SA_RESTART the
# read fails with EINTR and the probe reads again; with SA_RESTART the
# kernel restarts it. Either way the repeated read must collect the answer
# of the request already posted, not post another. A run where no signal
# hit a wait proves nothing, so each mode is tried up to six times. The
# reader sleeps in the wait only when the module's thread answers from
# another CPU: on its own CPU the woken thread preempts the reader and
# answers before the reader waits, and no signal can land (under arm64 TCG
# whole boots went that way: ten runs of 300 round trips, ~170 signals
# each, none in a wait). So from the second try on, with two CPUs, the
# thread runs on CPU 1 and the reader with its signalling thread on CPU 0.
for mode in intr restart; do
	for try in 1 2 3 4 5 6; do
		dmesg -c >/dev/null
		before=$(counter reads)
		pin=""
		if [ $try -gt 1 ] && [ "$(grep -c ^processor /proc/cpuinfo)" -gt 1 ]; then
			taskset -p 2 "$(thread_pid)" >/dev/null && pin="taskset 1"
		fi
		out=$($pin ktprobe rt-signal $mode 300 100)
		hits=$(klog | grep -c 'chardev_read() interrupted: event still in flight')
		echo "# $mode, try $try${pin:+ ($pin)}: $out; waits interrupted: $hits"
		[ "$hits" -gt 0 ] && break
	done
	check "$mode: signals landed in the wait" test "$hits" -gt 0
	answers_ok "$out" 300 "$before" "$mode: 300 distinct answers in order, none lost"
	is "$mode: nothing posted twice" "$(reads_delta "$before")" 300
	eintr=$(echo "$out" | sed -n 's/^eintr \([0-9]*\) .*/\1/p')
	if [ $mode = intr ]; then
		check "intr: without SA_RESTART the interrupted reads fail with EINTR" test "${eintr:-0}" -gt 0
	else
		is "restart: with SA_RESTART no read fails with EINTR" "$eintr" 0
	fi
	check "$mode: every event handled" settle
done
check "rmmod" rmmod kthread
end_group

group "torture: a signal to a reader queued behind another on the same file"
# Reader A posts and waits for its answer while the module's thread, pinned
# to CPU 1, cannot run (a SCHED_FIFO hog there; RT throttling off for the
# moment, so the hog keeps the CPU); reader B, on the same open file, waits
# for A's session lock. SIGUSR1 with SA_RESTART lands in that lock wait:
# B's read must restart, take the lock once A is done and get its own
# answer, never EINTR. One CPU cannot hold the thread off: skipped there.
if [ "$(grep -c ^processor /proc/cpuinfo)" -gt 1 ]; then
	check "insmod roundtrip=1 log_events=0" insmod $KO roundtrip=1 log_events=0
	before=$(counter reads)
	dmesg -c >/dev/null
	rt_runtime=$(cat /proc/sys/kernel/sched_rt_runtime_us)
	echo -1 >/proc/sys/kernel/sched_rt_runtime_us
	out=$(ktprobe rt-queued-restart "$(thread_pid)" 20)
	echo "$rt_runtime" >/proc/sys/kernel/sched_rt_runtime_us
	echo "# $out"
	# B slept, and no signal landed in an answer wait (the module logs each
	# one that does): B was waiting for the lock.
	check "B slept while A held the file's session lock" sh -c "echo '$out' | grep -q 'b_state=S '"
	is "no signal landed in an answer wait (B's were all in the lock wait)" \
		"$(klog | grep -c 'chardev_read() interrupted: event still in flight')" 0
	check "the signals reached B in that wait" sh -c "echo '$out' | grep -qE 'signals=[1-9]'"
	is "A got its answer; B, restarted, the next one (no EINTR)" "${out#* a=}" \
		"event $before b=event $((before + 1))"
	is "two events posted, none twice" "$(reads_delta "$before")" 2
	check "every event handled" settle
	check "rmmod" rmmod kthread
else
	pass "a reader queued behind another: skipped (one CPU)"
fi
end_group

group "torture: short buffers against a guard page"
# Buffers of 0, 1 and 5 bytes end where a PROT_NONE page begins; the rest
# of the page before them holds a pattern that must survive. Then 64 bytes
# asked into 5 writable ones. Each read is followed by a second one.
check "insmod roundtrip=1" insmod $KO roundtrip=1
before=$(counter reads)
ktprobe guard >/tmp/guard.out
sed 's/^/# /' /tmp/guard.out
is "0 bytes: nothing written, the next read at offset 0 is a new request" "$(sed -n 1p /tmp/guard.out)" "len=0 ret=EOF guard=ok next='event_N\$'"
is "1 byte: the line cut to 1 byte, not one byte more, then EOF" "$(sed -n 2p /tmp/guard.out)" "len=1 ret='e' guard=ok next=EOF"
is "5 bytes: the line cut to 5 bytes, not one byte more, then EOF" "$(sed -n 3p /tmp/guard.out)" "len=5 ret='event' guard=ok next=EOF"
is "64 bytes into 5 writable: EFAULT, nothing before the buffer touched, the next read a new request" "$(sed -n 4p /tmp/guard.out)" "len=64@5 ret=EFAULT guard=ok next='event_N\$'"
is "round trip: each request counted once (6)" "$(reads_delta "$before")" 6
check "every event handled" settle
check "rmmod" rmmod kthread
check "insmod roundtrip=0" insmod $KO
before=$(counter reads)
ktprobe guard >/tmp/guard.out
sed 's/^/# /' /tmp/guard.out
is "default mode: no read writes a byte" "$(grep -c '^len=[0-9@]* ret=EOF guard=ok next=EOF$' /tmp/guard.out)" 4
is "default mode: every read posts one event (8)" "$(reads_delta "$before")" 8
check "every event handled" settle
check "rmmod" rmmod kthread
end_group

group "torture: bad buffers"
for rt in 1 0; do
	probe_in $rt badbuf
	if [ $rt = 1 ]; then
		is "round trip: NULL, unmapped, read-only and kernel buffers fail with EFAULT" "$out" \
			"null=EFAULT unmapped=EFAULT readonly=EFAULT kernel=EFAULT"
	else
		# Nothing is copied in the default mode, so only the kernel's own
		# range check (a kernel address) can refuse the read.
		is "default mode: nothing copied, only the kernel address refused" "$out" \
			"null=EOF unmapped=EOF readonly=EOF kernel=EFAULT"
	fi
	is "roundtrip=$rt: the three reads that reached the module each posted an event" "$(reads_delta "$before")" 3
	check "roundtrip=$rt: every event handled" settle
	# (One bounded read: cat would never end if EOF broke.)
	is "roundtrip=$rt: the module still answers" "$(ktprobe rt-same-fd 1 | sed 's/[0-9][0-9]*$/N/')" "$([ $rt = 1 ] && echo 'event N')"
	check "roundtrip=$rt: rmmod" rmmod kthread
done
end_group

group "torture: huge lengths, odd offsets, readv, splice, sendfile, io_uring"
for rt in 1 0; do
	probe_in $rt odd
	if [ $rt = 1 ]; then
		want="len1G='event_N\$' lenmax=EFAULT pread@1=EOF pread@7=EOF pread@4096=EOF pread@max=EINVAL pread@-1=EINVAL readv64x1='event_N\$' readv4+60='event_N\$' splice=EINVAL sendfile=EINVAL"
		posted=3
	else
		want="len1G=EOF lenmax=EFAULT pread@1=EOF pread@7=EOF pread@4096=EOF pread@max=EINVAL pread@-1=EINVAL readv64x1=EOF readv4+60=EOF splice=EINVAL sendfile=EINVAL"
		posted=6
	fi
	for item in $want; do
		name=${item%%=*}
		got=$(echo "$out" | tr ' ' '\n' | grep "^$name=")
		case $rt:$name in
		# readv comes through .read_iter: all its vectors are one read.
		1:readv*) is "roundtrip=$rt: $name (the whole line, as read() into one buffer)" "$got" "$item" ;;
		*) is "roundtrip=$rt: $name" "$got" "$item" ;;
		esac
	done
	is "roundtrip=$rt: events posted only by reads that reached the module ($posted)" "$(reads_delta "$before")" $posted
	before=$(counter reads)
	out=$(ktprobe uring)
	echo "# roundtrip=$rt: $out"
	if [ "$out" = uring=ENOSYS ]; then
		pass "roundtrip=$rt: io_uring read # SKIP the kernel has no io_uring"
	else
		is "roundtrip=$rt: io_uring read" "$out" "uring=$([ $rt = 1 ] && echo "'event_N\$'" || echo EOF)"
		is "roundtrip=$rt: io_uring read posted one event" "$(reads_delta "$before")" 1
	fi
	check "roundtrip=$rt: every event handled" settle
	check "roundtrip=$rt: rmmod" rmmod kthread
done
end_group

group "module parameters, each documented value"
dmesg -c >/dev/null
check "insmod roundtrip=0 log_events=1 quiet=0" insmod $KO roundtrip=0 log_events=1 quiet=0
is "parameters as given" "$(cat /sys/module/kthread/parameters/roundtrip /sys/module/kthread/parameters/log_events /sys/module/kthread/parameters/quiet | tr '\n' ' ')" "N Y N "
is "roundtrip=0: a read returns EOF at once" "$(ktprobe oneline)" "reads=1 last=EOF"
check "every event handled" settle
check "log_events=1: the event's line is logged" sh -c "dmesg | grep -q '^.*event came from READ function - 0$'"
check "rmmod" rmmod kthread
# signal=0 (the null read) is make bench's (bench/kthread), checked there;
# here the kernel ignores it as an unknown parameter.
check "insmod signal=0" insmod $KO signal=0
check "signal= is the bench build's: no such parameter here" test ! -e /sys/module/kthread/parameters/signal
check "rmmod" rmmod kthread
for bad in roundtrip=maybe roundtrip=2 log_events=maybe quiet=maybe quiet=; do
	dmesg -c >/dev/null
	insmod $KO $bad 2>/tmp/insmod.err
	status=$?
	check "$bad refused (insmod fails with EINVAL)" eval "[ $status -ne 0 ] && grep -q 'Invalid argument' /tmp/insmod.err"
	check "$bad: the log names the parameter" sh -c "dmesg | grep -q \"invalid for parameter \\\`${bad%%=*}'\""
done
check "nothing loaded after the refusals" sh -c "! grep -q '^kthread ' /proc/modules"
end_group

group "counters: pending; the wake time in the trace"
check "insmod" insmod $KO log_events=0
# The thread made SCHED_IDLE on the burst's CPU: the events pile up.
for try in 1 2 3; do
	out=$(ktprobe burst-pending 500)
	echo "# try $try: $out"
	case "$out" in backlog=0\ *) ;; *) break ;; esac
	settle
done
is "pending is 1 while events wait for the thread" "${out#* }" pending=1
check "the burst left a backlog" test "$(echo "$out" | sed -n 's/^backlog=\([0-9]*\) .*/\1/p')" -gt 0
check "every event handled" settle
is "pending is 0 once the thread caught up" "$(counter pending)" 0
# The wake-latency statistics are make bench's (bench/kthread), checked there.
check "no debugfs statistics in the installed module" test ! -e /sys/kernel/debug/lothars_chardev
tr=/sys/kernel/tracing
if [ -d $tr/events/lothars ]; then
	echo 0 >$tr/tracing_on
	echo >$tr/trace
	echo 1 >$tr/events/lothars/enable
	echo 1 >$tr/tracing_on
	first=$(counter reads)
	for i in 1 2 3; do cat $DEV; done
	settle
	echo 0 >$tr/tracing_on
	echo 0 >$tr/events/lothars/enable
	is "tracepoint lothars_event_posted: once per read, numbered" "$(grep -o 'lothars_event_posted: event=[0-9]*' $tr/trace | sed 's/.*=//' | tr '\n' ' ')" "$first $((first + 1)) $((first + 2)) "
	is "tracepoint lothars_event_handled: once per event" "$(grep -c 'lothars_event_handled: event=' $tr/trace)" 3
	check "lothars_event_handled carries the wake time (wake_ns > 0)" sh -c "grep 'lothars_event_handled: event=' $tr/trace | grep -qv 'wake_ns=0\$'"
else
	pass "tracepoints # SKIP no tracefs events on this kernel"
fi
check "rmmod" rmmod kthread
end_group
