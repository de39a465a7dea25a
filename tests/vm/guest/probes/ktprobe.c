// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe - the guest's tool for poking /dev/lothars_chardev in ways a
 * shell cannot: exact errnos, many concurrent readers, a reader killed
 * mid-wait. Built static on the host and copied into the test initramfs.
 * This file holds the command table and the one-call commands; the others
 * live by concern (ktprobe.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ktprobe.h"

/* write, ioctl, mmap (the command's name): what one refused call answers. */
static int cmd_refused(char **args, const char *path)
{
	const char *call = args[-1];
	int fd = open_or_die(path, strcmp(call, "write") ? O_RDONLY : O_RDWR);
	int failed;

	errno = 0;
	if (!strcmp(call, "write"))
		failed = write(fd, "x", 1) < 0;
	else if (!strcmp(call, "ioctl"))
		failed = ioctl(fd, 0x1234, 0) < 0;
	else
		failed = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED;
	printf("%s\n", failed ? errname(errno) : "OK");
	return 0;
}

/* oneline: open, read until EOF; prints what came and the read count. */
static int cmd_oneline(char **args, const char *path)
{
	int fd = open_or_die(path, O_RDONLY);
	char buf[64];
	int reads = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, n, stdout);
		reads++;
	}
	close(fd);
	printf("reads=%d last=%s\n", reads + 1, n < 0 ? errname(errno) : "EOF");
	return n < 0;
}

/* hold S: keep the device open; the shell kills us or we time out. */
static int cmd_hold(char **args, const char *path)
{
	return probe_hold(open_or_die(path, O_RDONLY), atoi(args[0]));
}

/* "...": the arguments of these were never counted, extra ones are ignored. */
static const struct probe_cmd calls[] = {
	{ "write ...", cmd_refused }, { "ioctl ...", cmd_refused }, { "mmap ...", cmd_refused },
	{ "oneline ...", cmd_oneline }, { "hold S", cmd_hold }, { NULL }
};

static const struct probe_cmd *const tables[] = {
	calls, kt_readers, kt_bench, kt_lifecycle, kt_shared, kt_abuse, kt_queued, kt_soak, NULL
};

int main(int argc, char **argv)
{
	const char *path = "/dev/lothars_chardev";

	/* -d PATH: another device (make bench: the C twin, the anchors). */
	if (argc > 2 && !strcmp(argv[1], "-d")) {
		path = argv[2];
		argv += 2;
		argc -= 2;
	}
	return probe_dispatch(tables, "ktprobe [-d DEVICE]", argc - 1, argv + 1, path);
}
