// SPDX-License-Identifier: GPL-2.0
/*
 * crcfuzz's operations, each checked as it returns. The contract, from
 * crcpool_module.cpp and the VFS in front of it (fs/read_write.c), in the
 * order the kernel checks it:
 *
 * write(fd, buf, len): EBADF if fd is not open for writing; EFAULT if buf
 * is no user address (access_ok); EINVAL if len is 0 or over max_request;
 * EBUSY if the file's last answer is not read yet; EFAULT if any of the
 * len bytes cannot be read (nothing is queued then); else len, and one
 * request is in flight.
 *
 * read(fd, buf, len): EBADF if fd is not open for reading; EFAULT if buf
 * is no user address; EINVAL if no request is in flight; EINTR only if a
 * signal without SA_RESTART came while it waited; EINVAL if len is
 * shorter than the answer line; EFAULT if the line cannot be stored; in
 * those three cases the answer stays for the next read. Else the line,
 * "crc32c=0x%08x worker=%u bytes=%lu seq=%llu\n", and nothing in flight.
 *
 * On a file two threads share, a write may also meet EBUSY and a read
 * EINVAL, depending on who came first; every answer read there must be
 * the CRC of a write that some thread made to it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "crcfuzz.h"

#define PAGE 4096
#define MISMATCHES_SHOWN 30

static u32 rnd(struct fuzz_thread *t)
{
	return rng_next(&t->rng);
}

static size_t below(struct fuzz_thread *t, size_t n)
{
	return n ? rnd(t) % n : 0;
}

enum fuzz_err err_class(int e)
{
	switch (e) {
	case 0: return ERR_OK;
	case EINVAL: return ERR_EINVAL;
	case EFAULT: return ERR_EFAULT;
	case EBUSY: return ERR_EBUSY;
	case EBADF: return ERR_EBADF;
	case EINTR: return ERR_EINTR;
	default: return ERR_OTHER;
	}
}

const char *err_label(enum fuzz_err e)
{
	static const char *const names[ERR_COUNT] = {
		"OK", "EINVAL", "EFAULT", "EBUSY", "EBADF", "EINTR", "other"
	};
	return names[e];
}

/* One MISMATCH line (the first few only), with what replays it. */
static void show(struct fuzz_thread *t, const char *fmt, va_list ap)
{
	static unsigned long shown;
	char text[256];

	if (__atomic_fetch_add(&shown, 1, __ATOMIC_RELAXED) >= MISMATCHES_SHOWN)
		return;
	vsnprintf(text, sizeof(text), fmt, ap);
	printf("MISMATCH seed %u thread %d op %lu: %s\n", cfg.seed, t->id, t->op, text);
}

/* A call answered off the contract: counted and shown. */
void fuzz_mismatch(struct fuzz_thread *t, const char *fmt, ...)
{
	va_list ap;

	t->st.mismatches++;
	va_start(ap, fmt);
	show(t, fmt, ap);
	va_end(ap);
}

/* A wrong answer: counted as wrong (not as an errno), and shown. */
static void wrong_answer(struct fuzz_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void wrong_answer(struct fuzz_thread *t, const char *fmt, ...)
{
	va_list ap;

	t->st.wrong++;
	va_start(ap, fmt);
	show(t, fmt, ap);
	va_end(ap);
}

int count(struct fuzz_thread *t, enum fuzz_op op, ssize_t ret)
{
	int e = ret < 0 ? errno : 0;

	t->st.calls[op][err_class(e)]++;
	return e;
}

/* Addresses that are never mapped: the first page, and kernel space. */
/* ADDRESS as a pointer the compiler cannot see through (no warnings). */
static void *opaque(uintptr_t address)
{
	__asm__("" : "+r"(address));
	return (void *)address;
}

static void *low_pointer(void)
{
	return opaque(16);
}

static void *kernel_pointer(void)
{
	return opaque((uintptr_t)-PAGE);
}

/* 70 % good, then the first page, half mapped, kernel space. */
static enum fuzz_ptr pick_ptr(struct fuzz_thread *t)
{
	size_t r = below(t, 100);

	return r < 70 ? PTR_GOOD : r < 80 ? PTR_LOW : r < 92 ? PTR_PARTIAL : PTR_KERNEL;
}

static const char *ptr_name(enum fuzz_ptr kind)
{
	static const char *const names[PTR_KINDS] = { "good", "low", "partial", "kernel" };

	return names[kind];
}

/* From nothing to far beyond max_request, most of them small. */
static size_t pick_len(struct fuzz_thread *t)
{
	size_t r = below(t, 100), max = cfg.max_request;

	if (r < 4)
		return 0;
	if (r < 40)
		return 1 + below(t, 64);
	if (r < 62)
		return 1 + below(t, PAGE);
	if (r < 77)
		return 1 + below(t, max);
	if (r < 82)
		return max;
	if (r < 87)
		return max + 1;
	if (r < 95)
		return max + 1 + below(t, max);
	return max + ((size_t)1 << (20 + below(t, 10)));
}

/*
 * A buffer of LEN bytes of kind KIND (LEN may change: a half-mapped one
 * is sized around its hole) and how many of its bytes are mapped.
 */
static unsigned char *pick_buffer(struct fuzz_thread *t, enum fuzz_ptr kind,
				  size_t span, size_t *len, size_t *mapped)
{
	size_t k;

	switch (kind) {
	case PTR_LOW:
		*mapped = 0;
		return low_pointer();
	case PTR_KERNEL:
		*mapped = 0;
		return kernel_pointer();
	case PTR_PARTIAL:
		/* k mapped bytes (at most SPAN), then the unmapped page. */
		k = below(t, span + 1);
		if (below(t, 2))
			*len = below(t, 3) ? k + 1 + below(t, 200) : below(t, k + 1);
		*mapped = k < *len ? k : *len;
		return t->edge + PAGE - k;
	default:
		*mapped = *len <= cfg.max_request ? *len : cfg.max_request + 1;
		return t->data;
	}
}

/* A random open session of T, or NULL. */
static struct fuzz_session *pick_open(struct fuzz_thread *t)
{
	size_t first = below(t, FUZZ_SESSIONS), i;

	for (i = 0; i < FUZZ_SESSIONS; i++) {
		struct fuzz_session *s = &t->s[(first + i) % FUZZ_SESSIONS];

		if (s->fd >= 0)
			return s;
	}
	return NULL;
}

/* The answer the contract gives a write: 0 or -errno. */
static int want_write(const struct fuzz_session *s, enum fuzz_ptr kind,
		      size_t len, size_t mapped)
{
	if ((s->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (kind == PTR_KERNEL)
		return -EFAULT;
	if (len == 0 || len > cfg.max_request)
		return -EINVAL;
	if (s->in_flight)
		return -EBUSY;
	return mapped < len ? -EFAULT : 0;
}

static void op_write(struct fuzz_thread *t, struct fuzz_session *s)
{
	enum fuzz_ptr kind = pick_ptr(t);
	size_t len = pick_len(t), mapped;
	unsigned char *buf = pick_buffer(t, kind, PAGE, &len, &mapped);
	int want = want_write(s, kind, len, mapped), e;
	u32 crc = 0;
	ssize_t ret;

	if (mapped && (kind == PTR_PARTIAL || len <= cfg.max_request))
		fill(buf, mapped, rnd(t));
	if (!want)
		crc = crc32c(buf, len);
	ret = write(s->fd, buf, len);
	e = count(t, OP_WRITE, ret);
	if (e != -want || (!e && (size_t)ret != len))
		fuzz_mismatch(t, "write %zu from %s buffer (%zu mapped), %s: got %s (%zd), want %s",
			      len, ptr_name(kind), mapped, s->in_flight ? "in flight" : "idle",
			      errname(e), ret, errname(-want));
	if (e)
		return;
	s->in_flight = 1;
	s->crc = crc;
	s->len = len;
	s->line_min = 0;
	s->line_max = FUZZ_LINE;
	t->st.accepted++;
	t->st.accepted_bytes += len;
}

static void keep_seq(struct fuzz_thread *t, unsigned long long seq)
{
	if (t->nseqs == t->seqs_room) {
		size_t room = t->seqs_room ? 2 * t->seqs_room : 1024;
		unsigned long long *more = realloc(t->seqs, room * sizeof(*more));

		if (!more)
			return;
		t->seqs = more;
		t->seqs_room = room;
	}
	t->seqs[t->nseqs++] = seq;
}

/*
 * An answer line of N bytes at BUF: well formed, from a worker that
 * exists, for LEN bytes whose CRC is CRC. Counted exact or wrong.
 */
int check_line(struct fuzz_thread *t, const unsigned char *buf, size_t n,
	       u32 crc, size_t len)
{
	char line[FUZZ_LINE + 1], again[FUZZ_LINE + 1];
	struct result r;

	memcpy(line, buf, n < FUZZ_LINE ? n : FUZZ_LINE);
	line[n < FUZZ_LINE ? n : FUZZ_LINE] = '\0';
	if (!parse(line, &r)) {
		wrong_answer(t, "answer not a result line: '%.60s'", line);
		return 0;
	}
	snprintf(again, sizeof(again), "crc32c=0x%08x worker=%u bytes=%u seq=%llu\n",
		 r.crc, r.worker, r.bytes, r.seq);
	keep_seq(t, r.seq);
	if (strcmp(line, again) || r.worker >= cfg.workers || r.crc != crc || r.bytes != len) {
		wrong_answer(t, "answer '%.*s' for %zu bytes of CRC 0x%08x (%u workers)",
			     (int)strcspn(line, "\n"), line, len, crc, cfg.workers);
		return 0;
	}
	t->st.exact++;
	return 1;
}

/* A read of LEN bytes while a request is in flight: narrow or check. */
static int read_in_flight(struct fuzz_thread *t, struct fuzz_session *s, const unsigned char *buf,
			  size_t len, size_t mapped, ssize_t ret, int e, int signalled)
{
	size_t n = ret;

	switch (e) {
	case EINTR:
		return signalled;
	case EINVAL: /* the line is longer than len */
		if (len + 1 > s->line_min)
			s->line_min = len + 1;
		return s->line_min <= s->line_max;
	case EFAULT: /* it fits len, not the mapped bytes */
		if (len < s->line_max)
			s->line_max = len;
		if (mapped + 1 > s->line_min)
			s->line_min = mapped + 1;
		return s->line_min <= s->line_max;
	case 0:
		s->in_flight = 0;
		t->st.answered++;
		if (n < s->line_min || n > s->line_max || n > len || n > mapped)
			return 0;
		check_line(t, buf, n, s->crc, s->len);
		return 1;
	default:
		return 0;
	}
}

static size_t pick_read_len(struct fuzz_thread *t)
{
	size_t r = below(t, 100);

	return r < 60 ? FUZZ_LINE : r < 80 ? below(t, 80) : 40 + below(t, 40);
}

static void op_read(struct fuzz_thread *t, struct fuzz_session *s)
{
	enum fuzz_ptr kind = pick_ptr(t);
	size_t len = pick_read_len(t), mapped;
	unsigned char *buf = t->line;
	unsigned long signalled = signals_seen();
	int was = s->in_flight, want = 0, e, ok;
	ssize_t ret;

	/* Half-mapped: the hole falls around the answer's length. */
	if (kind == PTR_GOOD)
		mapped = len;
	else
		buf = pick_buffer(t, kind, FUZZ_LINE, &len, &mapped);
	ret = read(s->fd, buf, len);
	e = count(t, OP_READ, ret);
	signalled = signals_seen() != signalled;
	if ((s->flags & O_ACCMODE) == O_WRONLY)
		want = -EBADF;
	else if (kind == PTR_KERNEL)
		want = -EFAULT;
	else if (!s->in_flight)
		want = -EINVAL;
	ok = want ? e == -want : read_in_flight(t, s, buf, len, mapped, ret, e, signalled);
	if (!ok)
		fuzz_mismatch(t, "read %zu into %s buffer (%zu mapped), %s: got %s (%zd), want %s",
			      len, ptr_name(kind), mapped, was ? "in flight" : "idle", errname(e),
			      ret, want ? errname(-want) : "an answer within the bounds");
}

/* Opens a file in a free slot of T; false if none is free. */
static int op_open(struct fuzz_thread *t)
{
	/* Mostly both ways; a few one way, whose other direction is EBADF. */
	static const int modes[] = {
		O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDWR, O_RDONLY, O_WRONLY
	};
	struct fuzz_session *s = NULL;
	int i, e;

	for (i = 0; i < FUZZ_SESSIONS && !s; i++)
		if (t->s[i].fd < 0)
			s = &t->s[i];
	if (!s)
		return 0;
	s->flags = modes[below(t, 8)];
	s->fd = open(DEVICE, s->flags | O_CLOEXEC);
	e = count(t, OP_OPEN, s->fd);
	if (e)
		fuzz_mismatch(t, "open: got %s, want OK", errname(e));
	s->in_flight = 0;
	return 1;
}

static void op_close(struct fuzz_thread *t, struct fuzz_session *s)
{
	/* Closed with its request in flight: the release waits for it. */
	if (s->in_flight)
		t->st.closed_in_flight++;
	if (count(t, OP_CLOSE, close(s->fd)))
		fuzz_mismatch(t, "close: got %s, want OK", errname(errno));
	s->fd = -1;
	s->in_flight = 0;
}

/* SIGUSR1 restarts what it interrupts (SA_RESTART), SIGUSR2 does not. */
static void op_signal(struct fuzz_thread *t)
{
	const struct fuzz_thread *peer = &cfg.t[below(t, cfg.threads)];
	int sig = below(t, 2) ? SIGUSR1 : SIGUSR2;

	count(t, OP_SIGNAL, syscall(SYS_tgkill, getpid(), peer->tid, sig));
}

void fuzz_close_all(struct fuzz_thread *t)
{
	int i;

	for (i = 0; i < FUZZ_SESSIONS; i++)
		if (t->s[i].fd >= 0)
			op_close(t, &t->s[i]);
}

void fuzz_step(struct fuzz_thread *t)
{
	struct fuzz_session *s = pick_open(t);
	size_t r = below(t, 100);

	t->op++;
	if (!s || r < 10) {
		if (!op_open(t))
			op_close(t, s);
	} else if (r < 45) {
		op_write(t, s);
	} else if (r < 75) {
		op_read(t, s);
	} else if (r < 83) {
		op_close(t, s);
	} else if (r < 88) {
		op_signal(t);
	} else if (r < 94) {
		shared_write(t);
	} else {
		shared_read(t);
	}
}
