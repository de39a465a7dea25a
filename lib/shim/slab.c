// SPDX-License-Identifier: GPL-2.0
/* slab.c - <linux/slab.h>: kzalloc() is inline. kfree() is called directly. */
#include <linux/error-injection.h>
#include <linux/mm.h> /* kvmalloc() before 5.16 */
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

/**
 * shim_alloc_bytes() - allocate a buffer of run-time size
 * @size: bytes; may be large (kvmalloc() falls back to vmalloc())
 *
 * Not zeroed: the caller fills it before reading it. kvfree() frees it.
 *
 * Context: process context.
 * Return: the memory, or NULL.
 */
noinline void *shim_alloc_bytes(unsigned long size)
{
	return kvmalloc(size, GFP_KERNEL);
}

ALLOW_ERROR_INJECTION(shim_alloc_bytes, NULL);
