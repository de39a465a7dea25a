// SPDX-License-Identifier: GPL-2.0
/*
 * crcfuzz THREADS SECONDS SEED - the protocol fuzzer of make fuzz for
 * /dev/crcpool (crcfuzz.h). Each thread draws its operations from its own
 * generator, seeded from SEED and its number, so a seed replays the same
 * choices (the interleaving is the scheduler's). Prints the calls by
 * errno, the requests accepted and answered, and one MISMATCH line per
 * answer or errno the module's contract does not allow (the first 30).
 * Built static beside crcprobe, on its core (probe.c, crc_request.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "crcfuzz.h"

#define PAGE 4096

struct fuzz_config cfg;
/* Changed by the handler: read and written with __atomic built-ins. */
static __thread unsigned long usr2_seen;
static pthread_barrier_t ready;

static void on_usr1(int sig)
{
}

unsigned long signals_seen(void)
{
	return __atomic_load_n(&usr2_seen, __ATOMIC_RELAXED);
}

static void on_usr2(int sig)
{
	__atomic_fetch_add(&usr2_seen, 1, __ATOMIC_RELAXED);
}

static void handlers(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGUSR1, &sa, NULL);
	sa.sa_handler = on_usr2;
	sa.sa_flags = 0;
	sigaction(SIGUSR2, &sa, NULL);
}

static unsigned long read_number(const char *path)
{
	unsigned long n = 0;
	FILE *f = fopen(path, "r");

	if (!f || fscanf(f, "%lu", &n) != 1) {
		printf("crcfuzz: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	return n;
}

static void *run(void *arg)
{
	struct fuzz_thread *t = arg;

	t->tid = syscall(SYS_gettid);
	/* Every thread's id is known before anyone sends a signal. */
	pthread_barrier_wait(&ready);
	while (now_ns() < cfg.deadline_ns)
		fuzz_step(t);
	fuzz_close_all(t);
	return NULL;
}

static void setup_thread(struct fuzz_thread *t, int id)
{
	int i;

	t->id = id;
	t->rng = (cfg.seed + 1) * 2654435761u ^ (id + 1) * 0x9E3779B9u;
	if (!t->rng)
		t->rng = 1;
	t->data = malloc(cfg.max_request + 1);
	/* Two pages, the second given back: a buffer can end in a hole. */
	t->edge = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!t->data || t->edge == MAP_FAILED || munmap(t->edge + PAGE, PAGE)) {
		printf("crcfuzz: no memory\n");
		exit(2);
	}
	for (i = 0; i < FUZZ_SESSIONS; i++)
		t->s[i].fd = -1;
}

/* The holes must still be holes, or an EFAULT expected was not. */
static int holes_kept(void)
{
	unsigned char vec;
	unsigned int i;

	for (i = 0; i < cfg.threads; i++)
		if (mincore(cfg.t[i].edge + PAGE, PAGE, &vec) == 0 || errno != ENOMEM)
			return 0;
	return 1;
}

static void open_shared(void)
{
	int i;

	for (i = 0; i < FUZZ_SHARED; i++) {
		cfg.shared[i].fd = open_or_die(DEVICE, O_RDWR | O_CLOEXEC);
		pthread_mutex_init(&cfg.shared[i].lock, NULL);
	}
}

static void merge(struct fuzz_stats *sum, const struct fuzz_stats *st)
{
	int op, e;

	for (op = 0; op < OP_COUNT; op++)
		for (e = 0; e < ERR_COUNT; e++)
			sum->calls[op][e] += st->calls[op][e];
	sum->accepted += st->accepted;
	sum->accepted_bytes += st->accepted_bytes;
	sum->answered += st->answered;
	sum->closed_in_flight += st->closed_in_flight;
	sum->exact += st->exact;
	sum->wrong += st->wrong;
	sum->mismatches += st->mismatches;
}

/* Answers that carry the same seq=: each completion has its own. */
static unsigned long duplicate_seqs(const struct fuzz_thread *t, unsigned int n)
{
	size_t total = 0, k = 0, i;
	unsigned long long *all;
	unsigned long dups = 0;

	for (i = 0; i < n; i++)
		total += t[i].nseqs;
	all = malloc((total + 1) * sizeof(*all));
	if (!all)
		return 0;
	for (i = 0; i < n; i++) {
		memcpy(all + k, t[i].seqs, t[i].nseqs * sizeof(*all));
		k += t[i].nseqs;
	}
	qsort(all, total, sizeof(*all), cmp_ll);
	for (i = 1; i < total; i++)
		dups += all[i] == all[i - 1];
	free(all);
	return dups;
}

static void report(const struct fuzz_stats *sum, unsigned long dups, int holes)
{
	static const char *const ops[OP_COUNT] = {
		"open", "write", "read", "close", "signal", "shared-write", "shared-read", "drain"
	};
	unsigned long calls = 0, n;
	int op, e;

	for (op = 0; op < OP_COUNT; op++) {
		for (n = 0, e = 0; e < ERR_COUNT; e++)
			n += sum->calls[op][e];
		calls += n;
		printf("crcfuzz: %s %lu:", ops[op], n);
		for (e = 0; e < ERR_COUNT; e++)
			if (sum->calls[op][e])
				printf(" %s=%lu", err_label(e), sum->calls[op][e]);
		printf("\n");
	}
	printf("crcfuzz: calls=%lu accepted=%lu bytes=%lu answered=%lu",
	       calls, sum->accepted, sum->accepted_bytes, sum->answered);
	printf(" closed_in_flight=%lu exact=%lu wrong=%lu mismatches=%lu",
	       sum->closed_in_flight, sum->exact, sum->wrong, sum->mismatches);
	printf(" duplicate_seqs=%lu holes=%s\n", dups, holes ? "kept" : "FILLED");
}

int main(int argc, char **argv)
{
	struct fuzz_thread drain = { .id = -1 };
	struct fuzz_stats sum = { 0 };
	pthread_t ids[FUZZ_MAX_THREADS];
	unsigned int i;

	if (argc != 4 || atoi(argv[1]) < 1 || atoi(argv[1]) > FUZZ_MAX_THREADS) {
		fprintf(stderr, "usage: crcfuzz THREADS(1..%d) SECONDS SEED\n", FUZZ_MAX_THREADS);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	cfg.threads = atoi(argv[1]);
	cfg.seed = strtoul(argv[3], NULL, 0);
	cfg.max_request = read_number("/sys/module/crcpool/parameters/max_request");
	cfg.workers = read_number("/sys/class/crcpool/crcpool/workers");
	printf("crcfuzz: seed %u, %u threads, %s s, max_request %zu, workers %u\n",
	       cfg.seed, cfg.threads, argv[2], cfg.max_request, cfg.workers);
	handlers();
	open_shared();
	cfg.t = calloc(cfg.threads, sizeof(*cfg.t));
	for (i = 0; i < cfg.threads; i++)
		setup_thread(&cfg.t[i], i);
	pthread_barrier_init(&ready, NULL, cfg.threads);
	cfg.deadline_ns = now_ns() + atoll(argv[2]) * 1000000000LL;
	for (i = 0; i < cfg.threads; i++)
		pthread_create(&ids[i], NULL, run, &cfg.t[i]);
	for (i = 0; i < cfg.threads; i++)
		pthread_join(ids[i], NULL);
	for (i = 0; i < FUZZ_SHARED; i++)
		fuzz_drain(&cfg.shared[i], &drain);
	for (i = 0; i < cfg.threads; i++)
		merge(&sum, &cfg.t[i].st);
	merge(&sum, &drain.st);
	report(&sum, duplicate_seqs(cfg.t, cfg.threads) + duplicate_seqs(&drain, 1), holes_kept());
	return 0;
}
