// SPDX-License-Identifier: GPL-2.0
/*
 * ktprobe's odd callers: buffers at a page's edge or not there at all,
 * lengths and offsets a shell cannot make, readv, splice, sendfile and
 * io_uring.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <linux/io_uring.h>
#include <unistd.h>

#include "ktprobe.h"

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
static int cmd_guard(char **args, const char *path)
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
static int cmd_badbuf(char **args, const char *path)
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
static int cmd_odd(char **args, const char *path)
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
static int cmd_uring(char **args, const char *path)
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

const struct probe_cmd kt_abuse[] = {
	{ "guard ...", cmd_guard }, { "badbuf ...", cmd_badbuf }, { "odd ...", cmd_odd },
	{ "uring ...", cmd_uring }, { NULL }
};
