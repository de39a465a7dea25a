// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe's concurrent readers: many processes at once, all at the same
 * moment, or killed mid-read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktprobe.h"

/* One open, one read, one close: what `cat` does, without the fork+exec. */
static int read_once(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n < 0 ? -1 : (int)n;
}

/* readers P N: P processes, N reads each; prints failures (rt-readers: and the answers). */
static int readers(const char *path, int procs, int reads, int print)
{
	int failed = 0;

	for (int p = 0; p < procs; p++) {
		pid_t pid = fork();

		if (pid == 0) {
			char buf[64];
			int bad = 0;

			for (int i = 0; i < reads; i++) {
				int n = read_once(path, buf, sizeof(buf) - 1);

				if (n < 0) {
					bad++;
					continue;
				}
				buf[n] = '\0';
				if (print)
					fputs(buf, stdout);
			}
			fflush(stdout);
			_exit(bad ? 1 : 0);
		}
	}
	for (int p = 0; p < procs; p++) {
		int status;

		wait(&status);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	if (failed)
		printf("%d reader processes saw errors\n", failed);
	return failed ? 1 : 0;
}

/*
 * together P: P reader processes each open the device, then all read it
 * at the same moment (they wait on one pipe, which the parent closes), so
 * their requests overlap even under TCG, where a fork+exec takes
 * milliseconds. Each prints "[pid PID] LINE" with what its read returned.
 */
static int cmd_together(char **args, const char *path)
{
	int procs = atoi(args[0]);
	int gate[2], ready[2], failed = 0;
	char c;

	if (procs < 1 || procs > 64 || pipe(gate) || pipe(ready))
		return 2;
	for (int p = 0; p < procs; p++) {
		if (fork() == 0) {
			char buf[64];
			int fd = open_or_die(path, O_RDONLY);
			ssize_t n;

			close(gate[1]);
			if (write(ready[1], "r", 1) != 1)
				_exit(2);
			if (read(gate[0], &c, 1) != 0) /* EOF: the gate opens */
				_exit(2);
			n = read(fd, buf, sizeof(buf) - 1);
			if (n < 0) {
				printf("[pid %d] read: %s\n", (int)getpid(), errname(errno));
				_exit(1);
			}
			buf[n] = '\0';
			printf("[pid %d] %s", (int)getpid(), buf);
			fflush(stdout);
			_exit(0);
		}
	}
	close(gate[0]);
	close(ready[1]);
	for (int p = 0; p < procs; p++) /* every reader has opened the device */
		if (read(ready[0], &c, 1) != 1)
			return 2;
	close(gate[1]);
	for (int p = 0; p < procs; p++) {
		int status;

		wait(&status);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	return failed ? 1 : 0;
}

/*
 * storm P SECONDS: P processes read in a loop (ignoring errors:
 * the device may vanish under them), then all are SIGKILLed at once, most
 * of them in the middle of a read. Prints how many reads completed.
 */
static int cmd_storm(char **args, const char *path)
{
	int procs = atoi(args[0]), seconds = atoi(args[1]);
	pid_t pids[256];
	int fds[2];
	long total = 0;

	if (procs > 256 || pipe(fds))
		return 2;
	for (int p = 0; p < procs; p++) {
		pids[p] = fork();
		if (pids[p] == 0) {
			char buf[64];
			long done = 0;

			close(fds[0]);
			for (;;) {
				if (read_once(path, buf, sizeof(buf)) >= 0)
					done++;
				/* Report progress without blocking the loop. */
				if ((done & 63) == 0 && write(fds[1], "x", 1) < 0)
					_exit(1);
			}
		}
	}
	close(fds[1]);
	sleep(seconds);
	for (int p = 0; p < procs; p++)
		kill(pids[p], SIGKILL);
	for (int p = 0; p < procs; p++)
		waitpid(pids[p], NULL, 0);
	for (char c; read(fds[0], &c, 1) == 1;)
		total += 64;
	printf("%ld\n", total);
	return 0;
}

static int cmd_readers(char **args, const char *path)
{
	return readers(path, atoi(args[0]), atoi(args[1]), 0);
}

static int cmd_rt_readers(char **args, const char *path)
{
	return readers(path, atoi(args[0]), atoi(args[1]), 1);
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

const struct probe_cmd kt_readers[] = {
	{ "readers P N", cmd_readers }, { "rt-readers P N", cmd_rt_readers },
	{ "together P", cmd_together }, { "storm P S", cmd_storm }, { "burst N", cmd_burst },
	{ NULL }
};
