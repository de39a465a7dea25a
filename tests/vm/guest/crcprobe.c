// SPDX-License-Identifier: GPL-2.0
/*
 * crcprobe - the guest's tool for /dev/crcpool: exact errnos, results
 * checked against a CRC32C computed here (bit by bit, independently of the
 * module's table), many concurrent writers, a reader interrupted mid-wait,
 * a write with its Nth allocation failing. Built static on the host and
 * copied into the test initramfs; prints one line a test compares.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEVICE "/dev/crcpool"
#define MAX_WORKERS 64

static const char *errname(int e)
{
	switch (e) {
	case 0: return "OK";
	case EINVAL: return "EINVAL";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EINTR: return "EINTR";
	case ENOMEM: return "ENOMEM";
	case ENOTTY: return "ENOTTY";
	case ENODEV: return "ENODEV";
	case ENOENT: return "ENOENT";
	case ENXIO: return "ENXIO";
	case EAGAIN: return "EAGAIN";
	default: return "E?";
	}
}

/* Bit by bit: a second implementation to check the module's table against. */
static uint32_t crc32c(const unsigned char *data, size_t len)
{
	uint32_t crc = ~0u;
	size_t i;
	int bit;

	for (i = 0; i < len; i++) {
		crc ^= data[i];
		for (bit = 0; bit < 8; bit++)
			crc = (crc >> 1) ^ (crc & 1 ? 0x82F63B78u : 0);
	}
	return ~crc;
}

static uint32_t rng_next(uint32_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 17;
	*state ^= *state << 5;
	return *state;
}

static void fill(unsigned char *buf, size_t len, uint32_t seed)
{
	size_t i;

	seed |= 1;
	for (i = 0; i < len; i++)
		buf[i] = (unsigned char)rng_next(&seed);
}

static int open_dev(void)
{
	int fd = open(DEVICE, O_RDWR);

	if (fd < 0) {
		printf("open: %s\n", errname(errno));
		exit(2);
	}
	return fd;
}

/* An address no process maps, hidden from the compiler's buffer checks. */
static void *bad_pointer(void)
{
	volatile uintptr_t address = 16;

	return (void *)address;
}

struct result {
	unsigned int crc, worker, bytes;
	unsigned long long seq;
};

static int parse(const char *line, struct result *r)
{
	return sscanf(line, "crc32c=0x%8x worker=%u bytes=%u seq=%llu\n", &r->crc, &r->worker, &r->bytes,
		      &r->seq) == 4;
}

/*
 * One request on fd: write, read, check. Returns 0 when the result is
 * exact, 1 when it is wrong, -errno when a call failed.
 */
static int request(int fd, const unsigned char *buf, size_t len, struct result *r)
{
	char line[128];
	ssize_t n;

	if (write(fd, buf, len) != (ssize_t)len)
		return -errno;
	n = read(fd, line, sizeof(line) - 1);
	if (n < 0)
		return -errno;
	line[n] = '\0';
	if (!parse(line, r) || r->crc != crc32c(buf, len) || r->bytes != len)
		return 1;
	return 0;
}

/* line STRING: the device's answer for STRING's bytes, as it prints it. */
static int cmd_line(const char *text)
{
	int fd = open_dev();
	char line[128];
	ssize_t n;

	if (write(fd, text, strlen(text)) < 0) {
		printf("write: %s\n", errname(errno));
		return 1;
	}
	n = read(fd, line, sizeof(line) - 1);
	if (n < 0) {
		printf("read: %s\n", errname(errno));
		return 1;
	}
	line[n] = '\0';
	fputs(line, stdout);
	close(fd);
	return 0;
}

/* vectors MAX: known CRC32C values (RFC 3720 B.4 and the check value), then MAX bytes. */
static int cmd_vectors(size_t max)
{
	static const struct {
		const char *name;
		uint32_t want;
	} known[] = {
		{ "check", 0xE3069283 }, { "zeros32", 0x8A9136AA }, { "ones32", 0x62A8AB43 },
		{ "incr32", 0x46DD794E }, { "decr32", 0x113FDB5C }, { "byte", 0 },
		{ "max", 0 },
	};
	unsigned char *buf = malloc(max > 32 ? max : 32);
	int fd = open_dev(), i, bad = 0;
	struct result r;

	for (i = 0; i < (int)(sizeof(known) / sizeof(known[0])); i++) {
		size_t len = 32;
		uint32_t want = known[i].want;
		int ret, k;

		switch (i) {
		case 0: memcpy(buf, "123456789", 9); len = 9; break;
		case 1: memset(buf, 0, 32); break;
		case 2: memset(buf, 0xff, 32); break;
		case 3: for (k = 0; k < 32; k++) buf[k] = k; break;
		case 4: for (k = 0; k < 32; k++) buf[k] = 31 - k; break;
		case 5: buf[0] = 'a'; len = 1; want = crc32c(buf, 1); break;
		default: fill(buf, max, 42); len = max; want = crc32c(buf, max); break;
		}
		if (crc32c(buf, len) != want) {
			printf("%s: the tool's own CRC is wrong\n", known[i].name);
			return 1;
		}
		ret = request(fd, buf, len, &r);
		if (ret) {
			bad++;
			printf("%s: %s (got 0x%08x, want 0x%08x)\n", known[i].name,
			       ret < 0 ? errname(-ret) : "wrong", r.crc, want);
		}
	}
	printf("%s\n", bad ? "BAD" : "OK");
	close(fd);
	free(buf);
	return 0;
}

/* Shared by the processes of one run. */
struct tally {
	long ok, wrong, failed;
	long by_worker[MAX_WORKERS];
	int last_errno;
};

/*
 * writers P N MAXLEN: P processes, each N requests of 1..MAXLEN random
 * bytes on one descriptor of its own, every result checked. Prints the
 * totals and how many distinct workers answered.
 */
static int cmd_writers(int procs, int n, size_t maxlen)
{
	struct tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int p, used = 0, w;

	for (p = 0; p < procs; p++) {
		if (fork() == 0) {
			unsigned char *buf = malloc(maxlen);
			uint32_t seed = 0x9e3779b9u * (p + 1);
			int fd = open_dev(), i;
			struct result r;

			for (i = 0; i < n; i++) {
				size_t len = 1 + rng_next(&seed) % maxlen;
				int ret;

				fill(buf, len, rng_next(&seed));
				ret = request(fd, buf, len, &r);
				if (ret < 0) {
					__atomic_add_fetch(&t->failed, 1, __ATOMIC_RELAXED);
					t->last_errno = -ret;
				} else if (ret) {
					__atomic_add_fetch(&t->wrong, 1, __ATOMIC_RELAXED);
				} else {
					__atomic_add_fetch(&t->ok, 1, __ATOMIC_RELAXED);
					if (r.worker < MAX_WORKERS)
						__atomic_add_fetch(&t->by_worker[r.worker], 1, __ATOMIC_RELAXED);
				}
			}
			close(fd);
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	for (w = 0; w < MAX_WORKERS; w++)
		used += t->by_worker[w] > 0;
	printf("ok=%ld wrong=%ld failed=%ld workers_used=%d", t->ok, t->wrong, t->failed, used);
	if (t->failed)
		printf(" last_error=%s", errname(t->last_errno));
	printf("\n");
	return 0;
}

/*
 * hammer P SECONDS: P processes open, write, read and close in a loop
 * until the device goes away (open fails) or SECONDS pass. For rmmod
 * under load: prints the requests answered and how each process ended.
 */
static int cmd_hammer(int procs, int seconds)
{
	struct tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	time_t end = time(NULL) + seconds;
	int p;

	for (p = 0; p < procs; p++) {
		if (fork() == 0) {
			uint32_t seed = 0x85ebca6bu * (p + 1);
			unsigned char buf[512];
			struct result r;

			while (time(NULL) < end) {
				size_t len = 1 + rng_next(&seed) % sizeof(buf);
				int fd = open(DEVICE, O_RDWR), ret;

				if (fd < 0) {
					t->last_errno = errno;
					break;
				}
				fill(buf, len, rng_next(&seed));
				ret = request(fd, buf, len, &r);
				close(fd);
				if (ret < 0)
					__atomic_add_fetch(&t->failed, 1, __ATOMIC_RELAXED);
				else if (ret)
					__atomic_add_fetch(&t->wrong, 1, __ATOMIC_RELAXED);
				else
					__atomic_add_fetch(&t->ok, 1, __ATOMIC_RELAXED);
			}
			_exit(0);
		}
	}
	while (wait(NULL) > 0)
		;
	printf("ok=%ld wrong=%ld failed=%ld end=%s\n", t->ok, t->wrong, t->failed,
	       t->last_errno ? errname(t->last_errno) : "time");
	return 0;
}

/* errno CASE MAX: one refused (or accepted) call, by name; prints its errno. */
static int cmd_errno(const char *c, size_t max)
{
	int fd = open_dev();
	char *buf = calloc(1, max + 2);
	char line[128];
	ssize_t ret = 0;

	if (!strcmp(c, "empty")) {
		ret = write(fd, buf, 0);
	} else if (!strcmp(c, "too-big")) {
		ret = write(fd, buf, max + 1);
	} else if (!strcmp(c, "exactly-max")) {
		ret = write(fd, buf, max);
		if (ret == (ssize_t)max)
			ret = read(fd, line, sizeof(line));
	} else if (!strcmp(c, "bad-pointer")) {
		ret = write(fd, bad_pointer(), 64);
		/* Nothing was queued: a read has no request. */
		if (ret < 0) {
			int e = errno;

			printf("%s then-read=%s\n", errname(e),
			       read(fd, line, sizeof(line)) < 0 ? errname(errno) : "OK");
			return 0;
		}
	} else if (!strcmp(c, "unmapped")) {
		/* Half mapped, half not: all or nothing. */
		char *page = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		munmap(page + 4096, 4096);
		ret = write(fd, page + 4000, 200);
	} else if (!strcmp(c, "read-first")) {
		ret = read(fd, line, sizeof(line));
	} else if (!strcmp(c, "second-write")) {
		ret = write(fd, "abc", 3);
		if (ret == 3)
			ret = write(fd, "def", 3);
		if (ret < 0) {
			int e = errno;

			/* The first request is still collectable, and exact. */
			ret = read(fd, line, sizeof(line) - 1);
			line[ret > 0 ? ret : 0] = '\0';
			printf("%s then-read=%s", errname(e), ret > 0 ? line : "FAILED\n");
			return 0;
		}
	} else if (!strcmp(c, "short-read")) {
		ret = write(fd, "123456789", 9);
		if (ret == 9)
			ret = read(fd, line, 10);
		if (ret < 0) {
			int e = errno;

			ret = read(fd, line, sizeof(line) - 1);
			line[ret > 0 ? ret : 0] = '\0';
			printf("%s then-read=%s", errname(e), ret > 0 ? line : "FAILED\n");
			return 0;
		}
	} else if (!strcmp(c, "read-twice")) {
		ret = write(fd, "abc", 3);
		if (ret == 3)
			ret = read(fd, line, sizeof(line));
		if (ret > 0)
			ret = read(fd, line, sizeof(line));
	} else if (!strcmp(c, "bad-read-buffer")) {
		ret = write(fd, "123456789", 9);
		if (ret == 9)
			ret = read(fd, bad_pointer(), 100);
		if (ret < 0) {
			int e = errno;

			ret = read(fd, line, sizeof(line) - 1);
			line[ret > 0 ? ret : 0] = '\0';
			printf("%s then-read=%s", errname(e), ret > 0 ? line : "FAILED\n");
			return 0;
		}
	} else if (!strcmp(c, "ioctl")) {
		ret = ioctl(fd, 0x1234, 0);
	} else if (!strcmp(c, "mmap")) {
		ret = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0;
	} else {
		printf("unknown case %s\n", c);
		return 2;
	}
	printf("%s\n", ret < 0 ? errname(errno) : "OK");
	return 0;
}

/*
 * close-inflight N SIZE: N descriptors each submit SIZE bytes and are
 * closed at once, without reading: the closes must wait for the workers
 * (or the module would free what they work on).
 */
static int cmd_close_inflight(int n, size_t size)
{
	unsigned char *buf = malloc(size);
	int i, failed = 0;

	fill(buf, size, 7);
	for (i = 0; i < n; i++) {
		int fd = open_dev();

		if (write(fd, buf, size) != (ssize_t)size)
			failed++;
		close(fd);
	}
	printf("%s\n", failed ? "FAILED" : "OK");
	return 0;
}

static void on_alarm(int sig)
{
	(void)sig;
}

/*
 * interrupt BIG: a request queued behind BIG bytes on another descriptor
 * (one worker), its read interrupted by a signal (no SA_RESTART): EINTR,
 * then the next read collects the same request's exact result. Prints
 * the first read's outcome and the second's.
 */
static int cmd_interrupt(size_t big)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct itimerval timer = { .it_value = { .tv_usec = 2000 } };
	unsigned char *buf = malloc(big);
	int blocker = open_dev(), fd = open_dev(), i;
	char line[128];
	ssize_t n;
	struct result r;
	const char *first;

	sigaction(SIGALRM, &sa, NULL); /* sa_flags 0: no restart */
	fill(buf, big, 3);
	for (i = 0; i < 1; i++)
		if (write(blocker, buf, big) != (ssize_t)big)
			printf("blocker write: %s\n", errname(errno));
	if (write(fd, "123456789", 9) != 9) {
		printf("write: %s\n", errname(errno));
		return 1;
	}
	setitimer(ITIMER_REAL, &timer, NULL);
	n = read(fd, line, sizeof(line) - 1);
	first = n < 0 ? errname(errno) : "OK";
	if (n < 0) {
		n = read(fd, line, sizeof(line) - 1);
		if (n < 0) {
			printf("%s then-read=%s\n", first, errname(errno));
			return 1;
		}
	}
	line[n] = '\0';
	printf("%s then-read=%s\n", first, parse(line, &r) && r.crc == 0xE3069283 ? "exact" : "WRONG");
	close(fd);
	close(blocker);
	return 0;
}

/* hold SECONDS: keep the device open (for rmmod while open). */
static int cmd_hold(int seconds)
{
	int fd = open_dev();

	printf("held\n");
	fflush(stdout);
	sleep(seconds);
	close(fd);
	return 0;
}

/*
 * write-nth N SIZE: a write of SIZE bytes with its Nth allocation failing
 * (/proc/thread-self/fail-nth; failslab armed by the caller), then a read.
 * Prints the write's result, how many fault points were left, and the
 * read's result.
 */
static int cmd_write_nth(int n, size_t size)
{
	unsigned char *buf = malloc(size);
	int fd = open_dev();
	int nth = open("/proc/thread-self/fail-nth", O_RDWR);
	char text[16] = "", line[128];
	int left = -1;
	ssize_t ret, got;
	const char *wrote;
	struct result r;

	if (nth < 0) {
		printf("fail-nth: %s\n", errname(errno));
		return 2;
	}
	fill(buf, size, 11);
	snprintf(text, sizeof(text), "%d", n);
	if (pwrite(nth, text, strlen(text), 0) < 0)
		return 2;
	ret = write(fd, buf, size);
	wrote = ret < 0 ? errname(errno) : "OK";
	memset(text, 0, sizeof(text));
	if (pread(nth, text, sizeof(text) - 1, 0) > 0)
		left = atoi(text);
	if (pwrite(nth, "0", 1, 0) != 1)
		left = -1;
	got = read(fd, line, sizeof(line) - 1);
	if (got > 0) {
		line[got] = '\0';
		printf("%s %d %s\n", wrote, left,
		       parse(line, &r) && r.crc == crc32c(buf, size) ? "exact" : "WRONG");
	} else {
		printf("%s %d %s\n", wrote, left, errname(errno));
	}
	close(fd);
	return 0;
}

/*
 * fifo N BIG: one worker busy with BIG bytes, then N one-byte requests on
 * N descriptors, written in order; their completion order (seq) must be
 * the order of the writes. Prints OK or the order seen.
 */
static int cmd_fifo(int n, size_t big)
{
	unsigned char *buf = malloc(big);
	int blocker = open_dev(), *fds = calloc(n, sizeof(int)), i, in_order = 1;
	unsigned long long last = 0;
	char line[128];
	struct result r;

	fill(buf, big, 5);
	if (write(blocker, buf, big) != (ssize_t)big)
		printf("blocker write: %s\n", errname(errno));
	for (i = 0; i < n; i++) {
		fds[i] = open_dev();
		buf[0] = (unsigned char)i;
		if (write(fds[i], buf, 1) != 1)
			printf("write %d: %s\n", i, errname(errno));
	}
	for (i = 0; i < n; i++) {
		ssize_t got = read(fds[i], line, sizeof(line) - 1);

		line[got > 0 ? got : 0] = '\0';
		if (!parse(line, &r)) {
			printf("read %d: %s\n", i, got < 0 ? errname(errno) : line);
			return 1;
		}
		if (i && r.seq <= last)
			in_order = 0;
		last = r.seq;
		printf(i ? " %llu" : "seq %llu", r.seq);
		close(fds[i]);
	}
	printf("\n%s\n", in_order ? "OK" : "OUT OF ORDER");
	if (read(blocker, line, sizeof(line)) < 0)
		printf("blocker read: %s\n", errname(errno));
	close(blocker);
	return 0;
}

/* insmod KO PARAMS: load KO; prints the errno (busybox insmod hides it). */
static int cmd_insmod(const char *ko, const char *params)
{
	int fd = open(ko, O_RDONLY);

	if (fd < 0 || syscall(SYS_finit_module, fd, params, 0)) {
		printf("%s\n", errname(errno));
		return 0;
	}
	printf("OK\n");
	return 0;
}

/*
 * rmmod-loop NAME MAX: delete_module() until it succeeds or MAX attempts
 * failed (a tight loop, no fork per attempt). Prints the attempts, the
 * first refusal's errno and the outcome.
 */
static int cmd_rmmod_loop(const char *name, long max)
{
	long tries = 0;
	int first = 0;

	while (syscall(SYS_delete_module, name, O_NONBLOCK)) {
		if (!first)
			first = errno;
		if (++tries >= max) {
			printf("tries=%ld first=%s result=%s\n", tries, errname(first), errname(errno));
			return 0;
		}
		if (tries % 64 == 0)
			usleep(1000);
	}
	printf("tries=%ld first=%s result=OK\n", tries, first ? errname(first) : "none");
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(cmd, "line") && argc == 3)
		return cmd_line(argv[2]);
	if (!strcmp(cmd, "vectors") && argc == 3)
		return cmd_vectors(strtoul(argv[2], NULL, 0));
	if (!strcmp(cmd, "writers") && argc == 5)
		return cmd_writers(atoi(argv[2]), atoi(argv[3]), strtoul(argv[4], NULL, 0));
	if (!strcmp(cmd, "hammer") && argc == 4)
		return cmd_hammer(atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(cmd, "errno") && argc == 4)
		return cmd_errno(argv[2], strtoul(argv[3], NULL, 0));
	if (!strcmp(cmd, "close-inflight") && argc == 4)
		return cmd_close_inflight(atoi(argv[2]), strtoul(argv[3], NULL, 0));
	if (!strcmp(cmd, "interrupt") && argc == 3)
		return cmd_interrupt(strtoul(argv[2], NULL, 0));
	if (!strcmp(cmd, "hold") && argc == 3)
		return cmd_hold(atoi(argv[2]));
	if (!strcmp(cmd, "write-nth") && argc == 4)
		return cmd_write_nth(atoi(argv[2]), strtoul(argv[3], NULL, 0));
	if (!strcmp(cmd, "fifo") && argc == 4)
		return cmd_fifo(atoi(argv[2]), strtoul(argv[3], NULL, 0));
	if (!strcmp(cmd, "insmod") && argc == 4)
		return cmd_insmod(argv[2], argv[3]);
	if (!strcmp(cmd, "rmmod-loop") && argc == 4)
		return cmd_rmmod_loop(argv[2], atol(argv[3]));
	fprintf(stderr,
		"usage: crcprobe line S|vectors MAX|writers P N MAXLEN|hammer P S|errno CASE MAX|\n"
		"       close-inflight N SIZE|interrupt BIG|hold S|write-nth N SIZE|\n"
		"       fifo N BIG|insmod KO PARAMS|rmmod-loop NAME MAX\n");
	return 2;
}
