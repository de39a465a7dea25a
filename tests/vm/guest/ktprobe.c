// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe - the guest's tool for poking /dev/lothars_chardev in ways a
 * shell cannot: exact errnos, many concurrent readers, a reader killed
 * mid-wait. Built static on the host and copied into the test initramfs.
 */
#include <errno.h>
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

int main(int argc, char **argv)
{
	const char *path = "/dev/lothars_chardev";
	const char *cmd = argc > 1 ? argv[1] : "";
	int fd;

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
	if (!strcmp(cmd, "storm") && argc == 4)
		return cmd_storm(path, atoi(argv[2]), atoi(argv[3]));
	if (!strcmp(cmd, "insmod-nth") && argc >= 4)
		return cmd_insmod_nth(argv[2], atoi(argv[3]), argc > 4 ? argv[4] : "");
	if (!strcmp(cmd, "open-nth") && argc == 3)
		return cmd_open_nth(path, atoi(argv[2]));
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
	fprintf(stderr,
		"usage: ktprobe write|ioctl|mmap|oneline|hold S|readers P N|rt-readers P N|storm P S|rate N|insmod-nth KO N [P]|open-nth N\n");
	return 2;
}
