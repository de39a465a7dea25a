# soak.sh - make soak in the guest (appended by scripts/soak.sh to the
# suite's preamble; tap.sh's helpers are loaded): both modules' work at
# once for SOAK_MINUTES - readers, round trips on shared files under
# signals, crcpool requests checked against a CRC computed in user space
# (some under signals), and both modules unloaded and loaded again beside
# them - with one line of figures a minute (throughput, slab and vmalloc
# memory, kmemleak, threads) and, at the end, whether memory stayed flat.
# Settings: /test/soak.env (SOAK_MINUTES, SOAK_SAMPLE, SOAK_UP, SOAK_LEAK).
. /test/soak.env
S=/tmp/soak
CPROBE=/test/crcprobe
CKO=/test/crcpool.ko
rm -rf $S
mkdir -p $S
: >$S/none.tally # (the glob of tallies always matches)
: >$S/trouble
: >$S/samples

uptime_s() { cut -d' ' -f1 /proc/uptime; }

# ---- the work -------------------------------------------------------------

# Each worker runs until $S/stop and keeps its counts in $S/KIND.PID.tally
# (probe.h, struct soak_tally). They take what CPU is left (nice 19): the
# loaders, the figures and kmemleak's scans come first, on time, and the
# workers keep both vCPUs busy in between.
start_workers() {
	ktprobe soak-read $S &
	ktprobe soak-read $S &
	# 4 threads share each open file for 25 reads apiece; SIGUSR1 (with
	# SA_RESTART) lands on one of them every 500 us.
	ktprobe soak-rt $S 4 25 500 &
	# Up to 16 KiB: kvmalloc() from kmalloc-8 to kmalloc-8k (and the page
	# allocator above); one writer with a SIGALRM every 2 ms, no SA_RESTART.
	$CPROBE soak-write $S 16384 8 0 &
	$CPROBE soak-write $S 16384 8 2000 &
}

# params NAME CYCLE: the module's parameters for that cycle. kthread.ko
# alternates its two modes; quiet=1, since a line per event would flood
# the log that is scanned for reports. crcpool.ko varies its workers.
params() {
	case $1 in
	kthread) echo "roundtrip=$(($2 % 2)) quiet=1" ;;
	crcpool) echo "workers=$((1 + $2 % 4))" ;;
	esac
}

# unload NAME: rmmod in a tight loop while the workers run (it wins in a
# moment when no file of the module is open); if it never does, the
# module's gate goes up (its workers stay away) until it is gone. Prints
# won, gated, or what failed.
unload() {
	local out
	out=$($CPROBE rmmod-loop "$1" 3000)
	case $out in *result=OK) echo won; return 0 ;; esac
	touch $S/gate."$1"
	out=$($CPROBE rmmod-loop "$1" 200000)
	rm -f $S/gate."$1"
	case $out in *result=OK) echo gated ;; *) echo "rmmod: $out" ;; esac
}

# cycler NAME KO: loads NAME, leaves it SOAK_UP s to the workers, unloads
# it; again until the soak stops (it ends unloaded). Counts in
# $S/NAME.cycles.tally: loads, unloads won under load, gated, failures.
cycler() {
	local name=$1 ko=$2 n=0 won=0 gated=0 failed=0 out
	while [ ! -e $S/stop ]; do
		out=$($CPROBE insmod "$ko" "$(params "$name" $n)")
		if [ "$out" = OK ]; then
			n=$((n + 1))
			sleep "$SOAK_UP"
			out=$(unload "$name")
			case $out in won) won=$((won + 1)) ;; gated) gated=$((gated + 1)) ;; esac
		fi
		case $out in OK | won | gated) ;; *) failed=$((failed + 1)); echo "# $name cycle $n: $out"; sleep 1 ;; esac
		echo "loads=$n won=$won gated=$gated failed=$failed" >"$S/.$name.cycles"
		mv "$S/.$name.cycles" "$S/$name.cycles.tally"
	done
}

# ---- the figures ----------------------------------------------------------

# tallies: every worker's counts summed, "KIND.NAME=SUM" a line.
tallies() {
	awk '{ k = FILENAME; sub(/.*\//, "", k); sub(/\..*/, "", k)
		for (i = 1; i <= NF; i++) { split($i, kv, "="); s[k "." kv[1]] += kv[2] } }
		END { for (x in s) print x "=" s[x] }' $S/*.tally 2>/dev/null
}
# tally FILE KIND.NAME...: their sum in FILE (tallies' output).
tally() {
	local f=$1 sum=0 v
	shift
	for k in "$@"; do
		v=$(sed -n "s/^$k=//p" "$f")
		sum=$((sum + ${v:-0}))
	done
	echo $sum
}

# memory: "slab sunreclaim vmalloc kmalloc_kB kmalloc_objs other_objs
# threads module_threads". kmalloc_kB is the bytes of the kmalloc caches'
# objects in use (objects x size), where a leak of the modules' buffers
# lands; other_objs the objects in use of every other cache (task_struct,
# kernfs nodes, files, ...).
memory() {
	local mem slab threads mods
	mem=$(awk '/^(Slab|SUnreclaim|VmallocUsed):/ { printf "%s ", $2 }' /proc/meminfo)
	slab=$(awk 'NR > 2 && $1 ~ /^kmalloc-/ { kb += $2 * $4 / 1024; n += $2 }
		NR > 2 && $1 !~ /^kmalloc-/ { other += $2 }
		END { printf "%d %d %d", kb, n, other }' /proc/slabinfo)
	threads=$(cut -d' ' -f4 /proc/loadavg | cut -d/ -f2)
	mods=$(cat /proc/[0-9]*/comm 2>/dev/null | grep -cE '^(lothars_wait_th|crcpool/[0-9])')
	echo "$mem$slab $threads $mods"
}

# kmemleak_counts: a scan now, then "ALL OURS SECONDS": the unreferenced
# objects, those of them that are not the boot's (kmemleak_ours; saved
# whole in $S/leaks), and how long the scan took.
kmemleak_counts() {
	local t
	t=$(uptime_s)
	echo scan >/sys/kernel/debug/kmemleak 2>/dev/null || { echo "- - -"; return; }
	cat /sys/kernel/debug/kmemleak >$S/kmemleak
	kmemleak_ours <$S/kmemleak >$S/leaks
	echo "$(grep -c '^unreferenced object' $S/kmemleak) $(grep -c '^unreferenced object' $S/leaks)" \
		"$(awk "BEGIN { printf \"%d\", $(uptime_s) - $t }")"
}

# The kernel log since the last look: its reports kept, the rest dropped
# (hours of work would overflow the ring).
collect_log() {
	klog | klog_trouble >>$S/trouble
	dmesg -c >/dev/null
}

# counters: "reads roundtrips requests signals kthread_loads
# crcpool_loads" so far, every worker's counts summed (one process: the
# sampler must stay cheap beside the workers).
counters() {
	awk '{ k = FILENAME; sub(/.*\//, "", k); sub(/\..*/, "", k)
		for (i = 1; i <= NF; i++) { split($i, kv, "="); s[k "." kv[1]] += kv[2] } }
		END { printf "%d %d %d %d %d %d", s["read.reads"] + s["roundtrip.reads"], s["roundtrip.roundtrips"],
			s["write.requests"], s["roundtrip.signals"] + s["write.signals"], s["kthread.loads"], s["crcpool.loads"] }' $S/*.tally
}

# sample T: one row of $S/samples: T, the counters, the memory.
sample() { echo "$1 $(counters) $(memory)" >>$S/samples; }

# minute M PREV NOW KMEMLEAK OURS SCAN_S: the minute's line, one for people
# ("# minute") and one for the host's table ("# soak-tsv", tab-separated);
# PREV and NOW are rows of $S/samples, a minute apart. Keeps the rates in
# $S/minutes.
minute() {
	echo "$2 $3" | awk -v m="$1" -v leaks="$4" -v ours="$5" -v scan="$6" '{
		dt = $16 - $1; if (dt <= 0) dt = 1
		for (k = 2; k <= 5; k++) r[k] = ($(k + 15) - $k) / dt
		kt = $21 - $6; crc = $22 - $7
		printf "# minute %d: reads %d/s, round trips %d/s, crcpool requests %d/s, signals %d/s, loads %d + %d", m, r[2], r[3], r[4], r[5], kt, crc
		printf " | slab %d kB (unreclaimable %d), kmalloc %d kB in %d objects, other caches %d objects, vmalloc %d kB", $23, $24, $26, $27, $28, $25
		printf " | kmemleak %s (ours %s; a %s s scan) | threads %d (the modules %d)\n", leaks, ours, scan, $29, $30
		printf "# soak-tsv\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t%d\t%d", m, $16, r[2], r[3], r[4], r[5], kt, crc
		printf "\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", $23, $24, $25, $26, $27, $28, $29, $30, leaks, ours
		print m, r[2], r[3], r[4], r[5], kt, crc >"/tmp/soak/minutes.new"
	}'
	cat $S/minutes.new >>$S/minutes
}

# soak_run: the work for SOAK_MINUTES, a sample every SOAK_SAMPLE s, a
# line every minute.
soak_run() {
	local t0 next end prev leaks wait
	echo "# soak-tsv-header	minute	elapsed_s	reads_per_s	roundtrips_per_s	requests_per_s	signals_per_s	kthread_loads	crcpool_loads	slab_kB	sunreclaim_kB	vmalloc_kB	kmalloc_kB	kmalloc_objs	other_objs	threads	module_threads	kmemleak	kmemleak_ours"
	t0=$(uptime_s)
	start_workers
	echo "# work started: 2 readers, 4 threads of round trips, 2 crcpool writers, 2 loaders"
	cycler kthread "$KO" &
	cycler crcpool $CKO &
	sample 0
	prev=$(tail -n 1 $S/samples)
	next=$SOAK_SAMPLE
	end=$((SOAK_MINUTES * 60))
	while [ $next -le $end ]; do
		wait=$(awk "BEGIN { w = $t0 + $next - $(uptime_s); print (w > 0 ? w : 0) }")
		sleep "$wait"
		sample "$(awk "BEGIN { printf \"%d\", $(uptime_s) - $t0 }")"
		collect_log
		# The first minute's samples too: a sign of life before the first line.
		[ $next -ge 60 ] || echo "# sample: $(tail -n 1 $S/samples)"
		# Each cache as the judged samples begin, for "what grew" at the end.
		[ -e $S/slab.first ] || [ $next -lt "$WARM" ] || cp /proc/slabinfo $S/slab.first
		if [ $((next % 60)) = 0 ]; then
			leaks=$(kmemleak_counts)
			# shellcheck disable=SC2086 # two numbers, two arguments
			minute $((next / 60)) "$prev" "$(tail -n 1 $S/samples)" $leaks
			prev=$(tail -n 1 $S/samples)
		fi
		next=$((next + SOAK_SAMPLE))
	done
	touch $S/stop
	wait
	collect_log
}

# ---- the verdict ----------------------------------------------------------

# flatness: for each figure of memory, the median of the first third of
# the samples after warm-up against the median of the last third; it grew
# if the difference is above max(ABS, REL x the first median). Medians, not
# single samples: at any moment a module may be loaded or not, a cache may
# hold a slab more or less, KASAN's quarantine may hold more or less of
# the freed objects. Prints "NAME FIRST LAST ALLOWED flat|grew" a line.
flatness() {
	awk -v warm="$1" '
	function median(c, from, to,   i, j, k, x, a) {
		k = 0
		for (i = from; i <= to; i++) {
			x = v[c, i]
			for (j = k; j > 0 && a[j] > x; j--) a[j + 1] = a[j]
			a[j + 1] = x
			k++
		}
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	BEGIN {
		# column name ABS REL (see docs/testing.md, "make soak", for why)
		split("8 slab_kB 4096 0.03|9 sunreclaim_kB 4096 0.03|10 vmalloc_kB 2048 0.02|11 kmalloc_kB 1024 0.05|12 kmalloc_objs 2000 0.03|13 other_objs 8000 0.1|14 threads 8 0", spec, "|")
	}
	$1 >= warm { n++; for (c = 8; c <= 14; c++) v[c, n] = $c }
	END {
		third = int(n / 3); if (third < 1) third = 1
		for (s = 1; s in spec; s++) {
			split(spec[s], f, " ")
			first = median(f[1], 1, third); last = median(f[1], n - third + 1, n)
			allowed = f[3] > f[4] * first ? f[3] : f[4] * first
			printf "%s %d %d %d %s\n", f[2], first, last, allowed, (last - first > allowed ? "grew" : "flat")
		}
	}' $S/samples
}

# caches_grown: the five caches whose objects in use grew most since the
# judged samples began (a lead when a figure grew).
caches_grown() {
	awk 'FNR <= 2 { next } NR == FNR { was[$1] = $2; next }
		{ printf "%d %s\n", $2 - was[$1], $1 }' $S/slab.first /proc/slabinfo |
		sort -rn | head -n 5 | awk '{ printf "%s%s %+d", (NR > 1 ? ", " : ""), $2, $1 }'
}

# worst_minute COLUMN: the smallest rate of that column of $S/minutes.
worst_minute() { awk -v c="$1" 'NR == 1 || $c < m { m = $c } END { print m + 0 }' $S/minutes; }

# soak_checks: the workers' own verdicts, then the kernel's, then memory.
soak_checks() {
	local t=$S/end reports grew=""
	tallies >$t
	echo "# counts: $(sort $t | tr '\n' ' ')"
	check "readers: $(tally $t read.reads) reads, none failed" \
		test "$(tally $t read.reads)" -gt 0 -a "$(tally $t read.bad)" = 0
	check "round trips on shared files: $(tally $t roundtrip.roundtrips), every answer well formed" \
		test "$(tally $t roundtrip.roundtrips)" -gt 0 -a "$(tally $t roundtrip.bad)" = 0
	is "round trips: $(tally $t roundtrip.signals) SIGUSR1 with SA_RESTART, no read failed with EINTR" \
		"$(tally $t roundtrip.eintr)" 0
	check "crcpool: $(tally $t write.requests) requests, every CRC exact, no call failed" \
		test "$(tally $t write.requests)" -gt 0 -a "$(tally $t write.wrong) $(tally $t write.bad)" = "0 0"
	check "crcpool: $(tally $t write.signals) SIGALRM, $(tally $t write.eintr) calls interrupted and repeated" \
		test "$(tally $t write.signals)" -gt 0
	is "load/unload cycles: kthread.ko $(tally $t kthread.loads) ($(tally $t kthread.gated) gated), crcpool.ko $(tally $t crcpool.loads) ($(tally $t crcpool.gated) gated), none failed" \
		"$(tally $t kthread.failed crcpool.failed)" 0
	check "every minute, every kind of work went on (reads, round trips, requests, signals, both loaders)" \
		test "$(for c in 2 3 4 5 6 7; do worst_minute $c; done | grep -c '^0$')" = 0
	reports=$(($(wc -l <$S/trouble) + $(grep -c '^unreferenced object' $S/leaks)))
	if [ -s $S/trouble ]; then fail "no kernel report (KASAN, lockdep, WARN, BUG, hung task)" "$(head -n 60 $S/trouble)"; else pass "no kernel report (KASAN, lockdep, WARN, BUG, hung task)"; fi
	if [ -s $S/leaks ]; then fail "kmemleak: no leak of ours" "$(head -n 60 $S/leaks)"; else pass "kmemleak: no leak of ours"; fi
	flatness "$WARM" >$S/flat
	while read -r name first last allowed how; do
		echo "# $name: $first -> $last ($((last - first)), allowed $allowed)"
		is "memory flat: $name" "$how" flat
		[ "$how" = flat ] || grew="$grew, $name +$((last - first)) (allowed $allowed)"
	done <$S/flat
	echo "# caches that grew most since the warm-up: $(caches_grown)"
	echo "# soak verdict: $reports reports, $([ -z "$grew" ] && echo "memory flat" || echo "grew: ${grew#, }")"
}

group "soak: both modules, $SOAK_MINUTES minutes${SOAK_LEAK:+ (crcpool.ko built to leak one buffer every $SOAK_LEAK requests)}"
# A hang of more than 30 s is a report (the default waits 120 s).
echo 30 >/proc/sys/kernel/hung_task_timeout_secs 2>/dev/null
# Warm-up: the first minute (a quarter of shorter runs) fills the caches,
# KASAN's quarantine and lockdep's tables; it is not judged.
WARM=$((SOAK_MINUTES * 15 < 60 ? SOAK_MINUTES * 15 : 60))
soak_run
# The final scan: leaks of the last minute too.
kmemleak_counts >/dev/null
soak_checks
end_group
kmemleak_check "after the soak"
