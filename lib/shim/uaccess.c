// SPDX-License-Identifier: GPL-2.0
/* uaccess.c - <linux/uaccess.h>: copy_to_user() is inline. */
#include <linux/uaccess.h>

#include "shim.h"

/**
 * shim_copy_to_user() - copy a reply to user space
 * @to: the user buffer
 * @from: the kernel bytes
 * @len: how many
 *
 * Context: process context; may fault and sleep.
 * Return: 0, or -EFAULT.
 */
int shim_copy_to_user(char __user *to, const char *from, unsigned long len)
{
	return copy_to_user(to, from, len) ? -EFAULT : 0;
}
