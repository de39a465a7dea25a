// SPDX-License-Identifier: GPL-2.0
/*
 * kthread_events.c - the hand-off between read() and the kernel thread,
 * traced: the tracepoints of kthread_trace.h (lothars:lothars_event_posted,
 * lothars:lothars_event_handled), which make demo's timeline reads. The
 * wake time the second carries is measured only while it is enabled.
 * (make bench builds the module with bench/kthread's events instead,
 * which keep wake-latency statistics as its C twin does.)
 */
#include <linux/compiler.h>
#include <linux/ktime.h>
#include <linux/types.h>

#include "kthread.h"

#define CREATE_TRACE_POINTS
#include "kthread_trace.h"

/*
 * When the last events were posted, by number: what the handled
 * tracepoint's wake_ns is measured from. A sample, not an invariant: with
 * concurrent readers a slot may hold a neighbouring event's time.
 */
#define KTHREAD_POSTED_SLOTS 64
static u64 posted_ns[KTHREAD_POSTED_SLOTS];

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
	if (trace_lothars_event_handled_enabled())
		WRITE_ONCE(posted_ns[number % KTHREAD_POSTED_SLOTS],
			   ktime_get_ns());
}

/**
 * kthread_event_handled() - the woken thread runs and takes event @number
 * @number: the event's number, in handling order
 *
 * Context: the kernel thread.
 */
void kthread_event_handled(unsigned long long number)
{
	u64 at, now, wake_ns = 0;

	if (!trace_lothars_event_handled_enabled())
		return;
	now = ktime_get_ns();
	at = READ_ONCE(posted_ns[number % KTHREAD_POSTED_SLOTS]);
	if (at && at <= now)
		wake_ns = now - at;
	trace_lothars_event_handled(number, wake_ns);
}
