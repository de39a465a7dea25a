# shellcheck shell=sh
# klog.sh - the one kernel-log scan of every suite. The host reads each
# guest's console with it (tests/vm/vm-lib.sh); the guest its own log
# (tap.sh's end of every group, the fault injection of the debug suite,
# make fuzz, make bench). Plain sh: busybox's in the guest, bash on the host.

# The kernel's own reports of a bug: an oops, a warning, KASAN, UBSAN,
# lockdep, a corrupted list or refcount, a hung task.
KLOG_BUGS='BUG:|WARNING:|Oops|kernel BUG|general protection|Kernel panic|KASAN|UBSAN|refcount_t|list_add corruption|list_del corruption|possible circular|possible recursive|inconsistent lock|sleeping function called|blocked for more than|hung_task'
# And a stack dumped on its own. Left out of the fault-injection loops:
# there an allocation failing on purpose may print its stack.
KLOG_TROUBLE="$KLOG_BUGS|Call Trace"

# klog_trouble [FILE...]: the lines of trouble in FILE (or stdin); false if none.
klog_trouble() { grep -E "$KLOG_TROUBLE" "$@"; }

# klog_bugs [FILE...]: the same, without stacks alone.
klog_bugs() { grep -E "$KLOG_BUGS" "$@"; }
