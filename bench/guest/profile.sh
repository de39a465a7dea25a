# profile.sh - where a read's time goes, C++ module against C twin:
# perf (the host's own linux-perf, copied in by scripts/bench-profile.sh)
# samples all CPUs (cpu-clock: TCG has no PMU) while one reader reads for
# PROFILE_MS, in both modes (signal=0: the null read; signal=1), and
# prints each run's hottest symbols as "profile MODE VARIANT SHARE SYMBOL".
export PATH=/usr/bin:$PATH # perf lives in the second archive's /usr/bin
PROFILE_MS=3000
TOP=30
echo 0 >/proc/sys/kernel/kptr_restrict
echo -1 >/proc/sys/kernel/perf_event_paranoid
for mode in null signal; do
	params="log_events=0"
	[ $mode = null ] && params="$params signal=0"
	insmod /test/kthread.ko $params && insmod /test/ctwin.ko $params || exit 1
	for v in cxx c; do
		dev=/dev/lothars_chardev
		[ $v = c ] && dev=/dev/lothars_ctwin
		echo "# $mode $v: $(perf record -q -e cpu-clock -F 4000 -a -o /tmp/perf.data -- \
			ktprobe -d $dev tput 1 $PROFILE_MS 2>/dev/null | tail -n 1) (reads/s reads ms)"
		perf report -q -i /tmp/perf.data --stdio --no-children --sort sym 2>/dev/null |
			awk -v m=$mode -v v=$v -v top=$TOP 'NF >= 3 && n < top { n++; print "profile", m, v, $1, $3 }'
	done
	rmmod kthread ctwin
done
echo "profile-done"
