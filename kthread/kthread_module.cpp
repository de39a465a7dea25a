// SPDX-License-Identifier: GPL-2.0
// kthread_module.cpp - the Hello Kernelthread Module, in C++.
//
// A kernel thread sleeps on a completion. Every read() of
// /dev/lothars_chardev posts one event to it; unloading the module posts
// the last one. The five completion steps are marked "Step N" below.
//
// This file is compiled twice: into kthread.ko by kbuild, and into the
// host unit tests against a user-space implementation of the shim.

#include "kernel/Atomic.h"
#include "kernel/CharDevice.h"
#include "kernel/Completion.h"
#include "kernel/IntrusiveQueue.h"
#include "kernel/KThread.h"
#include "kernel/Log.h"
#include "kernel/Memory.h"
#include "kernel/Mutex.h"
#include "kernel/Result.h"
#include "kernel/SpinLock.h"
#include "kernel/Text.h"
#include "kernel/WaitQueue.h"
#include "kthread.h"

namespace hello {
namespace {

using namespace kernel;

constexpr const char* device_name = "lothars_chardev";
constexpr const char* thread_name = "lothars_wait_thread";

// One open file in round-trip mode: the request it hands to the thread.
struct Session {
    Mutex lock { KERNEL_LOCK_CLASS("hello_session_lock") }; // one read at a time per open file
    Completion answered { KERNEL_LOCK_CLASS("hello_session_answered") }; // Step 1: lives as long as the file
    bool in_flight = false; // posted, answer not yet collected
    u64 event_number = 0; // written by the thread before answering
    QueueLink<Session> queue_link; // in HelloCompletion::m_queue while posted
};

// The module: one character device whose driver is this class; the
// library (kernel/CharDevice.h) owns the device and finds the driver from
// the file, so no global points at it.
class HelloCompletion {
public:
    static constexpr const char* name = device_name;
    using Session = hello::Session;
    static constexpr bool vectored_read = true; // readv() is one read, one event
    static constexpr bool seekable = true; // lseek(0) and a round trip reads again
    static constexpr Refusal write_refusal { SHIM_EINVAL, "write refused: the device is read-only" };
    static constexpr auto counters()
    {
        return counter_list<HelloCompletion>({
            { "reads", &HelloCompletion::reads },
            { "events", &HelloCompletion::events },
            { "pending", &HelloCompletion::pending },
        });
    }

    // After the number is reserved, before the node is published: the
    // thread runs, in its loop.
    KERNEL_COLD Result<void> start(DeviceNumber number) MAY_SLEEP
    {
        KERNEL_LOG_INFO("init_hello_completion() - major = %u, minor = %u", number.major, number.minor);
        auto created = m_thread.create<&HelloCompletion::wait_thread>(thread_name, *this);
        if (created.is_error()) {
            KERNEL_LOG_ERROR("kthread_create() failed: error %d", created.error().code());
            return created.error();
        }
        KERNEL_LOG_INFO("kthread_create() successful");
        m_thread.wake();
        // Step 3 with a kill switch: the thread must be in its loop before
        // anything can stop it, or kthread_stop() would skip its function
        // and the story's last line ("exit function") with it.
        return m_running.wait_for_completion_killable();
    }

    // Unloading (and create()'s failure paths): the thread is joined while
    // the device still exists, as the classic module does; the library
    // then destroys the device, then this object.
    KERNEL_COLD void stop() MAY_SLEEP
    {
        if (m_thread.exists()) {
            // Every read that returned has posted its event: let the
            // thread handle them all before it hears about the exit.
            m_idle.wait_event([this] { return m_events.read() == m_posted.read(); });
            m_stopping.set(true);
            m_event.complete(); // Step 4: the last wake-up
            m_thread.join();
        }
    }

    KERNEL_PINNED(HelloCompletion);

    // ---- file operations, called by the kernel through the library ----

    // A session only in round-trip mode: other reads need nothing per file.
    bool needs_session() const { return m_roundtrip; }

    // read() and read_iter(): one request per call, whatever the target
    // (by value, like File: a few words the compiler keeps in registers).
    // cppcheck-suppress passedByValue
    long read(File<Session> file, ReadTarget target, long long* position) MAY_SLEEP
    {
        if (!m_quiet)
            KERNEL_LOG_INFO("chardev_read()");
        if (!m_signal)
            return 0; // signal=0, for make bench: no event, nothing counted
        return signal(file, target, position);
    }

    // Out of line: one copy for both entry points.
    // cppcheck-suppress passedByValue
    [[gnu::noinline]] long signal(File<Session> file, ReadTarget target, long long* position) MAY_SLEEP
    {
        if (m_roundtrip)
            return roundtrip(*file.session(), target, position);
        post_event();
        return 0; // EOF: cat prints nothing and exits
    }

    void release(Session& session) MAY_SLEEP
    {
        // A reader interrupted while waiting leaves its request queued; the
        // thread still answers it and must not find it freed. The wait is
        // short: the thread never blocks between taking and answering.
        if (session.in_flight && !session.answered.completion_done()) // Step 5
            session.answered.wait_for_completion();
    }

    unsigned long long reads() ANY_CONTEXT { return m_posted.read(); }
    unsigned long long events() ANY_CONTEXT { return m_events.read(); }
    unsigned long long pending() ANY_CONTEXT
    {
        return m_event.completion_done() ? 1 : 0;
    } // Step 5: posted, not yet taken

    HelloCompletion() = default;

private:
    // ---- the kernel thread ---------------------------------------------

    int wait_thread() MAY_SLEEP
    {
        m_running.complete_all(); // Step 4: a state, not a count
        for (;;) {
            if (!m_quiet)
                KERNEL_LOG_INFO("waiting for event...");
            // Step 3: interruptible, so the idle thread sleeps in state S:
            // no load average, no hung-task report. Kernel threads ignore
            // signals, so an early return only means "wait again".
            while (m_event.wait_for_completion_interruptible().is_error()) {}
            if (m_stopping.read()) {
                KERNEL_LOG_INFO("event came from exit function");
                return 0;
            }
            handle_read_event();
        }
    }

    void handle_read_event() MAY_SLEEP
    {
        u64 number = m_events.read();
        kthread_event_handled(number); // tracepoint; the wake-latency clock stops
        if (m_log_events && !m_quiet)
            KERNEL_LOG_INFO("event came from READ function - %llu", number);
        if (m_roundtrip) {
            Session* session = m_queue.with([](auto& queue) { return queue.pop(); });
            // One session is queued for every posted event.
            session->event_number = number;
            // Step 4: complete_all(), because "answered" is a state, not a
            // count: it stays true for every look until reinit() re-arms it.
            // The session may be freed from here on.
            session->answered.complete_all();
        }
        m_events.set(number + 1);
        m_idle.wake_up_all();
    }

    // ---- readers --------------------------------------------------------

    void post_event(Session* session = nullptr) MAY_SLEEP
    {
        if (session)
            m_queue.with([session](auto& queue) { queue.push(*session); });
        kthread_event_posted(m_posted.fetch_add(1)); // tracepoint; the wake-latency clock starts
        m_event.complete(); // Step 4: one read, one wake-up, never merged
    }

    // Out of line, with a plain count-or-errno result: the round trip's
    // reply buffer and its stack guard stay out of the frame of the
    // signalling and null reads.
    // By value: three words in registers, no stack slot (and no stack guard)
    // in the caller's frame.
    // cppcheck-suppress passedByValue
    [[gnu::noinline]] long roundtrip(Session& session, ReadTarget target, long long* position) MAY_SLEEP
    {
        return to_errno(roundtrip_read(session, target, position));
    }

    Result<long> roundtrip_read(Session& session, const ReadTarget& target, long long* position) MAY_SLEEP
    {
        if (*position > 0)
            return 0L; // one line per open
        auto locked = session.lock.lock_interruptible();
        if (locked.is_error())
            return Error::from_errno(SHIM_ERESTARTSYS); // restartable, like the wait below
        auto guard = locked.release_value();
        if (!session.in_flight) {
            // Step 2: re-arm the answer of the previous request; nobody
            // waits on it (we hold the lock) or completes it (not queued).
            session.answered.reinit_completion();
            session.in_flight = true;
            post_event(&session);
        }
        // Step 3: a signal ends the wait; the request stays in flight and
        // a restarted read collects its answer instead of posting another.
        if (session.answered.wait_for_completion_interruptible().is_error()) {
            if (!m_quiet)
                KERNEL_LOG_INFO("chardev_read() interrupted: event still in flight");
            return Error::from_errno(SHIM_ERESTARTSYS);
        }
        session.in_flight = false;

        TailText<32> line;
        line.prepend("\n").prepend_decimal(session.event_number).prepend("event ");
        unsigned long count = line.length() < target.length() ? line.length() : target.length();
        TRY(target.copy(line.data(), count));
        *position += static_cast<long long>(count);
        return static_cast<long>(count);
    }

    // Declaration order is construction order; destruction runs backwards.
    const bool m_roundtrip = kthread_param_roundtrip;
    const bool m_log_events = kthread_param_log_events;
#ifdef KTHREAD_BENCH
    const bool m_signal = kthread_param_signal;
#else
    static constexpr bool m_signal = true; // signal=0 is the bench build's
#endif
    const bool m_quiet = kthread_param_quiet;
    Completion m_event { KERNEL_LOCK_CLASS("hello_event") }; // Step 1: before the thread and the device
    Completion m_running { KERNEL_LOCK_CLASS("hello_running") }; // the thread has entered its loop
    WaitQueue m_idle { KERNEL_LOCK_CLASS("hello_idle") }; // woken whenever the thread finishes an event
    Atomic<u64> m_posted; // reads that posted an event
    Atomic<u64> m_events; // events the thread has handled
    Atomic<bool> m_stopping;
    // Round trip: sessions awaiting the thread, reachable only under their lock.
    SpinLockProtected<IntrusiveQueue<Session, &Session::queue_link>> m_queue { KERNEL_LOCK_CLASS("hello_queue_lock") };
    KThread m_thread;
};

} // namespace
} // namespace hello

// ---- module_init and module_exit (kthread_main.c) ------------------------

extern "C" KERNEL_COLD int kthread_load(void)
{
    KERNEL_LOG_INFO("init_hello_completion() started");
    int error = kernel::Module<hello::HelloCompletion>::load();
    if (error)
        KERNEL_LOG_ERROR("init_hello_completion() failed: error %d", error);
    return error;
}

extern "C" KERNEL_COLD void kthread_unload(void)
{
    kernel::Module<hello::HelloCompletion>::unload();
    KERNEL_LOG_INFO("cleanup_hello_completion() READY.");
}
