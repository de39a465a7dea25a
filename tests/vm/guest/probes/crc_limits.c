// SPDX-License-Identifier: GPL-2.0
/*
 * crcprobe's hostile user: who may open a device node, and how much kernel
 * memory many processes with many descriptors can make crcpool.ko hold
 * (its max_pinned bound).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "crcprobe.h"

#define PINNED "/sys/devices/virtual/crcpool/crcpool/pinned"

/* open-as UID PATH: open PATH read-write as UID (no capabilities left). */
static int cmd_open_as(char **args, const char *path)
{
	uid_t uid = (uid_t)atoi(args[0]);
	int fd;

	if (setgroups(0, NULL) || setgid(uid) || setuid(uid)) {
		printf("setuid: %s\n", errname(errno));
		return 1;
	}
	fd = open(args[1], O_RDWR);
	printf("%s\n", fd < 0 ? errname(errno) : "OK");
	return 0;
}

static long long read_pinned(void)
{
	FILE *f = fopen(PINNED, "r");
	long long n = -1;

	if (f) {
		if (fscanf(f, "%lld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

/*
 * One process of pin-many: writes SIZE bytes on each of FILES descriptors
 * and reports each write's outcome on REPORT (a byte: 'a' accepted, 'e'
 * EAGAIN, 'o' anything else); waits until GO closes, then reads back each
 * accepted request and reports 'x' exact or 'w' wrong.
 */
static void pin_child(int files, size_t size, int report, int go, uint32_t seed)
{
	unsigned char *buf = malloc(size);
	int fds[64], accepted[64];
	char line[128], c;

	fill(buf, size, seed);
	for (int i = 0; i < files; ++i) {
		fds[i] = open_dev();
		accepted[i] = write(fds[i], buf, size) == (ssize_t)size;
		c = accepted[i] ? 'a' : errno == EAGAIN ? 'e' : 'o';
		if (write(report, &c, 1) != 1)
			exit(3);
	}
	while (read(go, &c, 1) > 0)
		;
	for (int i = 0; i < files; ++i) {
		struct result r;
		ssize_t n;

		if (!accepted[i])
			continue;
		n = read(fds[i], line, sizeof(line) - 1);
		line[n > 0 ? n : 0] = '\0';
		c = n > 0 && parse(line, &r) && r.crc == crc32c(buf, size) && r.bytes == size ? 'x' : 'w';
		if (write(report, &c, 1) != 1)
			exit(3);
	}
	exit(0);
}

/*
 * pin-many PROCS FILES SIZE: PROCS processes each write SIZE bytes on
 * FILES descriptors of their own and hold the requests unread; then all
 * read back. Prints the writes accepted and refused, the pinned counter
 * while all are held, and how many answers were exact.
 */
static int cmd_pin_many(char **args, const char *path)
{
	int procs = atoi(args[0]), files = atoi(args[1]);
	size_t size = strtoul(args[2], NULL, 0);
	int report[2], go[2], counts[128] = { 0 };
	long long held;
	char c;

	if (procs < 1 || files < 1 || files > 64 || !size || pipe(report) || pipe(go))
		return PROBE_USAGE;
	for (int p = 0; p < procs; ++p) {
		if (fork() == 0) {
			close(report[0]);
			close(go[1]);
			pin_child(files, size, report[1], go[0], (uint32_t)p + 1);
		}
	}
	close(report[1]);
	close(go[0]);
	for (int n = 0; n < procs * files && read(report[0], &c, 1) == 1; ++n)
		counts[(unsigned char)c]++;
	held = read_pinned();
	close(go[1]);
	while (read(report[0], &c, 1) == 1)
		counts[(unsigned char)c]++;
	while (wait(NULL) > 0)
		;
	printf("accepted=%d eagain=%d other=%d pinned=%lld exact=%d wrong=%d\n", counts['a'], counts['e'],
	       counts['o'], held, counts['x'], counts['w']);
	return 0;
}

const struct probe_cmd crc_limits[] = {
	{ "open-as UID PATH", cmd_open_as }, { "pin-many PROCS FILES SIZE", cmd_pin_many }, { NULL }
};
