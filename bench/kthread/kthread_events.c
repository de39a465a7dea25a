// SPDX-License-Identifier: GPL-2.0
/*
 * kthread_events.c (make bench) - the hand-off between read() and the
 * kernel thread, instrumented as the C twin is: the tracepoints of
 * kthread/kthread_trace.h and the wake-latency statistics in debugfs
 * (/sys/kernel/debug/lothars_chardev/). kthread.ko as users get it has
 * kthread/kthread_events.c instead: the tracepoints only.
 */
#include <linux/types.h>

#include "kthread.h"
#include "wake_stats.h"

#define CREATE_TRACE_POINTS
#include "kthread_trace.h"

/* Created by kthread_main.c (KTHREAD_BENCH) before the C++ module exists, destroyed after. */
struct wake_stats *kthread_wake_stats;

/**
 * kthread_event_posted() - a read() is about to complete() event @number
 * @number: the event's number, in posting order
 *
 * Context: any.
 */
void kthread_event_posted(unsigned long long number)
{
	trace_lothars_event_posted(number);
	/* The clock starts last, as close to complete() as it gets. */
	wake_stats_post(kthread_wake_stats, number);
}

/**
 * kthread_event_handled() - the woken thread runs and takes event @number
 * @number: the event's number, in handling order
 *
 * Context: the kernel thread.
 */
void kthread_event_handled(unsigned long long number)
{
	/* The clock stops first. */
	u64 wake_ns = wake_stats_take(kthread_wake_stats, number);

	trace_lothars_event_handled(number, wake_ns);
}
