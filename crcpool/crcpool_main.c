// SPDX-License-Identifier: GPL-2.0
/*
 * crcpool_main.c - crcpool.ko's entry points, parameters and modinfo.
 *
 * A bad parameter is refused by its set function, so insmod fails with
 * EINVAL before the module's init runs; the kernel logs "`<value>' invalid
 * for parameter `<name>'" and this file one line saying the valid range.
 */
#include <linux/cpumask.h>
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "crcpool.h"

static unsigned int workers; /* 0 until init: one per online CPU */
static unsigned int max_request = CRCPOOL_DEFAULT_MAX_REQUEST;
static unsigned int max_pinned = CRCPOOL_DEFAULT_MAX_PINNED;

static int set_bounded(const char *val, const struct kernel_param *kp,
		       unsigned int min, unsigned int max)
{
	unsigned int n;

	if (kstrtouint(val, 0, &n) || n < min || n > max) {
		pr_err(KBUILD_MODNAME ": %s=%s refused: it must be %u..%u\n",
		       kp->name, val, min, max);
		return -EINVAL;
	}
	*(unsigned int *)kp->arg = n;
	return 0;
}

static int workers_set(const char *val, const struct kernel_param *kp)
{
	return set_bounded(val, kp, 1, CRCPOOL_MAX_WORKERS);
}

static int max_request_set(const char *val, const struct kernel_param *kp)
{
	return set_bounded(val, kp, 1, CRCPOOL_MAX_REQUEST_LIMIT);
}

static int max_pinned_set(const char *val, const struct kernel_param *kp)
{
	return set_bounded(val, kp, 1, CRCPOOL_MAX_PINNED_LIMIT);
}

static const struct kernel_param_ops workers_ops = {
	.set = workers_set,
	.get = param_get_uint,
};

static const struct kernel_param_ops max_request_ops = {
	.set = max_request_set,
	.get = param_get_uint,
};

static const struct kernel_param_ops max_pinned_ops = {
	.set = max_pinned_set,
	.get = param_get_uint,
};

module_param_cb(workers, &workers_ops, &workers, 0444);
MODULE_PARM_DESC(workers,
		 "worker threads, 1..64 (default: one per online CPU, at most 64)");
module_param_cb(max_request, &max_request_ops, &max_request, 0444);
MODULE_PARM_DESC(max_request,
		 "largest write() accepted, in bytes, 1..16777216 (default: 65536)");
module_param_cb(max_pinned, &max_pinned_ops, &max_pinned, 0444);
MODULE_PARM_DESC(max_pinned,
		 "bytes all open files may hold at once, max_request..1073741824 (default: 67108864)");

/**
 * crcpool_param_workers() - the number of workers to start
 *
 * Return: the workers parameter, 1..CRCPOOL_MAX_WORKERS.
 */
unsigned int crcpool_param_workers(void)
{
	return workers;
}

/**
 * crcpool_param_max_request() - the largest request accepted
 *
 * Return: the max_request parameter, in bytes.
 */
unsigned int crcpool_param_max_request(void)
{
	return max_request;
}

/**
 * crcpool_param_max_pinned() - the most request bytes held at once
 *
 * Return: the max_pinned parameter, in bytes: what all open files together
 * may hold in requests not yet read back.
 */
unsigned int crcpool_param_max_pinned(void)
{
	return max_pinned;
}

static int __init crcpool_init(void)
{
	/* The default, resolved once, so that the parameter shows it too. */
	if (!workers)
		workers = clamp_t(unsigned int, num_online_cpus(), 1,
				  CRCPOOL_MAX_WORKERS);
	/* Each parameter's set function sees only itself: checked here. */
	if (max_pinned < max_request) {
		pr_err(KBUILD_MODNAME ": max_pinned=%u refused: it must be at least max_request (%u)\n",
		       max_pinned, max_request);
		return -EINVAL;
	}
	return crcpool_module_load();
}

static void __exit crcpool_exit(void)
{
	crcpool_module_unload();
}

module_init(crcpool_init);
module_exit(crcpool_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The kthread-cxx authors");
MODULE_DESCRIPTION("A pool of kernel threads computing CRC32C of written buffers, in C++");
