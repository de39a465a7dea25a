// SPDX-License-Identifier: GPL-2.0
/*
 * mutex.c - <linux/mutex.h>: the init is a macro and the destroy a debug
 * check. Lock and unlock are exported and called directly (kernel_api.h).
 */
#include <linux/mutex.h>

#include "storage.h"

SHIM_FITS(struct mutex, struct shim_mutex);
SHIM_FITS(struct lock_class_key, struct shim_lock_class_key);

#if KAPI_MUTEX_INIT_INLINE
/**
 * shim_mutex_init() - initialise a mutex in its own lock class
 * @lock: the storage
 * @name: the class name lockdep prints
 * @key: the class's static key, one per initialising site
 *
 * Only where __mutex_init() is a macro or an inline (kernel_api.h).
 */
void shim_mutex_init(struct shim_mutex *lock, const char *name,
		     struct shim_lock_class_key *key)
{
	__mutex_init(SHIM_AS(struct mutex, lock), name, SHIM_KEY(key));
}
#endif

/* Only where the kernel checks something: no empty wrapper elsewhere. */
#ifdef CONFIG_DEBUG_MUTEXES
/**
 * shim_mutex_destroy() - check that a mutex dies unlocked
 * @lock: a mutex nobody holds
 */
void shim_mutex_destroy(struct shim_mutex *lock)
{
	mutex_destroy(SHIM_AS(struct mutex, lock));
}
#endif
