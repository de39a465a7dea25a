// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe's round trips under stress: many threads on one open file, a
 * reader interrupted by signals.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ktprobe.h"

/* "event N\n" -> N, or -1 if the reply is anything else. */
long long parse_answer(const char *buf, ssize_t n)
{
	char text[64];
	char *end;
	long long number;

	if (n < 8 || n >= (ssize_t)sizeof(text) || buf[n - 1] != '\n')
		return -1;
	memcpy(text, buf, n);
	text[n - 1] = '\0';
	if (strncmp(text, "event ", 6) || text[6] < '0' || text[6] > '9')
		return -1;
	number = strtoll(text + 6, &end, 10);
	return *end ? -1 : number;
}

/*
 * Prints "answers A distinct D span S bad B first F": how many answers came,
 * how many distinct numbers, max - min + 1, how many replies were malformed.
 */
static void print_answers(long long *v, long n, long bad)
{
	long distinct = 0;

	qsort(v, n, sizeof(*v), cmp_ll);
	for (long i = 0; i < n; i++)
		if (i == 0 || v[i] != v[i - 1])
			distinct++;
	printf("answers %ld distinct %ld span %lld bad %ld first %lld\n", n,
	       distinct, n ? v[n - 1] - v[0] + 1 : 0, bad, n ? v[0] : -1);
}

struct shared_reader {
	int fd;
	int reads;
	long long *answers; /* this thread's slots */
	long bad;
};

static void *shared_reader_main(void *arg)
{
	struct shared_reader *r = arg;
	char buf[64];

	for (int i = 0; i < r->reads; i++) {
		ssize_t n = pread(r->fd, buf, sizeof(buf), 0);
		long long number = n < 0 ? -1 : parse_answer(buf, n);

		r->answers[i] = number;
		if (number < 0)
			r->bad++;
	}
	return NULL;
}

/* rt-shared T N: T threads, N round trips each, all on ONE open file. */
static int cmd_rt_shared(char **args, const char *path)
{
	int threads = atoi(args[0]), reads = atoi(args[1]);
	struct shared_reader r[64];
	pthread_t tid[64];
	long long *answers;
	long bad = 0, n = 0;
	int fd;

	if (threads < 1 || threads > 64 || reads < 1)
		return 2;
	answers = calloc((size_t)threads * reads, sizeof(*answers));
	if (!answers)
		return 2;
	fd = open_or_die(path, O_RDONLY);
	for (int t = 0; t < threads; t++) {
		r[t] = (struct shared_reader){ fd, reads, answers + (long)t * reads, 0 };
		if (pthread_create(&tid[t], NULL, shared_reader_main, &r[t]))
			return 2;
	}
	for (int t = 0; t < threads; t++) {
		pthread_join(tid[t], NULL);
		bad += r[t].bad;
	}
	close(fd);
	for (long i = 0; i < (long)threads * reads; i++)
		if (answers[i] >= 0)
			answers[n++] = answers[i];
	print_answers(answers, n, bad);
	return 0;
}

static volatile long signals_taken;

static void count_signal(int sig)
{
	(void)sig;
	signals_taken++;
}

struct signaller {
	pthread_t target;
	int period_us;
	volatile int stop;
};

static void *signaller_main(void *arg)
{
	struct signaller *s = arg;
	struct timespec pause = { 0, s->period_us * 1000L };

	while (!s->stop) {
		pthread_kill(s->target, SIGUSR1);
		nanosleep(&pause, NULL);
	}
	return NULL;
}

/*
 * rt-signal restart|intr N US: N round trips at offset 0 on one open file
 * while another thread sends this one SIGUSR1 every US microseconds, the
 * handler installed with SA_RESTART or without. A read that fails with
 * EINTR is simply repeated: it must collect the answer of the request it
 * had already posted. Prints "eintr E signals S " and the answers.
 */
static int cmd_rt_signal(char **args, const char *path)
{
	const char *mode = args[0];
	int reads = atoi(args[1]);
	struct sigaction sa = { .sa_handler = count_signal };
	struct signaller s = { pthread_self(), atoi(args[2]), 0 };
	long long *answers = calloc(reads, sizeof(*answers));
	long eintr = 0, bad = 0, n = 0;
	pthread_t tid;
	char buf[64];
	int fd;

	if (!answers || reads < 1)
		return 2;
	sa.sa_flags = !strcmp(mode, "restart") ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		return 2;
	fd = open_or_die(path, O_RDONLY);
	if (pthread_create(&tid, NULL, signaller_main, &s))
		return 2;
	for (int i = 0; i < reads; i++) {
		ssize_t got;

		while ((got = pread(fd, buf, sizeof(buf), 0)) < 0 && errno == EINTR)
			eintr++;
		if (got < 0 || parse_answer(buf, got) < 0)
			bad++;
		else
			answers[n++] = parse_answer(buf, got);
	}
	s.stop = 1;
	pthread_join(tid, NULL);
	close(fd);
	printf("eintr %ld signals %ld ", eintr, signals_taken);
	print_answers(answers, n, bad);
	return 0;
}

/* rt-same-fd N: N reads at offset 0 on one descriptor, each answer printed. */
static int cmd_rt_same_fd(char **args, const char *path)
{
	int fd = open_or_die(path, O_RDONLY);
	char buf[64];

	for (int i = atoi(args[0]); i > 0; i--) {
		ssize_t n = pread(fd, buf, sizeof(buf), 0);

		if (n < 0)
			return 1;
		fwrite(buf, 1, n, stdout);
	}
	return 0;
}

const struct probe_cmd kt_shared[] = {
	{ "rt-shared T N", cmd_rt_shared }, { "rt-signal restart|intr N US", cmd_rt_signal },
	{ "rt-same-fd N", cmd_rt_same_fd }, { NULL }
};
