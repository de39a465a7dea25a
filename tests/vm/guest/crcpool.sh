# crcpool.sh - the in-VM groups of crcpool.ko (busybox sh, TAP out),
# appended by tests/vm/run-suite.sh to the kthread.ko suite of the same
# boot (tap.sh's helpers are already loaded). Needs /test/crcpool.ko and
# /test/crcprobe (a static tool built on the host).
CKO=/test/crcpool.ko
CDEV=/dev/crcpool
CSYS=/sys/class/crcpool/crcpool
CPROBE=/test/crcprobe
NCPU=$(grep -c ^processor /proc/cpuinfo)

ccount() { cat "$CSYS/$1" 2>/dev/null || echo missing; }
cloaded() { grep -q '^crcpool ' /proc/modules; }
# Worker threads alive: comm "crcpool/<n>".
cthreads() { cat /proc/[0-9]*/comm 2>/dev/null | grep -c '^crcpool/[0-9]*$'; }
cthread_states() {
	local p
	for p in /proc/[0-9]*; do
		case "$(cat "$p/comm" 2>/dev/null)" in crcpool/*) cut -d' ' -f3 "$p/stat" ;; esac
	done | sort -u | tr -d '\n'
}
cgone() {
	! cloaded && test ! -e $CDEV && test ! -e /sys/class/crcpool &&
		! grep -q ' crcpool$' /proc/devices && [ "$(cthreads)" = 0 ]
}
# Waits until every submitted request is completed (30 s at most).
csettle() { wait_equal 300 0.1 "ccount completed" "ccount submitted"; }
# A result line with its worker and sequence numbers blanked.
cnorm() { sed 's/worker=[0-9]*/worker=W/; s/seq=[0-9]*/seq=S/'; }
cunload() { rmmod crcpool 2>/dev/null; cloaded && return 1; return 0; }

group "crcpool: load with the default worker count"
check "insmod crcpool.ko" insmod $CKO
line=$(klog | grep '^crcpool: [0-9]* workers')
echo "# $line"
cmajor=$(echo "$line" | sed -n 's/.*major = \([0-9]*\), minor = 0$/\1/p')
is "load line: one worker per CPU, max_request 65536" "$(echo "$line" | sed 's/, major.*//')" \
	"crcpool: $NCPU workers, max_request 65536 bytes"
is "major in /proc/devices is the logged one" "$(awk '$2 == "crcpool" { print $1 }' /proc/devices)" "$cmajor"
check "/dev/crcpool is a character device" test -c $CDEV
is "device node numbers" "$(stat -c '%t:%T' $CDEV)" "$(printf '%x:0' "${cmajor:-0}")"
is "device node mode 0600 root" "$(stat -c '%a %u %g' $CDEV)" "600 0 0"
is "workers parameter shows the count" "$(cat /sys/module/crcpool/parameters/workers)" "$NCPU"
is "sysfs: submitted completed bytes workers" "$(ccount submitted) $(ccount completed) $(ccount bytes) $(ccount workers)" "0 0 0 $NCPU"
is "one thread per worker" "$(cthreads)" "$NCPU"
check "threads named crcpool/0 .. crcpool/$((NCPU - 1))" sh -c "grep -qx 'crcpool/$((NCPU - 1))' /proc/[0-9]*/comm"
is "idle workers sleep in state S" "$(cthread_states)" S
end_group

group "crcpool: exact results"
is "one line per request" "$($CPROBE line 123456789 | cnorm)" \
	"crc32c=0xe3069283 worker=W bytes=9 seq=S"
is "known vectors (RFC 3720), 1 byte, max_request bytes" "$($CPROBE vectors 65536)" OK
is "counters: 8 requests" "$(ccount submitted) $(ccount completed)" "8 8"
is "counters: bytes" "$(ccount bytes)" $((9 + 9 + 4 * 32 + 1 + 65536))
end_group

group "crcpool: refused requests"
is "write of 0 bytes: EINVAL" "$($CPROBE errno empty 65536)" EINVAL
is "write of max_request + 1 bytes: EINVAL" "$($CPROBE errno too-big 65536)" EINVAL
is "write of exactly max_request bytes: accepted" "$($CPROBE errno exactly-max 65536)" OK
is "write from a bad pointer: EFAULT, nothing queued" "$($CPROBE errno bad-pointer 65536)" "EFAULT then-read=EINVAL"
is "write from a half-unmapped buffer: EFAULT" "$($CPROBE errno unmapped 65536)" EFAULT
is "read with no request: EINVAL, no hang" "$($CPROBE errno read-first 65536)" EINVAL
is "second write before the read: EBUSY, the first stays" \
	"$($CPROBE errno second-write 65536 | cnorm)" "EBUSY then-read=crc32c=0x364b3fb7 worker=W bytes=3 seq=S"
is "read into 10 bytes: EINVAL, the result stays" \
	"$($CPROBE errno short-read 65536 | cnorm)" "EINVAL then-read=crc32c=0xe3069283 worker=W bytes=9 seq=S"
is "read into a bad pointer: EFAULT, the result stays" \
	"$($CPROBE errno bad-read-buffer 65536 | cnorm)" "EFAULT then-read=crc32c=0xe3069283 worker=W bytes=9 seq=S"
is "a result is read once: the next read EINVAL" "$($CPROBE errno read-twice 65536)" EINVAL
is "ioctl: ENOTTY" "$($CPROBE errno ioctl 65536)" ENOTTY
is "mmap: ENODEV" "$($CPROBE errno mmap 65536)" ENODEV
check "refusals are logged" sh -c "dmesg | grep -q 'crcpool: empty write (0 bytes): refused' &&
	dmesg | grep -q 'crcpool: write larger than max_request (65537 bytes): refused' &&
	dmesg | grep -q 'crcpool: bad buffer address (64 bytes): refused' &&
	dmesg | grep -q 'crcpool: write before the previous result was read (3 bytes): refused'"
# exactly-max, second-write's first, short-read, bad-read-buffer, read-twice: 5 accepted.
is "only accepted requests count" "$(ccount submitted) $(ccount completed)" "13 13"
end_group

group "crcpool: 8 writers x 200 requests on 4 workers"
check "rmmod" cunload
check "insmod workers=4" insmod $CKO workers=4
is "workers=4: 4 threads" "$(cthreads)" 4
out=$($CPROBE writers 8 200 4096)
echo "# $out"
is "every result exact, every worker used" "$out" "ok=1600 wrong=0 failed=0 workers_used=4"
is "counters" "$(ccount submitted) $(ccount completed)" "1600 1600"
end_group

group "crcpool: a descriptor closed with its request in flight"
is "50 closes right after a 64 KiB write" "$($CPROBE close-inflight 50 65536)" OK
check "every request completed" csettle
is "counters" "$(ccount submitted) $(ccount completed)" "1650 1650"
is "the pool still answers" "$($CPROBE line 123456789 | cnorm)" \
	"crc32c=0xe3069283 worker=W bytes=9 seq=S"
end_group

group "crcpool: a read interrupted by a signal"
check "rmmod" cunload
check "insmod workers=1 max_request=16777216" insmod $CKO workers=1 max_request=16777216
# The request waits behind 16 MiB on one worker; a 2 ms alarm interrupts
# its read. On a rare run the worker is done first: up to three tries.
for try in 1 2 3; do
	out=$($CPROBE interrupt 16777216)
	echo "# try $try: $out"
	case $out in EINTR*) break ;; esac
done
is "EINTR, then the same request's exact result" "$out" "EINTR then-read=exact"
check "every request completed" csettle
out=$($CPROBE fifo 20 4194304)
echo "# $(echo "$out" | head -n 1)"
is "one worker: requests answered in the order written (FIFO)" "$(echo "$out" | tail -n 1)" OK
end_group

group "crcpool: rmmod while open"
$CPROBE hold 60 >/tmp/chold.out &
holder=$!
for i in $(seq 1 50); do grep -q held /tmp/chold.out && break; sleep 0.1; done
out=$($CPROBE rmmod-loop crcpool 1)
echo "# $out"
is "rmmod fails while the device is open" "${out##*result=}" EAGAIN
check "module still loaded" cloaded
check "the open file pins the module" test "$(cat /sys/module/crcpool/refcnt)" -gt 0
kill $holder
wait $holder 2>/dev/null
check "rmmod succeeds after the close" cunload
check "unload summary logged" sh -c "dmesg | grep -q '^.*crcpool: unloaded: [0-9]* requests, [0-9]* bytes, 1 workers (requests per worker: [0-9]*)$'"
check "nothing left: module, node, class, region, threads" cgone
end_group

group "crcpool: unload right after load, under load"
check "insmod" insmod $CKO
dmesg -c >/dev/null
$CPROBE hammer 8 15 >/tmp/hammer.out &
hammer=$!
# Under load first: the writers have had 100 answers. rmmod then succeeds
# in a moment when no writer has the device open, or once they stop.
i=0
while [ "$(ccount completed)" -lt 100 ] 2>/dev/null && [ $i -lt 300 ]; do i=$((i + 1)); sleep 0.1; done
echo "# requests answered before the first rmmod: $(ccount completed)"
# Tries in rounds for as long as the writers run (a fixed count of tries
# ends early on a fast guest), then once more after they stop.
first=""
while :; do
	out=$($CPROBE rmmod-loop crcpool 20000)
	[ -n "$first" ] || first=$out
	case $out in *result=OK) break ;; esac
	kill -0 $hammer 2>/dev/null || { out=$($CPROBE rmmod-loop crcpool 1000); break; }
done
echo "# rmmod while 8 processes hammer the device: first round: $first; last: $out"
wait $hammer
echo "# hammer: $(cat /tmp/hammer.out)"
is "rmmod succeeds under load (or as the writers stop)" "${out##*result=}" OK
check "rmmod was refused while the writers held the device" sh -c "! echo '$first' | grep -q 'tries=0 '"
check "the writers stopped: the device went, or their 15 s ended" grep -qE 'end=(ENXIO|ENOENT|time)' /tmp/hammer.out
check "every result they got was exact" grep -q 'wrong=0 failed=0' /tmp/hammer.out
done_ok=$(sed -n 's/^ok=\([0-9]*\) .*/\1/p' /tmp/hammer.out)
check "the writers got at least 100 answers" test "${done_ok:-0}" -ge 100
is "the summary counts every request answered" \
	"$(klog | sed -n 's/^crcpool: unloaded: \([0-9]*\) requests.*/\1/p')" "$done_ok"
check "nothing left: module, node, class, region, threads" cgone
end_group

group "crcpool: parameters"
for bad in workers=0 workers=65 workers=two max_request=0 max_request=16777217; do
	is "$bad refused with EINVAL" "$($CPROBE insmod $CKO $bad)" EINVAL
done
check "the log says the valid ranges" sh -c "dmesg | grep -q 'crcpool: workers=65 refused: it must be 1..64' &&
	dmesg | grep -q 'crcpool: max_request=0 refused: it must be 1..16777216'"
check "nothing left after the refused loads" cgone
is "insmod workers=3" "$($CPROBE insmod $CKO workers=3)" OK
is "workers=3: sysfs, parameter, threads" "$(ccount workers) $(cat /sys/module/crcpool/parameters/workers) $(cthreads)" "3 3 3"
is "workers=64 loads 64 threads" "$(cunload && $CPROBE insmod $CKO workers=64 && cthreads)" "OK
64"
out=$($CPROBE writers 4 50 2048)
is "64 workers answer exactly" "${out% workers_used=*}" "ok=200 wrong=0 failed=0"
check "rmmod" cunload
check "nothing left" cgone
end_group

group "crcpool: who computed each answer"
# Each answer's worker= is the id of the thread that computed it: around
# every request, the worker whose CPU time grew is the one that ran it (the
# others sleep), and its comm is crcpool/<that id>. 16 MiB requests, so
# that the computing worker's time stands out.
check "insmod workers=4 max_request=16777216" insmod $CKO workers=4 max_request=16777216
out=$($CPROBE who-computed 12 16777216)
echo "# $out"
case $out in
"no schedstat"*) pass "who computed each answer: skipped (no /proc/PID/schedstat)" ;;
*)
	is "every answer names the worker whose CPU time grew" "$(echo "$out" | tail -n 1 | sed 's/ untold=.*//')" \
		"ok=$((12 - $(echo "$out" | sed -n 's/.* untold=\([0-9]*\) .*/\1/p'))) mismatched=0"
	check "at least 10 of 12 told apart" sh -c "echo '$out' | tail -n 1 | grep -qE 'ok=(1[0-2]) '"
	;;
esac
check "rmmod" cunload
end_group

group "crcpool: a read of exactly the answer's length"
# A buffer exactly as long as the line gets the whole line, and nothing is
# written past it; one byte shorter is refused (EINVAL) and the answer
# stays for that next read.
check "insmod workers=1" insmod $CKO workers=1
is "len - 1: EINVAL; len: the whole line, the byte after it untouched" \
	"$($CPROBE exact-buffer | head -n 1 | sed 's|exact=\([0-9]*\)/\1 |exact=L/L |')" \
	"short=EINVAL exact=L/L match guard=kept"
check "rmmod" cunload
check "nothing left" cgone
end_group

group "crcpool: what a user who is not root, or holds many files, can do"
# The nodes are devtmpfs' default, 0600 root: another user cannot open
# them. Root can widen that with a udev rule; then max_pinned is what
# bounds the kernel memory open files make crcpool hold: 8 processes with
# 2 files each write 1 MiB on every file against max_pinned=4 MiB.
check "insmod kthread.ko" insmod $KO
is "uid 65534 cannot open /dev/lothars_chardev: EACCES" "$($CPROBE open-as 65534 /dev/lothars_chardev)" EACCES
check "rmmod kthread" rmmod kthread
check "insmod workers=2 max_request=1048576 max_pinned=4194304" \
	insmod $CKO workers=2 max_request=1048576 max_pinned=4194304
is "uid 65534 cannot open /dev/crcpool: EACCES" "$($CPROBE open-as 65534 $CDEV)" EACCES
is "max_pinned parameter" "$(cat /sys/module/crcpool/parameters/max_pinned)" 4194304
dmesg -c >/dev/null
out=$($CPROBE pin-many 8 2 1048576)
echo "# $out"
is "16 writes of 1 MiB: 4 accepted, 12 EAGAIN, 4 MiB held, 4 exact answers" "$out" \
	"accepted=4 eagain=12 other=0 pinned=4194304 exact=4 wrong=0"
check "the refusal is logged" sh -c "dmesg | grep -q 'crcpool: write over max_pinned: unread requests hold too much (1048576 bytes): refused'"
is "all given back: pinned 0" "$(ccount pinned)" 0
is "the pool answers again" "$($CPROBE line 123456789 | cnorm)" "crc32c=0xe3069283 worker=W bytes=9 seq=S"
check "rmmod" cunload
for bad in max_pinned=0 max_pinned=1073741825; do
	is "$bad refused with EINVAL" "$($CPROBE insmod $CKO $bad)" EINVAL
done
is "max_pinned below max_request refused with EINVAL" "$($CPROBE insmod $CKO 'max_request=65536 max_pinned=65535')" EINVAL
check "the log says why" sh -c "dmesg | grep -q 'crcpool: max_pinned=65535 refused: it must be at least max_request (65536)'"
check "nothing left" cgone
end_group
