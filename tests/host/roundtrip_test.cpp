// SPDX-License-Identifier: GPL-2.0
// roundtrip_test.cpp - kthread.ko with roundtrip=1: each read waits for the
// thread's answer ("event N"), signals, sessions, release with a request in
// flight.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/host/kthread_fixture.h"

namespace host_test {
namespace {

using shim_host::OpenFile;

// pread(fd, buffer, 64, 0): the line read, or "error N".
std::string pread_line(OpenFile& file)
{
    char buffer[64] = {};
    long long pos = 0;
    long n = shim_host::vfs_pread(file.file(), buffer, sizeof(buffer), &pos);
    return n > 0 ? std::string(buffer, static_cast<size_t>(n)) : "error " + std::to_string(n);
}

// A read with a signal pending (which ends with the read): what it returned.
long read_with_signal(OpenFile& file)
{
    PendingSignal signal;
    char buffer[64];
    return file.read(buffer, sizeof(buffer));
}

const std::string interrupted = "error " + std::to_string(-SHIM_ERESTARTSYS);

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
        std::atomic<bool> done { false };
        std::string second;
        WaitingThread reader([&] {
            second = file.read_string();
            done = true;
        });
        EXPECT_TRUE(gate.wait_held());
        EXPECT_TRUE(eventually([&] { return done.load() || shim_host::is_sleeping(reader.handle()); }));
        EXPECT_FALSE(done.load()) << "the second request returned before its answer: \"" << second << "\"";
        gate.open();
        reader.join();
        EXPECT_EQ(second, "event 1\n");
    }

    EXPECT_EQ(pread_line(file), "event 2\n");
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
    run_threads(threads, [&] {
        for (int i = 0; i < sessions_each; ++i) {
            OpenFile file(node);
            std::string line = file.error() ? "open failed" : file.read_string();
            std::lock_guard lock(mutex);
            answers.push_back(line);
        }
    });
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
    std::string first;
    std::thread other([&] { first = pread_line(file); });
    std::string second = pread_line(file);
    other.join();
    std::set<std::string> answers { first, second };
    EXPECT_EQ(answers, (std::set<std::string> { "event 0\n", "event 1\n" }));
    EXPECT_EQ(counter("reads"), 2u);
    file.release();
    unload();
}

// The module's thread held up on the first event (at its log line) until
// the test opens the gate.
class HeldReadTest : public RoundTripTest {
protected:
    void SetUp() override
    {
        RoundTripTest::SetUp();
        gate.emplace(read_event_line(0));
    }
    void TearDown() override
    {
        gate.reset(); // opened: a test that stopped early leaves no thread held
        RoundTripTest::TearDown();
    }

    std::optional<LogGate> gate;
};

TEST_F(HeldReadTest, ReadWaitingForABusySessionIsInterruptibleAndRestartable)
{
    // One reader holds the session's lock while it waits for its answer
    // (the thread is held up); a second read of the same file waits for
    // the lock, and a signal ends that wait with -ERESTARTSYS (the driver
    // idiom: restartable), nothing posted, nothing unlocked that was not locked.
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    std::string first;
    WaitingThread reader([&] { first = pread_line(file); });
    EXPECT_TRUE(gate->wait_held());
    EXPECT_TRUE(reader.sleeping()); // asleep for the answer, lock held

    {
        PendingSignal signal;
        EXPECT_EQ(pread_line(file), interrupted);
    }
    EXPECT_EQ(counter("reads"), 1u);

    gate->open();
    reader.join();
    EXPECT_EQ(first, "event 0\n");
    file.release();
    unload();
}

// The interrupted read: the reader's signal is pending while the thread is
// held up handling its event, so the wait for the answer ends early.
TEST_F(HeldReadTest, InterruptedReadReturnsErestartsysAndARetryCollectsTheAnswer)
{
    OpenFile file(node);
    ASSERT_EQ(file.error(), 0);
    EXPECT_EQ(read_with_signal(file), -SHIM_ERESTARTSYS);
    EXPECT_EQ(file.file().pos, 0) << "a failed read does not move f_pos";
    ASSERT_TRUE(gate->wait_held());
    EXPECT_EQ(counter("reads"), 1u);

    gate->open();
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

TEST_F(HeldReadTest, InterruptedRetryBeforeTheAnswerIsInterruptedAgain)
{
    OpenFile file(node);
    EXPECT_EQ(read_with_signal(file), -SHIM_ERESTARTSYS);
    EXPECT_EQ(read_with_signal(file), -SHIM_ERESTARTSYS);
    EXPECT_EQ(counter("reads"), 1u);
    gate->open();
    EXPECT_EQ(file.read_string(), "event 0\n");
    file.release();
    unload();
}

TEST_F(HeldReadTest, ReleaseAfterAnInterruptedReadWaitsForTheAnswer)
{
    auto file = std::make_unique<OpenFile>(node);
    ASSERT_EQ(file->error(), 0);
    ASSERT_EQ(read_with_signal(*file), -SHIM_ERESTARTSYS);
    ASSERT_TRUE(gate->wait_held()); // the thread holds the session, unanswered

    // close(): the session must outlive the thread's answer.
    std::atomic<bool> closed { false };
    WaitingThread closer([&] {
        file.reset();
        closed = true;
    });
    EXPECT_TRUE(eventually([&] { return shim_host::is_sleeping(closer.handle()) || closed.load(); }));
    EXPECT_FALSE(closed.load()) << "release freed a session the thread still holds";
    gate->open(); // (ASan: the thread now answers the session; freed, if release did not wait)
    closer.join();
    EXPECT_TRUE(closed.load());
    ASSERT_TRUE(wait_events(1));
    EXPECT_EQ(shim_host::live().allocations, 1) << "the session was freed";
    unload();
    EXPECT_EQ(shim_host::live().allocations, 0);
}

TEST_F(HeldReadTest, ReleaseAfterAnInterruptedReadWhoseAnswerArrived)
{
    OpenFile file(node);
    ASSERT_EQ(read_with_signal(file), -SHIM_ERESTARTSYS);
    gate->open();
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
