// SPDX-License-Identifier: GPL-2.0
/* kernel.c - <linux/kernel.h>: might_sleep() is a macro. */
#include <linux/kernel.h>
#include <linux/sched.h>

#include "shim.h"

/* Only where the kernel checks: the C++ calls it under the same option. */
#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
/**
 * shim_might_sleep() - report a call from atomic context
 */
void shim_might_sleep(void)
{
	might_sleep();
}
#endif
