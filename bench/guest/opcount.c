// SPDX-License-Identifier: GPL-2.0
/*
 * opcount - the guest side of the instruction count (make bench).
 *
 * QEMU runs this guest with -icount shift=0: every guest instruction
 * advances the virtual clock by exactly 1 ns, so the CLOCK_MONOTONIC time a
 * loop takes *is* the number of instructions the guest executed for it,
 * whatever the host is doing. The clock is read twice per measurement,
 * never per operation.
 *
 *   opcount now            print CLOCK_MONOTONIC in ns
 *   opcount read DEV N     N preads of 64 bytes at offset 0 on one open
 *                          file; prints the ns (= instructions) they took
 *   opcount fifo PID       make task PID SCHED_FIFO (priority 1), so that
 *                          every wake-up of it preempts the reader at once
 */
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static int count_reads(const char *path, long n)
{
	char buf[64];
	long long t0, t1;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		perror(path);
		return 1;
	}
	/* One read first: the page of buf and the code paths are warm. */
	if (pread(fd, buf, sizeof(buf), 0) < 0) {
		perror("pread");
		return 1;
	}
	t0 = now_ns();
	for (long i = 0; i < n; i++) {
		if (pread(fd, buf, sizeof(buf), 0) < 0) {
			perror("pread");
			return 1;
		}
	}
	t1 = now_ns();
	close(fd);
	printf("%lld\n", t1 - t0);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%lld\n", now_ns());
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "fifo")) {
		struct sched_param param = { .sched_priority = 1 };

		if (sched_setscheduler(atoi(argv[2]), SCHED_FIFO, &param)) {
			perror("sched_setscheduler");
			return 1;
		}
		return 0;
	}
	if (argc == 4 && !strcmp(argv[1], "read"))
		return count_reads(argv[2], atol(argv[3]));
	fprintf(stderr, "usage: opcount now | opcount read DEV N | opcount fifo PID\n");
	return 2;
}
