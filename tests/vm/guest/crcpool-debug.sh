# crcpool-debug.sh - crcpool.ko's groups that only the debug kernel can run
# (appended by scripts/check-debug.sh after debug-extra.sh; crcpool.sh's
# helpers are loaded): every allocation of insmod, open and write failing
# in turn (failslab through /proc/thread-self/fail-nth), then kmemleak.
FAIL=/sys/kernel/debug/failslab

group "crcpool: fault injection: every allocation of insmod fails in turn"
echo Y >$FAIL/cache-filter
echo N >$FAIL/ignore-gfp-wait
echo 0 >$FAIL/verbose
cloaded && rmmod crcpool
# The first hundred or so allocations are the module loader's own: they
# are stepped over 8 at a time until one of ours fails, then one by one
# from 8 back (each insmod costs seconds on this kernel).
steps="" n=1 stride=8 ok_after=0 leftovers=0 wrong_errno=0 trouble=0 tolerated=0
while [ $n -le 3000 ]; do
	dmesg -c >/dev/null
	set -- $(ktprobe insmod-nth $CKO $n workers=2)
	result=$1 left=$2
	if [ "$result" = OK ]; then
		rmmod crcpool
		if [ "$left" != 0 ]; then
			ok_after=$n # the whole load passed fewer than n allocations
			break
		fi
		tolerated=$((tolerated + 1))
		# Our init allocates last in device_create(): past it, the
		# allocations ahead are the kernel's own, after init.
		case "$steps" in *" device_create()|"*) ok_after=$n; break ;; esac
	elif [ "$result" != ENOMEM ]; then
		echo "# allocation $n: unexpected result '$result'"
		wrong_errno=$((wrong_errno + 1))
		break
	fi
	failed=$(klog | sed -n 's/^crcpool: \(.*\) failed: error -12$/\1/p' | grep -v '^loading$' | head -n 1)
	if [ -n "$failed" ] && [ $stride -gt 1 ]; then
		cgone || leftovers=$((leftovers + 1))
		n=$((n > 8 ? n - 7 : 1)) stride=1
		continue
	fi
	if [ -n "$failed" ]; then
		case " $steps " in *" $failed|"*) ;; *) steps="$steps $failed|"; echo "# allocation $n: $failed failed, insmod said $result" ;; esac
		[ "$result" = ENOMEM ] || wrong_errno=$((wrong_errno + 1))
		klog | grep -q '^crcpool: loading failed: error -12$' || wrong_errno=$((wrong_errno + 1))
	fi
	cgone || { leftovers=$((leftovers + 1)); echo "# allocation $n: left behind"; }
	bugs=$(klog | klog_bugs) && { trouble=$((trouble + 1)); echo "$bugs" | head -n 5 | sed 's/^/# /'; }
	n=$((n + stride))
done
echo "# up to allocation $n failed in turn ($tolerated tolerated by the kernel); init steps failed:$steps"
check "insmod works again after the injected failures" test $ok_after -gt 0
for step in "allocating the pool" "alloc_chrdev_region()" "kthread_create() of crcpool/0" \
	"kthread_create() of crcpool/1" "cdev_add()" "class_create()" "device_create()"; do
	case "$steps" in
	*" $step|"*) pass "failing $step: insmod fails with ENOMEM, the log names it" ;;
	*) fail "failing $step: insmod fails with ENOMEM, the log names it" "steps seen:$steps" ;;
	esac
done
is "every failed init returned ENOMEM and logged it" $wrong_errno 0
is "nothing left behind after any failed insmod" $leftovers 0
is "no kernel bug report during the injected failures" $trouble 0
end_group

group "crcpool: fault injection: open and write"
check "insmod" insmod $CKO workers=2
n=1 seen=0
while [ $n -le 200 ]; do
	dmesg -c >/dev/null
	set -- $(ktprobe -d $CDEV open-nth $n)
	if klog | grep -q 'open: no memory for the session'; then
		seen=1
		is "open fails with ENOMEM when the session allocation fails" "$1" ENOMEM
		break
	fi
	[ "$1" = EINVAL ] && [ "$2" != 0 ] && break # opened, read had no request
	n=$((n + 1))
done
is "the session allocation was reached" $seen 1
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
echo Y >$FAIL/ignore-gfp-wait
check "kmemleak is still on after the injected failures" sh -c "echo scan >/sys/kernel/debug/kmemleak"
end_group

kmemleak_check "after crcpool's fault injection"
