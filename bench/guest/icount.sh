# icount.sh - instruction counts inside the VM (busybox sh), run by
# scripts/bench.sh in a second boot under QEMU's -icount shift=0 with one
# vCPU: the guest clock advances by 1 ns per executed instruction, so the
# ns a loop takes are its instruction count, independent of the host.
# kthread.ko (cxx) and its C twin (c) alternate; each figure is taken REPS
# times so that the report can show it repeats.
#
#   icount VARIANT KIND REP OPS INSTRUCTIONS
#
# Each module's thread runs SCHED_FIFO: every complete() switches to it at
# once, so every read pays the whole hand-off (two context switches), the
# same way in every repeat, instead of a load-dependent mix of hand-offs
# and batches.
#
# The quiet round trip (quiet=1: no log line per event anywhere) is also
# counted for the kernel's own primitives for the same hand-off, from the
# anchors module: a kthread_worker (its thread SCHED_FIFO too) and
# system_wq (queue_work + flush_work, run by CPU 0's kworker): what the
# design costs against them, in instructions per round trip.
#
# Loading and unloading sleeps (the guest idles, and its clock jumps ahead
# to the next timer), so that count is taken from the time the CPU spent
# running tasks (rq_cpu_time in /proc/schedstat, in the same virtual ns)
# instead of from the clock.
REPS=5
READ_N=20000
RT_N=5000
LOAD_N=10
KO_anchors=/test/lothars_anchors.ko

WHAT=icount
. /test/variants.sh
busy_ns() { awk '$1 == "cpu0" { print $8 }' /proc/schedstat; }

# count VARIANT KIND N PARAMS...: N reads with the module loaded with PARAMS.
count() {
	local v=$1 kind=$2 n=$3 rep=$4 ins
	shift 4
	load $v "$@"
	opcount fifo "$(thread_pid $(eval echo "\$THREAD_$v"))" || die fifo "cannot make the $v thread SCHED_FIFO"
	ins=$(opcount read /dev/$(name_of $v) $n) || die "$kind-$v" "opcount failed"
	settle $v || die settle "$v did not catch up"
	unload $v
	[ $rep = 0 ] || echo "icount $v $kind $rep $n $ins"
}

echo "meta kernel $(uname -r)"
echo "meta cpus $(grep -c ^processor /proc/cpuinfo)"
echo "meta clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
# Warm-up: the first insmod of a boot pays for page-cache and loader work
# that later ones do not, and printk costs more once its ring buffer has
# wrapped: fill it (4 MiB, three lines per read) before counting.
for v in cxx c; do load $v; unload $v; done
load cxx
opcount read /dev/lothars_chardev 40000 >/dev/null || die warm-up "opcount failed"
settle cxx || die settle "cxx did not catch up"
unload cxx
# Repeat 0 is a warm-up of every measurement and is not reported.
for rep in $(seq 0 $REPS); do
	echo "# [$(cut -d' ' -f1 /proc/uptime) s] icount rep $rep of $REPS: $(order $rep) first"
	for v in $(order $rep); do
		count $v read $READ_N $rep log_events=0
		count $v null $READ_N $rep log_events=0 signal=0
		count $v roundtrip $RT_N $rep log_events=0 roundtrip=1
		count $v qroundtrip $RT_N $rep log_events=0 roundtrip=1 quiet=1
		t0=$(busy_ns)
		for i in $(seq 1 $LOAD_N); do load $v; unload $v; done
		[ $rep = 0 ] || echo "icount $v load $rep $LOAD_N $(($(busy_ns) - t0))"
	done
	insmod $KO_anchors quiet=1 || die insmod-anchors "insmod quiet=1 failed"
	opcount fifo "$(thread_pid lothars_kworker)" || die fifo "cannot make lothars_kworker SCHED_FIFO"
	for a in kworker wq; do
		ins=$(opcount read /dev/lothars_$a $RT_N) || die "qroundtrip-$a" "opcount failed"
		[ $rep = 0 ] || echo "icount $a qroundtrip $rep $RT_N $ins"
	done
	rmmod lothars_anchors || die rmmod-anchors "rmmod failed"
done
. /test/klog.sh
dmesg | klog_trouble | sed 's/^/check kernel-log FAILED /'
echo "icount-done"
