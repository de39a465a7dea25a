/* SPDX-License-Identifier: GPL-2.0 */
/*
 * storage.h - for the boundary's C files only: a kernel object lives in
 * the opaque, aligned storage of its C++ owner (shim.h); each C file
 * checks that the kernel's type fits before it casts.
 */
#ifndef SHIM_STORAGE_H
#define SHIM_STORAGE_H

#include <linux/build_bug.h>

#include "shim.h"

#define SHIM_FITS(kernel_type, shim_type)                                  \
	static_assert(sizeof(kernel_type) <= sizeof(shim_type) &&          \
		      __alignof__(kernel_type) <= SHIM_STORAGE_ALIGN,      \
		      #kernel_type " does not fit " #shim_type)

#define SHIM_AS(type, storage) ((type *)(void *)(storage)->opaque)

/* The lock class key a KERNEL_LOCK_CLASS() site made. */
#define SHIM_KEY(k) ((struct lock_class_key *)(void *)(k)->opaque)

#endif /* SHIM_STORAGE_H */
