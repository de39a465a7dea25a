# crcpool-debug.sh - crcpool.ko's groups that only the debug kernel can run
# (appended by scripts/check-debug.sh after debug-extra.sh; crcpool.sh's
# helpers are loaded): every allocation of insmod, open and write failing
# in turn (failslab through /proc/thread-self/fail-nth), then kmemleak.
. /test/failslab.sh

group "crcpool: fault injection: every allocation of insmod fails in turn"
failslab_arm
cloaded && rmmod crcpool
# The first hundred or so allocations are the module loader's own: they
# are stepped over 8 at a time until one of ours fails, then one by one
# from 8 back (each insmod costs seconds on this kernel).
inject_insmod crcpool $CKO workers=2 loading 8 cgone
echo "# up to allocation $n failed in turn ($tolerated tolerated by the kernel); init steps failed:$steps"
inject_verdict "insmod fails with ENOMEM, the log names it" "allocating the pool" "alloc_chrdev_region()" \
	"kthread_create() of crcpool/0" "kthread_create() of crcpool/1" "cdev_add()" "class_create()" "device_create()"
end_group

group "crcpool: fault injection: open and write"
check "insmod" insmod $CKO workers=2
# Opened, a read has no request: EINVAL.
inject_open $CDEV 200 EINVAL
before=$(ccount submitted)
# A small write: kvmalloc() is kmalloc() alone, and its failure is ENOMEM.
is "write with its first allocation failing: ENOMEM, nothing queued" "$($CPROBE write-nth 1 100)" "ENOMEM 0 EINVAL"
is "nothing was submitted" "$(ccount submitted)" "$before"
# A 64 KiB write, each allocation in turn: kvmalloc() falls back to
# vmalloc(), so a write either fails with ENOMEM (nothing queued) or
# succeeds with an exact result.
bad=0
for n in $(seq 1 30); do
	out=$($CPROBE write-nth $n 65536)
	case "$out" in
	"OK "*" exact" | "ENOMEM "*" EINVAL") ;;
	*) bad=$((bad + 1)); echo "# write-nth $n: $out" ;;
	esac
done
is "64 KiB writes with allocation n failing, n = 1..30: ENOMEM or exact" $bad 0
# (fail_function on shim_alloc_bytes, ALLOW_ERROR_INJECTION, fails the
# same allocation for any size, but on this kernel its kprobe handler takes
# the random pool's lock from int3 context and lockdep reports that: the
# kernel's own inconsistency, so failslab is the injector here.)
is "the pool still answers" "$($CPROBE line 123456789 | cnorm)" "crc32c=0xe3069283 worker=W bytes=9 seq=S"
check "rmmod" cunload
check "nothing left" cgone
failslab_disarm
check "kmemleak is still on after the injected failures" sh -c "echo scan >/sys/kernel/debug/kmemleak"
end_group

kmemleak_check "after crcpool's fault injection"
