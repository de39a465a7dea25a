# fuzz.sh - make fuzz in the guest (appended by scripts/fuzz.sh to the
# suite's preamble), one phase per word of FUZZ_MODES: 0 and 1, Debian's
# trinity against /dev/lothars_chardev and its sysfs files with that
# roundtrip value; crcpool, trinity against /dev/crcpool and its sysfs
# files; crcfuzz, our protocol fuzzer on /dev/crcpool (the last two:
# fuzz-crcpool.sh). Beside trinity a second task keeps unloading (retried
# while busy) and loading the module. fopcount.ko counts the calls that
# reach the device's file operations. Settings: fuzz.env.
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

# arm DEVICE: point fopcount.ko at the device loaded now (it takes the file
# operations of a file we hand it). Quiet when the module just went away.
arm() { (exec 3<"$1" && echo 3 >$FOPS/arm) 2>/dev/null; }

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

# hold_module VICTIM DEVICE: once VICTIM exists, hold DEVICE open for 8 s
# in the background. trinity lists its victim's files once, at its start:
# the loader must not take them away just then (trinity would find none
# and quit). True once the device is held.
hold_module() {
	local i=0
	while [ $i -lt 100 ]; do
		if [ -e "$1" ]; then
			(exec 5<"$2" && sleep 8) 2>/dev/null &
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

# loader NAME LOAD SAMPLE: until /tmp/fuzz.stop appears, unload module
# NAME (retried while busy) and load it again with the function LOAD
# (given the loads so far). Keeps "loads unloads busy sum" in
# /tmp/loader.stats; sum adds up SAMPLE's counter over the loads, each
# sampled just before the rmmod that removed it.
loader() {
	local loads=0 unloads=0 busy=0 sum=0 sample
	while [ ! -e /tmp/fuzz.stop ]; do
		if grep -q "^$1 " /proc/modules; then
			sample=$($3)
			case $sample in *[!0-9]* | "") sample=0 ;; esac
			if rmmod "$1" 2>/dev/null; then
				unloads=$((unloads + 1))
				sum=$((sum + sample))
			else
				busy=$((busy + 1))
				sleep 0.1
			fi
		elif $2 $loads; then
			loads=$((loads + 1))
			sleep 0.5
		else
			echo "# loader: loading $1 failed"
			sleep 1
		fi
		echo "$loads $unloads $busy $sum" >/tmp/loader.stats
	done
}

fops_snapshot() { sed -n 's/^\([a-z_]*\) \([0-9]*\)$/\1=\2/p' $FOPS/counts | tr '\n' ' '; }

# fops_hits BEFORE AFTER: the calls per file operation between two
# snapshots: sets hits ("name=n ..."), fop_read and fop_write.
fops_hits() {
	local op name was n
	hits="" fop_read=0 fop_write=0
	for op in $2; do
		name=${op%%=*}
		was=$(echo " $1" | tr ' ' '\n' | sed -n "s/^$name=//p")
		n=$((${op#*=} - ${was:-0}))
		[ "$name" = armings ] || hits="$hits $name=$n"
		[ "$name" = read ] && fop_read=$n
		[ "$name" = write ] && fop_write=$n
	done
}

# nth N WORD...: the (N mod count)th WORD, from 0.
nth() {
	shift $(($1 % ($# - 1) + 1))
	echo "$1"
}

# trinity_phase NAME LOAD SAMPLE DEVICE VICTIM...: FUZZ_SECONDS of trinity
# runs against the victims in turn while loader NAME LOAD SAMPLE runs
# beside it. Leaves round, syscalls, loads, unloads, busy and sum set, and
# before (the file operations' counts at its start).
trinity_phase() {
	local name=$1 load=$2 sample=$3 device=$4 start deadline seed left len args victim
	shift 4
	before=$(fops_snapshot)
	: >/tmp/fuzz.trouble
	rm -f /tmp/fuzz.stop
	echo "0 0 0 0" >/tmp/loader.stats
	$load 0
	loader "$name" "$load" "$sample" &
	loader_pid=$!
	start=$(uptime_s)
	deadline=$((start + FUZZ_SECONDS))
	round=0
	syscalls=0
	args=""
	for s in $SYSCALLS; do args="$args -c $s"; done
	while [ "$(uptime_s)" -lt $deadline ]; do
		# The victims take turns: the device pins the module while
		# trinity holds it open; sysfs files do not, so in their rounds
		# the module comes and goes under the open files.
		victim=$(nth $round "$@")
		hold_module "$victim" "$device" || echo "# round $round: could not catch the module loaded"
		seed=$((FUZZ_SEED + round))
		left=$((deadline - $(uptime_s)))
		len=$FUZZ_ROUND
		[ $left -lt $len ] && len=$left
		[ $len -lt 5 ] && len=5
		(cd /tmp/trinity && timeout -s INT $len trinity --dangerous --clowntown -qq -l off -a 64 \
			-C $FUZZ_CHILDREN -s $seed -V "$victim" --enable-fds=pseudo,pipes \
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
	loads=$1 unloads=$2 busy=$3 sum=$4
	grep -q "^$name " /proc/modules || $load $loads
}

# unload_module NAME: rmmod, retried for 10 s while something still holds it.
unload_module() {
	local tries=0
	while ! rmmod "$1" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -gt 100 ] && return 1
		sleep 0.1
	done
}

# no_kernel_report LABEL: pass unless the phase's kernel log held trouble.
no_kernel_report() {
	if [ -s /tmp/fuzz.trouble ]; then
		fail "$1: no kernel report while fuzzing" "$(head -n 60 /tmp/fuzz.trouble)"
	else
		pass "$1: no kernel report while fuzzing"
	fi
}

# The Nth load of kthread.ko: with and without its per-event lines in turn.
kt_load() { insmod $KO roundtrip=$MODE log_events=$((($1 + 1) % 2)) && arm $DEV; }
kt_sample() { counter reads; }
kt_gone() { ! module_loaded && no_thread && test ! -e $DEV; }

# trinity_verdict LABEL MODULE GONE COUNTED: after trinity_phase, unloads
# MODULE (the command GONE must then succeed), says what trinity did and
# makes the checks every module shares; COUNTED is what the module's own
# counters saw.
trinity_verdict() {
	unload_module "$2"
	check "$1: the module unloads at the end" $3
	collect_log
	fops_hits "$before" "$(fops_snapshot)"
	echo "# $1: $round trinity rounds, $syscalls syscalls made by trinity"
	echo "# $1: module loaded $loads times and unloaded $unloads times beside the fuzzer ($busy rmmod attempts refused while busy)"
	echo "# $1: $4"
	echo "# $1: calls that reached the device's file operations:$hits"
	check "$1: trinity made syscalls ($syscalls)" test $syscalls -gt 0
	check "$1: the fuzzer's reads reached the device's read() ($fop_read)" test "$fop_read" -gt 0
	check "$1: the module was unloaded and loaded again under the fuzzer ($unloads)" test $unloads -gt 0
	no_kernel_report "$1"
	total_syscalls=$((total_syscalls + syscalls))
}

# fuzz_kthread MODE: trinity against kthread.ko with roundtrip=MODE.
fuzz_kthread() {
	group "fuzz: trinity, roundtrip=$MODE, $FUZZ_SECONDS s, seed $FUZZ_SEED"
	trinity_phase kthread kt_load kt_sample $DEV $DEV $SYSDIR
	check "roundtrip=$MODE: after settling, events equal reads" settle
	reads=$((sum + $(counter reads)))
	trinity_verdict "roundtrip=$MODE" kthread kt_gone "module reads (sum of the reads counter over the loads): $reads"
	check "roundtrip=$MODE: and posted events (reads counter sum $reads)" test $reads -gt 0
	end_group
}

. /test/fuzz-crcpool.sh

check "insmod fopcount.ko (kprobes on the device's file operations)" insmod /test/fopcount.ko
total_syscalls=0
for MODE in $FUZZ_MODES; do
	case $MODE in
	0 | 1) fuzz_kthread ;;
	crcpool) fuzz_crcpool ;;
	crcfuzz) fuzz_crcfuzz ;;
	*) fail "FUZZ_MODES: unknown phase $MODE" ;;
	esac
done
echo "# trinity made $total_syscalls syscalls in all (seed $FUZZ_SEED)"
rmmod fopcount
kmemleak_check "after fuzzing"
