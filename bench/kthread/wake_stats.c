// SPDX-License-Identifier: GPL-2.0
/*
 * wake_stats.c - wake-latency statistics of a completion hand-off, in
 * debugfs. See wake_stats.h.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/ktime.h>

#include "wake_stats.h"

/*
 * A consistent copy of the samples kept, oldest first. Returns how many;
 * *out is kvfree()d by the caller.
 */
static long stats_snapshot(struct wake_stats *stats, u64 **out, u64 *count,
			   u64 *lost, u64 *max_ns)
{
	u64 *copy, kept, first;

	copy = kvmalloc_array(WAKE_STATS_SAMPLES, sizeof(*copy), GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	spin_lock(&stats->lock);
	*count = stats->count;
	*lost = stats->lost;
	*max_ns = stats->max_ns;
	kept = min_t(u64, stats->count, WAKE_STATS_SAMPLES);
	first = stats->count > WAKE_STATS_SAMPLES ?
		stats->count % WAKE_STATS_SAMPLES : 0;
	memcpy(copy, stats->samples + first, (kept - first) * sizeof(*copy));
	memcpy(copy + (kept - first), stats->samples, first * sizeof(*copy));
	spin_unlock(&stats->lock);
	*out = copy;
	return kept;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank: the smallest sample with @permille/1000 of them at or below it. */
static u64 rank(const u64 *sorted, u64 kept, unsigned int permille)
{
	u64 index;

	if (!kept)
		return 0;
	index = div_u64(kept * permille + 999, 1000);
	return sorted[index ? index - 1 : 0];
}

static int wake_latency_show(struct seq_file *m, void *unused)
{
	struct wake_stats *stats = m->private;
	u64 *sorted, count, lost, max_ns, sum = 0;
	long kept, i;

	kept = stats_snapshot(stats, &sorted, &count, &lost, &max_ns);
	if (kept < 0)
		return kept;
	sort(sorted, kept, sizeof(*sorted), cmp_u64, NULL);
	for (i = 0; i < kept; i++)
		sum += sorted[i];
	seq_printf(m, "samples %llu\nkept %ld\nlost %llu\n", count, kept, lost);
	seq_printf(m, "mean_ns %llu\n", kept ? div64_u64(sum, kept) : 0);
	seq_printf(m, "p50_ns %llu\np90_ns %llu\np99_ns %llu\nmax_ns %llu\n",
		   rank(sorted, kept, 500), rank(sorted, kept, 900),
		   rank(sorted, kept, 990), max_ns);
	kvfree(sorted);
	return 0;
}

static int wake_latency_open(struct inode *inode, struct file *file)
{
	return single_open(file, wake_latency_show, inode->i_private);
}

/* Any write resets the statistics (the post times stay: they are paired by number). */
static ssize_t wake_latency_write(struct file *file, const char __user *buf,
				  size_t len, loff_t *pos)
{
	struct wake_stats *stats = ((struct seq_file *)file->private_data)->private;

	spin_lock(&stats->lock);
	stats->count = 0;
	stats->lost = 0;
	stats->max_ns = 0;
	spin_unlock(&stats->lock);
	return len;
}

static const struct file_operations wake_latency_fops = {
	.owner = THIS_MODULE,
	.open = wake_latency_open,
	.read = seq_read,
	.write = wake_latency_write,
	.llseek = seq_lseek,
	.release = single_release,
};

static int wake_samples_show(struct seq_file *m, void *unused)
{
	u64 *samples, count, lost, max_ns;
	long kept, i;

	kept = stats_snapshot(m->private, &samples, &count, &lost, &max_ns);
	if (kept < 0)
		return kept;
	for (i = 0; i < kept; i++)
		seq_printf(m, "%llu\n", samples[i]);
	kvfree(samples);
	return 0;
}

static int wake_samples_open(struct inode *inode, struct file *file)
{
	/* About 8 bytes a line: one pass, no seq_file retries. */
	return single_open_size(file, wake_samples_show, inode->i_private,
				WAKE_STATS_SAMPLES * 12);
}

static const struct file_operations wake_samples_fops = {
	.owner = THIS_MODULE,
	.open = wake_samples_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

struct wake_stats *wake_stats_create(const char *debugfs_dir)
{
	struct wake_stats *stats;

	stats = kvzalloc(sizeof(*stats), GFP_KERNEL);
	if (!stats)
		return NULL;
	spin_lock_init(&stats->lock);
	/* debugfs failures are not errors: the files are then just missing. */
	stats->dir = debugfs_create_dir(debugfs_dir, NULL);
	debugfs_create_file("wake_latency", 0600, stats->dir, stats,
			    &wake_latency_fops);
	debugfs_create_file("wake_samples", 0400, stats->dir, stats,
			    &wake_samples_fops);
	return stats;
}

void wake_stats_destroy(struct wake_stats *stats)
{
	if (!stats)
		return;
	/* Waits for readers of the files: nobody touches @stats after this. */
	debugfs_remove_recursive(stats->dir);
	kvfree(stats);
}
