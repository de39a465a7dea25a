/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crcprobe's shared part: the CRC32C it checks the module's against, the
 * request on /dev/crcpool and its answer's parse. Its commands live by
 * concern: crc_load.c (many writers, ordering, close and signals with
 * requests in flight), crc_errno.c (each refused call, a failing
 * allocation), crc_answer.c (who computed an answer, a read of exactly
 * its length), crc_soak.c (make soak's writer), crc_limits.c (who may
 * open a node, max_pinned), crcprobe.c (the table and the one-call
 * commands).
 */
#ifndef CRCPROBE_H
#define CRCPROBE_H

#include <stddef.h>
#include <stdint.h>

#include "probe.h"

#define DEVICE "/dev/crcpool"
#define MAX_WORKERS 64

struct result {
	unsigned int crc, worker, bytes;
	unsigned long long seq;
};

uint32_t crc32c(const unsigned char *data, size_t len);
uint32_t rng_next(uint32_t *state);
void fill(unsigned char *buf, size_t len, uint32_t seed);
int open_dev(void);
int parse(const char *line, struct result *r);
int request(int fd, const unsigned char *buf, size_t len, struct result *r);

extern const struct probe_cmd crc_load[], crc_errno[], crc_answer[], crc_soak[], crc_limits[];

#endif
