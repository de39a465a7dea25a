// SPDX-License-Identifier: GPL-2.0
// completion.cpp - lib/shim/completion.c and <linux/completion.h>'s
// exported steps 3 to 5 on the host. Completions count: complete()
// releases exactly one wait, complete_all() every wait until reinit;
// try_wait consumes one.
#include "fake/fake.h"

#include <climits>

using namespace shim_host;

HOST_FITS(HostCompletion, shim_completion);

namespace shim_host {

int completion_wait(HostCompletion* x, Mode mode, const Clock::time_point* deadline)
{
    might_sleep("wait_for_completion");
    return sleep_until(
        *x, mode,
        [x] {
            if (!x->done)
                return false;
            if (x->done != UINT_MAX)
                --x->done;
            return true;
        },
        deadline);
}

} // namespace shim_host

namespace {

HostCompletion* host_completion(completion* x) { return as<HostCompletion>(reinterpret_cast<shim_completion*>(x)); }

} // namespace

extern "C" {

void shim_completion_init(shim_completion* c, const char*, shim_lock_class_key*) { new (c->opaque) HostCompletion(); }

void shim_completion_reinit(shim_completion* c)
{
    HostCompletion* x = as<HostCompletion>(c);
    bool waited_on;
    {
        std::lock_guard guard(x->m);
        waited_on = x->waiters != 0;
        x->done = 0;
    }
    // Bugs are recorded outside x->m: sysfs reads take g.m, then x->m.
    if (waited_on)
        record_bug("reinit_completion() while a thread waits on it");
}

void wait_for_completion(completion* c) { completion_wait(host_completion(c), Mode::uninterruptible, nullptr); }

int wait_for_completion_interruptible(completion* c)
{
    return completion_wait(host_completion(c), Mode::interruptible, nullptr);
}

int wait_for_completion_killable(completion* c) { return completion_wait(host_completion(c), Mode::killable, nullptr); }

void complete(completion* c)
{
    HostCompletion* x = host_completion(c);
    // Notify under the lock: once it is released, the waiter may free the
    // completion (a session freed right after its answer).
    std::lock_guard guard(x->m);
    if (x->done != UINT_MAX)
        ++x->done;
    x->cv.notify_all();
}

void complete_all(completion* c)
{
    HostCompletion* x = host_completion(c);
    std::lock_guard guard(x->m);
    x->done = UINT_MAX;
    x->cv.notify_all();
}

bool completion_done(completion* c)
{
    HostCompletion* x = host_completion(c);
    std::lock_guard guard(x->m);
    return x->done != 0;
}

bool try_wait_for_completion(completion* c)
{
    HostCompletion* x = host_completion(c);
    std::lock_guard guard(x->m);
    if (!x->done)
        return false;
    if (x->done != UINT_MAX)
        --x->done;
    return true;
}

} // extern "C"
