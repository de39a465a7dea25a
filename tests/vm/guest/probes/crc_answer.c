// SPDX-License-Identifier: GPL-2.0
/*
 * crcprobe's checks of what an answer says: which worker computed it, and
 * that a buffer exactly the answer's length receives it whole.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crcprobe.h"

/*
 * CPU time (ns) of every worker thread, by its id: comm "crcpool/<id>",
 * time from /proc/PID/schedstat. Returns how many workers were found, or -1
 * when the kernel has no schedstat (then nothing can be told).
 */
static int worker_times(unsigned long long *ns)
{
	DIR *proc = opendir("/proc");
	struct dirent *d;
	int found = 0, no_schedstat = 0;

	if (!proc)
		return -1;
	memset(ns, 0, MAX_WORKERS * sizeof(*ns));
	while ((d = readdir(proc))) {
		char path[288], comm[32];
		unsigned int id;
		FILE *f;

		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", d->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (!fgets(comm, sizeof(comm), f) || sscanf(comm, "crcpool/%u\n", &id) != 1 || id >= MAX_WORKERS) {
			fclose(f);
			continue;
		}
		fclose(f);
		snprintf(path, sizeof(path), "/proc/%s/schedstat", d->d_name);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%llu", &ns[id]) != 1)
			no_schedstat = 1;
		if (f)
			fclose(f);
		found++;
	}
	closedir(proc);
	return no_schedstat ? -1 : found;
}

/*
 * who-computed N SIZE: N requests of SIZE bytes, one at a time; around
 * each, every worker's CPU time. The worker whose time grew the most
 * computed the request (the others sleep): its id must be the answer's
 * worker=. Prints "ok=O mismatched=M untold=U workers=W" (untold: no
 * worker's time grew, too fast to tell), then each mismatch.
 */
static int cmd_who_computed(char **args, const char *path)
{
	int n = atoi(args[0]), ok = 0, mismatched = 0, untold = 0, workers = 0;
	size_t len = strtoul(args[1], NULL, 0);
	unsigned long long before[MAX_WORKERS], after[MAX_WORKERS];
	unsigned char *buf = malloc(len);
	int fd = open_dev();

	if (!buf || n < 1 || !len)
		return PROBE_USAGE;
	for (int i = 0; i < n; i++) {
		unsigned long long most = 0;
		int busiest = -1, ret;
		struct result r;

		fill(buf, len, i + 1);
		workers = worker_times(before);
		if (workers < 0) {
			printf("no schedstat\n");
			return 1;
		}
		ret = request(fd, buf, len, &r);
		if (ret) {
			printf("request %d: %s\n", i, ret < 0 ? errname(-ret) : "wrong result");
			return 1;
		}
		worker_times(after);
		for (int w = 0; w < MAX_WORKERS; w++) {
			if (after[w] - before[w] > most) {
				most = after[w] - before[w];
				busiest = w;
			}
		}
		if (busiest < 0)
			untold++;
		else if ((unsigned int)busiest == r.worker)
			ok++;
		else {
			mismatched++;
			printf("# request %d: worker=%u in the answer, crcpool/%d computed it (%llu ns)\n", i, r.worker,
			       busiest, most);
		}
	}
	close(fd);
	free(buf);
	printf("ok=%d mismatched=%d untold=%d workers=%d\n", ok, mismatched, untold, workers);
	return 0;
}

/*
 * exact-buffer: two requests of the same bytes. The first answer, read
 * into a large buffer, gives the line; the second one's differs only in
 * seq (one more), so its length L is known before it is read. A read of
 * L - 1 bytes must fail with EINVAL and leave the answer; a read of exactly
 * L bytes must return the whole line and write nothing past it.
 * Prints "short=ERRNO exact=L/GOT match|differs guard=kept|overwritten".
 */
static int cmd_exact_buffer(char **args, const char *path)
{
	static const unsigned char data[] = "123456789";
	char want[128], got[160];
	unsigned long long seq;
	struct result r;
	ssize_t n, len;
	int fd = open_dev(), short_errno = 0;

	if (request(fd, data, 9, &r)) {
		printf("first request failed\n");
		return 1;
	}
	seq = r.seq;
	len = snprintf(want, sizeof(want), "crc32c=0x%08x worker=%u bytes=9 seq=%llu\n", r.crc, r.worker, seq + 1);
	if (write(fd, data, 9) != 9) {
		printf("second write: %s\n", errname(errno));
		return 1;
	}
	memset(got, 0x5a, sizeof(got));
	if (read(fd, got, len - 1) < 0)
		short_errno = errno;
	n = read(fd, got, len);
	close(fd);
	printf("short=%s exact=%zd/%zd %s guard=%s\n", short_errno ? errname(short_errno) : "OK", len,
	       n, n == len && !memcmp(got, want, len) ? "match" : "differs",
	       (unsigned char)got[len] == 0x5a ? "kept" : "overwritten");
	if (n != len || memcmp(got, want, len))
		printf("# wanted: %s# got %zd bytes: %.*s\n", want, n, n > 0 ? (int)n : 0, got);
	return 0;
}

const struct probe_cmd crc_answer[] = {
	{ "who-computed N SIZE", cmd_who_computed }, { "exact-buffer", cmd_exact_buffer }, { NULL }
};
