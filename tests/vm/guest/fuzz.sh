# fuzz.sh - make fuzz in the guest (appended by scripts/fuzz.sh to the
# suite's preamble): Debian's trinity against /dev/lothars_chardev and the
# module's sysfs files, in each mode, while a second task keeps
# unloading (retried while busy) and loading the module. fopcount.ko counts
# the calls that reach the device's file operations. Settings: fuzz.env.
. /test/fuzz.env

# trinity is linked dynamically: its libraries go where its loader looks.
for lib in $FUZZ_LIBS; do
	mkdir -p "${lib%/*}"
	cp "/test/${lib##*/}" "$lib"
done
cp /test/trinity /bin/trinity
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
mkdir -p /tmp/trinity

FOPS=/sys/kernel/debug/fopcount
SYSDIR=/sys/devices/virtual/lothars_chardev/lothars_chardev
# The syscalls that can reach a character device's file operations, or
# the VFS paths in front of them.
SYSCALLS="open openat read pread64 readv preadv preadv2 write pwrite64 writev
	ioctl mmap lseek poll ppoll select pselect6 splice tee sendfile
	copy_file_range fcntl dup dup2 dup3 close newfstat flock fsync readahead
	fadvise64"

uptime_s() { cut -d. -f1 /proc/uptime; }

# arm: point fopcount.ko at the device loaded now (it takes the file
# operations of a file we hand it). Quiet when the module just went away.
arm() { (exec 3<$DEV && echo 3 >$FOPS/arm) 2>/dev/null; }

# Every trinity process, by name (trinity-main, trinity-c0, ...).
trinity_pids() {
	local p
	for p in /proc/[0-9]*; do
		case "$(cat "$p/comm" 2>/dev/null)" in trinity*) echo "${p#/proc/}" ;; esac
	done
}
kill_trinity() {
	local i
	for i in 1 2 3 4 5; do
		[ -z "$(trinity_pids)" ] && return 0
		kill -9 $(trinity_pids) 2>/dev/null
		sleep 0.2
	done
}

# hold_module VICTIM: once VICTIM exists, hold the device open for 8 s in
# the background. trinity lists its victim's files once, at its start: the
# loader must not take them away just then (trinity would find none and
# quit). True once the device is held.
hold_module() {
	local i=0
	while [ $i -lt 100 ]; do
		if [ -e "$1" ]; then
			(exec 5<$DEV && sleep 8) 2>/dev/null &
			sleep 0.2
			kill -0 $! 2>/dev/null && return 0
		fi
		i=$((i + 1))
		sleep 0.05
	done
	return 1
}

# The kernel log since the last look: trouble is kept, the rest dropped
# (the read lines alone would overflow the ring in a long run).
collect_log() {
	klog | klog_trouble >>/tmp/fuzz.trouble
	dmesg -c >/dev/null
}

# loader MODE: until /tmp/fuzz.stop appears, unload the module (retried
# while busy) and load it again. Keeps "loads unloads busy reads" in
# /tmp/loader.stats; reads sums each load's reads counter, sampled just
# before the rmmod that removed it.
loader() {
	local loads=0 unloads=0 busy=0 reads=0 sample
	while [ ! -e /tmp/fuzz.stop ]; do
		if module_loaded; then
			sample=$(counter reads)
			case $sample in *[!0-9]* | "") sample=0 ;; esac
			if rmmod kthread 2>/dev/null; then
				unloads=$((unloads + 1))
				reads=$((reads + sample))
			else
				busy=$((busy + 1))
				sleep 0.1
			fi
		elif insmod $KO roundtrip=$1 log_events=$((loads % 2)); then
			loads=$((loads + 1))
			arm
			sleep 0.5
		else
			echo "# loader: insmod failed"
			sleep 1
		fi
		echo "$loads $unloads $busy $reads" >/tmp/loader.stats
	done
}

fops_snapshot() { sed -n 's/^\([a-z_]*\) \([0-9]*\)$/\1=\2/p' $FOPS/counts | tr '\n' ' '; }

check "insmod fopcount.ko (kprobes on the device's file operations)" insmod /test/fopcount.ko
total_syscalls=0
for MODE in $FUZZ_MODES; do
	group "fuzz: trinity, roundtrip=$MODE, $FUZZ_SECONDS s, seed $FUZZ_SEED"
	: >/tmp/fuzz.trouble
	rm -f /tmp/fuzz.stop
	echo "0 0 0 0" >/tmp/loader.stats
	before=$(fops_snapshot)
	insmod $KO roundtrip=$MODE && arm
	loader $MODE &
	loader_pid=$!
	start=$(uptime_s)
	deadline=$((start + FUZZ_SECONDS))
	round=0
	syscalls=0
	while [ "$(uptime_s)" -lt $deadline ]; do
		# The victims take turns, the device every other round: it pins
		# the module while trinity holds it open; sysfs files do not, so
		# in their rounds the module comes and goes under the open files.
		# (The installed module has no debugfs files: the wake-latency
		# statistics are the bench build's.)
		case $((round % 2)) in
		0) victim=$DEV ;;
		1) victim=$SYSDIR ;;
		esac
		hold_module $victim || echo "# round $round: could not catch the module loaded"
		seed=$((FUZZ_SEED + round))
		left=$((deadline - $(uptime_s)))
		len=$FUZZ_ROUND
		[ $left -lt $len ] && len=$left
		[ $len -lt 5 ] && len=5
		args=""
		for s in $SYSCALLS; do args="$args -c $s"; done
		(cd /tmp/trinity && timeout -s INT $len trinity --dangerous --clowntown -qq -l off -a 64 \
			-C $FUZZ_CHILDREN -s $seed -V $victim --enable-fds=pseudo,pipes \
			$args) >/tmp/trinity.log 2>&1
		kill_trinity
		ran=$(sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' /tmp/trinity.log | tail -n 1)
		echo "# round $round: trinity -s $seed -V $victim, ${len} s: ${ran:-no count} syscalls"
		# trinity's own last words (its summary, or why it stopped).
		tr '\r' '\n' </tmp/trinity.log | grep -v '^$' | tail -n 4 | sed 's/^/#   trinity: /'
		syscalls=$((syscalls + ${ran:-0}))
		collect_log
		round=$((round + 1))
	done
	touch /tmp/fuzz.stop
	wait $loader_pid
	kill_trinity
	set -- $(cat /tmp/loader.stats)
	loads=$1 unloads=$2 busy=$3 reads=$4
	module_loaded || { insmod $KO roundtrip=$MODE && arm; }
	check "roundtrip=$MODE: after settling, events equal reads" settle
	last=$(counter reads)
	reads=$((reads + last))
	tries=0
	while ! rmmod kthread 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -gt 100 ] && break
		sleep 0.1
	done
	check "roundtrip=$MODE: the module unloads at the end" eval "! module_loaded && no_thread && test ! -e $DEV"
	collect_log
	after=$(fops_snapshot)
	echo "# roundtrip=$MODE: $round trinity rounds, $syscalls syscalls made by trinity"
	echo "# roundtrip=$MODE: module loaded $loads times and unloaded $unloads times beside the fuzzer ($busy rmmod attempts refused while busy)"
	echo "# roundtrip=$MODE: module reads (sum of the reads counter over the loads): $reads"
	hits=""
	for op in $after; do
		name=${op%%=*}
		was=$(echo " $before" | tr ' ' '\n' | sed -n "s/^$name=//p")
		n=$((${op#*=} - ${was:-0}))
		[ "$name" = armings ] || hits="$hits $name=$n"
		[ "$name" = read ] && fop_reads=$n
	done
	echo "# roundtrip=$MODE: calls that reached the device's file operations:$hits"
	check "roundtrip=$MODE: trinity made syscalls ($syscalls)" test $syscalls -gt 0
	check "roundtrip=$MODE: the fuzzer's reads reached the device's read() (${fop_reads:-0})" test "${fop_reads:-0}" -gt 0
	check "roundtrip=$MODE: and posted events (reads counter sum $reads)" test $reads -gt 0
	check "roundtrip=$MODE: the module was unloaded and loaded again under the fuzzer ($unloads)" test $unloads -gt 0
	if [ -s /tmp/fuzz.trouble ]; then
		fail "roundtrip=$MODE: no kernel report while fuzzing" "$(head -n 60 /tmp/fuzz.trouble)"
	else
		pass "roundtrip=$MODE: no kernel report while fuzzing"
	fi
	total_syscalls=$((total_syscalls + syscalls))
	end_group
done
echo "# trinity made $total_syscalls syscalls in all (seed $FUZZ_SEED)"
rmmod fopcount
kmemleak_check "after fuzzing"
