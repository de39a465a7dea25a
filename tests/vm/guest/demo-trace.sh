# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash
# demo-trace.sh - sourced by demo.sh: record the demo with the kernel's own
# tracing (tracefs), for scripts/timeline.py on the host.
#
# Two trace buffers record the same events, because unloading a module
# whose tracepoints were ever enabled in a buffer wipes that buffer
# (trace_module_remove_events, kernel/trace/trace_events.c):
#   the top-level buffer   + lothars:* (the module's tracepoints): dumped
#                            just before rmmod;
#   instances/demo         without them: keeps what rmmod does (the exit
#                            event, the thread's exit, the join, the device's
#                            removal, module_free).
# A "demo-cut" marker written to both just before rmmod tells the host
# where one ends and the other takes over. Both use the "mono" clock.
#
# The five completion steps are not tracepoints of the module; kprobes
# record each call with the completion's address and its count `done` as
# the call finds it (struct completion starts with `unsigned int done`).
# Steps 1 and 2 are the shim's helpers (init_completion() and
# reinit_completion() are inline in the kernel); the C++ calls the rest of
# the kernel's completion API directly, so those probes sit on the kernel's
# own functions and see every caller: the filter keeps the story's tasks,
# and scripts/timeline.py keeps the calls on completions the module
# initialised.
# wait_for_completion() returns void: 6.12 and later check a return probe's
# $retval against the function's BTF type and refuse it there, so its
# return probe records the return alone.
# Arguments are read from registers (the first: %di on x86-64, %x0 on
# arm64): the kernel accepts $arg1 only where it can see a function entry,
# and a module's symbols are not there until it loads.

T=/sys/kernel/tracing
TB=$T/instances/demo

# Probe definitions, one per line (Documentation/trace/kprobetrace.rst);
# \$retval is the kernel's fetch-arg, R1 the register of the first argument.
case $(uname -m) in
aarch64) R1=%x0 ;;
*) R1=%di ;;
esac
DEMO_PROBES="p:lothars_step/init kthread:shim_completion_init c=$R1:x64
p:lothars_step/reinit kthread:shim_completion_reinit c=$R1:x64 done=+0($R1):u32
p:lothars_step/wait wait_for_completion c=$R1:x64 done=+0($R1):u32
p:lothars_step/wait_interruptible wait_for_completion_interruptible c=$R1:x64 done=+0($R1):u32
p:lothars_step/wait_killable wait_for_completion_killable c=$R1:x64 done=+0($R1):u32
r:lothars_step/waited wait_for_completion
r:lothars_step/waited_interruptible wait_for_completion_interruptible ret=\$retval:s32
r:lothars_step/waited_killable wait_for_completion_killable ret=\$retval:s32
p:lothars_step/complete complete c=$R1:x64 done=+0($R1):u32
p:lothars_step/complete_all complete_all c=$R1:x64 done=+0($R1):u32
p:lothars_step/done completion_done c=$R1:x64 done=+0($R1):u32
p:lothars_step/try_wait try_wait_for_completion c=$R1:x64 done=+0($R1):u32
r:lothars_step/joined kthread_stop ret=\$retval:s32
p:lothars_step/device_destroy device_destroy"

# The tasks of the story; everything else (shells, kworkers) is left out.
DEMO_TASKS='comm == "cat" || comm == "ktprobe" || comm == "insmod" || comm == "rmmod" || comm ~ "lothars*"'
DEMO_SWITCH='prev_comm == "cat" || next_comm == "cat" || prev_comm == "ktprobe" || next_comm == "ktprobe" || prev_comm == "insmod" || next_comm == "insmod" || prev_comm == "rmmod" || next_comm == "rmmod" || prev_comm ~ "lothars*" || next_comm ~ "lothars*"'

# demo_tset FILE VALUE: write one tracefs setting; a refusal becomes a note
# the host's checks print, so a missing event explains itself.
demo_tset() {
	local err
	err=$( { printf '%s\n' "$2" >"$1"; } 2>&1) && return 0
	echo "trace-note refused: $2 > ${1#"$T"/} ($err)"
	return 1
}

# demo_enable BUFFER: the kernel's own events, and the probes.
demo_enable() {
	local b="$1" e
	demo_tset "$b/trace_clock" mono
	# Filtered-out events still take buffer space (as padding) and the probes
	# on the kernel's completion functions see every caller: room to spare.
	demo_tset "$b/buffer_size_kb" 8192
	for e in sched/sched_waking sched/sched_wakeup sched/sched_wakeup_new \
		sched/sched_process_exit; do
		demo_tset "$b/events/$e/filter" "$DEMO_TASKS"
		demo_tset "$b/events/$e/enable" 1
	done
	demo_tset "$b/events/sched/sched_switch/filter" "$DEMO_SWITCH"
	demo_tset "$b/events/sched/sched_switch/enable" 1
	demo_tset "$b/events/sched/sched_process_exec/enable" 1
	# Kernels without syscall tracepoints have no such directory.
	for e in sys_enter_read sys_exit_read; do
		[ -d "$b/events/syscalls/$e" ] || continue
		demo_tset "$b/events/syscalls/$e/filter" "$DEMO_TASKS" &&
			demo_tset "$b/events/syscalls/$e/enable" 1
	done
	demo_tset "$b/events/printk/console/enable" 1
	demo_tset "$b/events/module/module_load/enable" 1
	demo_tset "$b/events/module/module_free/enable" 1
	demo_tset "$b/events/lothars_step/filter" "$DEMO_TASKS"
	demo_tset "$b/events/lothars_step/enable" 1
}

# The log lines reach the trace through printk:console. Up to 5.10 the
# kernel emits that event only for a line the console prints (a level
# below console_loglevel; the VM boots with loglevel=5, the module logs at
# 6); later kernels emit it for every line. Ask the kernel which it does,
# and let every level through to the console where it needs that.
demo_console_levels() {
	echo 0 >$T/tracing_on
	echo >$T/trace
	echo 1 >$T/events/printk/console/enable
	echo 1 >$T/tracing_on
	echo '<6>demo: does an info line reach printk:console?' >/dev/kmsg
	echo 0 >$T/tracing_on
	echo 0 >$T/events/printk/console/enable
	grep -q 'demo: does an info line' $T/trace && return 0
	echo 8 >/proc/sys/kernel/printk
	echo "# this kernel traces only the log lines its console prints: console_loglevel 8"
}

# Before insmod: both buffers, recording.
demo_trace_start() {
	local def
	demo_console_levels
	echo 0 >$T/tracing_on
	echo >$T/trace
	mkdir -p $TB
	echo 0 >$TB/tracing_on
	printf '%s\n' "$DEMO_PROBES" | while read -r def; do
		# A module not loaded yet: the kernel arms the probe on load.
		echo "$def" >>$T/kprobe_events 2>/dev/null || echo "trace-note no probe: $def"
	done
	demo_enable $T
	demo_enable $TB
	echo 1 >$T/tracing_on
	echo 1 >$TB/tracing_on
}

# The thread's pid; with the shell's read, not cat (cat would be traced).
demo_thread_pid() {
	local p c
	for p in /proc/[0-9]*; do
		read -r c <"$p/comm" 2>/dev/null || continue
		case $c in
		lothars_wait_th*) echo "${p#/proc/}"; return 0 ;;
		esac
	done
	return 1
}

# After insmod: the module's own tracepoints, top-level buffer only.
demo_trace_module() {
	echo 1 >$T/events/lothars/enable
}

# Just before rmmod: mark the cut, save the top-level buffer.
demo_trace_cut() {
	echo demo-cut >$T/trace_marker
	echo demo-cut >$TB/trace_marker
	dd if=$T/trace of=/tmp/trace-a bs=64k 2>/dev/null
}

# After rmmod: stop, and send both halves to the host on the report port.
demo_trace_send() {
	echo 0 >$T/tracing_on
	echo 0 >$TB/tracing_on
	dd if=$TB/trace of=/tmp/trace-b bs=64k 2>/dev/null
	grep -v '^#' /tmp/trace-a | sed 's/^/trace-a /'
	# the instance from its cut on: the host needs no more of it
	grep -v '^#' /tmp/trace-b | sed -n '/tracing_mark_write: demo-cut/,$p' | sed 's/^/trace-b /'
	echo "trace-end"
}
