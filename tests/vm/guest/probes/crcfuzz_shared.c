// SPDX-License-Identifier: GPL-2.0
/*
 * crcfuzz's shared files: every thread writes to and reads from the same
 * few open files at once, so that calls meet on one session (its mutex,
 * EBUSY races, a reader waiting on another's request). Who wins is not
 * known in advance, so each thread announces the request it is about to
 * write (CAND_CALLING) before the call; an answer read by anyone must be
 * one of the announced requests, and each accepted one is answered once.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "crcfuzz.h"

static struct fuzz_shared *pick_shared(struct fuzz_thread *t)
{
	return &cfg.shared[rng_next(&t->rng) % FUZZ_SHARED];
}

/*
 * The request an answer of N bytes at BUF is for: the accepted one first,
 * else one whose write has not returned yet. Under sh->lock.
 */
static struct fuzz_cand *find_cand(struct fuzz_shared *sh, const unsigned char *buf, size_t n)
{
	char line[FUZZ_LINE + 1];
	struct fuzz_cand *calling = NULL;
	struct result r;
	unsigned int i;

	memcpy(line, buf, n);
	line[n] = '\0';
	if (!parse(line, &r))
		return NULL;
	for (i = 0; i < cfg.threads; i++) {
		struct fuzz_cand *c = &sh->cand[i];

		if (c->crc != r.crc || c->len != r.bytes)
			continue;
		if (c->state == CAND_ACCEPTED)
			return c;
		if (c->state == CAND_CALLING)
			calling = c;
	}
	return calling;
}

/* An answer read from SH: checked, and its request marked answered. */
static void shared_answer(struct fuzz_thread *t, struct fuzz_shared *sh,
			  const unsigned char *buf, size_t n)
{
	struct fuzz_cand *c, found = { CAND_FREE, ~0u, 0 }; /* none: wrong */

	t->st.answered++;
	pthread_mutex_lock(&sh->lock);
	c = find_cand(sh, buf, n);
	if (c) {
		/* A copy: once free, its writer may reuse the entry at once. */
		found = *c;
		c->state = c->state == CAND_ACCEPTED ? CAND_FREE : CAND_ANSWERED_EARLY;
	}
	pthread_mutex_unlock(&sh->lock);
	check_line(t, buf, n, found.crc, found.len);
}

void shared_write(struct fuzz_thread *t)
{
	struct fuzz_shared *sh = pick_shared(t);
	struct fuzz_cand *c = &sh->cand[t->id];
	size_t len = 1 + rng_next(&t->rng) % 4096;
	unsigned long signalled = signals_seen();
	int e, early;
	enum cand_state was;
	ssize_t ret;

	pthread_mutex_lock(&sh->lock);
	was = c->state;
	pthread_mutex_unlock(&sh->lock);
	/* This thread's last request there is still unanswered: read. */
	if (was != CAND_FREE) {
		shared_read(t);
		return;
	}
	fill(t->data, len, rng_next(&t->rng));
	pthread_mutex_lock(&sh->lock);
	c->crc = crc32c(t->data, len);
	c->len = len;
	c->state = CAND_CALLING;
	pthread_mutex_unlock(&sh->lock);
	ret = write(sh->fd, t->data, len);
	e = count(t, OP_SHARED_WRITE, ret);
	signalled = signals_seen() != signalled;
	pthread_mutex_lock(&sh->lock);
	early = c->state == CAND_ANSWERED_EARLY;
	c->state = !e && !early ? CAND_ACCEPTED : CAND_FREE;
	pthread_mutex_unlock(&sh->lock);
	if (!e) {
		t->st.accepted++;
		t->st.accepted_bytes += len;
	}
	if ((e && early) || (!e && ret != (ssize_t)len) ||
	    (e && e != EBUSY && !(e == EINTR && signalled)))
		fuzz_mismatch(t, "shared write of %zu bytes: got %s (%zd)%s, want OK, EBUSY%s",
			      len, errname(e), ret, early ? " yet it was answered" : "",
			      signalled ? " or EINTR" : "");
}

void shared_read(struct fuzz_thread *t)
{
	struct fuzz_shared *sh = pick_shared(t);
	unsigned long signalled = signals_seen();
	int e;
	ssize_t ret;

	ret = read(sh->fd, t->line, FUZZ_LINE);
	e = count(t, OP_SHARED_READ, ret);
	signalled = signals_seen() != signalled;
	if (!e)
		shared_answer(t, sh, t->line, ret);
	else if (e != EINVAL && !(e == EINTR && signalled))
		fuzz_mismatch(t, "shared read: got %s, want an answer, EINVAL%s",
			      errname(e), signalled ? " or EINTR" : "");
}

/*
 * After every thread has stopped: the last answer of SH, if one is in
 * flight; then no accepted request may be left unanswered.
 */
void fuzz_drain(struct fuzz_shared *sh, struct fuzz_thread *t)
{
	ssize_t ret = read(sh->fd, t->line, FUZZ_LINE);
	unsigned int i;
	int e = count(t, OP_DRAIN, ret);

	if (!e)
		shared_answer(t, sh, t->line, ret);
	else if (e != EINVAL)
		fuzz_mismatch(t, "last read of a shared file: got %s", errname(e));
	for (i = 0; i < cfg.threads; i++)
		if (sh->cand[i].state != CAND_FREE)
			fuzz_mismatch(t, "thread %u's request on a shared file was never answered",
				      i);
	close(sh->fd);
}
