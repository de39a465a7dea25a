// SPDX-License-Identifier: GPL-2.0
/*
 * crcprobe - the guest's tool for /dev/crcpool: exact errnos, results
 * checked against a CRC32C computed here (bit by bit, independently of the
 * kernel's crc32c()), many concurrent writers, a reader interrupted mid-wait,
 * a write with its Nth allocation failing. Built static on the host and
 * copied into the test initramfs; prints one line a test compares. This
 * file holds the command table and the one-call commands; the others live
 * by concern (crcprobe.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "crcprobe.h"

/* line STRING: the device's answer for STRING's bytes, as it prints it. */
static int cmd_line(char **args, const char *path)
{
	const char *text = args[0];
	int fd = open_dev();
	char line[128];
	ssize_t n;

	if (write(fd, text, strlen(text)) < 0) {
		printf("write: %s\n", errname(errno));
		return 1;
	}
	n = read(fd, line, sizeof(line) - 1);
	if (n < 0) {
		printf("read: %s\n", errname(errno));
		return 1;
	}
	line[n] = '\0';
	fputs(line, stdout);
	close(fd);
	return 0;
}

/* vectors MAX: known CRC32C values (RFC 3720 B.4 and the check value), then MAX bytes. */
static int cmd_vectors(char **args, const char *path)
{
	size_t max = strtoul(args[0], NULL, 0);
	static const struct {
		const char *name;
		uint32_t want;
	} known[] = {
		{ "check", 0xE3069283 }, { "zeros32", 0x8A9136AA }, { "ones32", 0x62A8AB43 },
		{ "incr32", 0x46DD794E }, { "decr32", 0x113FDB5C }, { "byte", 0 },
		{ "max", 0 },
	};
	unsigned char *buf = malloc(max > 32 ? max : 32);
	int fd = open_dev(), i, bad = 0;
	struct result r;

	for (i = 0; i < (int)(sizeof(known) / sizeof(known[0])); i++) {
		size_t len = 32;
		uint32_t want = known[i].want;
		int ret, k;

		switch (i) {
		case 0: memcpy(buf, "123456789", 9); len = 9; break;
		case 1: memset(buf, 0, 32); break;
		case 2: memset(buf, 0xff, 32); break;
		case 3: for (k = 0; k < 32; k++) buf[k] = k; break;
		case 4: for (k = 0; k < 32; k++) buf[k] = 31 - k; break;
		case 5: buf[0] = 'a'; len = 1; want = crc32c(buf, 1); break;
		default: fill(buf, max, 42); len = max; want = crc32c(buf, max); break;
		}
		if (crc32c(buf, len) != want) {
			printf("%s: the tool's own CRC is wrong\n", known[i].name);
			return 1;
		}
		ret = request(fd, buf, len, &r);
		if (ret) {
			bad++;
			printf("%s: %s (got 0x%08x, want 0x%08x)\n", known[i].name,
			       ret < 0 ? errname(-ret) : "wrong", r.crc, want);
		}
	}
	printf("%s\n", bad ? "BAD" : "OK");
	close(fd);
	free(buf);
	return 0;
}

/* insmod KO PARAMS: load KO; prints the errno (busybox insmod hides it). */
static int cmd_insmod(char **args, const char *path)
{
	int fd = open(args[0], O_RDONLY);

	if (fd < 0 || syscall(SYS_finit_module, fd, args[1], 0)) {
		printf("%s\n", errname(errno));
		return 0;
	}
	printf("OK\n");
	return 0;
}

/*
 * rmmod-loop NAME MAX: delete_module() until it succeeds or MAX attempts
 * failed (a tight loop, no fork per attempt). Prints the attempts, the
 * first refusal's errno and the outcome.
 */
static int cmd_rmmod_loop(char **args, const char *path)
{
	const char *name = args[0];
	long max = atol(args[1]);
	long tries = 0;
	int first = 0;

	while (syscall(SYS_delete_module, name, O_NONBLOCK)) {
		if (!first)
			first = errno;
		if (++tries >= max) {
			printf("tries=%ld first=%s result=%s\n", tries, errname(first), errname(errno));
			return 0;
		}
		if (tries % 64 == 0)
			usleep(1000);
	}
	printf("tries=%ld first=%s result=OK\n", tries, first ? errname(first) : "none");
	return 0;
}

/* hold SECONDS: keep the device open (for rmmod while open). */
static int cmd_hold(char **args, const char *path)
{
	return probe_hold(open_dev(), atoi(args[0]));
}

static const struct probe_cmd calls[] = {
	{ "line S", cmd_line }, { "vectors MAX", cmd_vectors }, { "hold S", cmd_hold },
	{ "insmod KO PARAMS", cmd_insmod }, { "rmmod-loop NAME MAX", cmd_rmmod_loop }, { NULL }
};

static const struct probe_cmd *const tables[] = { calls, crc_load, crc_errno, crc_answer, crc_soak, crc_limits, NULL };

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return probe_dispatch(tables, "crcprobe", argc - 1, argv + 1, DEVICE);
}
