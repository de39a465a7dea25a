/* SPDX-License-Identifier: GPL-2.0 */
/*
 * wake_stats.h - wake-latency statistics of a completion hand-off (make
 * bench only: kthread.ko as bench/kthread builds it, and the C twin).
 *
 * The poster stamps event N (ktime_get_ns) just before complete(); the
 * woken thread, when it takes event N, records "now - stamp": the time
 * from complete() to the thread running. The samples are exposed in
 * debugfs, in <debugfs>/<dir>/:
 *
 *   wake_latency  samples, p50/p90/p99/max in ns; write anything to reset
 *   wake_samples  the samples kept (up to WAKE_STATS_SAMPLES), one per
 *                 line, oldest first
 *
 * Plain C over kernel headers: kthread.ko (kthread_events.c)
 * and the C twin of `make bench` (bench/ctwin) both use it, so that the
 * instrumentation costs both the same.
 *
 * Posts and handles are paired by event number: exact with one poster
 * (post order == handle order); with concurrent posters a sample may pair
 * a handle with a neighbouring post. A statistic, not an invariant.
 */
#ifndef WAKE_STATS_H
#define WAKE_STATS_H

#include <linux/compiler.h>
#include <linux/minmax.h>
#include <linux/spinlock.h>
#include <linux/ktime.h>
#include <linux/types.h>

/* Post times kept: how far the thread may fall behind the posters. */
#define WAKE_STATS_POSTS 4096
/* Latencies kept for the percentiles (the count and max cover all). */
#define WAKE_STATS_SAMPLES 16384

struct wake_post {
	u64 number;
	u64 at_ns;
};

struct wake_stats {
	struct dentry *dir;
	spinlock_t lock;	/* count, lost, max_ns, samples */
	u64 count;		/* samples since the last reset */
	u64 lost;		/* handled events without a post time */
	u64 max_ns;
	struct wake_post posts[WAKE_STATS_POSTS];
	u64 samples[WAKE_STATS_SAMPLES];
};

static __always_inline void wake_stats_post(struct wake_stats *stats,
					    u64 number)
{
	struct wake_post *post;

	if (!stats)
		return;
	post = &stats->posts[number % WAKE_STATS_POSTS];
	WRITE_ONCE(post->at_ns, ktime_get_ns());
	/* The number last: a reader that sees it sees the time too. */
	smp_store_release(&post->number, number);
}

static __always_inline u64 wake_stats_take(struct wake_stats *stats,
					   u64 number)
{
	struct wake_post *post;
	u64 now, at, sample = 0;

	if (!stats)
		return 0;
	now = ktime_get_ns();
	post = &stats->posts[number % WAKE_STATS_POSTS];
	/* Slot 0 starts out as "event 0 posted at 0": reject that too. */
	if (smp_load_acquire(&post->number) == number) {
		at = READ_ONCE(post->at_ns);
		if (at && at <= now)
			sample = now - at;
	}
	spin_lock(&stats->lock);
	if (sample) {
		stats->samples[stats->count % WAKE_STATS_SAMPLES] = sample;
		stats->count++;
		stats->max_ns = max(stats->max_ns, sample);
	} else {
		stats->lost++;
	}
	spin_unlock(&stats->lock);
	return sample;
}

/*
 * wake_stats_post() and wake_stats_take() above are the bodies of
 * wake_stats_posted() and wake_stats_handled() below, inline for a
 * caller that makes a call of its own per event anyway (kthread.ko's
 * kthread_event_posted() and kthread_event_handled()): so the C++ module and the
 * C twin, which calls the out-of-line pair, both pay one call per event.
 */

/*
 * Allocates the sample store and creates the debugfs directory. Returns
 * NULL when there is no memory: every other function accepts NULL and
 * does nothing (a module without statistics works the same).
 */
struct wake_stats *wake_stats_create(const char *debugfs_dir);
void wake_stats_destroy(struct wake_stats *stats);

/* Out of line, in bench/ctwin/ctwin_stats.c: the C twin's calls. */

/* Context: any. Call just before complete(). */
void wake_stats_posted(struct wake_stats *stats, u64 number);
/*
 * Context: process (the woken thread). Returns the sample in ns, 0 when
 * event @number has no post time (never stamped, or overwritten).
 */
u64 wake_stats_handled(struct wake_stats *stats, u64 number);

#endif /* WAKE_STATS_H */
