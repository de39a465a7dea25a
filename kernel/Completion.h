// SPDX-License-Identifier: GPL-2.0
// Completion.h - "this has happened", counted: each complete() releases
// exactly one wait; complete_all() releases every wait until reinit().
#pragma once

#include "kernel/Result.h"
#include "shim/lothars_shim.h"

namespace kernel {

class Completion {
public:
    // Step 1, init: in place, inside an object that outlives every waiter
    // and every completer.
    Completion() { shim_completion_init(&m_raw); }
    KERNEL_PINNED(Completion);

    // Step 2, re-init: only when nobody can be waiting or completing.
    void reinit() ANY_CONTEXT { shim_completion_reinit(&m_raw); }

    // Step 3, wait. The plain form sleeps in state D: keep it for waits
    // known to end soon. Everything else wants one of the others.
    void wait() MAY_SLEEP { shim_completion_wait(&m_raw); }
    Result<void> wait_interruptible() MAY_SLEEP { return result_from(shim_completion_wait_interruptible(&m_raw)); }
    Result<void> wait_killable() MAY_SLEEP { return result_from(shim_completion_wait_killable(&m_raw)); }
    Result<void> wait_for_ms(unsigned int ms) MAY_SLEEP { return result_from(shim_completion_wait_timeout(&m_raw, ms)); }

    // Step 4, wake.
    void complete() ANY_CONTEXT { shim_completion_complete(&m_raw); }
    void complete_all() ANY_CONTEXT { shim_completion_complete_all(&m_raw); }

    // Step 5, status. is_posted(): a completion is posted and not yet
    // consumed (it says nothing about waiters). try_consume(): take one
    // without sleeping.
    bool is_posted() ANY_CONTEXT { return shim_completion_done(&m_raw); }
    bool try_consume() ANY_CONTEXT { return shim_completion_try_wait(&m_raw); }

private:
    shim_completion m_raw;
};

} // namespace kernel
