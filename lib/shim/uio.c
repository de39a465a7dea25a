// SPDX-License-Identifier: GPL-2.0
/*
 * uio.c - <linux/uio.h> and <linux/uaccess.h>: copy_to_iter() and
 * copy_to_user() are inline. A reply goes to one or the other (the
 * C++'s ReadTarget), so one helper does both. An iov_iter's room is a
 * field (kernel/Field.h).
 */
#include <linux/uaccess.h>
#include <linux/uio.h>

#include "shim.h"

/**
 * shim_copy_to_reader() - copy a reply to a reader, all or nothing
 * @to: read()'s user buffer, when @iter is NULL
 * @iter: read_iter()'s destination, advanced by what was copied; or NULL
 * @from: the kernel bytes
 * @len: how many, at most what @to or @iter has room for
 *
 * Context: process context; may fault and sleep.
 * Return: 0, or -EFAULT when not every byte could be copied.
 */
int shim_copy_to_reader(char __user *to, struct iov_iter *iter,
			const char *from, unsigned long len)
{
	if (iter)
		return copy_to_iter(from, len, iter) == len ? 0 : -EFAULT;
	return copy_to_user(to, from, len) ? -EFAULT : 0;
}
