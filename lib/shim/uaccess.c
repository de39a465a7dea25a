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
