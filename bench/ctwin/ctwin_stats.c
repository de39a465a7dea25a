// SPDX-License-Identifier: GPL-2.0
/*
 * The wake-latency statistics, the same code kthread.ko links, and the
 * out-of-line pair a C driver would call (kthread.ko inlines the same
 * bodies into its one instrumentation call per event).
 */
#include "../../shim/lothars_stats.c"

void lothars_stats_posted(struct lothars_stats *stats, u64 number)
{
	lothars_stats_post(stats, number);
}

u64 lothars_stats_handled(struct lothars_stats *stats, u64 number)
{
	return lothars_stats_take(stats, number);
}
