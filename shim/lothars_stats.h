/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lothars_stats.h - wake-latency statistics of a completion hand-off.
 *
 * The poster stamps event N (ktime_get_ns) just before complete(); the
 * woken thread, when it takes event N, records "now - stamp": the time
 * from complete() to the thread running. The samples are exposed in
 * debugfs, in <debugfs>/<dir>/:
 *
 *   wake_latency  samples, p50/p90/p99/max in ns; write anything to reset
 *   wake_samples  the samples kept (up to LOTHARS_STATS_SAMPLES), one per
 *                 line, oldest first
 *
 * Plain C over kernel headers: kthread.ko's shim (shim/lothars_events.c)
 * and the C twin of `make bench` (bench/ctwin) both use it, so that the
 * instrumentation costs both the same.
 *
 * Posts and handles are paired by event number: exact with one poster
 * (post order == handle order); with concurrent posters a sample may pair
 * a handle with a neighbouring post. A statistic, not an invariant.
 */
#ifndef LOTHARS_STATS_H
#define LOTHARS_STATS_H

#include <linux/types.h>

struct lothars_stats;

/*
 * Allocates the sample store and creates the debugfs directory. Returns
 * NULL when there is no memory: every other function accepts NULL and
 * does nothing (a module without statistics works the same).
 */
struct lothars_stats *lothars_stats_create(const char *debugfs_dir);
void lothars_stats_destroy(struct lothars_stats *stats);

/* Context: any. Call just before complete(). */
void lothars_stats_posted(struct lothars_stats *stats, u64 number);
/*
 * Context: process (the woken thread). Returns the sample in ns, 0 when
 * event @number has no post time (never stamped, or overwritten).
 */
u64 lothars_stats_handled(struct lothars_stats *stats, u64 number);

/* kthread.ko's own instance, in shim/lothars_events.c, set up by
 * lothars_module.c around the C++ module's load and unload. */
void shim_events_init(void);
void shim_events_exit(void);

#endif /* LOTHARS_STATS_H */
