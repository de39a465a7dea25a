// SPDX-License-Identifier: GPL-2.0
// LockClass.h - a lockdep class per lock site.
//
// The kernel's init macros (mutex_init, spin_lock_init, init_waitqueue_head)
// each hide a static key, so every line that initialises a lock names its
// own class, and lockdep tells the locks of one site from another's. The
// C++ types take their class explicitly: KERNEL_LOCK_CLASS("name") makes a
// static, constant-initialised key at the place it is written (each
// expansion is a lambda of its own, so each has its own static), and
// lockdep reports an inversion between two sites by these names.
#pragma once

#include "kernel/Utility.h"
#include "shim/shim.h"

namespace kernel {

struct LockClass {
    shim_lock_class_key key;
    const char* name;

    // What the kernel's init functions take (mutex.c checks that it fits).
    lock_class_key* raw_key() { return kernel_object<lock_class_key>(key); }
};

} // namespace kernel

#define KERNEL_LOCK_CLASS(class_name)                                       \
    ([]() -> ::kernel::LockClass& {                                         \
        static constinit ::kernel::LockClass lock_class { {}, class_name }; \
        return lock_class;                                                  \
    }())
