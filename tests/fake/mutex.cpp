// SPDX-License-Identifier: GPL-2.0
// mutex.cpp - lib/shim/mutex.c and <linux/mutex.h>'s exported init, lock
// and unlock on the host. mutex_lock_interruptible() ends with -EINTR when the
// test raised a signal for the sleeper; the owner is checked, as
// CONFIG_DEBUG_MUTEXES checks it.
#include "fake/fake.h"

using namespace shim_host;

namespace {

struct HostMutex : Waitable {
    bool locked = false;
    ThreadState* owner = nullptr;
};

} // namespace

HOST_FITS(HostMutex, shim_mutex);

extern "C" {

void __mutex_init(mutex* lock, const char*, lock_class_key*) { new (lock) HostMutex(); }

void shim_mutex_destroy(shim_mutex* lock)
{
    HostMutex* x = as<HostMutex>(lock);
    bool locked;
    {
        std::lock_guard guard(x->m);
        locked = x->locked;
    }
    if (locked)
        record_bug("mutex_destroy() of a locked mutex");
    x->~HostMutex();
}

} // extern "C"

namespace {

HostMutex* host_mutex(mutex* lock) { return as<HostMutex>(reinterpret_cast<shim_mutex*>(lock)); }

int host_mutex_lock(HostMutex* x, Mode mode)
{
    might_sleep("mutex_lock");
    ThreadState* me = &self();
    {
        std::lock_guard guard(x->m);
        if (x->locked && x->owner == me)
            fatal_bug("mutex_lock() of a mutex this thread holds: deadlock");
    }
    // mutex_lock_interruptible() takes a free mutex even with a signal
    // pending; only sleeping for it is interruptible (-EINTR).
    return sleep_until(
        *x, mode,
        [x, me] {
            if (x->locked)
                return false;
            x->locked = true;
            x->owner = me;
            return true;
        },
        nullptr, -SHIM_EINTR);
}

} // namespace

extern "C" {

void mutex_lock(mutex* lock) { host_mutex_lock(host_mutex(lock), Mode::uninterruptible); }

int mutex_lock_interruptible(mutex* lock) { return host_mutex_lock(host_mutex(lock), Mode::interruptible); }

void mutex_unlock(mutex* lock)
{
    HostMutex* x = host_mutex(lock);
    {
        std::lock_guard guard(x->m);
        if (x->locked && x->owner == &self()) {
            x->locked = false;
            x->owner = nullptr;
            x->cv.notify_all();
            return;
        }
    }
    record_bug("mutex_unlock() of a mutex this thread does not hold");
}

} // extern "C"
