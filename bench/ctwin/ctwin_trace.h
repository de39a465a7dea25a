/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctwin_trace.h - the C twin's tracepoints, the same two as kthread.ko's
 * (kthread/kthread_trace.h) under their own system name.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ctwin

#if !defined(CTWIN_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define CTWIN_TRACE_H

#include <linux/tracepoint.h>

TRACE_EVENT(ctwin_event_posted,
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

TRACE_EVENT(ctwin_event_handled,
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

#endif /* CTWIN_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE ctwin_trace
#include <trace/define_trace.h>
