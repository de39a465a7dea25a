# bench.sh - `make bench` inside the VM (busybox sh): kthread.ko (cxx)
# against its C twin (c), the null read (signal=0) and the round-trip
# anchors (workqueue, kthread_worker), in rounds, all in this one boot.
# Within a round every measurement is cut into SLICES short slices that
# alternate the variants (ABAB...), so that a busy host slows all of
# them alike; odd rounds start with cxx, even rounds with c.
# scripts/bench.sh sets the knobs below, boots the VM and turns the lines
# printed here into the table, JSON and plot:
#
#   meta KEY VALUE...
#   tput VARIANT MODE ROUND READERS READS_PER_S TOTAL_READS ELAPSED_MS
#   wake VARIANT MODE ROUND KEY VALUE...   (the debugfs wake_latency file)
#   dist KIND VARIANT ROUND summary N P50 P90 P99 MAX MEAN
#   dist KIND VARIANT ROUND bin LOWER_EDGE_NS COUNT
#   trace LINE                             (tracefs, the tracepoint check)
#   check NAME ok|FAILED DETAIL
ROUNDS=5
SLICES=4
TPUT_MS=600
WAKE_N=2000
LAT_N=1000
READERS="1 2 4 8 16"

KO_anchors=/test/lothars_anchors.ko
DEBUGFS=/sys/kernel/debug
TRACEFS=/sys/kernel/tracing

progress() { echo "# [$(cut -d' ' -f1 /proc/uptime) s] $*"; }

WHAT=bench
. /test/variants.sh
dev_of() { case $1 in wq | uwq | kworker) echo /dev/lothars_$1 ;; *) echo /dev/$(name_of $1) ;; esac; }
# wake_stats VARIANT MODE ROUND: the debugfs summary on one line, and the
# distribution of the samples kept.
wake_stats() {
	local dir=$DEBUGFS/$(name_of $1)
	echo "wake $1 $2 $3 $(tr '\n' ' ' <$dir/wake_latency)"
	ktprobe hist <$dir/wake_samples | sed "s/^/dist wake-$2 $1 $3 /"
}
wake_reset() { echo reset >$DEBUGFS/$(name_of $1)/wake_latency; }

# tput_sliced MODE ROUND VARIANTS: reads/s at each reader count, each
# variant's time cut into SLICES alternating slices and added up.
tput_sliced() {
	local mode=$1 round=$2 variants=$3 p v s r total ms
	for p in $READERS; do
		for v in $variants; do echo 0 0 >/tmp/tput.$v; done
		for s in $(seq 1 $SLICES); do
			for v in $variants; do
				r=$(ktprobe -d $(dev_of $v) tput $p $((TPUT_MS / SLICES))) ||
					die tput "ktprobe tput $p on $v failed: $r"
				set -- $r
				read total ms </tmp/tput.$v
				echo "$((total + $2)) $(awk "BEGIN { print $ms + $3 }")" >/tmp/tput.$v
				[ $mode = signal ] && { settle $v || die settle "$v did not catch up"; }
			done
		done
		for v in $variants; do
			read total ms </tmp/tput.$v
			echo "tput $v $mode $round $p $(awk "BEGIN { printf \"%.0f\", $total * 1000 / $ms }") $total $ms"
		done
	done
}

echo "meta kernel $(uname -r)"
echo "meta cpus $(grep -c ^processor /proc/cpuinfo)"
echo "meta cpu_model $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)"
echo "meta clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
echo "meta cpuidle $(cat /sys/devices/system/cpu/cpuidle/current_driver 2>/dev/null || echo none)"
echo "meta rounds $ROUNDS"
echo "meta slices $SLICES"
echo "meta tput_ms $TPUT_MS"
echo "meta wake_n $WAKE_N"
echo "meta lat_n $LAT_N"
echo "meta readers $READERS"

for round in $(seq 1 $ROUNDS); do
	progress "round $round of $ROUNDS: $(order $round) first"

	# 1. reads/s with 1..16 readers. Both modules are loaded side by side
	# (different names), so that the variants can alternate.
	for v in cxx c; do load $v log_events=0; done
	tput_sliced signal $round "$(order $round)"
	progress "round $round: free-running reader"
	# One free-running sequential reader: it outruns the thread, so this
	# wake "latency" includes the queue of events it builds up.
	for v in cxx c; do wake_reset $v; done
	for s in $(seq 1 $SLICES); do
		for v in $(order $round); do
			ktprobe -d $(dev_of $v) rate $((WAKE_N / SLICES)) >/dev/null
			settle $v || die settle "$v did not catch up"
		done
	done
	for v in $(order $round); do wake_stats $v seq $round; done
	for v in cxx c; do unload $v; done

	# The null read: signal=0, the syscall floor.
	progress "round $round: null reads"
	for v in cxx c; do load $v log_events=0 signal=0; done
	tput_sliced null $round "$(order $round)"
	[ "$(counter cxx reads) $(counter c reads)" = "0 0" ] || die null-read "signal=0 counted reads"
	for v in cxx c; do unload $v; done

	# 2 + 3 + 4c: one sequential reader in round-trip mode: every read
	# posts, sleeps until the thread has answered, and so finds the thread
	# asleep: the wake latency proper (kernel) and the round trip (user
	# space), against the deferred-work anchors (wq: a per-CPU kworker on
	# the reader's CPU; uwq: unbound, any CPU; kworker: a kthread_worker).
	progress "round $round: round trips"
	for v in cxx c; do load $v log_events=0 roundtrip=1; done
	insmod $KO_anchors || die insmod-anchors "insmod failed"
	for v in cxx c; do wake_reset $v; done
	rm -f /tmp/rt.*
	for s in $(seq 1 $SLICES); do
		for v in $(order $round) wq uwq kworker; do
			ktprobe -d $(dev_of $v) lat $((LAT_N / SLICES)) raw >>/tmp/rt.$v ||
				die lat "ktprobe lat on $v failed"
		done
	done
	for v in $(order $round); do wake_stats $v rt $round; done
	# The same with each module's thread and the reader pinned to CPU 0,
	# the placement the per-CPU workqueue gets: no cross-CPU wake-ups, so
	# no IPIs and no waiting for the other vCPU's host thread.
	t1=$(thread_pid lothars_wait_thread) || die thread "no lothars_wait_thread"
	t2=$(thread_pid ctwin_wait_thread) || die thread "no ctwin_wait_thread"
	threads="$t1 $t2"
	for t in $threads; do taskset -p 1 $t >/dev/null || die taskset "cannot pin thread $t"; done
	for v in cxx c; do wake_reset $v; done
	for s in $(seq 1 $SLICES); do
		for v in $(order $round); do
			taskset 1 ktprobe -d $(dev_of $v) lat $((LAT_N / SLICES)) raw >>/tmp/rt.${v}pin ||
				die lat "ktprobe lat on pinned $v failed"
		done
	done
	for t in $threads; do taskset -p 3 $t >/dev/null; done
	for v in $(order $round); do wake_stats $v pin $round; done
	rmmod lothars_anchors || die rmmod-anchors "rmmod failed"
	for v in cxx c; do unload $v; done

	# 4d: the design against the kernel's own hand-off primitives, on
	# one CPU and with no log line per event anywhere (quiet=1): the
	# reader, each module's thread and the kthread_worker pinned to CPU 0,
	# where system_wq runs the work on that CPU's kworker too.
	progress "round $round: quiet round trips, pinned"
	for v in cxx c; do load $v log_events=0 roundtrip=1 quiet=1; done
	insmod $KO_anchors quiet=1 || die insmod-anchors "insmod quiet=1 failed"
	t3=$(thread_pid lothars_kworker) || die thread "no lothars_kworker"
	threads="$(thread_pid lothars_wait_thread) $(thread_pid ctwin_wait_thread) $t3"
	for t in $threads; do taskset -p 1 $t >/dev/null || die taskset "cannot pin thread $t"; done
	for s in $(seq 1 $SLICES); do
		for v in $(order $round) wq kworker; do
			taskset 1 ktprobe -d $(dev_of $v) lat $((LAT_N / SLICES)) raw >>/tmp/rt.q$v ||
				die lat "ktprobe lat on quiet pinned $v failed"
		done
	done
	rmmod lothars_anchors || die rmmod-anchors "rmmod failed"
	for v in cxx c; do unload $v; done

	for v in $(order $round) wq uwq kworker cxxpin cpin qcxx qc qwq qkworker; do
		ktprobe hist </tmp/rt.$v | sed "s/^/dist rt $v $round /"
	done
done

# The tracepoints, with the module as it loads by default.
progress "tracepoints"
TRACE_SOURCED=1
. /test/trace.sh
trace_check
. /test/klog.sh
dmesg | klog_trouble | sed 's/^/check kernel-log FAILED /'
progress "done"
echo "bench-done"
