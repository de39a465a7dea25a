// SPDX-License-Identifier: GPL-2.0
// test_support.h - the fixture and small helpers the host tests share.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "fake/host.h"
#include "kernel/Result.h"
#include "kthread/kthread.h"
#include "tests/host/kthread_host.h"

namespace host_test {

// What the test binary's module side clears between tests, beside the
// fake: one definition per binary (kthread_host.cpp, crcpool_host.cpp).
void reset_module_host();

using namespace std::chrono_literals;

// Every test starts from a clean fake and ends with nothing held: no
// allocation, region, cdev, class, device, thread or open file left, and
// no kernel rule broken.
class HostTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        shim_host::reset();
        reset_module_host();
        ASSERT_TRUE(shim_host::live().all_zero())
            << "a previous test leaked: " << shim_host::to_string(shim_host::live());
    }

    void TearDown() override
    {
        if (shim_host::module_loaded()) {
            ADD_FAILURE() << "the test left the module loaded";
            (void)shim_host::module_unload();
        }
        EXPECT_TRUE(shim_host::live().all_zero()) << shim_host::to_string(shim_host::live());
        for (const std::string& bug : shim_host::bugs())
            ADD_FAILURE() << "kernel rule broken: " << bug;
        shim_host::reset();
        reset_module_host();
    }
};

// Polls pred until it holds or the timeout passes.
template<class Pred>
bool eventually(Pred pred, std::chrono::milliseconds timeout = 10s)
{
    auto end = std::chrono::steady_clock::now() + timeout;
    while (!pred()) {
        if (std::chrono::steady_clock::now() >= end)
            return false;
        std::this_thread::sleep_for(200us);
    }
    return true;
}

// The negative errno of a failed Result, 0 for a value.
template<class T>
int error_code(const kernel::Result<T>& result)
{
    return result.is_error() ? result.error().code() : 0;
}

// Runs body on count threads at once and returns when all have finished.
template<class Body>
void run_threads(int count, Body body)
{
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i)
        threads.emplace_back(body);
    for (auto& thread : threads)
        thread.join();
}

// A thread of the test that is to block in the kernel layer (a wait, a
// lock, a read): constructed once it runs, so that handle() names it for
// the fake (signals, task state); sleeping() waits until it sleeps there.
// Joined by join(), or else by the destructor.
class WaitingThread {
public:
    template<class Body>
    explicit WaitingThread(Body body)
        : m_thread([this, body = std::move(body)]() mutable {
              m_handle = shim_host::current_thread();
              m_started = true;
              body();
          })
    {
        while (!m_started)
            std::this_thread::yield();
    }
    ~WaitingThread()
    {
        if (m_thread.joinable())
            m_thread.join();
    }
    WaitingThread(const WaitingThread&) = delete;
    WaitingThread& operator=(const WaitingThread&) = delete;

    const shim_host::ThreadHandle& handle() const { return m_handle; }
    bool sleeping() const { return shim_host::wait_until_sleeping(m_handle); }
    void join() { m_thread.join(); }

private:
    shim_host::ThreadHandle m_handle;
    std::atomic<bool> m_started { false };
    std::thread m_thread; // last: it starts once the members above exist
};

// The errno (0 for success) a blocking call returns when the thread asleep
// in it gets a signal.
template<class Call>
int errno_on_signal(Call call)
{
    int code = 1;
    WaitingThread thread([&] { code = error_code(call()); });
    EXPECT_TRUE(thread.sleeping()) << "the call did not sleep";
    shim_host::raise_signal(thread.handle());
    thread.join();
    return code;
}

// A signal pending on the test's own thread for the scope, so that its
// waits and reads there end with -ERESTARTSYS (or -EINTR).
class PendingSignal {
public:
    PendingSignal() : m_thread(shim_host::current_thread()) { shim_host::raise_signal(m_thread); }
    ~PendingSignal() { shim_host::clear_signal(m_thread); }
    PendingSignal(const PendingSignal&) = delete;
    PendingSignal& operator=(const PendingSignal&) = delete;

private:
    shim_host::ThreadHandle m_thread;
};

// The one kernel rule a test broke on purpose: found, then forgotten (the
// fixture's TearDown fails on any other).
inline void expect_only_bug(const std::string& what)
{
    auto found = shim_host::bugs();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find(what), std::string::npos) << found[0];
    shim_host::reset();
}

// cat /sys/class/<node>/<node>/<name> (reads, events, pending, ...): ~0
// without the device.
inline std::optional<unsigned long long> sysfs_counter(const char* node, const char* name)
{
    return shim_host::sysfs_read(node, name);
}

inline unsigned long long counter(const char* name, const char* node = "lothars_chardev")
{
    return sysfs_counter(node, name).value_or(~0ULL);
}

// Holds up the thread that logs a given line until opened: a way to keep
// the module's kthread busy with an event. Opens itself when destroyed.
// The hook shares its state, so a thread still leaving the hook after the
// gate is gone touches nothing freed.
class LogGate {
public:
    explicit LogGate(std::string line) : m_state(std::make_shared<State>())
    {
        m_state->line = std::move(line);
        shim_host::set_log_hook([state = m_state](const shim_host::LogLine& logged) {
            if (logged.text != state->line)
                return;
            std::unique_lock lock(state->mutex);
            state->held = true;
            state->cv.notify_all();
            state->cv.wait(lock, [&] { return state->open; });
        });
    }
    ~LogGate()
    {
        open();
        shim_host::set_log_hook(nullptr);
    }
    LogGate(const LogGate&) = delete;
    LogGate& operator=(const LogGate&) = delete;

    // Waits until a thread is held at the gate.
    bool wait_held(std::chrono::milliseconds timeout = 10s)
    {
        std::unique_lock lock(m_state->mutex);
        return m_state->cv.wait_for(lock, timeout, [this] { return m_state->held; });
    }

    void open()
    {
        std::lock_guard lock(m_state->mutex);
        m_state->open = true;
        m_state->cv.notify_all();
    }

private:
    struct State {
        std::string line;
        std::mutex mutex;
        std::condition_variable cv;
        bool held = false;
        bool open = false;
    };
    std::shared_ptr<State> m_state;
};

} // namespace host_test
