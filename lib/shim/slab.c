// SPDX-License-Identifier: GPL-2.0
/* slab.c - <linux/slab.h>: kzalloc() is inline. kfree() is called directly. */
#include <linux/error-injection.h>
#include <linux/slab.h>

#include "shim.h"

/**
 * shim_alloc() - allocate zeroed memory that may sleep to be found
 * @size: bytes
 *
 * Context: process context.
 * Return: the memory, or NULL.
 */
noinline void *shim_alloc(unsigned long size)
{
	return kzalloc(size, GFP_KERNEL);
}

ALLOW_ERROR_INJECTION(shim_alloc, NULL);
