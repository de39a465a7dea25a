// SPDX-License-Identifier: GPL-2.0
/*
 * uio.c - <linux/uio.h>: the copy into an iov_iter is inline (its room
 * is a field: kernel/Field.h).
 */
#include <linux/uio.h>

#include "shim.h"

/**
 * shim_copy_to_iter() - copy a reply into an iov_iter, all or nothing
 * @iter: the destination; advanced by what was copied
 * @from: the kernel bytes
 * @len: how many, at most iov_iter_count(@iter)
 *
 * Context: process context; may fault and sleep.
 * Return: 0, or -EFAULT when not every byte could be copied.
 */
int shim_copy_to_iter(struct iov_iter *iter, const char *from,
		      unsigned long len)
{
	return copy_to_iter(from, len, iter) == len ? 0 : -EFAULT;
}
