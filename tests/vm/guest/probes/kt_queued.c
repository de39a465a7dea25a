// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe's round trip behind another reader of the same open file: the
 * second reader waits for the file's session lock, not for an answer, and a
 * signal there must restart the read (SA_RESTART) and never surface EINTR.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "ktprobe.h"

static volatile long restart_signals;
static volatile int hog_stop;

static void count_restart_signal(int sig)
{
	(void)sig;
	restart_signals++;
}

static void pin(pid_t tid, int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(tid, sizeof(set), &set))
		fprintf(stderr, "pin %d to CPU %d: %s\n", tid, cpu, strerror(errno));
}

/* Back to every CPU. */
static void unpin(pid_t tid)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	for (int cpu = 0; cpu < CPU_SETSIZE && cpu < sysconf(_SC_NPROCESSORS_ONLN); cpu++)
		CPU_SET(cpu, &set);
	sched_setaffinity(tid, sizeof(set), &set);
}

/* SCHED_FIFO on CPU 1 until told to stop (3 s at most): the module's
 * thread, pinned there, cannot run, so the first reader's answer waits. */
static void *hog_main(void *arg)
{
	struct sched_param param = { .sched_priority = 50 };
	long long end = now_ns() + 3000000000LL;

	pin(0, 1);
	if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &param))
		return NULL;
	while (!hog_stop && now_ns() < end)
		;
	return NULL;
}

struct queued_reader {
	int fd;
	pid_t tid;
	ssize_t got;
	int err;
	char answer[64];
};

static void *queued_reader_main(void *arg)
{
	struct queued_reader *r = arg;

	pin(0, 0);
	r->tid = (pid_t)syscall(SYS_gettid);
	r->got = pread(r->fd, r->answer, sizeof(r->answer) - 1, 0);
	r->err = r->got < 0 ? errno : 0;
	if (r->got > 0)
		r->answer[r->got - 1] = '\0'; /* the newline */
	return NULL;
}

/*
 * TID's scheduler state (/proc/.../stat: S, R, D, ...), or '?'. Which wait it
 * sleeps in, neither wchan nor the stack file can tell: both waits are
 * __sched functions, which they skip; the shell tells them apart by the
 * module's "interrupted" log line, which only the answer wait prints.
 */
static char state_of(pid_t tid)
{
	char path[64], state = '?';
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (f) {
		if (fscanf(f, "%*d (%*[^)]) %c", &state) != 1)
			state = '?';
		fclose(f);
	}
	return state;
}

/*
 * rt-queued-restart THREAD_PID SIGNALS: the module's thread (THREAD_PID)
 * pinned to CPU 1 under a SCHED_FIFO hog; reader A reads (posts, waits for
 * the answer), reader B reads the same open file and waits for A's session
 * lock; B gets SIGNALS SIGUSR1 (SA_RESTART), then the hog stops. Prints
 * "b_state=STATE signals=S a=ANSWER|ERRNO b=ANSWER|ERRNO" (STATE: B's before
 * the signals).
 */
static int cmd_rt_queued_restart(char **args, const char *path)
{
	struct sigaction sa = { .sa_handler = count_restart_signal, .sa_flags = SA_RESTART };
	struct queued_reader a = { 0 }, b = { 0 };
	struct timespec step = { 0, 20000000L }; /* 20 ms */
	pthread_t hog, ta, tb;
	char b_state;
	int signals = atoi(args[1]);

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("needs 2 CPUs\n");
		return 1;
	}
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return 2;
	pin(atoi(args[0]), 1);
	pin(0, 0);
	a.fd = b.fd = open_or_die(path, O_RDONLY);
	if (pthread_create(&hog, NULL, hog_main, NULL))
		return 2;
	nanosleep(&step, NULL);
	if (pthread_create(&ta, NULL, queued_reader_main, &a))
		return 2;
	nanosleep(&step, NULL);
	if (pthread_create(&tb, NULL, queued_reader_main, &b))
		return 2;
	nanosleep(&step, NULL);
	b_state = state_of(b.tid);
	for (int i = 0; i < signals; i++) {
		struct timespec gap = { 0, 2000000L };

		pthread_kill(tb, SIGUSR1);
		nanosleep(&gap, NULL);
	}
	hog_stop = 1;
	pthread_join(hog, NULL);
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	close(a.fd);
	unpin(atoi(args[0]));
	printf("b_state=%c signals=%ld a=%s b=%s\n", b_state, restart_signals,
	       a.got > 0 ? a.answer : errname(a.err), b.got > 0 ? b.answer : errname(b.err));
	return 0;
}

const struct probe_cmd kt_queued[] = { { "rt-queued-restart THREAD_PID SIGNALS", cmd_rt_queued_restart }, { NULL } };
