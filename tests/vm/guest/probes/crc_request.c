// SPDX-License-Identifier: GPL-2.0
/* crcprobe's requests and their check: see crcprobe.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "crcprobe.h"

/* Bit by bit: a second implementation to check the kernel's crc32c() against. */
uint32_t crc32c(const unsigned char *data, size_t len)
{
	uint32_t crc = ~0u;
	size_t i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= data[i];
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (crc & 1 ? 0x82F63B78u : 0);
	}
	return ~crc;
}

uint32_t rng_next(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

void fill(unsigned char *buf, size_t len, uint32_t seed)
{
	size_t i;

	seed |= 1;
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)rng_next(&seed);
}

int open_dev(void)
{
	int fd = open(DEVICE, O_RDWR);

	if (fd < 0) {
		printf("open: %s\n", errname(errno));
		exit(2);
	}
	return fd;
}

int parse(const char *line, struct result *r)
{
	return sscanf(line, "crc32c=0x%8x worker=%u bytes=%u seq=%llu\n", &r->crc, &r->worker, &r->bytes,
		      &r->seq) == 4;
}

/*
 * One request on fd: write, read, check. Returns 0 when the result is
 * exact, 1 when it is wrong, -errno when a call failed.
 */
int request(int fd, const unsigned char *buf, size_t len, struct result *r)
{
	char line[128];
	ssize_t n;

	if (write(fd, buf, len) != (ssize_t)len)
		return -errno;
	n = read(fd, line, sizeof(line) - 1);
	if (n < 0)
		return -errno;
	line[n] = '\0';
	if (!parse(line, r) || r->crc != crc32c(buf, len) || r->bytes != len)
		return 1;
	return 0;
}
