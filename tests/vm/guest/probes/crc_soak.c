// SPDX-License-Identifier: GPL-2.0
/*
 * make soak's writer on /dev/crcpool (see probe.h, struct soak_tally):
 * requests of random sizes, every answer checked against the CRC32C
 * computed here, optionally under a periodic signal, while the module
 * comes and goes (the soak's loader).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include "crcprobe.h"

enum { W_REQUESTS, W_SIGNALS, W_EINTR, W_WRONG, W_BAD, W_GONE };

static struct soak_tally tally = {
	.kind = "write", .names = { "requests", "signals", "eintr", "wrong", "bad", "gone" }
};

static void on_signal(int sig)
{
	(void)sig;
	soak_count(&tally, W_SIGNALS);
}

/*
 * One request that a signal may interrupt (no SA_RESTART): a write that
 * fails with EINTR queued nothing (the session lock's wait was cut), so it
 * is repeated; a read that fails with EINTR left the request in flight, and
 * the next read must collect that same request's answer.
 */
static void soak_request(int fd, const unsigned char *buf, size_t len)
{
	char line[128];
	struct result r;
	ssize_t n;

	while ((n = write(fd, buf, len)) < 0 && errno == EINTR)
		soak_count(&tally, W_EINTR);
	if (n != (ssize_t)len) {
		soak_count(&tally, W_BAD);
		return;
	}
	while ((n = read(fd, line, sizeof(line) - 1)) < 0 && errno == EINTR)
		soak_count(&tally, W_EINTR);
	if (n < 0) {
		soak_count(&tally, W_BAD);
		return;
	}
	line[n] = '\0';
	if (!parse(line, &r) || r.crc != crc32c(buf, len) || r.bytes != len)
		soak_count(&tally, W_WRONG);
	else
		soak_count(&tally, W_REQUESTS);
}

/*
 * soak-write DIR MAXLEN PER_OPEN US: until DIR/stop, open the device and
 * make PER_OPEN requests of 1..MAXLEN random bytes, then close it (so rmmod
 * gets its moments); with US > 0, a SIGALRM every US microseconds.
 */
static int cmd_soak_write(char **args, const char *path)
{
	size_t maxlen = strtoul(args[1], NULL, 0);
	int per_open = atoi(args[2]);
	long us = atol(args[3]);
	struct sigaction sa = { .sa_handler = on_signal }; /* no SA_RESTART */
	struct itimerval timer = { { 0, us }, { 0, us } };
	uint32_t seed = 0x9e3779b9u ^ (uint32_t)getpid();
	unsigned char *buf = malloc(maxlen);

	tally.dir = args[0];
	if (!buf || maxlen < 1 || per_open < 1 || us < 0 || us > 999999)
		return PROBE_USAGE;
	soak_begin();
	sigemptyset(&sa.sa_mask);
	if (us && (sigaction(SIGALRM, &sa, NULL) || setitimer(ITIMER_REAL, &timer, NULL)))
		return 2;
	while (soak_running(&tally)) {
		int fd = soak_open(&tally, "crcpool", path, O_RDWR);

		if (fd < 0) {
			soak_count(&tally, fd == SOAK_AWAY ? W_GONE : fd == -EINTR ? W_EINTR : W_BAD);
			usleep(2000);
		} else {
			for (int i = 0; i < per_open; i++) {
				size_t len = 1 + rng_next(&seed) % maxlen;

				fill(buf, len, rng_next(&seed));
				soak_request(fd, buf, len);
			}
			close(fd);
		}
		soak_publish(&tally, 0);
	}
	soak_publish(&tally, 1);
	free(buf);
	return 0;
}

const struct probe_cmd crc_soak[] = { { "soak-write DIR MAXLEN PER_OPEN US", cmd_soak_write }, { NULL } };
