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

class [[nodiscard]] SpinLockGuard {
public:
    explicit SpinLockGuard(SpinLock& lock) ANY_CONTEXT : m_lock(lock) { shim_spinlock_lock(&m_lock.m_raw); }
    ~SpinLockGuard() { shim_spinlock_unlock(&m_lock.m_raw); }
    KERNEL_PINNED(SpinLockGuard);

private:
    SpinLock& m_lock;
};

} // namespace kernel
