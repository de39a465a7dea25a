// SPDX-License-Identifier: GPL-2.0
/*
 * crcpool.ko's entry points and parameters, built with CRCPOOL_BENCH, and
 * the parameter only make bench needs.
 */
#include "../../crcpool/crcpool_main.c"

static unsigned int mode = CRCPOOL_BENCH_POOL;

static int mode_set(const char *val, const struct kernel_param *kp)
{
	return set_bounded(val, kp, CRCPOOL_BENCH_POOL, CRCPOOL_BENCH_WQ);
}

static const struct kernel_param_ops mode_ops = {
	.set = mode_set,
	.get = param_get_uint,
};

module_param_cb(mode, &mode_ops, &mode, 0444);
MODULE_PARM_DESC(mode,
		 "who computes a request's CRC: 0 the workers, 1 write() itself, 2 a work item on system_wq (default: 0)");

/**
 * crcpool_param_mode() - who computes a request's CRC (make bench)
 *
 * Return: the mode parameter, a &enum crcpool_bench_mode.
 */
unsigned int crcpool_param_mode(void)
{
	return mode;
}
