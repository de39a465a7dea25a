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

/* write, ioctl, mmap: what one refused call answers. */
static int cmd_write(char **args, const char *path)
{
	int fd = open_or_die(path, O_RDWR);

	errno = 0;
	printf("%s\n", write(fd, "x", 1) < 0 ? errname(errno) : "OK");
	return 0;
}

static int cmd_ioctl(char **args, const char *path)
{
	int fd = open_or_die(path, O_RDONLY);

	errno = 0;
	printf("%s\n", ioctl(fd, 0x1234, 0) < 0 ? errname(errno) : "OK");
	return 0;
}

static int cmd_mmap(char **args, const char *path)
{
	int fd = open_or_die(path, O_RDONLY);

	errno = 0;
	printf("%s\n", mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) ==
			       MAP_FAILED ? errname(errno) : "OK");
	return 0;
}

/* burst N: N reads on one descriptor, as fast as they go. */
static int cmd_burst(char **args, const char *path)
{
	int fd = open_or_die(path, O_RDONLY);
	char buf[64];

	for (int i = atoi(args[0]); i > 0; i--)
		if (pread(fd, buf, sizeof(buf), 0) < 0)
			return 1;
	return 0;
}

/* rt-same-fd N: N reads at offset 0 on one descriptor, each answer printed. */
static int cmd_rt_same_fd(char **args, const char *path)
{
	int fd = open_or_die(path, O_RDONLY);
	char buf[64];

	for (int i = atoi(args[0]); i > 0; i--) {
		ssize_t n = pread(fd, buf, sizeof(buf), 0);

		if (n < 0)
			return 1;
		fwrite(buf, 1, n, stdout);
	}
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
	return probe_hold(path, O_RDONLY, atoi(args[0]));
}

/* Commands whose arguments were never counted: extra ones are ignored. */
#define ANY 99

static const struct probe_cmd commands[] = {
	{ "write", 0, ANY, cmd_write },
	{ "ioctl", 0, ANY, cmd_ioctl },
	{ "mmap", 0, ANY, cmd_mmap },
	{ "readers", 2, 2, cmd_readers },
	{ "rt-readers", 2, 2, cmd_rt_readers },
	{ "together", 1, 1, cmd_together },
	{ "storm", 2, 2, cmd_storm },
	{ "insmod-nth", 2, ANY, cmd_insmod_nth },
	{ "open-nth", 1, 1, cmd_open_nth },
	{ "burst-rmmod", 1, 1, cmd_burst_rmmod },
	{ "burst-pending", 1, 1, cmd_burst_pending },
	{ "rt-shared", 2, 2, cmd_rt_shared },
	{ "rt-signal", 3, 3, cmd_rt_signal },
	{ "guard", 0, ANY, cmd_guard },
	{ "badbuf", 0, ANY, cmd_badbuf },
	{ "odd", 0, ANY, cmd_odd },
	{ "uring", 0, ANY, cmd_uring },
	{ "burst", 1, 1, cmd_burst },
	{ "rt-same-fd", 1, 1, cmd_rt_same_fd },
	{ "oneline", 0, ANY, cmd_oneline },
	{ "hold", 1, 1, cmd_hold },
	{ "rate", 1, 1, cmd_rate },
	{ "tput", 2, 2, cmd_tput },
	{ "lat", 1, 2, cmd_lat },
	{ "hist", 0, ANY, cmd_hist },
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
	return probe_dispatch(commands, sizeof(commands) / sizeof(commands[0]),
		"usage: ktprobe [-d DEVICE] write|ioctl|mmap|oneline|hold S|readers P N|rt-readers P N|together P|storm P S|rate N|insmod-nth KO N [P]|open-nth N|tput P MS|lat N [raw]|hist\n"
		"       burst-rmmod N|burst-pending N|rt-shared T N|rt-signal restart|intr N US|guard|badbuf|odd|uring\n",
		argc - 1, argv + 1, path);
}
