# shellcheck shell=sh
# klog.sh - the one kernel-log scan of every suite. The host reads each
# guest's console with it (tests/vm/vm-lib.sh); the guest its own log
# (tap.sh's end of every group, the fault injection of the debug suite,
# make fuzz, make bench). Plain sh: busybox's in the guest, bash on the host.

# The kernel's own reports of a bug: an oops, a warning, KASAN, UBSAN,
# KCSAN (in our modules), lockdep, a corrupted list or refcount, a hung task.
KLOG_BUGS='BUG:|WARNING:|Oops|kernel BUG|general protection|Kernel panic|KASAN|UBSAN|refcount_t|list_add corruption|list_del corruption|possible circular|possible recursive|inconsistent lock|sleeping function called|blocked for more than|hung_task'
# And a stack dumped on its own. Left out of the fault-injection loops:
# there an allocation failing on purpose may print its stack.
KLOG_TROUBLE="$KLOG_BUGS|Call Trace"

# klog_kcsan [FILE...]: the log with each KCSAN report whose stacks hold no
# module frame (" func+0x1/0x2 [module]") cut to one line that is not a
# bug line. On the data-race kernel KCSAN also reports the kernel's own
# races (strict mode finds many); the verdict is about our modules' code,
# whose frames carry a module name, while the debug kernels build
# everything else in. Other kernels have no such reports: a no-op there.
klog_kcsan() {
	awk '
	/BUG: KCSAN: / { inside = 1; ours = 0; n = 0; title = $0; sub(/.*BUG: KCSAN: /, "", title) }
	inside {
		block[++n] = $0
		if ($0 ~ /\[[A-Za-z0-9_]+\][ \r]*$/) ours = 1
		if ($0 !~ /==============================/) next
		inside = 0
		if (ours) { for (i = 1; i <= n; i++) print block[i] }
		else print "kcsan: the kernel\047s own race, not ours: " title
		next
	}
	{ print }
	END { if (inside) for (i = 1; i <= n; i++) print block[i] }' "$@"
}

# klog_trouble [FILE...]: the lines of trouble in FILE (or stdin); false if none.
klog_trouble() { klog_kcsan "$@" | grep -E "$KLOG_TROUBLE"; }

# klog_bugs [FILE...]: the same, without stacks alone.
klog_bugs() { klog_kcsan "$@" | grep -E "$KLOG_BUGS"; }
