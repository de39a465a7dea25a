// SPDX-License-Identifier: GPL-2.0
/*
 * lothars_events.c - the hand-off between read() and the kernel thread,
 * instrumented: the tracepoints of lothars_trace.h and the wake-latency
 * statistics in debugfs (/sys/kernel/debug/lothars_chardev/).
 */
#include <linux/types.h>

#include "lothars_shim.h"
#include "lothars_stats.h"

#define CREATE_TRACE_POINTS
#include "lothars_trace.h"

static struct lothars_stats *wake_stats;

/* Before the C++ module exists: no event can be posted yet. */
void shim_events_init(void)
{
	wake_stats = lothars_stats_create("lothars_chardev");
}

/* After the C++ module is gone and its thread joined. */
void shim_events_exit(void)
{
	lothars_stats_destroy(wake_stats);
	wake_stats = NULL;
}

/**
 * shim_event_posted() - a read() is about to complete() event @number
 * @number: the event's number, in posting order
 *
 * Context: any.
 */
void shim_event_posted(unsigned long long number)
{
	trace_lothars_event_posted(number);
	/* The clock starts last, as close to complete() as it gets. */
	lothars_stats_post(wake_stats, number);
}

/**
 * shim_event_handled() - the woken thread runs and takes event @number
 * @number: the event's number, in handling order
 *
 * Context: the kernel thread.
 */
void shim_event_handled(unsigned long long number)
{
	/* The clock stops first. */
	u64 wake_ns = lothars_stats_take(wake_stats, number);

	trace_lothars_event_handled(number, wake_ns);
}
