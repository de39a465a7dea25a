// SPDX-License-Identifier: GPL-2.0
// test_support.h - the fixture and small helpers the host tests share.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "fake/host.h"
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
