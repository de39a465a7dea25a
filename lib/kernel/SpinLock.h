// SPDX-License-Identifier: GPL-2.0
// SpinLock.h - a spinlock and its scope guard. Held only for a few
// instructions; nothing under it may sleep.
#pragma once

#include "kernel/LockClass.h"

namespace kernel {

class SpinLock {
public:
    explicit SpinLock(LockClass& lock_class) { shim_spinlock_init(&m_raw, lock_class.name, &lock_class.key); }
    KERNEL_PINNED(SpinLock);

private:
    friend class SpinLockGuard;
    shim_spinlock m_raw;
};

// Taking and releasing call the kernel's spin_lock()/spin_unlock() entry
// points directly where the configuration has them out of line.
class [[nodiscard]] SpinLockGuard {
public:
    explicit SpinLockGuard(SpinLock& lock) ANY_CONTEXT : m_lock(lock)
    {
#if KAPI_SPIN_LOCK_INLINE
        shim_spinlock_lock(&m_lock.m_raw);
#else
        KAPI_SPIN_LOCK(raw());
#endif
    }
    ~SpinLockGuard()
    {
#if KAPI_SPIN_LOCK_INLINE
        shim_spinlock_unlock(&m_lock.m_raw);
#else
        KAPI_SPIN_UNLOCK(raw());
#endif
    }
    KERNEL_PINNED(SpinLockGuard);

private:
#if !KAPI_SPIN_LOCK_INLINE
    // The kernel's spinlock_t starts with the lock its entry points take.
    kapi_spinlock_t* raw() { return static_cast<kapi_spinlock_t*>(static_cast<void*>(m_lock.m_raw.opaque)); }
#endif
    SpinLock& m_lock;
};

// Data that only a holder of its spinlock can reach, as SerenityOS's
// SpinlockProtected: the lock owns what it protects, and with() is the
// only way in, so no code path can forget the lock.
template<class T>
class SpinLockProtected {
public:
    explicit SpinLockProtected(LockClass& lock_class) : m_lock(lock_class) {}
    KERNEL_PINNED(SpinLockProtected);

    // Runs callback(T&) with the lock held; returns what it returns.
    template<class Callback>
    decltype(auto) with(Callback callback) ANY_CONTEXT
    {
        SpinLockGuard guard(m_lock);
        return callback(m_value);
    }

private:
    SpinLock m_lock;
    T m_value {};
};

} // namespace kernel
