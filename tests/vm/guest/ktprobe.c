// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe - the guest's tool for poking /dev/lothars_chardev in ways a
 * shell cannot: exact errnos, many concurrent readers, a reader killed
 * mid-wait. Built static on the host and copied into the test initramfs.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/io_uring.h>
#include <time.h>
#include <unistd.h>

static const char *errname(int e)
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

static int open_or_die(const char *path, int flags)
{
	int fd = open(path, flags);

	if (fd < 0) {
		printf("open %s: %s\n", path, errname(errno));
		exit(2);
	}
	return fd;
}

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

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* readers PATH P N: P processes, N reads each; prints failures. */
static int cmd_readers(const char *path, int procs, int reads, int print)
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
static int cmd_together(const char *path, int procs)
{
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
 * storm P SECONDS ROUNDTRIP: P processes read in a loop (ignoring errors:
 * the device may vanish under them), then all are SIGKILLed at once, most
 * of them in the middle of a read. Prints how many reads completed.
 */
static int cmd_storm(const char *path, int procs, int seconds)
{
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

/* ---- make bench ------------------------------------------------------ */

/*
 * tput P MS: P processes, each with its own open file, read (pread at
 * offset 0) in a loop for MS milliseconds, all starting together.
 * Prints "reads/s total_reads elapsed_ms".
 */
struct tput_shared {
	volatile int ready;
	volatile int stop;
	long counts[256][8]; /* one cache line per reader */
};

static int cmd_tput(const char *path, int procs, int ms)
{
	struct tput_shared *sh;
	struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };
	long long t0, t1;
	long total = 0;
	int go[2], failed = 0;

	if (procs < 1 || procs > 256 || pipe(go))
		return 2;
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		return 2;
	for (int p = 0; p < procs; p++) {
		if (fork() == 0) {
			int fd = open_or_die(path, O_RDONLY);
			char buf[64], c;
			long n = 0;

			close(go[1]);
			__atomic_add_fetch(&sh->ready, 1, __ATOMIC_SEQ_CST);
			if (read(go[0], &c, 1) != 0) /* EOF: the parent says go */
				_exit(1);
			while (!sh->stop) {
				if (pread(fd, buf, sizeof(buf), 0) < 0)
					_exit(1);
				n++;
			}
			sh->counts[p][0] = n;
			_exit(0);
		}
	}
	close(go[0]);
	while (sh->ready < procs)
		usleep(1000);
	t0 = now_ns();
	close(go[1]);
	nanosleep(&pause, NULL);
	sh->stop = 1;
	t1 = now_ns();
	for (int p = 0; p < procs; p++) {
		int status;

		wait(&status);
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			failed++;
	}
	for (int p = 0; p < procs; p++)
		total += sh->counts[p][0];
	if (failed) {
		printf("%d reader processes failed\n", failed);
		return 1;
	}
	printf("%.0f %ld %.1f\n", total * 1e9 / (double)(t1 - t0), total,
	       (t1 - t0) / 1e6);
	return 0;
}

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

/* Nearest rank, as the kernel side (shim/lothars_stats.c) computes it. */
static long long rank_of(const long long *sorted, long n, int permille)
{
	long index = (n * permille + 999) / 1000;

	return n ? sorted[index ? index - 1 : 0] : 0;
}

/*
 * Prints "summary N p50 p90 p99 max mean" and the distribution as
 * "bin LOWER_EDGE COUNT" lines, in quarter-octave bins (ns).
 */
static void print_distribution(long long *v, long n)
{
	static long bins[64 * 4];
	long long sum = 0;

	memset(bins, 0, sizeof(bins));
	qsort(v, n, sizeof(*v), cmp_ll);
	for (long i = 0; i < n; i++) {
		unsigned long long x = v[i] < 4 ? 4 : v[i];
		int msb = 63 - __builtin_clzll(x);

		bins[msb * 4 + ((x >> (msb - 2)) & 3)]++;
		sum += v[i];
	}
	printf("summary %ld %lld %lld %lld %lld %lld\n", n, rank_of(v, n, 500),
	       rank_of(v, n, 900), rank_of(v, n, 990), n ? v[n - 1] : 0,
	       n ? sum / n : 0);
	for (int b = 8; b < 64 * 4; b++)
		if (bins[b])
			printf("bin %llu %ld\n", (4ULL + (b & 3)) << (b / 4 - 2), bins[b]);
}

/*
 * lat N [raw]: N reads at offset 0 on one open file, each timed (the
 * round trip); the distribution, or with "raw" each time in ns.
 */
static int cmd_lat(const char *path, long n, int raw)
{
	int fd = open_or_die(path, O_RDONLY);
	long long *v = calloc(n, sizeof(*v));
	char buf[64];

	if (!v)
		return 2;
	for (int i = 0; i < 50; i++) /* warm-up */
		if (pread(fd, buf, sizeof(buf), 0) < 0)
			return 1;
	for (long i = 0; i < n; i++) {
		long long t0 = now_ns();

		if (pread(fd, buf, sizeof(buf), 0) < 0)
			return 1;
		v[i] = now_ns() - t0;
	}
	close(fd);
	if (!raw) {
		print_distribution(v, n);
		return 0;
	}
	for (long i = 0; i < n; i++)
		printf("%lld\n", v[i]);
	return 0;
}

/* hist: numbers on stdin (debugfs wake_samples), summarised as lat does. */
static int cmd_hist(void)
{
	long n = 0, cap = 1 << 16;
	long long *v = malloc(cap * sizeof(*v)), x;

	while (v && scanf("%lld", &x) == 1) {
		if (n == cap && !(v = realloc(v, (cap *= 2) * sizeof(*v))))
			break;
		v[n++] = x;
	}
	if (!v)
		return 2;
	print_distribution(v, n);
	return 0;
}

/* oneline PATH: open, read until EOF; prints what came and the read count. */
static int cmd_oneline(const char *path)
{
	int fd = open_or_die(path, O_RDONLY);
	char buf[64];
	int reads = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		fwrite(buf, 1, n, stdout);
		reads++;
	}
	close(fd);
	printf("reads=%d last=%s\n", reads + 1, n < 0 ? errname(errno) : "EOF");
	return n < 0;
}

/*
 * /proc/thread-self/fail-nth: after "N" is written, the Nth fault point
 * this thread passes (with failslab armed: the Nth slab allocation) fails.
 * The file is opened before arming, so that opening it is not counted.
 */
static int fail_nth_open(void)
{
	return open_or_die("/proc/thread-self/fail-nth", O_RDWR);
}

static void fail_nth_arm(int fd, int n)
{
	char text[16];
	int len = snprintf(text, sizeof(text), "%d", n);

	if (pwrite(fd, text, len, 0) != len) {
		printf("fail-nth: %s\n", errname(errno));
		exit(2);
	}
}

/*
 * How many fault points the armed count still had to pass: non-zero means
 * the operation finished before reaching the Nth one. Disarms the count.
 */
static int fail_nth_left(int fd)
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

/* insmod-nth KO N PARAMS: load KO with its Nth allocation failing. */
static int cmd_insmod_nth(const char *ko, int n, const char *params)
{
	int fd = open_or_die(ko, O_RDONLY);
	int nth = fail_nth_open();
	long ret;

	fail_nth_arm(nth, n);
	ret = syscall(SYS_finit_module, fd, params, 0);
	printf("%s %d\n", ret ? errname(errno) : "OK", fail_nth_left(nth));
	return 0;
}

/* open-nth N: open the device with its Nth allocation failing, read once. */
static int cmd_open_nth(const char *path, int n)
{
	int nth = fail_nth_open();
	char buf[64];
	int fd, left;

	fail_nth_arm(nth, n);
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
static int cmd_burst_rmmod(const char *path, int n, int unload)
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

/* ---- torture: shared descriptors, signals, odd buffers --------------- */

/* "event N\n" -> N, or -1 if the reply is anything else. */
static long long parse_answer(const char *buf, ssize_t n)
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
static int cmd_rt_shared(const char *path, int threads, int reads)
{
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
static int cmd_rt_signal(const char *path, const char *mode, int reads, int period_us)
{
	struct sigaction sa = { .sa_handler = count_signal };
	struct signaller s = { pthread_self(), period_us, 0 };
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

/*
 * What a read() returned, for a report line: the errno's name, EOF, or
 * the reply in quotes with its event number (which varies) written N, its
 * spaces _ and its newline $.
 */
static const char *outcome(ssize_t n, const char *buf, char *out, size_t size)
{
	size_t k = 0;

	if (n < 0)
		return errname(errno);
	if (n == 0)
		return "EOF";
	out[k++] = '\'';
	for (ssize_t i = 0; i < n && k + 3 < size; i++) {
		if (buf[i] >= '0' && buf[i] <= '9') {
			if (out[k - 1] != 'N')
				out[k++] = 'N';
		} else {
			out[k++] = buf[i] == '\n' ? '$' : buf[i] == ' ' ? '_' : buf[i];
		}
	}
	out[k++] = '\'';
	out[k] = '\0';
	return out;
}

/*
 * guard: reads of 0, 1 and 5 bytes into a buffer that ends exactly where
 * an inaccessible page (PROT_NONE) begins, with the rest of the page before
 * it filled with a guard pattern; each followed by a second read() on the
 * same file. Then a 64-byte read into 5 accessible bytes. Prints one line
 * per case: the result, the reply's shape, whether the guard held, the
 * second read's result and shape.
 */
static int cmd_guard(const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	static const size_t lens[] = { 0, 1, 5 };
	unsigned char *map;
	char shape[80], next[80], big[64];

	map = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED || mprotect(map + page, page, PROT_NONE))
		return 2;
	for (unsigned int c = 0; c <= sizeof(lens) / sizeof(lens[0]); c++) {
		int crossing = c == sizeof(lens) / sizeof(lens[0]);
		size_t len = crossing ? 64 : lens[c];
		size_t room = crossing ? 5 : len;
		unsigned char *buf = map + page - room;
		int fd = open_or_die(path, O_RDONLY);
		ssize_t n, m;
		int guard_ok = 1;

		memset(map, 0xa5, page);
		n = read(fd, buf, len);
		/* Where nothing may be written, the pattern must still be there. */
		for (unsigned char *p = map; p < buf; p++)
			if (*p != 0xa5)
				guard_ok = 0;
		for (unsigned char *p = buf + (n > 0 ? n : 0); !crossing && p < map + page; p++)
			if (*p != 0xa5)
				guard_ok = 0;
		printf("len=%zu%s ret=%s guard=%s", len, crossing ? "@5" : "",
		       crossing && n > 0 ? "copied" : outcome(n, (char *)buf, shape, sizeof(shape)),
		       guard_ok ? "ok" : "BROKEN");
		m = read(fd, big, sizeof(big));
		printf(" next=%s\n", outcome(m, big, next, sizeof(next)));
		close(fd);
	}
	return 0;
}

/*
 * badbuf: one read each into NULL, an unmapped page, a read-only page and
 * a kernel address. Prints "null=R unmapped=R readonly=R kernel=R".
 */
static int cmd_badbuf(const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	char *unmapped, *readonly, text[80];
	struct {
		const char *name;
		void *buf;
	} cases[4];
	int fd = open_or_die(path, O_RDONLY);

	unmapped = mmap(NULL, page, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	readonly = mmap(NULL, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (unmapped == MAP_FAILED || readonly == MAP_FAILED || munmap(unmapped, page))
		return 2;
	cases[0].name = "null";
	cases[0].buf = NULL;
	cases[1].name = "unmapped";
	cases[1].buf = unmapped;
	cases[2].name = "readonly";
	cases[2].buf = readonly;
	cases[3].name = "kernel";
	cases[3].buf = (void *)0xffffffff81000000UL;
	for (int c = 0; c < 4; c++) {
		/* pread at 0: in round-trip mode each one is a new request. */
		ssize_t n = pread(fd, cases[c].buf, 64, 0);

		printf("%s%s=%s", c ? " " : "", cases[c].name,
		       n > 0 ? "copied" : outcome(n, NULL, text, sizeof(text)));
	}
	printf("\n");
	close(fd);
	return 0;
}

/*
 * odd: lengths, offsets and calls a shell cannot make. Each case opens the
 * device afresh and prints "name=result[:reply shape]".
 */
static int cmd_odd(const char *path)
{
	static const struct {
		const char *name;
		long long offset;
	} offsets[] = { { "pread@1", 1 }, { "pread@7", 7 }, { "pread@4096", 4096 },
			{ "pread@max", LLONG_MAX }, { "pread@-1", -1 } };
	char buf[64], shape[80];
	struct iovec iov[64];
	ssize_t n;
	int fd, pipes[2];

	static char low[64]; /* static: far below the top of user space */

	fd = open_or_die(path, O_RDONLY);
	/* Raw syscalls: the C library would (rightly) refuse to compile these. */
	n = syscall(SYS_read, fd, low, 1UL << 30); /* huge length, small buffer */
	printf("len1G=%s", outcome(n, low, shape, sizeof(shape)));
	close(fd);

	fd = open_or_die(path, O_RDONLY);
	n = syscall(SYS_read, fd, buf, SIZE_MAX);
	printf(" lenmax=%s", outcome(n, buf, shape, sizeof(shape)));
	close(fd);

	for (unsigned int c = 0; c < sizeof(offsets) / sizeof(offsets[0]); c++) {
		fd = open_or_die(path, O_RDONLY);
		n = pread(fd, buf, sizeof(buf), offsets[c].offset);
		printf(" %s=%s", offsets[c].name, outcome(n, buf, shape, sizeof(shape)));
		close(fd);
	}

	/* readv: 64 one-byte vectors, then two (4 + 60 bytes). */
	fd = open_or_die(path, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	for (int i = 0; i < 64; i++)
		iov[i] = (struct iovec){ buf + i, 1 };
	n = readv(fd, iov, 64);
	printf(" readv64x1=%s", outcome(n, buf, shape, sizeof(shape)));
	close(fd);
	fd = open_or_die(path, O_RDONLY);
	iov[0] = (struct iovec){ buf, 4 };
	iov[1] = (struct iovec){ buf + 4, 60 };
	n = readv(fd, iov, 2);
	printf(" readv4+60=%s", outcome(n, buf, shape, sizeof(shape)));
	close(fd);

	/* splice and sendfile from the device into a pipe. */
	if (pipe(pipes))
		return 2;
	fd = open_or_die(path, O_RDONLY);
	n = splice(fd, NULL, pipes[1], NULL, 64, SPLICE_F_NONBLOCK);
	printf(" splice=%s", outcome(n, buf, shape, sizeof(shape)));
	close(fd);
	fd = open_or_die(path, O_RDONLY);
	n = sendfile(pipes[1], fd, NULL, 64);
	printf(" sendfile=%s\n", outcome(n, buf, shape, sizeof(shape)));
	close(fd);
	close(pipes[0]);
	close(pipes[1]);
	return 0;
}

/*
 * uring: one IORING_OP_READ of 64 bytes at offset 0, submitted through
 * raw io_uring syscalls. Prints "uring=result:shape", or "uring=ENOSYS"
 * where the kernel has no io_uring.
 */
static int cmd_uring(const char *path)
{
	struct io_uring_params p;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned int *sq_tail, *sq_array, *cq_head, tail;
	char *sq, *cq, buf[64] = "", shape[80];
	int ring, fd, res;

	memset(&p, 0, sizeof(p));
	ring = syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0) {
		printf("uring=%s\n", errname(errno));
		return 0;
	}
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return 2;
	fd = open_or_die(path, O_RDONLY);
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_READ;
	sqes[0].fd = fd;
	sqes[0].addr = (unsigned long)buf;
	sqes[0].len = sizeof(buf);
	sqes[0].off = 0;
	sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	sq_array = (unsigned int *)(sq + p.sq_off.array);
	tail = *sq_tail;
	sq_array[tail & *(unsigned int *)(sq + p.sq_off.ring_mask)] = 0;
	__atomic_store_n(sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
		printf("uring=enter:%s\n", errname(errno));
		return 1;
	}
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	if (*cq_head == __atomic_load_n((unsigned int *)(cq + p.cq_off.tail), __ATOMIC_ACQUIRE)) {
		printf("uring=no-completion\n");
		return 1;
	}
	cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes) +
	      (*cq_head & *(unsigned int *)(cq + p.cq_off.ring_mask));
	res = cqe->res;
	__atomic_store_n(cq_head, *cq_head + 1, __ATOMIC_RELEASE);
	errno = -res;
	printf("uring=%s\n", outcome(res, buf, shape, sizeof(shape)));
	close(fd);
	close(ring);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = "/dev/lothars_chardev";
	const char *cmd;
	int fd;

	/* -d PATH: another device (make bench: the C twin, the anchors). */
	if (argc > 2 && !strcmp(argv[1], "-d")) {
		path = argv[2];
		argv += 2;
		argc -= 2;
	}
	cmd = argc > 1 ? argv[1] : "";

	if (!strcmp(cmd, "write")) {
		fd = open_or_die(path, O_RDWR);
		errno = 0;
		printf("%s\n", write(fd, "x", 1) < 0 ? errname(errno) : "OK");
		return 0;
	}
	if (!strcmp(cmd, "ioctl")) {
		fd = open_or_die(path, O_RDONLY);
		errno = 0;
		printf("%s\n", ioctl(fd, 0x1234, 0) < 0 ? errname(errno) : "OK");
		return 0;
	}
	if (!strcmp(cmd, "mmap")) {
		fd = open_or_die(path, O_RDONLY);
		errno = 0;
		printf("%s\n", mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) ==
				       MAP_FAILED ? errname(errno) : "OK");
		return 0;
	}
	if (!strcmp(cmd, "readers") && argc == 4)
		return cmd_readers(path, atoi(argv[2]), atoi(argv[3]), 0);
	if (!strcmp(cmd, "rt-readers") && argc == 4)
		return cmd_readers(path, atoi(argv[2]), atoi(argv[3]), 1);
	if (!strcmp(cmd, "together") && argc == 3)
		return cmd_together(path, atoi(argv[2]));
	if (!strcmp(cmd, "storm") && argc == 4)
		return cmd_storm(path, atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(cmd, "insmod-nth") && argc >= 4)
		return cmd_insmod_nth(argv[2], atoi(argv[3]), argc > 4 ? argv[4] : "");
	if (!strcmp(cmd, "open-nth") && argc == 3)
		return cmd_open_nth(path, atoi(argv[2]));
	if (!strcmp(cmd, "burst-rmmod") && argc == 3)
		return cmd_burst_rmmod(path, atoi(argv[2]), 1);
	if (!strcmp(cmd, "burst-pending") && argc == 3)
		return cmd_burst_rmmod(path, atoi(argv[2]), 0);
	if (!strcmp(cmd, "rt-shared") && argc == 4)
		return cmd_rt_shared(path, atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(cmd, "rt-signal") && argc == 5)
		return cmd_rt_signal(path, argv[2], atoi(argv[3]), atoi(argv[4]));
	if (!strcmp(cmd, "guard"))
		return cmd_guard(path);
	if (!strcmp(cmd, "badbuf"))
		return cmd_badbuf(path);
	if (!strcmp(cmd, "odd"))
		return cmd_odd(path);
	if (!strcmp(cmd, "uring"))
		return cmd_uring(path);
	if (!strcmp(cmd, "burst") && argc == 3) {
		/* burst N: N reads on one descriptor, as fast as they go. */
		char buf[64];

		fd = open_or_die(path, O_RDONLY);
		for (int i = atoi(argv[2]); i > 0; i--)
			if (pread(fd, buf, sizeof(buf), 0) < 0)
				return 1;
		return 0;
	}
	if (!strcmp(cmd, "rt-same-fd") && argc == 3) {
		/* rt-same-fd N: N reads at offset 0 on one descriptor. */
		char buf[64];

		fd = open_or_die(path, O_RDONLY);
		for (int i = atoi(argv[2]); i > 0; i--) {
			ssize_t n = pread(fd, buf, sizeof(buf), 0);

			if (n < 0)
				return 1;
			fwrite(buf, 1, n, stdout);
		}
		return 0;
	}
	if (!strcmp(cmd, "oneline"))
		return cmd_oneline(path);
	if (!strcmp(cmd, "hold") && argc == 3) {
		/* Keep the device open; the shell kills us or we time out. */
		fd = open_or_die(path, O_RDONLY);
		printf("held\n");
		fflush(stdout);
		sleep(atoi(argv[2]));
		return 0;
	}
	if (!strcmp(cmd, "rate") && argc == 3) {
		/* rate N: N sequential reads on one descriptor; reads per second. */
		int n = atoi(argv[2]);
		char buf[64];
		long long t0;

		fd = open_or_die(path, O_RDONLY);
		t0 = now_ns();
		for (int i = 0; i < n; i++)
			if (pread(fd, buf, sizeof(buf), 0) < 0)
				return 1;
		printf("%.0f\n", n * 1e9 / (double)(now_ns() - t0));
		return 0;
	}
	if (!strcmp(cmd, "tput") && argc == 4)
		return cmd_tput(path, atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(cmd, "lat") && (argc == 3 || (argc == 4 && !strcmp(argv[3], "raw"))))
		return cmd_lat(path, atol(argv[2]), argc == 4);
	if (!strcmp(cmd, "hist"))
		return cmd_hist();
	fprintf(stderr,
		"usage: ktprobe [-d DEVICE] write|ioctl|mmap|oneline|hold S|readers P N|rt-readers P N|together P|storm P S|rate N|insmod-nth KO N [P]|open-nth N|tput P MS|lat N [raw]|hist\n"
		"       burst-rmmod N|burst-pending N|rt-shared T N|rt-signal restart|intr N US|guard|badbuf|odd|uring\n");
	return 2;
}
