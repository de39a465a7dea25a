// SPDX-License-Identifier: GPL-2.0
// KThread.h - a kernel thread that cannot outlive its owner: the
// destructor stops and joins it, so module text is never freed under a
// running thread.
#pragma once

#include "kernel/Context.h"
#include "kernel/Result.h"

namespace kernel {

class KThread {
public:
    KThread() = default;
    ~KThread() { join(); }
    KERNEL_PINNED(KThread);

    // Creates the thread stopped, to run (object.*Method)() once woken.
    // The thread function returns when its owner tells it to stop; the
    // owner's protocol for that comes before join().
    template<auto Method, class Object>
    Result<void> create(const char* name, Object& object) MAY_SLEEP
    {
        return result_from(shim_kthread_create(&m_raw, &run<Method, Object>, &object, name));
    }

    // create() and wake(): for an owner with nothing to do in between.
    template<auto Method, class Object>
    Result<void> start(const char* name, Object& object) MAY_SLEEP
    {
        TRY(create<Method>(name, object));
        wake();
        return {};
    }

    void wake() ANY_CONTEXT { wake_up_process(m_raw.task); }
    bool exists() const { return m_raw.task != nullptr; }

    // kthread_stop(): waits until the thread function has returned.
    // Returns its result (-EINTR if it never ran).
    int join() MAY_SLEEP
    {
        if (!exists())
            return 0;
        might_sleep();
        return shim_kthread_stop(&m_raw);
    }

private:
    // The thread function the kernel calls (a named function rather than a
    // lambda: objtool limits the length of a symbol's name).
    template<auto Method, class Object>
    static int run(void* context)
    {
        return (static_cast<Object*>(context)->*Method)();
    }

    shim_kthread m_raw {};
};

} // namespace kernel
