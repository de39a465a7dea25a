// SPDX-License-Identifier: GPL-2.0
// wait.cpp - <linux/wait.h>'s exported steps on the host: init, the
// steps wait_event() loops over, and __wake_up(). A wake-up is a new
// generation of the queue: a sleeper that prepared before it cannot miss
// it, as a task queued by prepare_to_wait_event() cannot in the kernel.
#include "fake/fake.h"
#include "kcxx_offsets.h"

#include <thread>

using namespace shim_host;

HOST_FITS(HostWaitqueue, shim_waitqueue);

namespace {

HostWaitqueue* host_queue(wait_queue_head* wq) { return as<HostWaitqueue>(reinterpret_cast<shim_waitqueue*>(wq)); }

// What this thread prepared to sleep on, for schedule() and finish_wait().
struct Prepared {
    HostWaitqueue* queue = nullptr; // queued on it (prepare to finish_wait)
    bool armed = false; // prepared and not yet woken: schedule() sleeps
    unsigned long generation = 0;
};
thread_local Prepared prepared;

} // namespace

extern "C" {

void __init_waitqueue_head(wait_queue_head* wq, const char*, lock_class_key*) { new (wq) HostWaitqueue(); }

void kapi_wake_up(wait_queue_head* wq, unsigned int mode, int nr, void* key)
{
    if (mode != KAPI_TASK_NORMAL || nr != 0 || key)
        record_bug("__wake_up() other than wake_up_all()");
    HostWaitqueue* q = host_queue(wq);
    std::lock_guard guard(q->m);
    ++q->generation;
    q->cv.notify_all();
}

void init_wait_entry(wait_queue_entry*, int flags)
{
    if (flags != 0)
        record_bug("init_wait_entry() of an exclusive waiter");
}

long prepare_to_wait_event(wait_queue_head* wq, wait_queue_entry*, int state)
{
    might_sleep("prepare_to_wait_event");
    if (state != KAPI_TASK_UNINTERRUPTIBLE)
        record_bug("prepare_to_wait_event() in a state other than TASK_UNINTERRUPTIBLE");
    HostWaitqueue* q = host_queue(wq);
    std::lock_guard guard(q->m);
    if (!prepared.queue) {
        q->queue_sleeper();
        prepared.queue = q;
    } else if (prepared.queue != q) {
        record_bug("prepare_to_wait_event() on a second wait queue");
    }
    prepared.armed = true;
    prepared.generation = q->generation;
    self().state.store('D');
    return 0;
}

void schedule(void)
{
    if (!prepared.armed) {
        std::this_thread::yield();
        return;
    }
    HostWaitqueue* q = prepared.queue;
    ThreadState& ts = self();
    std::unique_lock lock(q->m);
    ++q->waiters;
    ts.sleeping.fetch_add(1);
    q->cv.wait(lock, [q] { return q->generation != prepared.generation; });
    ts.sleeping.fetch_sub(1);
    --q->waiters;
    prepared.armed = false; // woken: running until the next prepare
    ts.state.store('R');
}

void finish_wait(wait_queue_head* wq, wait_queue_entry*)
{
    HostWaitqueue* q = host_queue(wq);
    {
        std::lock_guard guard(q->m);
        if (prepared.queue == q)
            q->unqueue_sleeper();
    }
    prepared = {};
    self().state.store('R');
}

} // extern "C"

// Where WaitQueue::has_sleepers() finds the list (tests/fake/include/kcxx_offsets.h).
const unsigned long shim_host::offset_wait_queue_head_head = [] {
    static HostWaitqueue probe;
    return static_cast<unsigned long>(reinterpret_cast<char*>(&probe.head_next) - reinterpret_cast<char*>(&probe));
}();
