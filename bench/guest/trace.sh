# trace.sh - kthread.ko's tracepoints, watched with the kernel's own
# tracing (tracefs at /sys/kernel/tracing): three reads with the module's
# defaults, each one "posted" by the reader, the thread woken
# (sched_wakeup), and "handled" by the thread with its wake latency.
# Prints the trace as "trace LINE" and the verdict as "check tracepoints".
# Sourced by bench.sh; the guest script of scripts/trace-demo.sh alone.
trace_check() {
	local t=/sys/kernel/tracing posted handled
	insmod /test/kthread.ko || { echo "check tracepoints FAILED insmod"; return 1; }
	if [ ! -d $t/events/lothars ]; then
		echo "check tracepoints FAILED no $t/events/lothars"
		rmmod kthread
		return 1
	fi
	echo 0 >$t/tracing_on
	echo >$t/trace
	echo 1 >$t/events/lothars/enable
	echo 'comm ~ "lothars*"' >$t/events/sched/sched_wakeup/filter
	echo 1 >$t/events/sched/sched_wakeup/enable
	echo 1 >$t/tracing_on
	for i in 1 2 3; do cat /dev/lothars_chardev; done
	sleep 0.2
	echo 0 >$t/tracing_on
	echo 0 >$t/events/sched/sched_wakeup/enable
	echo 0 >$t/events/sched/sched_wakeup/filter
	echo 0 >$t/events/lothars/enable
	grep -v '^#' $t/trace | sed 's/^/trace /'
	posted=$(grep -c 'lothars_event_posted: event=[0-2]$' $t/trace)
	handled=$(grep -c 'lothars_event_handled: event=[0-2] wake_ns=[1-9]' $t/trace)
	rmmod kthread
	if [ "$posted $handled" = "3 3" ]; then
		echo "check tracepoints ok 3 posted, 3 handled"
	else
		echo "check tracepoints FAILED posted=$posted handled=$handled"
		return 1
	fi
}
[ -n "${TRACE_SOURCED:-}" ] || trace_check
