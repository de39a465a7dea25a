# debug-extra.sh - groups only a debug kernel can run (appended to the
# suite by scripts/check-debug.sh): fault injection at every init step,
# the KUnit suite of the C++ layer, and a forced kmemleak scan.

. /test/failslab.sh

gone() { ! grep -q '^kthread ' /proc/modules && ! grep -q lothars_chardev /proc/devices &&
	test ! -e $DEV && test ! -e /sys/class/lothars_chardev && no_thread; }

kmemleak_check "after the suite"

group "fault injection: every allocation of insmod fails in turn"
failslab_arm
inject_insmod kthread $KO "" "init_hello_completion()" 1 gone
echo "# $n allocations failed in turn ($tolerated tolerated by the kernel); init steps failed:$steps"
inject_verdict "insmod fails, the log names it" "allocating the module state" "alloc_chrdev_region()" \
	"kthread_create()" "cdev_add()" "class_create()" "device_create()"
# Session allocation in round-trip mode, from open().
module_loaded && rmmod kthread
insmod $KO roundtrip=1
inject_open $DEV 500 OK
is "the module still answers" "$(cat $DEV | sed 's/[0-9]*$/N/')" "event N"
rmmod kthread
failslab_disarm
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
