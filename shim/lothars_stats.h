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

#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/types.h>

/* Post times kept: how far the thread may fall behind the posters. */
#define LOTHARS_STATS_POSTS 4096
/* Latencies kept for the percentiles (the count and max cover all). */
#define LOTHARS_STATS_SAMPLES 16384

struct lothars_post {
	u64 number;
	u64 at_ns;
};

struct lothars_stats {
	struct dentry *dir;
	spinlock_t lock;	/* count, lost, max_ns, samples */
	u64 count;		/* samples since the last reset */
	u64 lost;		/* handled events without a post time */
	u64 max_ns;
	struct lothars_post posts[LOTHARS_STATS_POSTS];
	u64 samples[LOTHARS_STATS_SAMPLES];
};

static __always_inline void lothars_stats_post(struct lothars_stats *stats,
					       u64 number)
{
	struct lothars_post *post;

	if (!stats)
		return;
	post = &stats->posts[number % LOTHARS_STATS_POSTS];
	WRITE_ONCE(post->at_ns, ktime_get_ns());
	/* The number last: a reader that sees it sees the time too. */
	smp_store_release(&post->number, number);
}

static __always_inline u64 lothars_stats_take(struct lothars_stats *stats,
					      u64 number)
{
	struct lothars_post *post;
	u64 now, at, sample = 0;

	if (!stats)
		return 0;
	now = ktime_get_ns();
	post = &stats->posts[number % LOTHARS_STATS_POSTS];
	/* Slot 0 starts out as "event 0 posted at 0": reject that too. */
	if (smp_load_acquire(&post->number) == number) {
		at = READ_ONCE(post->at_ns);
		if (at && at <= now)
			sample = now - at;
	}
	spin_lock(&stats->lock);
	if (sample) {
		stats->samples[stats->count % LOTHARS_STATS_SAMPLES] = sample;
		stats->count++;
		stats->max_ns = max(stats->max_ns, sample);
	} else {
		stats->lost++;
	}
	spin_unlock(&stats->lock);
	return sample;
}

/*
 * lothars_stats_post() and lothars_stats_take() above are the bodies of
 * lothars_stats_posted() and lothars_stats_handled() below, inline for a
 * caller that makes a call of its own per event anyway (kthread.ko's
 * shim_event_posted() and shim_event_handled()): so the C++ module and the
 * C twin, which calls the out-of-line pair, both pay one call per event.
 */

/*
 * Allocates the sample store and creates the debugfs directory. Returns
 * NULL when there is no memory: every other function accepts NULL and
 * does nothing (a module without statistics works the same).
 */
struct lothars_stats *lothars_stats_create(const char *debugfs_dir);
void lothars_stats_destroy(struct lothars_stats *stats);

/* Out of line, in bench/ctwin/ctwin_stats.c: the C twin's calls. */

/* Context: any. Call just before complete(). */
void lothars_stats_posted(struct lothars_stats *stats, u64 number);
/*
 * Context: process (the woken thread). Returns the sample in ns, 0 when
 * event @number has no post time (never stamped, or overwritten).
 */
u64 lothars_stats_handled(struct lothars_stats *stats, u64 number);

/*
 * kthread.ko's own instance, in shim/lothars_events.c, set up by
 * lothars_module.c around the C++ module's load and unload.
 */
void shim_events_init(void);
void shim_events_exit(void);

#endif /* LOTHARS_STATS_H */
