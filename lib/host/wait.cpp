// SPDX-License-Identifier: GPL-2.0
// wait.cpp - lib/shim/wait.c and <linux/wait.h>'s __wake_up() on the
// host. The condition is re-checked after every wake-up, as wait_event()
// does.
#include "host/fake.h"

using namespace shim_host;

HOST_FITS(HostWaitqueue, shim_waitqueue);

extern "C" {

void shim_waitqueue_init(shim_waitqueue* wq, const char*, shim_lock_class_key*) { new (wq->opaque) HostWaitqueue(); }

void kapi_wake_up(wait_queue_head* wq, unsigned int mode, int nr, void* key)
{
    if (mode != KAPI_TASK_NORMAL || nr != 0 || key)
        record_bug("__wake_up() other than wake_up_all()");
    HostWaitqueue* q = as<HostWaitqueue>(reinterpret_cast<shim_waitqueue*>(wq));
    std::lock_guard guard(q->m);
    q->cv.notify_all();
}

void shim_waitqueue_wait(shim_waitqueue* wq, shim_condition_fn cond, void* context)
{
    might_sleep("wait_event");
    sleep_until(
        *as<HostWaitqueue>(wq), Mode::uninterruptible, [&] { return cond(context); }, nullptr);
}

} // extern "C"
