// SPDX-License-Identifier: GPL-2.0
/*
 * wait.c - <linux/wait.h>: the init and the wait are macros (the wait
 * re-evaluates its condition, here a function of the caller's). wake_up_all()
 * reaches the exported __wake_up() directly (kernel_api.h).
 */
#include <linux/sched.h>
#include <linux/wait.h>

#include "storage.h"

SHIM_FITS(struct wait_queue_head, struct shim_waitqueue);

/**
 * shim_waitqueue_init() - initialise a wait queue head in place
 * @wq: the storage
 * @name: the lock class name of its lock
 * @key: that class's static key, one per initialising site
 */
void shim_waitqueue_init(struct shim_waitqueue *wq, const char *name,
			 struct shim_lock_class_key *key)
{
	__init_waitqueue_head(SHIM_AS(struct wait_queue_head, wq), name,
			      SHIM_KEY(key));
}

/**
 * shim_waitqueue_wait() - sleep uninterruptibly until @cond(@context)
 * @wq: the queue wakers wake
 * @cond: the condition, re-evaluated after every wake-up
 * @context: its argument
 */
void shim_waitqueue_wait(struct shim_waitqueue *wq, shim_condition_fn cond,
			 void *context)
{
	wait_event(*SHIM_AS(struct wait_queue_head, wq), cond(context));
}
