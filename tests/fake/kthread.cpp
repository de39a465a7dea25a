// SPDX-License-Identifier: GPL-2.0
// kthread.cpp - lib/shim/kthread.c and <linux/sched.h>'s
// wake_up_process() on the host. A kthread is created stopped and runs
// its function only once woken; stopping a thread that never ran returns
// -EINTR without running it.
#include "fake/fake.h"

#include <pthread.h>

#include <thread>

using namespace shim_host;

namespace {

struct HostThread {
    std::mutex m;
    std::condition_variable cv;
    bool woken = false;
    bool stop = false;
    bool ran = false;
    int result = 0;
    shim_thread_fn fn = nullptr;
    void* context = nullptr;
    std::string name;
    ThreadHandle state; // the new thread's, made before it starts
    std::thread thread;
};

} // namespace

static_assert(sizeof(shim_kthread::task) == sizeof(HostThread*));

extern "C" {

int shim_kthread_create(shim_kthread* thread, shim_thread_fn fn, void* context, const char* name)
{
    might_sleep("kthread_create");
    if (int error = injected(Step::kthread_create))
        return error;
    auto* t = new HostThread;
    t->fn = fn;
    t->context = context;
    t->name = name;
    t->state = std::make_shared<ThreadState>();
    t->thread = std::thread([t] {
        tls_state = t->state;
        // TASK_COMM_LEN: 15 characters and the NUL.
        pthread_setname_np(pthread_self(), t->name.substr(0, 15).c_str());
        std::unique_lock lock(t->m);
        t->cv.wait(lock, [t] { return t->woken || t->stop; });
        // kthread(): the function runs only if nobody asked it to stop
        // before it first got the CPU.
        if (t->stop)
            return;
        t->ran = true;
        lock.unlock();
        int result = t->fn(t->context);
        lock.lock();
        t->result = result;
    });
    thread->task = reinterpret_cast<task_struct*>(t);
    std::lock_guard guard(g.m);
    ++g.res.threads;
    g.thread_names.push_back(name);
    g.kthreads.emplace_back(name, t->state);
    return 0;
}

int wake_up_process(task_struct* task)
{
    auto* t = reinterpret_cast<HostThread*>(task);
    if (!t) {
        record_bug("wake_up_process() of a stopped (freed) kthread");
        return 0;
    }
    std::lock_guard guard(t->m);
    bool was_asleep = !t->woken;
    t->woken = true;
    t->cv.notify_all();
    return was_asleep;
}

int shim_kthread_stop(shim_kthread* thread)
{
    might_sleep("kthread_stop");
    auto* t = reinterpret_cast<HostThread*>(thread->task);
    if (!t) {
        record_bug("kthread_stop() of a stopped (freed) kthread");
        return -SHIM_EINVAL;
    }
    {
        std::lock_guard guard(t->m);
        t->stop = true;
        t->cv.notify_all();
    }
    t->thread.join();
    int ret = t->ran ? t->result : -SHIM_EINTR;
    std::lock_guard guard(g.m);
    for (auto it = g.kthreads.begin(); it != g.kthreads.end(); ++it) {
        if (it->second == t->state) {
            g.kthreads.erase(it);
            break;
        }
    }
    delete t;
    thread->task = nullptr;
    --g.res.threads;
    return ret;
}

} // extern "C"
