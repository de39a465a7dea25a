// SPDX-License-Identifier: GPL-2.0
// spinlock.cpp - lib/shim/spinlock.c and <linux/spinlock.h>'s
// out-of-line entry points on the host. A spinlock counts in the holder's
// spinlock depth, which might_sleep() checks.
#include "fake/fake.h"

using namespace shim_host;

namespace {

struct HostSpinlock {
    std::mutex m;
    std::atomic<ThreadState*> owner { nullptr };
};

// The C++ passes the storage itself to the entry points (KAPI_SPIN_LOCK),
// as the kernel's spinlock_t starts with the lock they take.
HostSpinlock* host_spinlock(raw_spinlock* lock) { return as<HostSpinlock>(reinterpret_cast<shim_spinlock*>(lock)); }

} // namespace

HOST_FITS(HostSpinlock, shim_spinlock);

// Host builds call the entry points, as Debian's kernels do: the fake has
// no shim_spinlock_lock()/unlock() (lib/shim/spinlock.c has them only for
// configurations that inline spin_lock()).
static_assert(!KAPI_SPIN_LOCK_INLINE, "the host fake implements _raw_spin_lock(), not shim_spinlock_lock()");

extern "C" {

void shim_spinlock_init(shim_spinlock* lock, const char*, shim_lock_class_key*) { new (lock->opaque) HostSpinlock(); }

void _raw_spin_lock(raw_spinlock* lock)
{
    HostSpinlock* s = host_spinlock(lock);
    ThreadState& ts = self();
    if (s->owner.load() == &ts)
        fatal_bug("spin_lock() of a spinlock this thread holds: deadlock");
    s->m.lock();
    s->owner.store(&ts);
    ++ts.spin_depth;
}

void _raw_spin_unlock(raw_spinlock* lock)
{
    HostSpinlock* s = host_spinlock(lock);
    ThreadState& ts = self();
    if (s->owner.load() != &ts) {
        record_bug("spin_unlock() of a spinlock this thread does not hold");
        return;
    }
    --ts.spin_depth;
    s->owner.store(nullptr);
    s->m.unlock();
}

} // extern "C"
