// SPDX-License-Identifier: GPL-2.0
/*
 * timed_waits.c - the waits of the C++ layer that kthread.ko does not use:
 * with a timeout, or interruptible on a wait queue. They are macros in the
 * kernel (or need one), so each has a helper; a module links this file
 * only if it calls them (the KUnit suite does), so that no unused wrapper
 * ends up in kthread.ko.
 */
#include <linux/completion.h>
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/sched.h>
#include <linux/wait.h>

#include "storage.h"

/**
 * shim_completion_wait_timeout() - step 3 with an upper bound
 * @c: the completion
 * @ms: the bound in milliseconds
 *
 * Return: 0, or -ETIMEDOUT.
 */
int shim_completion_wait_timeout(struct shim_completion *c, unsigned int ms)
{
	unsigned long left;

	left = wait_for_completion_timeout(SHIM_AS(struct completion, c),
					   msecs_to_jiffies(ms));
	return left ? 0 : -ETIMEDOUT;
}

/**
 * shim_waitqueue_wait_interruptible() - sleep until @cond(@context) or a signal
 * @wq: the queue
 * @cond: the condition
 * @context: its argument
 *
 * Return: 0, or -ERESTARTSYS.
 */
int shim_waitqueue_wait_interruptible(struct shim_waitqueue *wq,
				      shim_condition_fn cond, void *context)
{
	return wait_event_interruptible(*SHIM_AS(struct wait_queue_head, wq),
					cond(context));
}

/**
 * shim_waitqueue_wait_timeout() - sleep until @cond(@context), bounded
 * @wq: the queue
 * @cond: the condition
 * @context: its argument
 * @ms: the bound in milliseconds
 *
 * Return: 0, or -ETIMEDOUT.
 */
int shim_waitqueue_wait_timeout(struct shim_waitqueue *wq,
				shim_condition_fn cond, void *context,
				unsigned int ms)
{
	long left;

	left = wait_event_timeout(*SHIM_AS(struct wait_queue_head, wq),
				  cond(context), msecs_to_jiffies(ms));
	return left ? 0 : -ETIMEDOUT;
}
