# failslab.sh - the debug suite's fault injection, for both modules
# (debug-extra.sh, crcpool-debug.sh): failslab armed for one task at a time
# through /proc/thread-self/fail-nth (ktprobe insmod-nth, open-nth), each
# allocation of a load or an open failing in turn. Needs tap.sh and klog.sh.
FAIL=/sys/kernel/debug/failslab

# failslab_arm: GFP_KERNEL allocations are skipped unless ignore-gfp-wait is
# off. Only the kmalloc caches may fail: scripts/check-debug.sh boots with
# slub_debug=A,kmalloc-* to flag them. kmemleak's own object cache must
# never fail, or kmemleak switches itself off and its check proves nothing.
# No stack per injected failure: the log is read for the module's own lines.
failslab_arm() {
	echo Y >$FAIL/cache-filter
	echo N >$FAIL/ignore-gfp-wait
	echo 0 >$FAIL/verbose
}

failslab_disarm() { echo Y >$FAIL/ignore-gfp-wait; }

# inject_insmod MODULE KO PARAMS WHOLE STRIDE GONE: load KO (with PARAMS)
# with its Nth allocation failing, N = 1, 2, ... until a load passes them
# all, or passes the module's last (in device_create()). MODULE names the
# module to rmmod and in its log ("MODULE: STEP failed: error -12"); WHOLE is
# the step that fails with every other; GONE tests that nothing is left.
# With STRIDE > 1 the first allocations (the module loader's own) are
# stepped over STRIDE at a time until one of the module's fails, then one
# by one from STRIDE back. Sets steps (" STEP|" each), n, ok_after,
# tolerated (loads the kernel let pass), leftovers, wrong_errno, trouble.
inject_insmod() {
	local module=$1 ko=$2 params=$3 whole=$4 stride=$5 gone=$6 result left failed bugs
	steps="" n=1 ok_after=0 leftovers=0 wrong_errno=0 trouble=0 tolerated=0
	while [ $n -le 3000 ]; do
		dmesg -c >/dev/null
		set -- $(ktprobe insmod-nth $ko $n $params)
		result=$1 left=$2
		if [ "$result" = OK ]; then
			rmmod $module
			if [ "$left" != 0 ]; then
				ok_after=$n # the whole load passed fewer than n allocations
				break
			fi
			tolerated=$((tolerated + 1))
			# The module's init allocates last in device_create(): once that
			# step has failed and a later load succeeds, the allocations
			# still ahead are the kernel's own, after init.
			case "$steps" in *" device_create()|"*) ok_after=$n; break ;; esac
		elif [ "$result" != ENOMEM ]; then
			echo "# allocation $n: unexpected result '$result'"
			wrong_errno=$((wrong_errno + 1))
			break
		fi
		failed=$(klog | sed -n "s/^$module: \(.*\) failed: error -12\$/\1/p" | grep -vxF "$whole" | head -n 1)
		if [ -n "$failed" ] && [ $stride -gt 1 ]; then
			$gone || leftovers=$((leftovers + 1))
			n=$((n > stride ? n - stride + 1 : 1)) stride=1
			continue
		fi
		if [ -n "$failed" ]; then
			case " $steps " in *" $failed|"*) ;; *) steps="$steps $failed|"; echo "# allocation $n: $failed failed, insmod said $result" ;; esac
			[ "$result" = ENOMEM ] || wrong_errno=$((wrong_errno + 1))
			klog | grep -qxF "$module: $whole failed: error -12" || wrong_errno=$((wrong_errno + 1))
		fi
		$gone || { leftovers=$((leftovers + 1)); echo "# allocation $n: left behind"; }
		# Allocation-failure reports (with their stack) are the injection
		# working; anything else is a bug.
		bugs=$(klog | klog_bugs) && { trouble=$((trouble + 1)); echo "$bugs" | head -n 5 | sed 's/^/# /'; }
		n=$((n + stride))
	done
}

# inject_verdict SAYS STEP...: the checks of inject_insmod's run: a load
# works again after it, each STEP failed once (SAYS: what its check says
# then), every failure was ENOMEM and logged, nothing was left behind, no
# bug was reported.
inject_verdict() {
	local says=$1 step
	shift
	check "insmod works again after the injected failures" test $ok_after -gt 0
	for step in "$@"; do
		case "$steps" in
		*" $step|"*) pass "failing $step: $says" ;;
		*) fail "failing $step: $says" "steps seen:$steps" ;;
		esac
	done
	is "every failed init returned ENOMEM and logged it" $wrong_errno 0
	is "nothing left behind after any failed insmod" $leftovers 0
	is "no kernel bug report during the injected failures" $trouble 0
}

# inject_open DEVICE MAX OPENED: open DEVICE with its Nth allocation
# failing, N = 1 .. MAX, until the session's allocation fails (then open
# must fail with ENOMEM) or an open passes them all and its read answers
# OPENED. Two checks: the errno, and that the session allocation was reached.
inject_open() {
	local dev=$1 max=$2 opened=$3 n=1 seen=0
	while [ $n -le "$max" ]; do
		dmesg -c >/dev/null
		set -- $(ktprobe -d $dev open-nth $n)
		if klog | grep -q 'open: no memory for the session'; then
			seen=1
			is "open fails with ENOMEM when the session allocation fails" "$1" ENOMEM
			break
		fi
		[ "$1" = "$opened" ] && [ "$2" != 0 ] && break
		n=$((n + 1))
	done
	is "the session allocation was reached" $seen 1
}
