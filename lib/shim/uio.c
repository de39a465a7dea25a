// SPDX-License-Identifier: GPL-2.0
/*
 * uio.c - <linux/uio.h>: the room left in an iov_iter and the copy into
 * it are inline.
 */
#include <linux/uio.h>

#include "shim.h"

/**
 * shim_iter_count() - the room left in an iov_iter
 * @iter: readv()'s vectors, io_uring's buffer, ...
 *
 * Return: iov_iter_count(@iter).
 */
unsigned long shim_iter_count(const struct iov_iter *iter)
{
	return iov_iter_count(iter);
}

/**
 * shim_copy_to_iter() - copy a reply into an iov_iter, all or nothing
 * @iter: the destination; advanced by what was copied
 * @from: the kernel bytes
 * @len: how many, at most shim_iter_count(@iter)
 *
 * Context: process context; may fault and sleep.
 * Return: 0, or -EFAULT when not every byte could be copied.
 */
int shim_copy_to_iter(struct iov_iter *iter, const char *from,
		      unsigned long len)
{
	return copy_to_iter(from, len, iter) == len ? 0 : -EFAULT;
}
