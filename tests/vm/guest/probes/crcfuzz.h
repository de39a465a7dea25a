/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crcfuzz - make fuzz's protocol fuzzer for /dev/crcpool: threads that
 * open, write, read and close at random, with random sizes, bad and half
 * mapped buffers, and signals between them. Every answer is checked
 * against a CRC32C computed here, every errno against the contract the
 * module documents (README, docs/design.md, crcpool_module.cpp). crcfuzz.c
 * runs the threads and reports; crcfuzz_ops.c holds the operations and
 * the model each is checked against.
 */
#ifndef CRCFUZZ_H
#define CRCFUZZ_H

#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/types.h>

#include "crcprobe.h"

typedef __u32 u32;

#define FUZZ_SESSIONS 3		/* open files per thread at most */
#define FUZZ_SHARED 2		/* files every thread uses at once */
#define FUZZ_MAX_THREADS 32
#define FUZZ_LINE 128		/* room for any answer line */

/* What each operation is counted as; the report prints one line each. */
enum fuzz_op {
	OP_OPEN, OP_WRITE, OP_READ, OP_CLOSE, OP_SIGNAL,
	OP_SHARED_WRITE, OP_SHARED_READ, OP_DRAIN, OP_COUNT
};

/* The errnos a call may answer, as the report counts them. */
enum fuzz_err {
	ERR_OK, ERR_EINVAL, ERR_EFAULT, ERR_EBUSY, ERR_EBADF, ERR_EINTR,
	ERR_OTHER, ERR_COUNT
};

/* Where a call's buffer points. */
enum fuzz_ptr { PTR_GOOD, PTR_LOW, PTR_PARTIAL, PTR_KERNEL, PTR_KINDS };

/*
 * One open file of one thread, and what the module must answer on it.
 * An answer line's length is only known once it is read: a refused
 * read narrows it (line_min..line_max), the answer must fall inside.
 */
struct fuzz_session {
	int fd;			/* -1: not open */
	int flags;		/* O_RDWR, O_RDONLY or O_WRONLY */
	int in_flight;
	u32 crc;
	size_t len;
	size_t line_min, line_max;
};

/* One request on a shared file, from its write to its answer. */
enum cand_state { CAND_FREE, CAND_CALLING, CAND_ACCEPTED, CAND_ANSWERED_EARLY };

struct fuzz_cand {
	enum cand_state state;
	u32 crc;
	size_t len;
};

struct fuzz_shared {
	int fd;
	pthread_mutex_t lock;	/* the model only, never held in a call */
	struct fuzz_cand cand[FUZZ_MAX_THREADS];
};

struct fuzz_stats {
	unsigned long calls[OP_COUNT][ERR_COUNT];
	unsigned long accepted, accepted_bytes, answered, closed_in_flight;
	unsigned long exact, wrong, mismatches;
};

struct fuzz_thread {
	int id;
	pid_t tid;
	u32 rng;
	unsigned long op;	/* this thread's operations so far */
	unsigned char *data;	/* max_request + 1 bytes */
	unsigned char *edge;	/* a page whose next page is unmapped */
	unsigned char line[FUZZ_LINE];
	unsigned long long *seqs;	/* every answer's seq= */
	size_t nseqs, seqs_room;
	struct fuzz_session s[FUZZ_SESSIONS];
	struct fuzz_stats st;
};

/* Set by crcfuzz.c before the threads start. */
struct fuzz_config {
	size_t max_request;
	unsigned int workers;
	unsigned int threads;
	u32 seed;
	long long deadline_ns;
	struct fuzz_thread *t;
	struct fuzz_shared shared[FUZZ_SHARED];
};

extern struct fuzz_config cfg;
/* Signals without SA_RESTART this thread has handled: an EINTR's alibi. */
unsigned long signals_seen(void);

void fuzz_step(struct fuzz_thread *t);
void shared_write(struct fuzz_thread *t);
void shared_read(struct fuzz_thread *t);
int check_line(struct fuzz_thread *t, const unsigned char *buf, size_t n,
	       u32 crc, size_t len);
int count(struct fuzz_thread *t, enum fuzz_op op, ssize_t ret);
void fuzz_close_all(struct fuzz_thread *t);
void fuzz_drain(struct fuzz_shared *sh, struct fuzz_thread *t);
void fuzz_mismatch(struct fuzz_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
enum fuzz_err err_class(int e);
const char *err_label(enum fuzz_err e);

#endif
