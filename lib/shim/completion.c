// SPDX-License-Identifier: GPL-2.0
/*
 * completion.c - <linux/completion.h>: steps 1 and 2 (init, reinit) are
 * inline in the kernel. The waits, complete() and the status calls are
 * exported and called directly (kernel_api.h).
 */
#include <linux/completion.h>

#include "storage.h"

SHIM_FITS(struct completion, struct shim_completion);

/**
 * shim_completion_init() - step 1: initialise a completion in place
 * @c: storage inside an object that outlives every waiter and completer
 * @name: the lock class name of its wait queue's lock
 * @key: that class's static key, one per initialising site
 */
void shim_completion_init(struct shim_completion *c, const char *name,
			  struct shim_lock_class_key *key)
{
	struct completion *x = SHIM_AS(struct completion, c);

	x->done = 0;
	__init_swait_queue_head(&x->wait, name, SHIM_KEY(key));
}

/**
 * shim_completion_reinit() - step 2: make a used completion waitable again
 * @c: a completion nobody is waiting on or about to complete
 */
void shim_completion_reinit(struct shim_completion *c)
{
	reinit_completion(SHIM_AS(struct completion, c));
}
