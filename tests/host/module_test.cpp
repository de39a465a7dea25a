// SPDX-License-Identifier: GPL-2.0
// module_test.cpp - kthread/kthread_module.cpp itself (compiled into this
// binary), driven as the kernel drives it: insmod, open/read/close of
// /dev/lothars_chardev, the sysfs counters, rmmod.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/host/test_support.h"

namespace host_test {
namespace {

using shim_host::OpenFile;

constexpr const char* node = "lothars_chardev";

std::string read_event_line(unsigned long long number)
{
    return "event came from READ function - " + std::to_string(number);
}

// The numbers of the "event came from READ function - N" lines, in log order.
std::vector<unsigned long long> logged_event_numbers()
{
    const std::string prefix = "event came from READ function - ";
    std::vector<unsigned long long> numbers;
    for (const std::string& line : shim_host::log_texts())
        if (line.rfind(prefix, 0) == 0)
            numbers.push_back(std::stoull(line.substr(prefix.size())));
    return numbers;
}

// One classic read: open, read (returns 0 at once), close.
long classic_read()
{
    OpenFile file(node);
    if (file.error())
        return file.error();
    char buffer[16];
    return file.read(buffer, sizeof(buffer));
}

bool wait_events(unsigned long long count)
{
    return eventually([&] { return counter("events") == count; });
}

class ModuleTest : public HostTest {
protected:
    void load(kthread_host::Params params = {})
    {
        ASSERT_EQ(kthread_host::module_load(params), 0);
        ASSERT_TRUE(shim_host::wait_for_log_line("waiting for event..."));
    }
    void unload() { ASSERT_EQ(shim_host::module_unload(), 0); }
};

class RoundTripTest : public ModuleTest {
protected:
    void SetUp() override
    {
        ModuleTest::SetUp();
        load({ .roundtrip = true, .log_events = true });
    }
};

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

TEST_F(ModuleTest, SignalOffReadsPostNothing)
{
    load({ .roundtrip = false, .log_events = true, .signal = false });
    for (int i = 0; i < 5; ++i)
        ASSERT_EQ(classic_read(), 0);
    EXPECT_EQ(shim_host::log_count("chardev_read()"), 5u);
    EXPECT_EQ(counter("reads"), 0u);
    EXPECT_EQ(counter("events"), 0u);
    EXPECT_EQ(counter("pending"), 0u);
    EXPECT_TRUE(kthread_host::events_posted().empty());
    unload();
    EXPECT_TRUE(logged_event_numbers().empty());
    EXPECT_EQ(shim_host::log_count("event came from exit function"), 1u);
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
    std::vector<std::thread> readers;
    for (int t = 0; t < threads; ++t)
        readers.emplace_back([&] {
            for (int i = 0; i < reads_each; ++i)
                if (classic_read() != 0)
                    failures.fetch_add(1);
        });
    for (auto& reader : readers)
        reader.join();
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

// ---- round trip ----------------------------------------------------------------

TEST_F(RoundTripTest, EachOpenReadsOneNumberedLineThenEof)
{
    for (unsigned long long n = 0; n < 3; ++n) {
        OpenFile file(node);
        ASSERT_EQ(file.error(), 0);
        long result = 0;
        EXPECT_EQ(file.read_string(128, &result), "event " + std::to_string(n) + "\n");
        EXPECT_EQ(file.file().pos, result);
        EXPECT_EQ(file.read_string(128, &result), "") << "a second read at the new offset is EOF";
        EXPECT_EQ(result, 0);
    }
    EXPECT_EQ(counter("reads"), 3u);
    EXPECT_TRUE(wait_events(3));
    EXPECT_EQ(shim_host::live().allocations, 1) << "every session was freed";
    unload();
}

TEST_F(RoundTripTest, EachRequestOnOneSessionGetsItsOwnAnswer)
{
    // One open file, several requests (lseek back to 0, or pread at 0):
    // each waits for its own answer, never takes the previous one's.
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    EXPECT_EQ(file.read_string(), "event 0\n");

    // The second request, with the thread held up on it: the reader must
    // sleep until its own answer comes.
    {
        LogGate gate(read_event_line(1));
        file.file().pos = 0; // lseek(fd, 0, SEEK_SET)
        shim_host::ThreadHandle reader_state;
        std::atomic<bool> started { false };
        std::atomic<bool> done { false };
        std::string second;
        std::thread reader([&] {
            reader_state = shim_host::current_thread();
            started = true;
            second = file.read_string();
            done = true;
        });
        while (!started)
            std::this_thread::yield();
        EXPECT_TRUE(gate.wait_held());
        EXPECT_TRUE(eventually([&] { return done.load() || shim_host::is_sleeping(reader_state); }));
        EXPECT_FALSE(done.load()) << "the second request returned before its answer: \"" << second << "\"";
        gate.open();
        reader.join();
        EXPECT_EQ(second, "event 1\n");
    }

    char buffer[64] = {};
    long long pos = 0;
    long n = shim_host::vfs_pread(file.file(), buffer, sizeof(buffer), &pos);
    EXPECT_EQ(std::string(buffer, n > 0 ? static_cast<size_t>(n) : 0), "event 2\n");
    EXPECT_EQ(counter("reads"), 3u);
    ASSERT_TRUE(wait_events(3));
    file.release();
    unload();
}

TEST_F(RoundTripTest, AShortBufferGetsTheStartOfTheLine)
{
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    EXPECT_EQ(file.read_string(3), "eve");
    EXPECT_EQ(file.file().pos, 3);
    file.release();
    unload();
}

TEST_F(RoundTripTest, ReadIterFillsAllItsRoomInOneRequest)
{
    // readv(), preadv() and io_uring come through read_iter(): the whole
    // iov_iter is one request, as read() into one buffer would be.
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    char buffer[64] = {};
    iov_iter iter { buffer, sizeof(buffer) };
    kiocb iocb { &file.file().raw, 0 };
    long got = file.file().ops->read_iter(&iocb, &iter);
    EXPECT_EQ(std::string(buffer, got > 0 ? static_cast<size_t>(got) : 0), "event 0\n");
    EXPECT_EQ(iocb.ki_pos, got);
    EXPECT_EQ(iter.count, sizeof(buffer) - 8);
    iov_iter later { buffer, sizeof(buffer) };
    EXPECT_EQ(file.file().ops->read_iter(&iocb, &later), 0) << "at the new offset: EOF, nothing posted";
    EXPECT_EQ(counter("reads"), 1u);
    file.release();
    unload();
}

TEST_F(RoundTripTest, ConcurrentSessionsGetDistinctNumbers)
{
    constexpr int threads = 8;
    constexpr int sessions_each = 25;
    constexpr int total = threads * sessions_each;
    std::mutex mutex;
    std::vector<std::string> answers;
    std::vector<std::thread> readers;
    for (int t = 0; t < threads; ++t)
        readers.emplace_back([&] {
            for (int i = 0; i < sessions_each; ++i) {
                OpenFile file(node);
                std::string line = file.error() ? "open failed" : file.read_string();
                std::lock_guard lock(mutex);
                answers.push_back(line);
            }
        });
    for (auto& reader : readers)
        reader.join();
    std::set<std::string> distinct(answers.begin(), answers.end());
    EXPECT_EQ(distinct.size(), static_cast<size_t>(total)) << "two sessions got the same number";
    for (int i = 0; i < total; ++i)
        EXPECT_EQ(distinct.count("event " + std::to_string(i) + "\n"), 1u) << i;
    ASSERT_TRUE(wait_events(total));
    EXPECT_EQ(counter("reads"), static_cast<unsigned long long>(total));
    unload();
}

TEST_F(RoundTripTest, ConcurrentReadsOnOneSessionAreSerialised)
{
    // Two threads read one open file, each at offset 0 (pread): the
    // session's lock lets one request be in flight at a time, so each gets
    // an answer of its own.
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    auto pread_line = [&] {
        char buffer[64] = {};
        long long pos = 0;
        long n = shim_host::vfs_pread(file.file(), buffer, sizeof(buffer), &pos);
        return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "error " + std::to_string(n);
    };
    std::string first;
    std::thread other([&] { first = pread_line(); });
    std::string second = pread_line();
    other.join();
    std::set<std::string> answers { first, second };
    EXPECT_EQ(answers, (std::set<std::string> { "event 0\n", "event 1\n" }));
    EXPECT_EQ(counter("reads"), 2u);
    file.release();
    unload();
}

TEST_F(RoundTripTest, ReadWaitingForABusySessionIsInterruptibleAndRestartable)
{
    // One reader holds the session's lock while it waits for its answer
    // (the thread is held up); a second read of the same file waits for
    // the lock, and a signal ends that wait with -ERESTARTSYS (the driver
    // idiom: restartable), nothing posted, nothing unlocked that was not locked.
    LogGate gate(read_event_line(0));
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    shim_host::ThreadHandle first_reader;
    std::atomic<bool> started { false };
    std::string first;
    std::thread reader([&] {
        first_reader = shim_host::current_thread();
        started = true;
        char buffer[64] = {};
        long long pos = 0;
        long n = shim_host::vfs_pread(file.file(), buffer, sizeof(buffer), &pos);
        first = n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "error " + std::to_string(n);
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(gate.wait_held());
    EXPECT_TRUE(shim_host::wait_until_sleeping(first_reader)); // asleep for the answer, lock held

    auto me = shim_host::current_thread();
    shim_host::raise_signal(me);
    char buffer[64];
    long long pos = 0;
    EXPECT_EQ(shim_host::vfs_pread(file.file(), buffer, sizeof(buffer), &pos), -SHIM_ERESTARTSYS);
    shim_host::clear_signal(me);
    EXPECT_EQ(counter("reads"), 1u);

    gate.open();
    reader.join();
    EXPECT_EQ(first, "event 0\n");
    file.release();
    unload();
}

// The interrupted read: the reader's signal is pending while the thread is
// held up handling its event, so the wait for the answer ends early.
TEST_F(RoundTripTest, InterruptedReadReturnsErestartsysAndARetryCollectsTheAnswer)
{
    LogGate gate(read_event_line(0));
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    auto me = shim_host::current_thread();
    shim_host::raise_signal(me);
    char buffer[64];
    EXPECT_EQ(file.read(buffer, sizeof(buffer)), -SHIM_ERESTARTSYS);
    EXPECT_EQ(file.file().pos, 0) << "a failed read does not move f_pos";
    ASSERT_TRUE(gate.wait_held());
    EXPECT_EQ(counter("reads"), 1u);

    shim_host::clear_signal(me);
    gate.open();
    EXPECT_EQ(file.read_string(), "event 0\n") << "the restarted read collects the first answer";
    EXPECT_EQ(counter("reads"), 1u) << "the retry posted a second event";
    ASSERT_TRUE(wait_events(1));
    EXPECT_EQ(logged_event_numbers(), std::vector<unsigned long long> { 0 });
    file.release();

    // The next session gets the next number.
    OpenFile next(node);
    EXPECT_EQ(next.read_string(), "event 1\n");
    next.release();
    unload();
    EXPECT_EQ(shim_host::live().allocations, 0);
}

TEST_F(RoundTripTest, InterruptedRetryBeforeTheAnswerIsInterruptedAgain)
{
    LogGate gate(read_event_line(0));
    OpenFile file(node);
    auto me = shim_host::current_thread();
    shim_host::raise_signal(me);
    char buffer[64];
    EXPECT_EQ(file.read(buffer, sizeof(buffer)), -SHIM_ERESTARTSYS);
    EXPECT_EQ(file.read(buffer, sizeof(buffer)), -SHIM_ERESTARTSYS);
    EXPECT_EQ(counter("reads"), 1u);
    shim_host::clear_signal(me);
    gate.open();
    EXPECT_EQ(file.read_string(), "event 0\n");
    file.release();
    unload();
}

TEST_F(RoundTripTest, ReleaseAfterAnInterruptedReadWaitsForTheAnswer)
{
    LogGate gate(read_event_line(0));
    auto file = std::make_unique<OpenFile>(node);
    ASSERT_EQ(file->error(), 0);
    auto me = shim_host::current_thread();
    shim_host::raise_signal(me);
    char buffer[64];
    ASSERT_EQ(file->read(buffer, sizeof(buffer)), -SHIM_ERESTARTSYS);
    shim_host::clear_signal(me);
    ASSERT_TRUE(gate.wait_held()); // the thread holds the session, unanswered

    // close(): the session must outlive the thread's answer.
    shim_host::ThreadHandle closer;
    std::atomic<bool> started { false };
    std::atomic<bool> closed { false };
    std::thread thread([&] {
        closer = shim_host::current_thread();
        started = true;
        file.reset();
        closed = true;
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(eventually([&] { return shim_host::is_sleeping(closer) || closed.load(); }));
    EXPECT_FALSE(closed.load()) << "release freed a session the thread still holds";
    gate.open(); // (ASan: the thread now answers the session; freed, if release did not wait)
    thread.join();
    EXPECT_TRUE(closed.load());
    ASSERT_TRUE(wait_events(1));
    EXPECT_EQ(shim_host::live().allocations, 1) << "the session was freed";
    unload();
    EXPECT_EQ(shim_host::live().allocations, 0);
}

TEST_F(RoundTripTest, ReleaseAfterAnInterruptedReadWhoseAnswerArrived)
{
    LogGate gate(read_event_line(0));
    OpenFile file(node);
    auto me = shim_host::current_thread();
    shim_host::raise_signal(me);
    char buffer[64];
    ASSERT_EQ(file.read(buffer, sizeof(buffer)), -SHIM_ERESTARTSYS);
    shim_host::clear_signal(me);
    gate.open();
    ASSERT_TRUE(wait_events(1)); // answered, never collected
    file.release();
    EXPECT_EQ(shim_host::live().allocations, 1);
    unload();
    EXPECT_EQ(shim_host::live().allocations, 0);
}

TEST_F(RoundTripTest, OpenWithoutMemoryFailsWithEnomem)
{
    shim_host::fail_nth(shim_host::Step::alloc, 1, -SHIM_ENOMEM);
    shim_host::File file;
    EXPECT_EQ(shim_host::vfs_open(node, file), -SHIM_ENOMEM);
    EXPECT_EQ(shim_host::log_count("kthread: open: no memory for the session: error -12"), 1u);
    EXPECT_EQ(shim_host::live().open_files, 0);
    EXPECT_EQ(counter("reads"), 0u);
    unload();
}

TEST_F(RoundTripTest, FaultingUserBufferGivesEfault)
{
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    EXPECT_EQ(file.read(nullptr, 64), -SHIM_EFAULT);
    EXPECT_EQ(file.file().pos, 0);
    shim_host::fail_nth(shim_host::Step::copy_to_user, 1, -SHIM_EFAULT);
    char buffer[64];
    EXPECT_EQ(file.read(buffer, sizeof(buffer)), -SHIM_EFAULT);
    EXPECT_EQ(file.read_string(), "event 2\n") << "each failed copy used up one event";
    file.release();
    unload();
}

TEST_F(RoundTripTest, UnloadAfterSessionsLeavesNothing)
{
    for (int i = 0; i < 5; ++i) {
        OpenFile file(node);
        EXPECT_FALSE(file.read_string().empty());
    }
    unload();
    EXPECT_TRUE(shim_host::live().all_zero()) << shim_host::to_string(shim_host::live());
    EXPECT_EQ(shim_host::log_count("event came from exit function"), 1u);
}

} // namespace
} // namespace host_test
