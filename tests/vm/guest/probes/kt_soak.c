// SPDX-License-Identifier: GPL-2.0
/*
 * make soak's workers on /dev/lothars_chardev (see probe.h, struct
 * soak_tally): plain readers, and round trips on one shared file under a
 * rain of signals. The module comes and goes under them (the soak's
 * loader), in either mode: a worker counts what each call got and never
 * stops for a missing device.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "ktprobe.h"

/* What waits for a device that is away: long enough not to spin. */
#define AWAY_US 2000

enum { R_READS, R_GONE, R_BAD };

/*
 * soak-read DIR: open, read, close (what cat does) until DIR/stop. Counts
 * reads, opens refused because the module is away (gone), anything else
 * (bad: a read of an open device never fails).
 */
static int cmd_soak_read(char **args, const char *path)
{
	struct soak_tally t = { .dir = args[0], .kind = "read", .names = { "reads", "gone", "bad" } };
	char buf[64];

	soak_begin();
	while (soak_running(&t)) {
		int fd = soak_open(&t, "kthread", path, O_RDONLY);

		if (fd < 0) {
			soak_count(&t, fd == SOAK_AWAY ? R_GONE : R_BAD);
			usleep(AWAY_US);
		} else {
			soak_count(&t, read(fd, buf, sizeof(buf)) < 0 ? R_BAD : R_READS);
			close(fd);
		}
		soak_publish(&t, 0);
	}
	soak_publish(&t, 1);
	return 0;
}

enum { T_ROUNDTRIPS, T_READS, T_SIGNALS, T_EINTR, T_BAD, T_GONE };

static struct soak_tally rt_tally = {
	.kind = "roundtrip", .names = { "roundtrips", "reads", "signals", "eintr", "bad", "gone" }
};

struct rt_soak {
	int fd, per_round, threads;
	volatile int quit;
	pthread_barrier_t start, end;
	pthread_t tid[16];
};

static void rt_signal(int sig)
{
	(void)sig;
	soak_count(&rt_tally, T_SIGNALS);
}

/*
 * One thread's share of a round: PER_ROUND reads at offset 0 of the shared
 * file. roundtrip=1 answers "event N"; roundtrip=0 returns 0 bytes (a
 * signalling read). With SA_RESTART, EINTR must never come back.
 */
static void rt_round(struct rt_soak *s)
{
	char buf[64];

	for (int i = 0; i < s->per_round; i++) {
		ssize_t n = pread(s->fd, buf, sizeof(buf), 0);

		if (n < 0)
			soak_count(&rt_tally, errno == EINTR ? T_EINTR : T_BAD);
		else if (n == 0)
			soak_count(&rt_tally, T_READS);
		else
			soak_count(&rt_tally, parse_answer(buf, n) < 0 ? T_BAD : T_ROUNDTRIPS);
	}
}

static void *rt_thread(void *arg)
{
	struct rt_soak *s = arg;

	for (;;) {
		pthread_barrier_wait(&s->start);
		if (s->quit)
			return NULL;
		rt_round(s);
		pthread_barrier_wait(&s->end);
	}
}

/* Sends SIGUSR1 to the readers in turn, every PERIOD_US, until quit. */
struct rt_signaller {
	struct rt_soak *soak;
	long period_us;
};

static void *rt_signaller(void *arg)
{
	struct rt_signaller *g = arg;
	struct timespec pause = { 0, g->period_us * 1000L };

	for (unsigned int k = 0; !g->soak->quit; k++) {
		pthread_kill(g->soak->tid[k % g->soak->threads], SIGUSR1);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

/* A round: open, every thread reads its share, close (so rmmod gets its moments). */
static void rt_rounds(struct rt_soak *s, const char *path)
{
	while (soak_running(&rt_tally)) {
		s->fd = soak_open(&rt_tally, "kthread", path, O_RDONLY);
		if (s->fd < 0) {
			soak_count(&rt_tally, s->fd == SOAK_AWAY ? T_GONE : T_BAD);
			usleep(AWAY_US);
		} else {
			pthread_barrier_wait(&s->start);
			pthread_barrier_wait(&s->end);
			close(s->fd);
		}
		soak_publish(&rt_tally, 0);
	}
}

/*
 * soak-rt DIR T PER_ROUND US: T threads share one open file for PER_ROUND
 * reads each, then it is closed and opened again; a signaller sends one of
 * them SIGUSR1 (handler with SA_RESTART) every US microseconds.
 */
static int cmd_soak_rt(char **args, const char *path)
{
	struct rt_soak s = { .threads = atoi(args[1]), .per_round = atoi(args[2]) };
	struct rt_signaller g = { &s, atol(args[3]) };
	struct sigaction sa = { .sa_handler = rt_signal, .sa_flags = SA_RESTART };
	pthread_t signaller;

	rt_tally.dir = args[0];
	if (s.threads < 1 || s.threads > 16 || s.per_round < 1 || g.period_us < 1 || g.period_us > 999999)
		return PROBE_USAGE;
	soak_begin();
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) || pthread_barrier_init(&s.start, NULL, s.threads + 1) ||
	    pthread_barrier_init(&s.end, NULL, s.threads + 1))
		return 2;
	for (int i = 0; i < s.threads; i++)
		if (pthread_create(&s.tid[i], NULL, rt_thread, &s))
			return 2;
	if (pthread_create(&signaller, NULL, rt_signaller, &g))
		return 2;
	rt_rounds(&s, path);
	s.quit = 1;
	pthread_join(signaller, NULL); /* before the threads it signals are gone */
	pthread_barrier_wait(&s.start);
	for (int i = 0; i < s.threads; i++)
		pthread_join(s.tid[i], NULL);
	soak_publish(&rt_tally, 1);
	return 0;
}

const struct probe_cmd kt_soak[] = {
	{ "soak-read DIR", cmd_soak_read }, { "soak-rt DIR T PER_ROUND US", cmd_soak_rt }, { NULL }
};
