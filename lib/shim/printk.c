// SPDX-License-Identifier: GPL-2.0
/*
 * printk.c - <linux/printk.h>: pr_info_ratelimited() is a macro around a
 * static ratelimit state per call site, which the C++ cannot define (its
 * spinlock's initialiser is the kernel's). The module's rate-limited lines
 * share this one state instead (kernel/Log.h).
 */
#include <linux/printk.h>
#include <linux/ratelimit.h>

#include "shim.h"

static DEFINE_RATELIMIT_STATE(shim_ratelimit, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

/**
 * shim_printk_ratelimit() - may a rate-limited line be logged now?
 *
 * Context: any.
 * Return: true at most DEFAULT_RATELIMIT_BURST times per
 * DEFAULT_RATELIMIT_INTERVAL; the kernel logs how many were suppressed.
 */
bool shim_printk_ratelimit(void)
{
	return __ratelimit(&shim_ratelimit);
}
