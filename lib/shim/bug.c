// SPDX-License-Identifier: GPL-2.0
/* bug.c - <linux/bug.h>: WARN_ON_ONCE() is a macro. */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/errno.h>
#include <linux/printk.h>

#include "shim.h"

static_assert(SHIM_EPERM == EPERM && SHIM_EINTR == EINTR &&
	      SHIM_EAGAIN == EAGAIN &&
	      SHIM_ENOMEM == ENOMEM && SHIM_EFAULT == EFAULT &&
	      SHIM_EBUSY == EBUSY && SHIM_EINVAL == EINVAL &&
	      SHIM_ENODEV == ENODEV && SHIM_ENOTTY == ENOTTY &&
	      SHIM_ETIMEDOUT == ETIMEDOUT && SHIM_ERESTARTSYS == ERESTARTSYS &&
	      SHIM_MAX_ERRNO == MAX_ERRNO,
	      "errno values differ from the kernel's");

/**
 * shim_report_bug() - report a misuse of the C++ layer
 * @what: what was misused
 *
 * The caller carries on with a safe value. The line names the bug; the
 * WARN (once) gives the stack. (WARN_ONCE() would print both in one, at
 * the price of one more kernel symbol to import, __warn_printk.)
 */
void shim_report_bug(const char *what)
{
	pr_err(KBUILD_MODNAME ": %s\n", what);
	WARN_ON_ONCE(1);
}
