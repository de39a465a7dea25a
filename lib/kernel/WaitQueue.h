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
    explicit WaitQueue(LockClass& lock_class) { shim_waitqueue_init(&m_raw, lock_class.name, &lock_class.key); }
    KERNEL_PINNED(WaitQueue);

    template<class Condition>
    void wait_until(Condition condition) MAY_SLEEP
    {
        might_sleep();
        shim_waitqueue_wait(&m_raw, &evaluate<Condition>, &condition);
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
    void wake_all() ANY_CONTEXT { kapi_wake_up(kernel_object<wait_queue_head>(m_raw), KAPI_TASK_NORMAL, 0, nullptr); }

private:
    template<class Condition>
    static bool evaluate(void* condition)
    {
        return (*static_cast<Condition*>(condition))();
    }

    shim_waitqueue m_raw;
};

} // namespace kernel
