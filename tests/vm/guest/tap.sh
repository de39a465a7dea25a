# tap.sh - a small TAP producer for the guest's busybox sh.
. /test/klog.sh
. /test/wait.sh
T_N=0
T_PASS=0
T_FAIL=0
DEV=/dev/lothars_chardev
SYSDEV=/sys/class/lothars_chardev/lothars_chardev
KO=${KO:-/test/kthread.ko} # tests/sabotage/run.sh runs other modules
TAINT_OK=12288 # O (out-of-tree, 4096) and E (unsigned, 8192)

pass() { T_N=$((T_N + 1)); T_PASS=$((T_PASS + 1)); echo "ok $T_N - $1"; }
fail() {
	T_N=$((T_N + 1)); T_FAIL=$((T_FAIL + 1)); echo "not ok $T_N - $1"
	[ -n "${2:-}" ] && printf '%s\n' "$2" | head -n 80 | sed 's/^/#   /'
	return 0
}
# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}
# is DESCRIPTION GOT WANT
is() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

# todo_is DESCRIPTION GOT WANT REASON: a known bug, reported and not yet
# fixed (TAP's TODO directive): its failure is shown but not counted, and
# the day it passes it says so, so that the TODO can go.
todo_is() {
	T_N=$((T_N + 1))
	if [ "$2" = "$3" ]; then
		T_PASS=$((T_PASS + 1)); echo "ok $T_N - $1 # TODO $4 (passes now: drop the TODO)"
	else
		echo "not ok $T_N - $1 # TODO $4"
		echo "#   got '$2', want '$3'"
	fi
}

group() {
	G_NAME=$1
	G_START=$(cut -d' ' -f1 /proc/uptime)
	echo "# --- $1"
}

# Kernel log without timestamps, since the group's last scan.
klog() { dmesg | sed 's/^\[ *[0-9.]*\] //'; }

# Ends a group: the kernel log must hold no trouble and the taint only
# O (out-of-tree, 4096) and E (unsigned, 8192). Then clears the log.
end_group() {
	local trouble taint
	# (Leaks are judged by the kmemleak group of the debug suite, which
	# reads the report itself.)
	trouble=$(klog | klog_trouble)
	if [ -z "$trouble" ]; then pass "$G_NAME: kernel log clean"; else fail "$G_NAME: kernel log clean" "$trouble"; fi
	taint=$(cat /proc/sys/kernel/tainted)
	is "$G_NAME: no taint but the expected ones" "$((taint & ~TAINT_OK))" 0
	dmesg -c >/dev/null
	local now
	now=$(cut -d' ' -f1 /proc/uptime)
	echo "# --- $G_NAME done in $(awk "BEGIN{printf \"%.1f\", $now - $G_START}") s"
}

finish() {
	echo "1..$T_N"
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}

counter() { cat "$SYSDEV/$1" 2>/dev/null || echo missing; }

# Waits until the thread has handled every posted event (it runs
# asynchronously to the readers). Fails after 30 s.
settle() {
	[ -r "$SYSDEV/events" ] || return 1
	wait_equal 300 0.1 "counter events" "counter reads"
}

# A kernel thread's comm shows its full name from 5.17; before, the first
# 15 characters (TASK_COMM_LEN - 1).
thread_pid() {
	local p
	for p in /proc/[0-9]*; do
		case "$(cat "$p/comm" 2>/dev/null)" in
		lothars_wait_thread | lothars_wait_th) echo "${p#/proc/}"; return 0 ;;
		esac
	done
	return 1
}

no_thread() { ! thread_pid >/dev/null; }

thread_state() { local pid; pid=$(thread_pid) && cut -d' ' -f3 "/proc/$pid/stat"; }

# lines_in_order PATTERN...: the log holds lines matching each pattern,
# in that order (other lines may come between).
lines_in_order() {
	klog | awk -v n=$# 'BEGIN { for (i = 1; i < ARGC; i++) want[i] = ARGV[i]; ARGC = 1; k = 1 }
		k <= n && index($0, want[k]) == 1 { k++ }
		END { exit !(k > n) }' "$@"
}

# The READ event numbers in the log must be FIRST..LAST, each once.
events_exact() {
	local first=$1 last=$2 got want
	got=$(klog | sed -n 's/^event came from READ function - //p' | sort -n | uniq -c | awk '$1 != 1 { bad++ } END { print NR, bad + 0 }')
	want="$((last - first + 1)) 0"
	[ "$got" = "$want" ] || { echo "# events: got (count, duplicates) $got, want $want"; return 1; }
	[ "$(klog | sed -n 's/^event came from READ function - //p' | sort -n | head -n 1)" = "$first" ]
}

module_loaded() { grep -q '^kthread ' /proc/modules; }

# kmemleak_ours: of kmemleak's report (stdin), the objects that are not
# the boot's own (allocated by the idle task, pid 0, before init ran: this
# minimal kernel's ACPI set-up leaks 8) nor the kernel's class_register
# error-path leak: 6.1's __class_register() leaks the class name it set when
# a later allocation in it fails (the kobject is freed without its name) -
# the fault injection makes it fail on purpose. Each object printed whole.
# (kmemleak puts no blank line between objects: each ends where the next
# begins.)
kmemleak_ours() {
	awk 'function flush() { if (keep && !boot) printf "%s", buf; keep = 0; named = 0 }
		/^unreferenced object/ { flush(); keep = 1; boot = 0; buf = "" }
		/comm "swapper\/0", pid 0,/ { boot = 1 }
		/kobject_set_name/ { named = 1 }
		/__class_register/ && named { boot = 1 }
		keep { buf = buf $0 "\n" }
		/^$/ { flush() }
		END { flush() }'
}

# kmemleak_check NAME: two forced scans, then the report must hold nothing
# but the boot's own objects (allocated by the idle task, pid 0, before
# init ran: this minimal kernel's ACPI set-up leaks 8) and the kernel's own
# class_register error-path leak. Every other object fails the check and
# is printed whole.
kmemleak_check() {
	group "kmemleak $1"
	if echo scan >/sys/kernel/debug/kmemleak; then
		# kmemleak reports only objects older than ~5 s, after two scans.
		sleep 6
		echo scan >/sys/kernel/debug/kmemleak
		sleep 1
		cat /sys/kernel/debug/kmemleak >/tmp/leaks
		kmemleak_ours </tmp/leaks >/tmp/ours
		echo "# kmemleak: $(grep -c '^unreferenced object' /tmp/leaks) unreferenced objects, $(grep -c '^unreferenced object' /tmp/ours) not from the boot or the kernel's class_register error path"
		if [ ! -s /tmp/ours ]; then pass "kmemleak $1: no leak after boot"; else fail "kmemleak $1: no leak after boot" "$(head -n 80 /tmp/ours)"; fi
	else
		fail "kmemleak is on"
	fi
	end_group
}
