// SPDX-License-Identifier: GPL-2.0
// Context.h - where a function may run, said and, where the kernel can
// check it, checked.
//
// MAY_SLEEP and ANY_CONTEXT document each function's context (as Zircon's
// annotations do). The kernel's own sleeping primitives (mutex_lock,
// wait_for_completion, ...) already call might_sleep(); functions of ours
// that may sleep before reaching one of them call might_sleep() too, so a
// debug kernel (CONFIG_DEBUG_ATOMIC_SLEEP) reports a call from atomic
// context at our entry, not deeper down or never.
#pragma once

#include "kernel/Utility.h"
#include "shim/shim.h"

namespace kernel {

inline void might_sleep()
{
#if defined(CONFIG_DEBUG_ATOMIC_SLEEP) || !defined(__KERNEL__) // else a no-op
    shim_might_sleep();
#endif
}

} // namespace kernel
