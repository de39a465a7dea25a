// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe's load and unload probes: allocations failing in turn (fail-nth),
 * an unload with a backlog of events.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ktprobe.h"

/* insmod-nth KO N PARAMS: load KO with its Nth allocation failing. */
static int cmd_insmod_nth(char **args, const char *path)
{
	const char *params = args[2] ? args[2] : "";
	int fd = open_or_die(args[0], O_RDONLY);
	int nth = fail_nth_open();
	long ret;

	fail_nth_arm(nth, atoi(args[1]));
	ret = syscall(SYS_finit_module, fd, params, 0);
	printf("%s %d\n", ret ? errname(errno) : "OK", fail_nth_left(nth));
	return 0;
}

/* open-nth N: open the device with its Nth allocation failing, read once. */
static int cmd_open_nth(char **args, const char *path)
{
	int nth = fail_nth_open();
	char buf[64];
	int fd, left;

	fail_nth_arm(nth, atoi(args[0]));
	fd = open(path, O_RDONLY);
	left = fail_nth_left(nth);
	if (fd < 0) {
		printf("%s %d\n", errname(errno), left);
		return 0;
	}
	printf("%s %d\n", read(fd, buf, sizeof(buf)) < 0 ? errname(errno) : "OK", left);
	close(fd);
	return 0;
}

static long read_counter(const char *name)
{
	char path[128], text[32] = "";
	int fd;

	snprintf(path, sizeof(path), "/sys/class/lothars_chardev/lothars_chardev/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, text, sizeof(text) - 1) < 0)
		return -1;
	close(fd);
	return atol(text);
}

/* The pid of the module's kernel thread, or -1. */
static pid_t wait_thread_pid(void)
{
	DIR *proc = opendir("/proc");
	struct dirent *entry;
	pid_t found = -1;

	while (proc && (entry = readdir(proc))) {
		char path[300], comm[32] = "";
		int fd;

		snprintf(path, sizeof(path), "/proc/%s/comm", entry->d_name);
		fd = open(path, O_RDONLY);
		if (fd < 0)
			continue;
		if (read(fd, comm, sizeof(comm) - 1) > 0 && !strncmp(comm, "lothars_wait_th", 15))
			found = atoi(entry->d_name);
		close(fd);
	}
	if (proc)
		closedir(proc);
	return found;
}

/*
 * burst-rmmod N: leave the kernel thread a backlog, then unload at once.
 * The thread is moved to SCHED_IDLE on CPU 0, where this process posts N
 * events; the thread barely runs until delete_module() puts this process
 * to sleep. Prints the backlog and delete_module()'s result.
 */
static int burst(const char *path, int n, int unload)
{
	struct sched_param idle = { 0 };
	pid_t thread = wait_thread_pid();
	cpu_set_t cpu0;
	char buf[64];
	long backlog;
	int fd;

	CPU_ZERO(&cpu0);
	CPU_SET(0, &cpu0);
	if (thread < 0 || sched_setaffinity(0, sizeof(cpu0), &cpu0) ||
	    sched_setaffinity(thread, sizeof(cpu0), &cpu0) ||
	    sched_setscheduler(thread, SCHED_IDLE, &idle)) {
		printf("setup: %s\n", errname(errno));
		return 1;
	}
	fd = open_or_die(path, O_RDONLY);
	for (int i = 0; i < n; i++)
		if (pread(fd, buf, sizeof(buf), 0) < 0)
			return 1;
	close(fd);
	backlog = read_counter("reads") - read_counter("events");
	if (!unload) {
		/* burst-pending: what `pending` says while the backlog lasts. */
		printf("backlog=%ld pending=%ld\n", backlog, read_counter("pending"));
		return 0;
	}
	printf("backlog=%ld rmmod=%s\n", backlog,
	       syscall(SYS_delete_module, "kthread", O_NONBLOCK) ? errname(errno) : "OK");
	return 0;
}

static int cmd_burst_rmmod(char **args, const char *path)
{
	return burst(path, atoi(args[0]), 1);
}

static int cmd_burst_pending(char **args, const char *path)
{
	return burst(path, atoi(args[0]), 0);
}

const struct probe_cmd kt_lifecycle[] = {
	{ "insmod-nth KO N [PARAMS] ...", cmd_insmod_nth }, { "open-nth N", cmd_open_nth },
	{ "burst-rmmod N", cmd_burst_rmmod }, { "burst-pending N", cmd_burst_pending }, { NULL }
};
