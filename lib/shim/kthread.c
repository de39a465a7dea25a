// SPDX-License-Identifier: GPL-2.0
/*
 * kthread.c - <linux/kthread.h>: kthread_create() is a macro, and the task
 * reference that lets a join outlive the thread's return is inline.
 * wake_up_process() is called directly (kernel_api.h).
 */
#include <linux/err.h>
#include <linux/error-injection.h>
#include <linux/kthread.h>
#include <linux/sched/task.h>

#include "shim.h"

/**
 * shim_kthread_create() - create a stopped kernel thread and pin its task
 * @thread: receives the task; untouched on failure
 * @fn: the thread function; it returns when it is told to stop
 * @context: its argument
 * @name: the thread's name (ps, /proc/PID/comm)
 *
 * The task reference lets shim_kthread_stop() join a thread that has
 * already returned.
 *
 * Return: 0, or the negative errno of kthread_create().
 */
noinline int shim_kthread_create(struct shim_kthread *thread, shim_thread_fn fn,
				 void *context, const char *name)
{
	struct task_struct *task;

	task = kthread_create(fn, context, "%s", name);
	if (IS_ERR(task))
		return PTR_ERR(task);
	get_task_struct(task);
	thread->task = task;
	return 0;
}

ALLOW_ERROR_INJECTION(shim_kthread_create, ERRNO);

/**
 * shim_kthread_stop() - join a thread and drop the task reference
 * @thread: a thread from shim_kthread_create()
 *
 * Return: the thread function's result, or -EINTR if it never ran.
 */
int shim_kthread_stop(struct shim_kthread *thread)
{
	struct task_struct *task = thread->task;
	int ret;

	ret = kthread_stop(task);
	put_task_struct(task);
	thread->task = NULL;
	return ret;
}
