// SPDX-License-Identifier: GPL-2.0
/*
 * uaccess_write.c - <linux/uaccess.h>, the write direction: copy_from_user()
 * is inline. A separate object (kcxx.mk), linked only by modules that take
 * write()s (kernel/UserCopy.h).
 */
#include <linux/uaccess.h>

#include "shim.h"

/**
 * shim_copy_from_user() - copy a write's bytes into kernel memory
 * @to: the kernel buffer, at least @len bytes
 * @from: the user buffer
 * @len: how many
 *
 * Context: process context; may fault and sleep.
 * Return: 0, or -EFAULT when not every byte could be copied (what was
 * copied is then to be discarded).
 */
int shim_copy_from_user(char *to, const char __user *from, unsigned long len)
{
	return copy_from_user(to, from, len) ? -EFAULT : 0;
}
