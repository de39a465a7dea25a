// SPDX-License-Identifier: GPL-2.0
// WaitQueue.h - "sleep until this condition on shared state holds".
// Unlike a Completion it counts nothing: wakers change the state, then
// wake the queue, and each sleeper re-checks its own condition.
#pragma once

#include "kernel/Atomic.h"
#include "kernel/Context.h"
#include "kernel/Field.h"
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
    void wait_event(Condition condition) MAY_SLEEP
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

    // The interruptible and timed forms: no module here calls them yet
    // (their waits are completions); they are the wait_event() family a
    // driver reaches for, checked against the kernel by the conformance
    // suite, and linked only by modules that call them (kcxx-timed-objs).
    template<class Condition>
    Result<void> wait_event_interruptible(Condition condition) MAY_SLEEP
    {
        might_sleep();
        return result_from(shim_waitqueue_wait_interruptible(&m_raw, &evaluate<Condition>, &condition));
    }

    // wait_event_timeout(), in milliseconds: 0, or -ETIMEDOUT.
    template<class Condition>
    Result<void> wait_event_timeout_ms(Condition condition, unsigned int ms) MAY_SLEEP
    {
        might_sleep();
        return result_from(shim_waitqueue_wait_timeout(&m_raw, &evaluate<Condition>, &condition, ms));
    }

    // Call after changing the state the sleepers' conditions read. As the
    // kernel's wq_has_sleeper(): a full barrier orders that change before
    // the look at the queue, and a sleeper queues itself (with a barrier
    // too) before it checks its condition, so it is either on the queue
    // now or sees the change. With nobody on it, no lock is taken.
    void wake_up_all() ANY_CONTEXT
    {
        full_barrier();
        if (waitqueue_active())
            kapi_wake_up(raw(), KAPI_TASK_NORMAL, 0, nullptr);
    }

private:
    template<class Condition>
    static bool evaluate(void* condition)
    {
        return (*static_cast<Condition*>(condition))();
    }

    wait_queue_head* raw() { return kernel_object<wait_queue_head>(m_raw); }

    // waitqueue_active(): the list of sleepers is not empty (an empty
    // list_head points at itself).
    bool waitqueue_active()
    {
        void*& first = field<void*>(raw(), KCXX_WAIT_QUEUE_HEAD_HEAD);
        return __atomic_load_n(&first, __ATOMIC_RELAXED) != &first;
    }

    shim_waitqueue m_raw;
};

} // namespace kernel
