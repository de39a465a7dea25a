# debug-extra.sh - groups only a debug kernel can run (appended to the
# suite by scripts/check-debug.sh): fault injection at every init step,
# the KUnit suite of the C++ layer, and a forced kmemleak scan.

FAIL=/sys/kernel/debug/failslab

gone() { ! grep -q '^kthread ' /proc/modules && ! grep -q lothars_chardev /proc/devices &&
	test ! -e $DEV && test ! -e /sys/class/lothars_chardev && no_thread; }

kmemleak_check "after the suite"

group "fault injection: every allocation of insmod fails in turn"
# failslab, armed for this task only through /proc/thread-self/fail-nth;
# GFP_KERNEL allocations are skipped unless ignore-gfp-wait is off.
# Only the kmalloc caches may fail: scripts/check-debug.sh boots with
# slub_debug=A,kmalloc-* to flag them. kmemleak's own object cache must
# never fail, or kmemleak switches itself off and its check proves nothing.
echo Y >$FAIL/cache-filter
echo N >$FAIL/ignore-gfp-wait
echo 0 >$FAIL/verbose
steps=""
n=1
ok_after=0
leftovers=0
wrong_errno=0
trouble=0
tolerated=0
while [ $n -le 3000 ]; do
	dmesg -c >/dev/null
	set -- $(ktprobe insmod-nth $KO $n)
	result=$1 left=$2
	if [ "$result" = OK ]; then
		rmmod kthread
		if [ "$left" != 0 ]; then
			ok_after=$n # the whole load passed fewer than n allocations
			break
		fi
		tolerated=$((tolerated + 1))
		# Our init allocates last in device_create(): once that step has
		# failed and a later load succeeds, the allocations still ahead
		# are the kernel's own, after init.
		case "$steps" in *" device_create()|"*) ok_after=$n; break ;; esac
	elif [ "$result" != ENOMEM ]; then
		echo "# allocation $n: unexpected result '$result'"
		wrong_errno=$((wrong_errno + 1))
		break
	fi
	failed=$(klog | sed -n 's/^kthread: \(.*\) failed: error -12$/\1/p' | grep -v '^init_hello_completion()' | head -n 1)
	if [ -n "$failed" ]; then
		case " $steps " in *" $failed|"*) ;; *) steps="$steps $failed|"; echo "# allocation $n: $failed failed, insmod said $result" ;; esac
		[ "$result" = ENOMEM ] || wrong_errno=$((wrong_errno + 1))
		klog | grep -q '^kthread: init_hello_completion() failed: error -12$' || wrong_errno=$((wrong_errno + 1))
	fi
	gone || leftovers=$((leftovers + 1))
	# Allocation-failure reports (with their stack) are the injection
	# working; anything else is a bug.
	bugs=$(klog | klog_bugs) && { trouble=$((trouble + 1)); echo "$bugs" | head -n 5 | sed 's/^/# /'; }
	n=$((n + 1))
done
echo "# $n allocations failed in turn ($tolerated tolerated by the kernel); init steps failed:$steps"
check "insmod works again after the injected failures" test $ok_after -gt 0
for step in "allocating the module state" "alloc_chrdev_region()" "kthread_create()" "cdev_add()" "class_create()" "device_create()"; do
	case "$steps" in
	*" $step|"*) pass "failing $step: insmod fails, the log names it" ;;
	*) fail "failing $step: insmod fails, the log names it" "steps seen:$steps" ;;
	esac
done
is "every failed init returned ENOMEM and logged it" $wrong_errno 0
is "nothing left behind after any failed insmod" $leftovers 0
is "no kernel bug report during the injected failures" $trouble 0
# Session allocation in round-trip mode, from open().
module_loaded && rmmod kthread
insmod $KO roundtrip=1
n=1
seen=0
while [ $n -le 500 ]; do
	dmesg -c >/dev/null
	set -- $(ktprobe open-nth $n)
	if klog | grep -q 'open: no memory for the session'; then
		seen=1
		is "open fails with ENOMEM when the session allocation fails" "$1" ENOMEM
		break
	fi
	[ "$1" = OK ] && [ "$2" != 0 ] && break
	n=$((n + 1))
done
is "the session allocation was reached" $seen 1
is "the module still answers" "$(cat $DEV | sed 's/[0-9]*$/N/')" "event N"
rmmod kthread
echo Y >$FAIL/ignore-gfp-wait
check "kmemleak is still on after the injected failures" sh -c "echo scan >/sys/kernel/debug/kmemleak"
end_group

group "KUnit: the C++ kernel layer"
dmesg -c >/dev/null
check "insmod kthread_kunit.ko" insmod /test/kthread_kunit.ko
TAINT_OK=$((TAINT_OK | 262144)) # N: KUnit tests have run
klog | grep -E '^ *(KTAP|TAP|#|ok|not ok|[0-9]+\.\.)' | sed -n '/Subtest: kthread_cxx/,/ - kthread_cxx$/p' >/tmp/ktap
echo "# ktap-begin"
sed 's/^/# ktap: /' /tmp/ktap
echo "# ktap-end"
check "KUnit suite kthread_cxx passed" grep -qE '^ok [0-9]+ (- )?kthread_cxx$' /tmp/ktap
is "KUnit cases that failed" "$(grep -c '^ *not ok' /tmp/ktap)" 0
check "KUnit ran 15 cases" test "$(grep -c '^    ok ' /tmp/ktap)" -eq 15
# Two mutexes of two sites nested (case lock_classes_per_site): one lock
# class for all would make lockdep cry "possible recursive locking".
check "lockdep: nested locks of two sites are two classes" sh -c "! dmesg | grep -q 'possible recursive locking'"
rmmod kthread_kunit
end_group

kmemleak_check "after fault injection and KUnit"
