# suite.sh - the in-VM test suite for kthread.ko (busybox sh, TAP out).
# Every behaviour of the module issue, checked in a booted kernel.
# run-suite.sh appends any extra groups and the closing `finish`.
. /test/tap.sh
CYCLES=${CYCLES:-100}
READERS=${READERS:-4}
# arm64: what the CPU gives the kernel (pointer authentication, BTI, LSE).
[ "$(uname -m)" != aarch64 ] || dmesg | sed -n 's/.*CPU features: detected: /# cpu feature: /p'
dmesg -c >/dev/null
echo "# kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus"

group "load: the classic demo's story"
check "insmod kthread.ko" insmod $KO
check "load lines in order" lines_in_order "init_hello_completion() started" \
	"init_hello_completion() - major = " "kthread_create() successful" "waiting for event..."
major=$(klog | sed -n 's/^init_hello_completion() - major = \([0-9]*\), minor = 0$/\1/p')
is "major in /proc/devices is the logged one" "$(awk '$2 == "lothars_chardev" { print $1 }' /proc/devices)" "$major"
check "/dev/lothars_chardev is a character device" test -c $DEV
is "device node numbers" "$(stat -c '%t:%T' $DEV)" "$(printf '%x:0' "${major:-0}")"
is "device node mode 0600 root" "$(stat -c '%a %u %g' $DEV)" "600 0 0"
check "class and device both named lothars_chardev" test -d /sys/class/lothars_chardev/lothars_chardev
is "counters start at 0" "$(counter reads) $(counter events) $(counter pending)" "0 0 0"
check "thread lothars_wait_thread runs" eval "thread_pid >/dev/null"
is "idle thread sleeps in state S (not D)" "$(thread_state)" S
is "roundtrip parameter defaults to N" "$(cat /sys/module/kthread/parameters/roundtrip)" N
dmesg -c >/dev/null
out=$(cat $DEV)
is "cat prints nothing and exits 0" "$?:$out" "0:"
settle
check "read lines in order" lines_in_order "chardev_read()" "event came from READ function - 0" "waiting for event..."
is "counters after one read" "$(counter reads) $(counter events)" "1 1"
end_group

group "sequential reads"
for i in $(seq 1 50); do cat $DEV; done
check "50 reads handled" settle
is "counters" "$(counter reads) $(counter events)" "51 51"
check "events 1..50 each exactly once" events_exact 1 50
check "events numbered in order" sh -c "dmesg | sed -n 's/.*READ function - //p' | sort -n -c"
end_group

group "concurrent readers: 16 x 100"
check "16 reader processes x 100 reads" ktprobe readers 16 100
check "1600 reads handled" settle
is "counters" "$(counter reads) $(counter events)" "1651 1651"
check "events 51..1650 each exactly once" events_exact 51 1650
is "read lines logged" "$(klog | grep -c '^chardev_read()$')" 1600
end_group

group "refused operations"
is "write() refused with EINVAL" "$(ktprobe write)" EINVAL
is "ioctl() refused with ENOTTY" "$(ktprobe ioctl)" ENOTTY
is "mmap() refused with ENODEV" "$(ktprobe mmap)" ENODEV
check "refusals are logged" sh -c "dmesg | grep -q 'write refused' && dmesg | grep -q 'ioctl 0x1234 refused' && dmesg | grep -q 'mmap refused'"
is "no event from refused operations" "$(counter reads)" 1651
end_group

group "idle thread: no D state, no hung-task report"
if [ -w /proc/sys/kernel/hung_task_timeout_secs ]; then
	echo 1 >/proc/sys/kernel/hung_task_timeout_secs
	sleep 4
	check "no hung-task report after idling past a 1 s timeout" sh -c "! dmesg | grep -q 'blocked for more than'"
	echo 120 >/proc/sys/kernel/hung_task_timeout_secs
else
	fail "hung_task_timeout_secs is not available"
fi
is "idle thread still in state S" "$(thread_state)" S
end_group

group "rmmod while open"
ktprobe hold 60 >/tmp/hold.out &
holder=$!
for i in $(seq 1 50); do grep -q held /tmp/hold.out && break; sleep 0.1; done
check "rmmod fails while the device is open" sh -c "! rmmod kthread 2>/tmp/rmmod.err"
echo "# rmmod said: $(cat /tmp/rmmod.err)"
check "module still loaded" module_loaded
check "the open file pins the module" test "$(cat /sys/module/kthread/refcnt)" -gt 0
cat $DEV
check "reads still work" settle
kill $holder
wait $holder 2>/dev/null
end_group

group "unload"
# Unload right after a burst of reads, while the thread still has a
# backlog: every event of a read that returned must be handled first.
# The thread is starved only while the burst runs; on a rare run it keeps
# up anyway, so the burst is tried up to three times.
for try in 1 2 3; do
	module_loaded || insmod $KO
	dmesg -c >/dev/null
	posted=$(($(counter reads) + 1000))
	out=$(ktprobe burst-rmmod 1000)
	echo "# try $try: $out"
	backlog=$(echo "$out" | sed -n 's/^backlog=\([0-9]*\) .*/\1/p')
	[ "${backlog:-0}" -gt 0 ] && break
done
last=$((posted - 1))
check "the burst left the thread a backlog" test "${backlog:-0}" -gt 0
is "rmmod succeeds after close" "${out#* }" "rmmod=OK"
is "the last READ event, the exit event, then READY" "$(klog | grep -E '^event came from|^cleanup' | tail -n 3 | tr '\n' '|')" \
	"event came from READ function - $last|event came from exit function|cleanup_hello_completion() READY.|"
is "every read's event handled before the exit" "$(klog | grep -c '^event came from READ function')" 1000
is "READY is the last line" "$(klog | tail -n 1)" "cleanup_hello_completion() READY."
check "no device node left" test ! -e $DEV
check "no class left" test ! -e /sys/class/lothars_chardev
check "no chrdev region left" sh -c "! grep -q lothars_chardev /proc/devices"
check "no thread left" no_thread
check "module gone" sh -c "! grep -q '^kthread ' /proc/modules"
end_group

group "invalid parameters"
check "roundtrip=maybe refused" sh -c "! insmod $KO roundtrip=maybe 2>/dev/null"
check "the log names the bad value" sh -c "dmesg | grep -q \"maybe' invalid for parameter \\\`roundtrip'\""
check "nothing left after a refused load" sh -c "! grep -q '^kthread ' /proc/modules && ! grep -q lothars_chardev /proc/devices"
check "an unknown parameter is ignored (kernel policy) with a warning" insmod $KO no_such_parameter=1
check "the log names the unknown parameter" sh -c "dmesg | grep -q \"unknown parameter 'no_such_parameter' ignored\""
check "rmmod" rmmod kthread
check "a good load works afterwards" insmod $KO log_events=0
cat $DEV
settle
check "log_events=0: no per-event line" sh -c "! dmesg | grep -q 'READ function'"
is "log_events=0: the event still counts" "$(counter events)" 1
check "rmmod" rmmod kthread
end_group

group "quiet=1: no line per event, in either mode"
dmesg -c >/dev/null
check "insmod quiet=1" insmod $KO quiet=1
is "quiet parameter reads Y" "$(cat /sys/module/kthread/parameters/quiet)" Y
for i in 1 2 3; do cat $DEV; done
check "3 reads handled" settle
is "quiet=1: the events count" "$(counter reads) $(counter events)" "3 3"
check "quiet=1: the load lines stay" lines_in_order "init_hello_completion() started" "kthread_create() successful"
check "quiet=1: no chardev_read(), waiting or READ line" sh -c "! dmesg | grep -qE 'chardev_read\(\)|waiting for event|READ function'"
check "rmmod" rmmod kthread
check "quiet=1: the unload lines stay" lines_in_order "event came from exit function" "cleanup_hello_completion() READY."
check "insmod quiet=1 roundtrip=1" insmod $KO quiet=1 roundtrip=1
is "quiet round trip still answers" "$(cat $DEV)" "event 0"
check "quiet=1 roundtrip=1: no per-event line" sh -c "! dmesg | grep -qE 'chardev_read\(\)|waiting for event|READ function'"
check "rmmod" rmmod kthread
end_group

group "round-trip mode"
check "insmod roundtrip=1" insmod $KO roundtrip=1
is "one read returns the event, the next EOF" "$(ktprobe oneline | tr '\n' ' ')" "event 0 reads=2 last=EOF "
is "cat prints exactly one line" "$(cat $DEV)" "event 1"
is "later-offset reads are not counted" "$(counter reads) $(counter events)" "2 2"
is "one descriptor, reads at offset 0: a new event each time" "$(ktprobe rt-same-fd 3 | tr '\n' ' ')" "event 2 event 3 event 4 "
ktprobe rt-readers 8 25 >/tmp/rt.out
is "8 concurrent readers x 25: 200 lines" "$(grep -c '^event ' /tmp/rt.out)" 200
is "every number distinct and 5..204" "$(sed 's/event //' /tmp/rt.out | sort -n | uniq | awk 'NR == 1 { first = $1 } END { print first, $1, NR }')" "5 204 200"
is "counters" "$(counter reads) $(counter events)" "205 205"
dmesg -c >/dev/null
# Kill 16 busy round-trip readers at once; most are inside the wait. A
# storm can miss on a fast kernel, so up to five are tried.
for storm in 1 2 3 4 5; do
	echo "# storm $storm: reads completed before the kill: $(ktprobe storm 16 2)"
	klog | grep -q 'interrupted: event still in flight' && break
done
check "readers killed mid-wait" sh -c "dmesg | grep -q 'interrupted: event still in flight'"
echo "# killed while waiting: $(klog | grep -c 'interrupted: event still in flight')"
check "every posted event handled after the kill" settle
is "the module still answers" "$(cat $DEV | sed 's/[0-9]*$/N/')" "event N"
check "rmmod after killed readers" rmmod kthread
check "nothing left" sh -c "! grep -q lothars_chardev /proc/devices && test ! -e $DEV"
end_group

group "unload with readers in flight"
check "insmod" insmod $KO log_events=0
ktprobe storm 8 6 >/tmp/storm.out &
storm=$!
sleep 1
tries=0
while ! rmmod kthread 2>/dev/null; do tries=$((tries + 1)); [ $tries -gt 5000 ] && break; done
echo "# rmmod attempts while 8 readers hammered the device: $tries"
check "rmmod eventually succeeds with readers hammering" sh -c "! grep -q '^kthread ' /proc/modules"
wait $storm
echo "# reads completed by the storm: $(cat /tmp/storm.out)"
check "exit event then READY" lines_in_order "event came from exit function" "cleanup_hello_completion() READY."
check "no thread, node or region left" eval "no_thread && test ! -e $DEV && ! grep -q lothars_chardev /proc/devices"
end_group

group "$CYCLES load/unload cycles with $READERS concurrent readers"
bad=0
for i in $(seq 1 $CYCLES); do
	insmod $KO log_events=$((i % 2)) || { bad=$((bad + 1)); continue; }
	ktprobe readers $READERS 5 >/dev/null || bad=$((bad + 1))
	settle || bad=$((bad + 1))
	[ "$(counter events)" = $((READERS * 5)) ] || bad=$((bad + 1))
	rmmod kthread || bad=$((bad + 1))
done
is "cycles without a failure" "$bad" 0
is "exit events" "$(klog | grep -c '^event came from exit function$')" $CYCLES
is "READY lines" "$(klog | grep -c '^cleanup_hello_completion() READY.$')" $CYCLES
is "logged READ events (odd cycles log them)" "$(klog | grep -c '^event came from READ function')" $(((CYCLES + 1) / 2 * READERS * 5))
check "nothing left" sh -c "! grep -q '^kthread ' /proc/modules && ! grep -q lothars_chardev /proc/devices && test ! -e $DEV"
end_group
