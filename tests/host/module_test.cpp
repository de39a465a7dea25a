// SPDX-License-Identifier: GPL-2.0
// module_test.cpp - kthread/kthread_module.cpp itself (compiled into this
// binary), driven as the kernel drives it: insmod, open/read/close of
// /dev/lothars_chardev, the sysfs counters, rmmod, every load step failing.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/host/kthread_fixture.h"

namespace host_test {
namespace {

using shim_host::OpenFile;

// ---- load and unload ----------------------------------------------------------

TEST_F(ModuleTest, LoadLogsTheClassicLinesInOrder)
{
    load();
    unsigned major = shim_host::node_major(node);
    EXPECT_GE(major, 240u);
    long started = shim_host::log_index("init_hello_completion() started");
    long numbers = shim_host::log_index("init_hello_completion() - major = " + std::to_string(major) + ", minor = 0");
    long created = shim_host::log_index("kthread_create() successful");
    long waiting = shim_host::log_index("waiting for event...");
    EXPECT_EQ(started, 0);
    EXPECT_GT(numbers, started);
    EXPECT_GT(created, numbers);
    EXPECT_GT(waiting, created);
    EXPECT_EQ(shim_host::log_count("waiting for event..."), 1u);
    for (const auto& line : shim_host::log_lines())
        EXPECT_FALSE(line.error) << "error logged on a clean load: " << line.text;

    ASSERT_EQ(shim_host::kthread_names().size(), 1u);
    EXPECT_EQ(shim_host::kthread_names()[0], "lothars_wait_thread");
    auto resources = shim_host::live();
    EXPECT_EQ(resources.regions, 1);
    EXPECT_EQ(resources.cdevs, 1);
    EXPECT_EQ(resources.classes, 1);
    EXPECT_EQ(resources.devices, 1);
    EXPECT_EQ(resources.threads, 1);
    EXPECT_EQ(resources.allocations, 1) << "the module state, nothing else";
    EXPECT_EQ(counter("reads"), 0u);
    EXPECT_EQ(counter("events"), 0u);
    EXPECT_EQ(counter("pending"), 0u);
    unload();
    EXPECT_FALSE(shim_host::node_exists(node));
    EXPECT_FALSE(sysfs_counter(node, "reads").has_value());
}

TEST_F(ModuleTest, UnloadWithoutReadsStopsTheThread)
{
    load();
    unload();
    long exit_event = shim_host::log_index("event came from exit function");
    long ready = shim_host::log_index("cleanup_hello_completion() READY.");
    ASSERT_GE(exit_event, 0);
    EXPECT_GT(ready, exit_event);
    EXPECT_EQ(logged_event_numbers().size(), 0u);
}

TEST_F(ModuleTest, IdleThreadSleepsInterruptibly)
{
    // State S, not D: an idle kthread in D counts in the load average
    // and trips the hung-task detector after 120 s.
    load();
    auto thread = shim_host::kthread_handle("lothars_wait_thread");
    ASSERT_NE(thread, nullptr);
    ASSERT_TRUE(shim_host::wait_until_sleeping(thread));
    EXPECT_EQ(shim_host::task_state(thread), 'S');
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(classic_read(), 0);
    ASSERT_TRUE(wait_events(3));
    ASSERT_TRUE(shim_host::wait_until_sleeping(thread));
    EXPECT_EQ(shim_host::task_state(thread), 'S');
    unload();
    EXPECT_EQ(shim_host::kthread_handle("lothars_wait_thread"), nullptr);
}

TEST_F(ModuleTest, TracepointsFireOncePerEvent)
{
    load();
    constexpr int reads = 20;
    for (int i = 0; i < reads; ++i)
        ASSERT_EQ(classic_read(), 0);
    ASSERT_TRUE(wait_events(reads));
    std::vector<unsigned long long> expected(reads);
    for (int i = 0; i < reads; ++i)
        expected[i] = i;
    EXPECT_EQ(kthread_host::events_posted(), expected);
    EXPECT_EQ(kthread_host::events_handled(), expected);
    unload();
    EXPECT_EQ(kthread_host::events_handled().size(), static_cast<size_t>(reads))
        << "the exit event is not a READ event";
}

TEST_F(ModuleTest, ReadsPostNumberedEventsInOrder)
{
    load();
    constexpr int reads = 25;
    for (int i = 0; i < reads; ++i)
        ASSERT_EQ(classic_read(), 0) << "read " << i << " is EOF at once";
    ASSERT_TRUE(wait_events(reads));
    EXPECT_EQ(counter("reads"), static_cast<unsigned long long>(reads));
    EXPECT_EQ(counter("events"), static_cast<unsigned long long>(reads));
    EXPECT_EQ(counter("pending"), 0u);
    std::vector<unsigned long long> expected(reads);
    for (int i = 0; i < reads; ++i)
        expected[i] = i;
    EXPECT_EQ(logged_event_numbers(), expected);
    EXPECT_EQ(shim_host::log_count("chardev_read()"), static_cast<size_t>(reads));
    EXPECT_EQ(shim_host::log_count("waiting for event..."), static_cast<size_t>(reads + 1));
    unload();
}

TEST_F(ModuleTest, ManyReadsOnOneOpenFile)
{
    load();
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    char buffer[8];
    for (int i = 0; i < 10; ++i)
        ASSERT_EQ(file.read(buffer, sizeof(buffer)), 0);
    ASSERT_TRUE(wait_events(10));
    file.release();
    unload();
}

TEST_F(ModuleTest, ConcurrentReadersEachGetExactlyOneEvent)
{
    load();
    constexpr int threads = 16;
    constexpr int reads_each = 100;
    constexpr int total = threads * reads_each;
    std::atomic<int> failures { 0 };
    run_threads(threads, [&] {
        for (int i = 0; i < reads_each; ++i)
            if (classic_read() != 0)
                failures.fetch_add(1);
    });
    EXPECT_EQ(failures.load(), 0);
    ASSERT_TRUE(wait_events(total)) << "events=" << counter("events");
    EXPECT_EQ(counter("reads"), static_cast<unsigned long long>(total));
    EXPECT_EQ(counter("events"), static_cast<unsigned long long>(total));

    std::vector<unsigned long long> numbers = logged_event_numbers();
    ASSERT_EQ(numbers.size(), static_cast<size_t>(total));
    std::vector<unsigned long long> sorted = numbers;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < total; ++i)
        ASSERT_EQ(sorted[i], static_cast<unsigned long long>(i)) << "each number 0.." << total - 1 << " once";
    EXPECT_TRUE(std::is_sorted(numbers.begin(), numbers.end())) << "one thread numbers the events in order";
    unload();
}

TEST_F(ModuleTest, UnloadHandlesEveryPostedEventBeforeTheExitEvent)
{
    load();
    constexpr int reads = 50;
    for (int i = 0; i < reads; ++i)
        ASSERT_EQ(classic_read(), 0);
    // No waiting for the thread: unload must let it catch up first.
    unload();
    long last_read = shim_host::log_index(read_event_line(reads - 1));
    long exit_event = shim_host::log_index("event came from exit function");
    long ready = shim_host::log_index("cleanup_hello_completion() READY.");
    ASSERT_GE(last_read, 0) << "an event posted before unload was lost";
    EXPECT_EQ(logged_event_numbers().size(), static_cast<size_t>(reads));
    EXPECT_GT(exit_event, last_read);
    EXPECT_GT(ready, exit_event);
    EXPECT_EQ(shim_host::log_count("event came from exit function"), 1u);
    EXPECT_EQ(static_cast<size_t>(ready), shim_host::log_lines().size() - 1) << "READY is the last line";
}

TEST_F(ModuleTest, UnloadIsRefusedWhileTheDeviceIsOpen)
{
    load();
    {
        OpenFile file(node);
        ASSERT_EQ(file.error(), 0);
        EXPECT_EQ(shim_host::module_unload(), -EBUSY);
    }
    unload();
}

TEST_F(ModuleTest, PendingCounterShowsAPostedUnhandledEvent)
{
    LogGate gate(read_event_line(0));
    load();
    ASSERT_EQ(classic_read(), 0);
    ASSERT_TRUE(gate.wait_held()); // the thread took event 0 and is busy
    EXPECT_EQ(counter("pending"), 0u) << "event 0 was consumed";
    ASSERT_EQ(classic_read(), 0);
    EXPECT_EQ(counter("pending"), 1u) << "event 1 is posted and not taken";
    EXPECT_EQ(counter("reads"), 2u);
    EXPECT_EQ(counter("events"), 0u);
    gate.open();
    ASSERT_TRUE(wait_events(2));
    EXPECT_EQ(counter("pending"), 0u);
    unload();
}

TEST_F(ModuleTest, LogEventsOffSuppressesThePerEventLine)
{
    load({ .roundtrip = false, .log_events = false });
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(classic_read(), 0);
    ASSERT_TRUE(wait_events(5));
    EXPECT_TRUE(logged_event_numbers().empty());
    EXPECT_EQ(shim_host::log_count("chardev_read()"), 5u);
    unload();
    EXPECT_EQ(shim_host::log_count("event came from exit function"), 1u);
}

TEST_F(ModuleTest, LogEventsOffInRoundTripModeStillAnswers)
{
    load({ .roundtrip = true, .log_events = false });
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    EXPECT_EQ(file.read_string(), "event 0\n");
    file.release();
    EXPECT_TRUE(logged_event_numbers().empty());
    unload();
}

TEST_F(ModuleTest, ClassicReadsIgnoreTheOffset)
{
    load();
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    file.file().pos = 100;
    char buffer[4];
    EXPECT_EQ(file.read(buffer, sizeof(buffer)), 0);
    EXPECT_EQ(file.read(nullptr, 0), 0);
    ASSERT_TRUE(wait_events(2));
    file.release();
    unload();
}

// ---- init failures: every step, its errno, nothing left behind -------------

struct InitFailure {
    shim_host::Step step;
    int error;
    const char* logged; // the error line that names the step
};

void PrintTo(const InitFailure& failure, std::ostream* out)
{
    *out << shim_host::step_name(failure.step) << " fails with " << failure.error;
}

class InitFailureTest : public ModuleTest, public ::testing::WithParamInterface<InitFailure> {};

TEST_P(InitFailureTest, ReturnsTheErrnoLogsTheStepAndReleasesEverything)
{
    const InitFailure& failure = GetParam();
    shim_host::fail_nth(failure.step, 1, failure.error);
    EXPECT_EQ(kthread_host::module_load(), failure.error);
    EXPECT_FALSE(shim_host::module_loaded());
    EXPECT_EQ(shim_host::calls(failure.step), 1u);
    EXPECT_TRUE(shim_host::live().all_zero()) << "after the failed load: " << shim_host::to_string(shim_host::live());
    EXPECT_FALSE(shim_host::node_exists(node));
    EXPECT_EQ(shim_host::log_count(failure.logged), 1u) << "expected the line: " << failure.logged;
    EXPECT_EQ(
        shim_host::log_count("kthread: init_hello_completion() failed: error " + std::to_string(failure.error)), 1u);
    EXPECT_FALSE(shim_host::log_contains_substring("READY"));

    // The module can be loaded again and works.
    shim_host::clear_faults();
    load();
    ASSERT_EQ(classic_read(), 0);
    ASSERT_TRUE(wait_events(1));
    unload();
}

INSTANTIATE_TEST_SUITE_P(EveryStep, InitFailureTest,
    ::testing::Values(
        InitFailure { shim_host::Step::alloc, -SHIM_ENOMEM, "kthread: allocating the module state failed: error -12" },
        InitFailure { shim_host::Step::chrdev_region, -SHIM_EBUSY, "kthread: alloc_chrdev_region() failed: error -16" },
        InitFailure { shim_host::Step::kthread_create, -SHIM_EINTR, "kthread: kthread_create() failed: error -4" },
        InitFailure { shim_host::Step::cdev_add, -SHIM_EINVAL, "kthread: cdev_add() failed: error -22" },
        InitFailure { shim_host::Step::class_create, -SHIM_EPERM, "kthread: class_create() failed: error -1" },
        InitFailure { shim_host::Step::device_create, -SHIM_ENOMEM, "kthread: device_create() failed: error -12" }),
    [](const ::testing::TestParamInfo<InitFailure>& info) {
        return std::string(shim_host::step_name(info.param.step));
    });

TEST_F(ModuleTest, EveryStepIsReachedOnceOnACleanLoad)
{
    load();
    for (auto step : { shim_host::Step::alloc, shim_host::Step::chrdev_region, shim_host::Step::kthread_create,
             shim_host::Step::cdev_add, shim_host::Step::class_create, shim_host::Step::device_create })
        EXPECT_EQ(shim_host::calls(step), 1u) << shim_host::step_name(step);
    unload();
}

} // namespace
} // namespace host_test
