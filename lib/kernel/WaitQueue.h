// SPDX-License-Identifier: GPL-2.0
// WaitQueue.h - "sleep until this condition on shared state holds".
// Unlike a Completion it counts nothing: wakers change the state, then
// wake the queue, and each sleeper re-checks its own condition.
#pragma once

#include "kernel/Context.h"
#include "kernel/LockClass.h"
#include "kernel/Result.h"

namespace kernel {

class WaitQueue {
public:
    // The kernel initialises the storage (cppcheck cannot see into raw()).
    // cppcheck-suppress uninitMemberVar
    explicit WaitQueue(LockClass& lock_class) { __init_waitqueue_head(raw(), lock_class.name, lock_class.raw_key()); }
    KERNEL_PINNED(WaitQueue);

    // wait_event(): the kernel's loop, with the condition inline.
    template<class Condition>
    void wait_until(Condition condition) MAY_SLEEP
    {
        might_sleep();
        if (condition())
            return;
        shim_wait_entry storage;
        auto* entry = kernel_object<wait_queue_entry>(storage);
        init_wait_entry(entry, 0);
        for (;;) {
            prepare_to_wait_event(raw(), entry, KAPI_TASK_UNINTERRUPTIBLE);
            if (condition())
                break;
            schedule();
        }
        finish_wait(raw(), entry);
    }

    template<class Condition>
    Result<void> wait_until_interruptible(Condition condition) MAY_SLEEP
    {
        might_sleep();
        return result_from(shim_waitqueue_wait_interruptible(&m_raw, &evaluate<Condition>, &condition));
    }

    template<class Condition>
    Result<void> wait_until_for_ms(Condition condition, unsigned int ms) MAY_SLEEP
    {
        might_sleep();
        return result_from(shim_waitqueue_wait_timeout(&m_raw, &evaluate<Condition>, &condition, ms));
    }

    // Call after changing the state the sleepers' conditions read.
    void wake_all() ANY_CONTEXT { kapi_wake_up(raw(), KAPI_TASK_NORMAL, 0, nullptr); }

private:
    template<class Condition>
    static bool evaluate(void* condition)
    {
        return (*static_cast<Condition*>(condition))();
    }

    wait_queue_head* raw() { return kernel_object<wait_queue_head>(m_raw); }

    shim_waitqueue m_raw;
};

} // namespace kernel
