// SPDX-License-Identifier: GPL-2.0
/*
 * mm.c - <linux/mm.h> (<linux/slab.h> from 5.16): kvmalloc() is inline.
 * kvfree() is called directly. A separate object (kcxx.mk), linked only by
 * modules with buffers of run-time size (kernel/ByteBuffer.h).
 */
#include <linux/error-injection.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "shim.h"

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

