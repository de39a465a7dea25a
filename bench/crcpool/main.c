// SPDX-License-Identifier: GPL-2.0
/*
 * crcpool.ko's entry points and parameters, built with CRCPOOL_BENCH, and
 * the parameter only make bench needs.
 */
#include "../../crcpool/crcpool_main.c"

static unsigned int mode = CRCPOOL_BENCH_POOL;
module_param(mode, uint, 0444);
MODULE_PARM_DESC(mode,
		 "who computes a request's CRC: 0 the workers, 1 write() itself, 2 a work item on system_wq (default and any other value: 0)");

/**
 * crcpool_param_mode() - who computes a request's CRC (make bench)
 *
 * Return: the mode parameter, a &enum crcpool_bench_mode; the pool's
 * workers (CRCPOOL_BENCH_POOL) for a value that is none.
 */
unsigned int crcpool_param_mode(void)
{
	return mode <= CRCPOOL_BENCH_WQ ? mode : CRCPOOL_BENCH_POOL;
}
