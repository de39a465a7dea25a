// SPDX-License-Identifier: GPL-2.0
/*
 * crcprobe's refusals: each call the device must refuse (or accept), by
 * name, with the errno it answers; and a write whose Nth allocation fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "crcprobe.h"

/* A case's answer when it has printed its own line. */
#define PRINTED (-1000)

/* An address no process maps, hidden from the compiler's buffer checks. */
static void *bad_pointer(void)
{
	volatile uintptr_t address = 16;

	return (void *)address;
}

/*
 * After a refused call: the request written before it is still
 * collectable, and exact. Prints the refusal and what the next read got.
 */
static ssize_t then_read(int fd)
{
	int e = errno;
	char line[128];
	ssize_t n = read(fd, line, sizeof(line) - 1);

	line[n > 0 ? n : 0] = '\0';
	printf("%s then-read=%s", errname(e), n > 0 ? line : "FAILED\n");
	return PRINTED;
}

static ssize_t case_empty(int fd, char *buf, size_t max)
{
	return write(fd, buf, 0);
}

static ssize_t case_too_big(int fd, char *buf, size_t max)
{
	return write(fd, buf, max + 1);
}

static ssize_t case_exactly_max(int fd, char *buf, size_t max)
{
	ssize_t ret = write(fd, buf, max);

	return ret == (ssize_t)max ? read(fd, buf, 128) : ret;
}

static ssize_t case_bad_pointer(int fd, char *buf, size_t max)
{
	ssize_t ret = write(fd, bad_pointer(), 64);
	int e = errno;

	if (ret >= 0)
		return ret;
	/* Nothing was queued: a read has no request. */
	printf("%s then-read=%s\n", errname(e), read(fd, buf, 128) < 0 ? errname(errno) : "OK");
	return PRINTED;
}

/* Half mapped, half not: all or nothing. */
static ssize_t case_unmapped(int fd, char *buf, size_t max)
{
	char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	munmap(page + 4096, 4096);
	return write(fd, page + 4000, 200);
}

static ssize_t case_read_first(int fd, char *buf, size_t max)
{
	return read(fd, buf, 128);
}

static ssize_t case_second_write(int fd, char *buf, size_t max)
{
	ssize_t ret = write(fd, "abc", 3);

	if (ret == 3)
		ret = write(fd, "def", 3);
	return ret < 0 ? then_read(fd) : ret;
}

static ssize_t case_short_read(int fd, char *buf, size_t max)
{
	ssize_t ret = write(fd, "123456789", 9);

	if (ret == 9)
		ret = read(fd, buf, 10);
	return ret < 0 ? then_read(fd) : ret;
}

static ssize_t case_read_twice(int fd, char *buf, size_t max)
{
	ssize_t ret = write(fd, "abc", 3);

	if (ret == 3)
		ret = read(fd, buf, 128);
	if (ret > 0)
		ret = read(fd, buf, 128);
	return ret;
}

static ssize_t case_bad_read_buffer(int fd, char *buf, size_t max)
{
	ssize_t ret = write(fd, "123456789", 9);

	if (ret == 9)
		ret = read(fd, bad_pointer(), 100);
	return ret < 0 ? then_read(fd) : ret;
}

static ssize_t case_ioctl(int fd, char *buf, size_t max)
{
	return ioctl(fd, 0x1234, 0);
}

static ssize_t case_mmap(int fd, char *buf, size_t max)
{
	return mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0;
}

static const struct {
	const char *name;
	ssize_t (*run)(int fd, char *buf, size_t max);
} cases[] = {
	{ "empty", case_empty },
	{ "too-big", case_too_big },
	{ "exactly-max", case_exactly_max },
	{ "bad-pointer", case_bad_pointer },
	{ "unmapped", case_unmapped },
	{ "read-first", case_read_first },
	{ "second-write", case_second_write },
	{ "short-read", case_short_read },
	{ "read-twice", case_read_twice },
	{ "bad-read-buffer", case_bad_read_buffer },
	{ "ioctl", case_ioctl },
	{ "mmap", case_mmap },
};

/* errno CASE MAX: one refused (or accepted) call, by name; prints its errno. */
static int cmd_errno(char **args, const char *path)
{
	size_t max = strtoul(args[1], NULL, 0);
	int fd = open_dev();
	/* Room for MAX + 1 bytes, and at least for one answer line. */
	char *buf = calloc(1, (max > 128 ? max : 128) + 2);
	ssize_t ret;

	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		if (strcmp(args[0], cases[c].name))
			continue;
		ret = cases[c].run(fd, buf, max);
		if (ret != PRINTED)
			printf("%s\n", ret < 0 ? errname(errno) : "OK");
		return 0;
	}
	printf("unknown case %s\n", args[0]);
	return 2;
}

/*
 * write-nth N SIZE: a write of SIZE bytes with its Nth allocation failing
 * (/proc/thread-self/fail-nth; failslab armed by the caller), then a read.
 * Prints the write's result, how many fault points were left, and the
 * read's result.
 */
static int cmd_write_nth(char **args, const char *path)
{
	size_t size = strtoul(args[1], NULL, 0);
	unsigned char *buf = malloc(size);
	int fd = open_dev();
	int nth = fail_nth_open();
	char line[128];
	int left;
	ssize_t ret, got;
	const char *wrote;
	struct result r;

	fill(buf, size, 11);
	fail_nth_arm(nth, atoi(args[0]));
	ret = write(fd, buf, size);
	wrote = ret < 0 ? errname(errno) : "OK";
	left = fail_nth_left(nth);
	got = read(fd, line, sizeof(line) - 1);
	if (got > 0) {
		line[got] = '\0';
		printf("%s %d %s\n", wrote, left,
		       parse(line, &r) && r.crc == crc32c(buf, size) ? "exact" : "WRONG");
	} else {
		printf("%s %d %s\n", wrote, left, errname(errno));
	}
	close(fd);
	return 0;
}

const struct probe_cmd crc_errno[] = {
	{ "errno CASE MAX", cmd_errno }, { "write-nth N SIZE", cmd_write_nth }, { NULL }
};
