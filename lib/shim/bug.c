// SPDX-License-Identifier: GPL-2.0
/* bug.c - <linux/bug.h>: WARN_ONCE() is a macro. */
#include <linux/bug.h>
#include <linux/err.h>
#include <linux/errno.h>

#include "shim.h"

static_assert(SHIM_EPERM == EPERM && SHIM_EINTR == EINTR &&
	      SHIM_ENOMEM == ENOMEM && SHIM_EFAULT == EFAULT &&
	      SHIM_EBUSY == EBUSY && SHIM_EINVAL == EINVAL &&
	      SHIM_ETIMEDOUT == ETIMEDOUT && SHIM_ERESTARTSYS == ERESTARTSYS &&
	      SHIM_MAX_ERRNO == MAX_ERRNO,
	      "errno values differ from the kernel's");

/**
 * shim_report_bug() - report a misuse of the C++ layer
 * @what: what was misused
 *
 * The caller carries on with a safe value; the WARN (once) names the bug
 * and gives the stack.
 */
void shim_report_bug(const char *what)
{
	WARN_ONCE(1, KBUILD_MODNAME ": %s\n", what);
}
