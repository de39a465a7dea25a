// SPDX-License-Identifier: GPL-2.0
/*
 * spinlock.c - <linux/spinlock.h>: spin_lock_init() is a macro. Taking
 * and releasing reach the kernel's out-of-line entry points directly
 * (kernel_api.h), except on configurations that inline them.
 */
#include <linux/lockdep.h>
#include <linux/spinlock.h>

#include "storage.h"

SHIM_FITS(spinlock_t, struct shim_spinlock);

/**
 * shim_spinlock_init() - initialise a spinlock in its own lock class
 * @lock: the storage
 * @name: the class name lockdep prints
 * @key: the class's static key, one per initialising site
 */
void shim_spinlock_init(struct shim_spinlock *lock, const char *name,
			struct shim_lock_class_key *key)
{
	spinlock_t *raw = SHIM_AS(spinlock_t, lock);

	spin_lock_init(raw);
	lockdep_set_class_and_name(raw, SHIM_KEY(key), name);
}

#if KAPI_SPIN_LOCK_INLINE
/* Only where the kernel inlines spin_lock(): no entry point to call. */
void shim_spinlock_lock(struct shim_spinlock *lock)
	__acquires(lock)
{
	spin_lock(SHIM_AS(spinlock_t, lock));
}

void shim_spinlock_unlock(struct shim_spinlock *lock)
	__releases(lock)
{
	spin_unlock(SHIM_AS(spinlock_t, lock));
}
#endif
