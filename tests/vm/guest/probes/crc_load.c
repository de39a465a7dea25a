// SPDX-License-Identifier: GPL-2.0
/*
 * crcprobe under load: many writers, a rmmod racing them, requests in
 * flight when their file is closed or their reader is interrupted, and the
 * order in which one worker answers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "crcprobe.h"

/* Shared by the processes of one run. */
struct tally {
	long ok, wrong, failed;
	long by_worker[MAX_WORKERS];
	int last_errno;
};

/*
 * writers P N MAXLEN: P processes, each N requests of 1..MAXLEN random
 * bytes on one descriptor of its own, every result checked. Prints the
 * totals and how many distinct workers answered.
 */
static int cmd_writers(char **args, const char *path)
{
	int procs = atoi(args[0]), n = atoi(args[1]);
	size_t maxlen = strtoul(args[2], NULL, 0);
	struct tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int p, used = 0, w;

	for (p = 0; p < procs; p++) {
		if (fork() == 0) {
			unsigned char *buf = malloc(maxlen);
			uint32_t seed = 0x9e3779b9u * (p + 1);
			int fd = open_dev(), i;
			struct result r;

			for (i = 0; i < n; i++) {
				size_t len = 1 + rng_next(&seed) % maxlen;
				int ret;

				fill(buf, len, rng_next(&seed));
				ret = request(fd, buf, len, &r);
				if (ret < 0) {
					__atomic_add_fetch(&t->failed, 1, __ATOMIC_RELAXED);
					t->last_errno = -ret;
				} else if (ret) {
					__atomic_add_fetch(&t->wrong, 1, __ATOMIC_RELAXED);
				} else {
					__atomic_add_fetch(&t->ok, 1, __ATOMIC_RELAXED);
					if (r.worker < MAX_WORKERS)
						__atomic_add_fetch(&t->by_worker[r.worker], 1, __ATOMIC_RELAXED);
				}
			}
			close(fd);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	for (w = 0; w < MAX_WORKERS; w++)
		used += t->by_worker[w] > 0;
	printf("ok=%ld wrong=%ld failed=%ld workers_used=%d", t->ok, t->wrong, t->failed, used);
	if (t->failed)
		printf(" last_error=%s", errname(t->last_errno));
	printf("\n");
	return 0;
}

/*
 * hammer P SECONDS: P processes open, write, read and close in a loop
 * until the device goes away (open fails) or SECONDS pass. For rmmod
 * under load: prints the requests answered and how each process ended.
 */
static int cmd_hammer(char **args, const char *path)
{
	int procs = atoi(args[0]), p;
	struct tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	time_t end = time(NULL) + atoi(args[1]);

	for (p = 0; p < procs; p++) {
		if (fork() == 0) {
			uint32_t seed = 0x85ebca6bu * (p + 1);
			unsigned char buf[512];
			struct result r;

			while (time(NULL) < end) {
				size_t len = 1 + rng_next(&seed) % sizeof(buf);
				int fd = open(path, O_RDWR), ret;

				if (fd < 0) {
					t->last_errno = errno;
					break;
				}
				fill(buf, len, rng_next(&seed));
				ret = request(fd, buf, len, &r);
				close(fd);
				if (ret < 0)
					__atomic_add_fetch(&t->failed, 1, __ATOMIC_RELAXED);
				else if (ret)
					__atomic_add_fetch(&t->wrong, 1, __ATOMIC_RELAXED);
				else
					__atomic_add_fetch(&t->ok, 1, __ATOMIC_RELAXED);
			}
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	printf("ok=%ld wrong=%ld failed=%ld end=%s\n", t->ok, t->wrong, t->failed,
	       t->last_errno ? errname(t->last_errno) : "time");
	return 0;
}

/*
 * close-inflight N SIZE: N descriptors each submit SIZE bytes and are
 * closed at once, without reading: the closes must wait for the workers
 * (or the module would free what they work on).
 */
static int cmd_close_inflight(char **args, const char *path)
{
	int n = atoi(args[0]);
	size_t size = strtoul(args[1], NULL, 0);
	unsigned char *buf = malloc(size);
	int i, failed = 0;

	fill(buf, size, 7);
	for (i = 0; i < n; i++) {
		int fd = open_dev();

		if (write(fd, buf, size) != (ssize_t)size)
			failed++;
		close(fd);
	}
	printf("%s\n", failed ? "FAILED" : "OK");
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * interrupt BIG: a request queued behind BIG bytes on another descriptor
 * (one worker), its read interrupted by a signal (no SA_RESTART): EINTR,
 * then the next read collects the same request's exact result. Prints
 * the first read's outcome and the second's.
 */
static int cmd_interrupt(char **args, const char *path)
{
	size_t big = strtoul(args[0], NULL, 0);
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval timer = { .it_value = { .tv_usec = 2000 } };
	unsigned char *buf = malloc(big);
	int blocker = open_dev(), fd = open_dev(), i;
	char line[128];
	ssize_t n;
	struct result r;
	const char *first;

	sigaction(SIGALRM, &sa, NULL); /* sa_flags 0: no restart */
	fill(buf, big, 3);
	for (i = 0; i < 1; i++)
		if (write(blocker, buf, big) != (ssize_t)big)
			printf("blocker write: %s\n", errname(errno));
	if (write(fd, "123456789", 9) != 9) {
		printf("write: %s\n", errname(errno));
		return 1;
	}
	setitimer(ITIMER_REAL, &timer, NULL);
	n = read(fd, line, sizeof(line) - 1);
	first = n < 0 ? errname(errno) : "OK";
	if (n < 0) {
		n = read(fd, line, sizeof(line) - 1);
		if (n < 0) {
			printf("%s then-read=%s\n", first, errname(errno));
			return 1;
		}
	}
	line[n] = '\0';
	printf("%s then-read=%s\n", first, parse(line, &r) && r.crc == 0xE3069283 ? "exact" : "WRONG");
	close(fd);
	close(blocker);
	return 0;
}

/*
 * fifo N BIG: one worker busy with BIG bytes, then N one-byte requests on
 * N descriptors, written in order; their completion order (seq) must be
 * the order of the writes. Prints OK or the order seen.
 */
static int cmd_fifo(char **args, const char *path)
{
	int n = atoi(args[0]);
	size_t big = strtoul(args[1], NULL, 0);
	unsigned char *buf = malloc(big);
	int blocker = open_dev(), *fds = calloc(n, sizeof(int)), i, in_order = 1;
	unsigned long long last = 0;
	char line[128];
	struct result r;

	fill(buf, big, 5);
	if (write(blocker, buf, big) != (ssize_t)big)
		printf("blocker write: %s\n", errname(errno));
	for (i = 0; i < n; i++) {
		fds[i] = open_dev();
		buf[0] = (unsigned char)i;
		if (write(fds[i], buf, 1) != 1)
			printf("write %d: %s\n", i, errname(errno));
	}
	for (i = 0; i < n; i++) {
		ssize_t got = read(fds[i], line, sizeof(line) - 1);

		line[got > 0 ? got : 0] = '\0';
		if (!parse(line, &r)) {
			printf("read %d: %s\n", i, got < 0 ? errname(errno) : line);
			return 1;
		}
		if (i && r.seq <= last)
			in_order = 0;
		last = r.seq;
		printf(i ? " %llu" : "seq %llu", r.seq);
		close(fds[i]);
	}
	printf("\n%s\n", in_order ? "OK" : "OUT OF ORDER");
	if (read(blocker, line, sizeof(line)) < 0)
		printf("blocker read: %s\n", errname(errno));
	close(blocker);
	return 0;
}

/*
 * tput P MS SIZE: make bench's throughput (bench/guest/crc.sh): P
 * processes, each writing SIZE bytes and reading the answer in a loop on
 * its own descriptor for MS milliseconds; every answer is compared with the
 * buffer's CRC32C, computed here once. Prints "BYTES_PER_S BYTES MS
 * WRONG" (WRONG: answers with another CRC, or failed calls).
 */
static int cmd_tput(char **args, const char *path)
{
	int procs = atoi(args[0]), p;
	long long span = atoll(args[1]) * 1000000LL, start, end;
	size_t size = strtoul(args[2], NULL, 0);
	struct tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned char *buf = malloc(size);
	uint32_t want;

	fill(buf, size, 0x27d4eb2fu);
	want = crc32c(buf, size);
	start = now_ns();
	for (p = 0; p < procs; p++) {
		if (fork() == 0) {
			int fd = open_dev();
			struct result r;

			while (now_ns() - start < span) {
				int ret = request(fd, buf, size, &r);

				if (ret || r.crc != want || r.bytes != size)
					__atomic_add_fetch(&t->wrong, 1, __ATOMIC_RELAXED);
				else
					__atomic_add_fetch(&t->ok, 1, __ATOMIC_RELAXED);
			}
			close(fd);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	end = now_ns();
	printf("%.0f %llu %.1f %ld\n", (double)t->ok * size * 1e9 / (end - start),
	       (unsigned long long)t->ok * size, (end - start) / 1e6, t->wrong);
	return 0;
}

const struct probe_cmd crc_load[] = {
	{ "writers P N MAXLEN", cmd_writers }, { "hammer P S", cmd_hammer },
	{ "tput P MS SIZE", cmd_tput },
	{ "close-inflight N SIZE", cmd_close_inflight }, { "interrupt BIG", cmd_interrupt },
	{ "fifo N BIG", cmd_fifo }, { NULL }
};
