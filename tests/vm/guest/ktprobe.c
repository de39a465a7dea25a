// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe - the guest's tool for poking /dev/lothars_chardev in ways a
 * shell cannot: exact errnos, many concurrent readers, a reader killed
 * mid-wait. Built static on the host and copied into the test initramfs.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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
static int cmd_burst_rmmod(const char *path, int n)
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
	printf("backlog=%ld rmmod=%s\n", backlog,
	       syscall(SYS_delete_module, "kthread", O_NONBLOCK) ? errname(errno) : "OK");
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
		return cmd_burst_rmmod(path, atoi(argv[2]));
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
		"usage: ktprobe [-d DEVICE] write|ioctl|mmap|oneline|hold S|readers P N|rt-readers P N|together P|storm P S|rate N|insmod-nth KO N [P]|open-nth N|tput P MS|lat N [raw]|hist\n");
	return 2;
}
