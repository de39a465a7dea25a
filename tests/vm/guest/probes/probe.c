// SPDX-License-Identifier: GPL-2.0
/* The probes' shared core: see probe.h. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "probe.h"

const char *errname(int e)
{
	switch (e) {
	case 0: return "OK";
	case EINVAL: return "EINVAL";
	case ENOTTY: return "ENOTTY";
	case ENODEV: return "ENODEV";
	case EPERM: return "EPERM";
	case EACCES: return "EACCES";
	case EBADF: return "EBADF";
	case EINTR: return "EINTR";
	case EAGAIN: return "EAGAIN";
	case EBUSY: return "EBUSY";
	case ENOENT: return "ENOENT";
	case ENXIO: return "ENXIO";
	case ENOMEM: return "ENOMEM";
	case EEXIST: return "EEXIST";
	case EFAULT: return "EFAULT";
	case ENOSYS: return "ENOSYS";
	case EOVERFLOW: return "EOVERFLOW";
	case ESPIPE: return "ESPIPE";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EXDEV: return "EXDEV";
	default: return "E?";
	}
}

int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		printf("open %s: %s\n", path, errname(errno));
		exit(2);
	}
	return fd;
}

long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int probe_hold(int fd, int seconds)
{
	printf("held\n");
	fflush(stdout);
	sleep(seconds);
	close(fd);
	return 0;
}

int fail_nth_open(void)
{
	return open_or_die("/proc/thread-self/fail-nth", O_RDWR);
}

void fail_nth_arm(int fd, int n)
{
	char text[16];
	int len = snprintf(text, sizeof(text), "%d", n);

	if (pwrite(fd, text, len, 0) != len) {
		printf("fail-nth: %s\n", errname(errno));
		exit(2);
	}
}

int fail_nth_left(int fd)
{
	char text[16] = "";
	int left = -1;

	if (pread(fd, text, sizeof(text) - 1, 0) > 0)
		left = atoi(text);
	if (pwrite(fd, "0", 1, 0) != 1)
		left = -1;
	close(fd);
	return left;
}

int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int soak_exists(const struct soak_tally *t, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	return access(path, F_OK) == 0;
}

void soak_begin(void)
{
	if (nice(19) == -1)
		perror("nice");
}

int soak_running(const struct soak_tally *t)
{
	return !soak_exists(t, "stop");
}

int soak_gated(const struct soak_tally *t, const char *module)
{
	char name[64];

	snprintf(name, sizeof(name), "gate.%s", module);
	return soak_exists(t, name);
}

void soak_count(struct soak_tally *t, int index)
{
	__atomic_add_fetch(&t->n[index], 1, __ATOMIC_RELAXED);
}

/* Written whole, then renamed: the sampler never reads half a line. */
void soak_publish(struct soak_tally *t, int force)
{
	char tmp[256], path[256];
	long long now = now_ns();
	FILE *f;

	if (!force && now - t->published_ns < 1000000000LL)
		return;
	t->published_ns = now;
	snprintf(tmp, sizeof(tmp), "%s/.%s.%d", t->dir, t->kind, (int)getpid());
	snprintf(path, sizeof(path), "%s/%s.%d.tally", t->dir, t->kind, (int)getpid());
	f = fopen(tmp, "w");
	if (!f)
		return;
	for (int i = 0; i < SOAK_COUNTS && t->names[i]; i++)
		fprintf(f, "%s%s=%lld", i ? " " : "", t->names[i],
			__atomic_load_n(&t->n[i], __ATOMIC_RELAXED));
	fprintf(f, "\n");
	if (fclose(f) == 0)
		rename(tmp, path);
}

/*
 * Away: ENOENT (no node: not loaded yet, or gone), ENXIO and ENODEV (the
 * node outlived its module for a moment: try_module_get() refused, going).
 */
int soak_open(const struct soak_tally *t, const char *module, const char *path, int flags)
{
	int fd;

	if (soak_gated(t, module))
		return SOAK_AWAY;
	fd = open(path, flags);
	if (fd >= 0)
		return fd;
	return errno == ENOENT || errno == ENXIO || errno == ENODEV ? SOAK_AWAY : -errno;
}

/* Does SPEC name argv[0] and take argc - 1 arguments? */
static int matches(const char *spec, int argc, char **argv)
{
	size_t len = strcspn(spec, " ");
	int min = 0, max = 0;

	if (strlen(argv[0]) != len || strncmp(argv[0], spec, len))
		return 0;
	for (const char *w = spec + len; *(w += strspn(w, " ")); w += strcspn(w, " ")) {
		if (!strncmp(w, "...", 3))
			max = INT_MAX;
		else if (*w == '[')
			max++;
		else
			min++, max++;
	}
	return argc - 1 >= min && argc - 1 <= max;
}

int probe_dispatch(const struct probe_cmd *const *tables, const char *tool,
		   int argc, char **argv, const char *path)
{
	for (const struct probe_cmd *const *t = tables; argc > 0 && *t; t++) {
		for (const struct probe_cmd *c = *t; c->spec; c++) {
			int ret;

			if (!matches(c->spec, argc, argv))
				continue;
			ret = c->run(argv + 1, path);
			if (ret != PROBE_USAGE)
				return ret;
		}
	}
	fprintf(stderr, "usage: %s COMMAND, one of:\n", tool);
	for (; *tables; tables++)
		for (const struct probe_cmd *c = *tables; c->spec; c++)
			fprintf(stderr, "  %s\n", c->spec);
	return 2;
}
