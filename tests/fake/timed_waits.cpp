// SPDX-License-Identifier: GPL-2.0
// timed_waits.cpp - lib/shim/timed_waits.c on the host: the waits with a
// timeout, or interruptible on a wait queue. Interruptible sleeps end
// with -ERESTARTSYS when the test raised a signal for the sleeper.
#include "fake/fake.h"

using namespace shim_host;

namespace {

// Queued for the whole wait, as wait_event_*() keeps its entry queued:
// what WaitQueue::has_sleepers() sees.
class Queued {
public:
    explicit Queued(HostWaitqueue& q) : m_q(q)
    {
        std::lock_guard guard(m_q.m);
        m_q.queue_sleeper();
    }
    ~Queued()
    {
        std::lock_guard guard(m_q.m);
        m_q.unqueue_sleeper();
    }
    Queued(const Queued&) = delete;
    Queued& operator=(const Queued&) = delete;

private:
    HostWaitqueue& m_q;
};

} // namespace

extern "C" {

int shim_completion_wait_timeout(shim_completion* c, unsigned int ms)
{
    Clock::time_point deadline = deadline_after(ms);
    return completion_wait(as<HostCompletion>(c), Mode::uninterruptible, &deadline);
}

int shim_waitqueue_wait_interruptible(shim_waitqueue* wq, shim_condition_fn cond, void* context)
{
    might_sleep("wait_event_interruptible");
    Queued queued(*as<HostWaitqueue>(wq));
    return sleep_until(
        *as<HostWaitqueue>(wq), Mode::interruptible, [&] { return cond(context); }, nullptr);
}

int shim_waitqueue_wait_timeout(shim_waitqueue* wq, shim_condition_fn cond, void* context, unsigned int ms)
{
    might_sleep("wait_event_timeout");
    Clock::time_point deadline = deadline_after(ms);
    Queued queued(*as<HostWaitqueue>(wq));
    return sleep_until(
        *as<HostWaitqueue>(wq), Mode::uninterruptible, [&] { return cond(context); }, &deadline);
}

} // extern "C"
