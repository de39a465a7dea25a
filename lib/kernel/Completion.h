// SPDX-License-Identifier: GPL-2.0
// Completion.h - "this has happened", counted: each complete() releases
// exactly one wait; complete_all() releases every wait until
// reinit_completion(). Each method is named after the kernel function it
// calls, so that grepping for the kernel's name finds the C++ too.
//
// Steps 3 to 5 call the kernel's exported functions directly; steps 1 and
// 2 are inline in the kernel and go through the shim.
#pragma once

#include "kernel/Context.h"
#include "kernel/LockClass.h"
#include "kernel/Result.h"

namespace kernel {

class Completion {
public:
    // Step 1, init: in place, inside an object that outlives every waiter
    // and every completer. The class names the lock inside the completion.
    explicit Completion(LockClass& lock_class) { shim_completion_init(&m_raw, lock_class.name, &lock_class.key); }
    KERNEL_PINNED(Completion);

    // Step 2, re-init: only when nobody can be waiting or completing.
    void reinit_completion() ANY_CONTEXT { shim_completion_reinit(&m_raw); }

    // Step 3, wait. The plain form sleeps in state D: keep it for waits
    // known to end soon. Everything else wants one of the others.
    void wait_for_completion() MAY_SLEEP { ::wait_for_completion(raw()); }
    Result<void> wait_for_completion_interruptible() MAY_SLEEP
    {
        return result_from(::wait_for_completion_interruptible(raw()));
    }
    Result<void> wait_for_completion_killable() MAY_SLEEP { return result_from(::wait_for_completion_killable(raw())); }
    // wait_for_completion_timeout(), in milliseconds rather than jiffies:
    // 0, or -ETIMEDOUT. No module here needs a deadline yet; a driver
    // talking to hardware does, and the conformance suite checks it
    // against the kernel. Linked only by modules that call it
    // (kcxx-timed-objs, lib/kcxx.mk).
    Result<void> wait_for_completion_timeout_ms(unsigned int ms) MAY_SLEEP
    {
        might_sleep();
        return result_from(shim_completion_wait_timeout(&m_raw, ms));
    }

    // Step 4, wake.
    void complete() ANY_CONTEXT { ::complete(raw()); }
    void complete_all() ANY_CONTEXT { ::complete_all(raw()); }

    // Step 5, status. completion_done(): a completion is posted and not
    // yet consumed (it says nothing about waiters).
    // try_wait_for_completion(): take one without sleeping.
    bool completion_done() ANY_CONTEXT { return ::completion_done(raw()); }
    bool try_wait_for_completion() ANY_CONTEXT { return ::try_wait_for_completion(raw()); }

private:
    completion* raw() { return kernel_object<completion>(m_raw); }

    shim_completion m_raw;
};

} // namespace kernel
