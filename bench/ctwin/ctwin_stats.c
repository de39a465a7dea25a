// SPDX-License-Identifier: GPL-2.0
/*
 * The wake-latency statistics, the same code kthread.ko links, and the
 * out-of-line pair a C driver would call (kthread.ko inlines the same
 * bodies into its one instrumentation call per event).
 */
#include "../kthread/wake_stats.c"

void wake_stats_posted(struct wake_stats *stats, u64 number)
{
	wake_stats_post(stats, number);
}

u64 wake_stats_handled(struct wake_stats *stats, u64 number)
{
	return wake_stats_take(stats, number);
}
