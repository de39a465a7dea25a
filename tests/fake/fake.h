// SPDX-License-Identifier: GPL-2.0
// fake.h - inside the host fake only: the state its files share.
//
// The fake is split as the boundary is (tests/fake/<header>.cpp stands in
// for lib/shim/<header>.c and for the kernel functions of that header
// that kernel_api.h declares); what they all need lives here and in
// core.cpp: the per-thread state (signals, sleeping, spinlock depth), the
// kernel's wait loop, fault injection, resource accounting, the log, the
// recorded rule violations and the watchdog. Tests see none of it: their
// side is host.h.
#pragma once

#include "fake/host.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdarg>
#include <map>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

namespace shim_host {

using Clock = std::chrono::steady_clock;

// ---- per-thread state: signals, sleeping, spinlock depth ----------------

struct Waitable {
    std::mutex m;
    std::condition_variable cv;
    int waiters = 0; // threads asleep on it (under m)
};

struct ThreadState {
    std::atomic<bool> pending { false };
    std::atomic<bool> fatal { false };
    std::atomic<int> sleeping { 0 };
    std::atomic<char> state { 'R' }; // as ps shows it
    int spin_depth = 0; // only its own thread touches it
    std::mutex m; // guards waiting_on
    Waitable* waiting_on = nullptr; // what a raised signal has to wake
};

// The calling thread's state, made on first use. A kthread gets its state
// before it starts (kthread.cpp), so that tests can signal it at once.
extern thread_local ThreadHandle tls_state;
ThreadState& self();

// ---- the kernel objects the fake keeps outside the C++ objects ----------

struct HostCdev;

// A class (/sys/class/<name>): what shim_class_create() hands out.
struct HostClass {
    std::string name;
    int devices = 0; // device_create_with_groups() on it, not yet destroyed
};

// A device node (/dev/<name>) and its sysfs directory.
struct HostDevice {
    HostClass* cls = nullptr;
    unsigned int devt = 0;
    void* drvdata = nullptr;
    std::string name;
    const attribute_group** groups = nullptr; // its sysfs files
};

// ---- global state ---------------------------------------------------------

struct Fault {
    bool armed = false;
    unsigned fire_at = 0; // calls value at which it fires
    int error = 0;
    unsigned calls = 0;
};

struct State {
    std::mutex m; // everything below
    Fault faults[step_count];
    Resources res;
    std::map<unsigned int, unsigned int> regions; // first device number -> count
    std::map<unsigned int, HostCdev*> cdevs; // device number -> added cdev
    std::set<HostClass*> classes;
    std::map<std::string, HostDevice*> nodes; // /dev/<name>
    std::unordered_set<void*> allocations;
    std::vector<std::string> bugs;
    std::vector<std::string> thread_names;
    std::vector<std::pair<std::string, ThreadHandle>> kthreads; // live ones
    Module module {}; // the loaded one
    bool module_loaded = false;
    bool module_going = false; // rmmod under way: opens fail
};

// Never destroyed: kthreads may still log while the process exits.
extern State& g;

// A kernel rule broken: what lockdep, KASAN or a WARN_ON would print. Not
// with g.m held.
void record_bug(const std::string& what);
// The same, with g.m held.
void record_bug_locked(const std::string& what);
// A bug after which the kernel would hang or crash: abort with a message.
[[noreturn]] void fatal_bug(const std::string& what);

// might_sleep(): CONFIG_DEBUG_ATOMIC_SLEEP's check.
void might_sleep(const char* function);

// 0, or the injected error of this call of step.
int injected(Step step);

// The allocators' accounts (slab.cpp): a block for function (kzalloc,
// kvmalloc), which may sleep, fails by Step::alloc (NULL) and is counted
// with the others; freeing one by function (kfree, kvfree) checks that it
// came from source: false, nothing freed and a bug if not (NULL: false).
void* accounted_alloc(unsigned long size, const char* function, bool zeroed);
bool accounted_free(const void* block, const char* function, const char* source);

std::string vformat(const char* fmt, va_list args);
void log_line(bool error, std::string text);

// ---- sleeping -------------------------------------------------------------

enum class Mode { uninterruptible, interruptible, killable };

// Lets raise_signal() find and wake the waitable this thread sleeps on.
class SleepRegistration {
public:
    SleepRegistration(ThreadState& ts, Waitable& w) : m_ts(ts)
    {
        std::lock_guard guard(ts.m);
        ts.waiting_on = &w;
    }
    ~SleepRegistration()
    {
        std::lock_guard guard(m_ts.m);
        m_ts.waiting_on = nullptr;
    }
    SleepRegistration(const SleepRegistration&) = delete;
    SleepRegistration& operator=(const SleepRegistration&) = delete;

private:
    ThreadState& m_ts;
};

// The kernel's wait loop: the condition first (it wins over a pending
// signal and over an expired timeout), then the signal, then the timeout.
// ready() runs with w.m held and may consume what it finds.
template<class Ready>
int sleep_until(
    Waitable& w, Mode mode, Ready&& ready, const Clock::time_point* deadline, int signal_error = -SHIM_ERESTARTSYS)
{
    ThreadState& ts = self();
    SleepRegistration registration(ts, w); // outlives the lock below
    std::unique_lock lock(w.m);
    for (;;) {
        if (ready())
            return 0;
        if (mode == Mode::interruptible && ts.pending.load())
            return signal_error;
        if (mode == Mode::killable && ts.fatal.load())
            return signal_error;
        if (deadline && Clock::now() >= *deadline)
            return -SHIM_ETIMEDOUT;
        ++w.waiters;
        ts.state.store(mode == Mode::interruptible ? 'S' : 'D');
        ts.sleeping.fetch_add(1);
        if (deadline)
            w.cv.wait_until(lock, *deadline);
        else
            w.cv.wait(lock);
        ts.sleeping.fetch_sub(1);
        ts.state.store('R');
        --w.waiters;
    }
}

inline Clock::time_point deadline_after(unsigned int ms) { return Clock::now() + std::chrono::milliseconds(ms); }

// ---- kernel objects in their opaque storage ---------------------------

// Kernel objects are C++ objects built in place in the shim's opaque
// storage; HOST_FITS checks that they fit, as lib/shim/storage.h's
// SHIM_FITS checks the kernel's types.
template<class T, class Storage>
T* as(Storage* storage)
{
    return std::launder(reinterpret_cast<T*>(storage->opaque));
}

template<class T, class Storage>
const T* as(const Storage* storage)
{
    return std::launder(reinterpret_cast<const T*>(storage->opaque));
}

#define HOST_FITS(host_type, shim_type)                                                               \
    static_assert(sizeof(host_type) <= sizeof(shim_type) && alignof(host_type) <= SHIM_STORAGE_ALIGN, \
        #host_type " does not fit " #shim_type)

struct HostCompletion : Waitable {
    unsigned int done = 0; // UINT_MAX: complete_all()
};

// A wait queue. head_next stands for the kernel's list of sleepers, the
// field WaitQueue::has_sleepers() reads: itself when nobody sleeps, as an
// empty list_head points at itself.
struct HostWaitqueue : Waitable {
    unsigned long generation = 0; // wake-ups so far (under m)
    int sleepers = 0; // queued, as prepare_to_wait_event() queues (under m)
    std::atomic<void*> head_next { &head_next };

    // Queue or unqueue the caller (with m held). Queuing is a locked
    // exchange, a full barrier before the caller checks its condition, as
    // set_current_state() is.
    void queue_sleeper()
    {
        ++sleepers;
        head_next.exchange(nullptr, std::memory_order_seq_cst);
    }
    void unqueue_sleeper()
    {
        if (--sleepers == 0)
            head_next.store(&head_next);
    }
};

// Step 3 of a completion, the wait: for completion.cpp and timed_waits.cpp.
int completion_wait(HostCompletion* x, Mode mode, const Clock::time_point* deadline);

// The cdev in its shim_cdev storage: what cdev_init() and cdev_add() set.
struct HostCdev {
    const file_operations* ops = nullptr;
    unsigned int dev = 0; // the first number it serves, once added
    unsigned int count = 0;
    bool added = false;
};

// The kernel's ERR_PTR(): a negative errno as a pointer.
template<class T>
T* err_ptr(int error)
{
    return reinterpret_cast<T*>(static_cast<long>(error));
}

// ---- watchdog -------------------------------------------------------------

// A call into the module that must return (insmod, rmmod, a file
// operation) is watched: past the limit the process aborts with the log's
// tail, so that a hung test fails in seconds and says where it hung.
class Watched {
public:
    explicit Watched(const char* what);
    ~Watched();
    Watched(const Watched&) = delete;
    Watched& operator=(const Watched&) = delete;

private:
    unsigned long m_id;
};

} // namespace shim_host
