// SPDX-License-Identifier: GPL-2.0
// Mutex.h - a sleeping lock and its scope guard. Locking and unlocking
// call the kernel's exported mutex functions directly.
#pragma once

#include "kernel/Context.h"
#include "kernel/LockClass.h"
#include "kernel/Result.h"

namespace kernel {

class MutexGuard;

class Mutex {
public:
    explicit Mutex(LockClass& lock_class)
    {
#if KAPI_MUTEX_INIT_INLINE
        shim_mutex_init(&m_raw, lock_class.name, &lock_class.key);
#else
        __mutex_init(raw(), lock_class.name, lock_class.raw_key());
#endif
    }
    // Not "= default": it has a body under CONFIG_DEBUG_MUTEXES.
    ~Mutex() // NOLINT(modernize-use-equals-default)
    {
        // mutex_destroy() is a no-op unless CONFIG_DEBUG_MUTEXES: no call then.
#if defined(CONFIG_DEBUG_MUTEXES) || !defined(__KERNEL__)
        shim_mutex_destroy(&m_raw);
#endif
    }
    KERNEL_PINNED(Mutex);

    // A user process waiting for the lock can be interrupted by a signal.
    Result<MutexGuard> lock_interruptible() MAY_SLEEP;

private:
    friend class MutexGuard;
    mutex* raw() { return kernel_object<mutex>(m_raw); }
    shim_mutex m_raw;
};

// Movable so that it can come out of a Result; a moved-from guard
// releases nothing.
class [[nodiscard]] MutexGuard {
public:
    explicit MutexGuard(Mutex& lock) MAY_SLEEP : m_lock(&lock) { KAPI_MUTEX_LOCK(lock.raw()); }
    MutexGuard(MutexGuard&& other) : m_lock(exchange<Mutex*>(other.m_lock, nullptr)) {}
    MutexGuard(const MutexGuard&) = delete;
    MutexGuard& operator=(const MutexGuard&) = delete;
    MutexGuard& operator=(MutexGuard&&) = delete;
    ~MutexGuard()
    {
        // clang-analyzer false positive: for `auto guard = TRY(...)` it runs
        // this destructor when TRY returns from inside the initializer, before
        // the guard exists; neither gcc nor clang generates that call.
        // NOLINTNEXTLINE(clang-analyzer-core.uninitialized.Branch)
        if (m_lock)
            mutex_unlock(m_lock->raw());
    }

private:
    friend class Mutex;
    struct AlreadyLocked {};
    MutexGuard(Mutex& lock, AlreadyLocked) : m_lock(&lock) {}
    Mutex* m_lock;
};

inline Result<MutexGuard> Mutex::lock_interruptible()
{
    // Spelled out rather than TRY(result_from(...)): clang's analyzer then
    // sees that an error Result holds a nonzero errno and no guard.
    int code = KAPI_MUTEX_LOCK_INTERRUPTIBLE(raw());
    if (code < 0)
        return Error::from_errno(code);
    return MutexGuard(*this, MutexGuard::AlreadyLocked {});
}

} // namespace kernel
