// SPDX-License-Identifier: GPL-2.0
/* ktprobe's measurements for make bench: throughput and read latency. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktprobe.h"

/*
 * tput P MS: P processes, each with its own open file, read (pread at
 * offset 0) in a loop for MS milliseconds, all starting together.
 * Prints "reads/s total_reads elapsed_ms".
 */
struct tput_shared {
	volatile int ready;
	volatile int stop;
	long counts[256][8]; /* one cache line per reader */
};

static int cmd_tput(char **args, const char *path)
{
	int procs = atoi(args[0]), ms = atoi(args[1]);
	struct tput_shared *sh;
	struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };
	long long t0, t1;
	long total = 0;
	int go[2], failed = 0;

	if (procs < 1 || procs > 256 || pipe(go))
		return 2;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	for (int p = 0; p < procs; p++) {
		if (fork() == 0) {
			int fd = open_or_die(path, O_RDONLY);
			char buf[64], c;
			long n = 0;

			close(go[1]);
			__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
			if (read(go[0], &c, 1) != 0) /* EOF: the parent says go */
				_exit(1);
			while (!sh->stop) {
				if (pread(fd, buf, sizeof(buf), 0) < 0)
					_exit(1);
				n++;
			}
			sh->counts[p][0] = n;
			_exit(0);
		}
	}
	close(go[0]);
	while (sh->ready < procs)
		usleep(1000);
	t0 = now_ns();
	close(go[1]);
	nanosleep(&pause, NULL);
	sh->stop = 1;
	t1 = now_ns();
	for (int p = 0; p < procs; p++) {
		int status;

		wait(&status);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	for (int p = 0; p < procs; p++)
		total += sh->counts[p][0];
	if (failed) {
		printf("%d reader processes failed\n", failed);
		return 1;
	}
	printf("%.0f %ld %.1f\n", total * 1e9 / (double)(t1 - t0), total,
	       (t1 - t0) / 1e6);
	return 0;
}
/* Nearest rank, as the kernel side (shim/lothars_stats.c) computes it. */
static long long rank_of(const long long *sorted, long n, int permille)
{
	long index = (n * permille + 999) / 1000;

	return n ? sorted[index ? index - 1 : 0] : 0;
}

/*
 * Prints "summary N p50 p90 p99 max mean" and the distribution as
 * "bin LOWER_EDGE COUNT" lines, in quarter-octave bins (ns).
 */
static void print_distribution(long long *v, long n)
{
	static long bins[64 * 4];
	long long sum = 0;

	memset(bins, 0, sizeof(bins));
	qsort(v, n, sizeof(*v), cmp_ll);
	for (long i = 0; i < n; i++) {
		unsigned long long x = v[i] < 4 ? 4 : v[i];
		int msb = 63 - __builtin_clzll(x);

		bins[msb * 4 + ((x >> (msb - 2)) & 3)]++;
		sum += v[i];
	}
	printf("summary %ld %lld %lld %lld %lld %lld\n", n, rank_of(v, n, 500),
	       rank_of(v, n, 900), rank_of(v, n, 990), n ? v[n - 1] : 0,
	       n ? sum / n : 0);
	for (int b = 8; b < 64 * 4; b++)
		if (bins[b])
			printf("bin %llu %ld\n", (4ULL + (b & 3)) << (b / 4 - 2), bins[b]);
}

/*
 * lat N [raw]: N reads at offset 0 on one open file, each timed (the
 * round trip); the distribution, or with "raw" each time in ns.
 */
static int cmd_lat(char **args, const char *path)
{
	long n = atol(args[0]);
	int raw = args[1] != NULL;
	int fd;
	long long *v;
	char buf[64];

	if (raw && strcmp(args[1], "raw"))
		return PROBE_USAGE;
	fd = open_or_die(path, O_RDONLY);
	v = calloc(n, sizeof(*v));
	if (!v)
		return 2;
	for (int i = 0; i < 50; i++) /* warm-up */
		if (pread(fd, buf, sizeof(buf), 0) < 0)
			return 1;
	for (long i = 0; i < n; i++) {
		long long t0 = now_ns();

		if (pread(fd, buf, sizeof(buf), 0) < 0)
			return 1;
		v[i] = now_ns() - t0;
	}
	close(fd);
	if (!raw) {
		print_distribution(v, n);
		return 0;
	}
	for (long i = 0; i < n; i++)
		printf("%lld\n", v[i]);
	return 0;
}

/* hist: numbers on stdin (debugfs wake_samples), summarised as lat does. */
static int cmd_hist(char **args, const char *path)
{
	long n = 0, cap = 1 << 16;
	long long *v = malloc(cap * sizeof(*v)), x;

	while (v && scanf("%lld", &x) == 1) {
		if (n == cap && !(v = realloc(v, (cap *= 2) * sizeof(*v))))
			break;
		v[n++] = x;
	}
	if (!v)
		return 2;
	print_distribution(v, n);
	return 0;
}

/* rate N: N sequential reads on one descriptor; reads per second. */
static int cmd_rate(char **args, const char *path)
{
	int fd = open_or_die(path, O_RDONLY);
	int n = atoi(args[0]);
	char buf[64];
	long long t0 = now_ns();

	for (int i = 0; i < n; i++)
		if (pread(fd, buf, sizeof(buf), 0) < 0)
			return 1;
	printf("%.0f\n", n * 1e9 / (double)(now_ns() - t0));
	return 0;
}

const struct probe_cmd kt_bench[] = {
	{ "tput P MS", cmd_tput }, { "lat N [raw]", cmd_lat }, { "hist ...", cmd_hist },
	{ "rate N", cmd_rate }, { NULL }
};
