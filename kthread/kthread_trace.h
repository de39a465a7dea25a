/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kthread_trace.h - kthread.ko's tracepoints: the hand-off of each read
 * event to the kernel thread, for the kernel's own tracing (tracefs):
 *
 *   echo 1 > /sys/kernel/tracing/events/lothars/enable
 *   cat /sys/kernel/tracing/trace
 *
 * Instantiated (CREATE_TRACE_POINTS) in kthread_events.c only.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM lothars

#if !defined(KTHREAD_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KTHREAD_TRACE_H

#include <linux/tracepoint.h>

/* A read() posted event @number: complete() follows. */
TRACE_EVENT(lothars_event_posted,
	TP_PROTO(u64 number),
	TP_ARGS(number),
	TP_STRUCT__entry(
		__field(u64, number)
	),
	TP_fast_assign(
		__entry->number = number;
	),
	TP_printk("event=%llu", __entry->number)
);

/*
 * The kernel thread runs again and takes event @number, @wake_ns after
 * its complete() (0: unknown).
 */
TRACE_EVENT(lothars_event_handled,
	TP_PROTO(u64 number, u64 wake_ns),
	TP_ARGS(number, wake_ns),
	TP_STRUCT__entry(
		__field(u64, number)
		__field(u64, wake_ns)
	),
	TP_fast_assign(
		__entry->number = number;
		__entry->wake_ns = wake_ns;
	),
	TP_printk("event=%llu wake_ns=%llu", __entry->number, __entry->wake_ns)
);

#endif /* KTHREAD_TRACE_H */

/* The header's directory is on the include path (Kbuild: CFLAGS_...). */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kthread_trace
#include <trace/define_trace.h>
