// SPDX-License-Identifier: GPL-2.0
// completion_test.cpp - the C++ kernel layer (kernel/*.h) on its own, running on the
// user-space fake: Completion and WaitQueue: counted completions, complete_all, the waits and
// their task states, wait_event and its wakes.
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "kernel/Atomic.h"
#include "kernel/Completion.h"
#include "kernel/WaitQueue.h"
#include "tests/host/test_support.h"

namespace host_test {
namespace {

using kernel::Completion;

using CompletionTest = HostTest;
using WaitQueueTest = HostTest;

// Threads blocked in wait_for_completion() on one completion; counts how
// many got through.
struct Waiters {
    Waiters(Completion& completion, int count)
    {
        for (int i = 0; i < count; ++i)
            threads.push_back(std::make_unique<WaitingThread>([this, &completion] {
                completion.wait_for_completion();
                released.fetch_add(1);
            }));
    }
    bool all_sleeping_or_released() const
    {
        int sleeping = 0;
        for (const auto& thread : threads)
            sleeping += shim_host::is_sleeping(thread->handle());
        return sleeping + released.load() == static_cast<int>(threads.size());
    }
    void join()
    {
        for (auto& thread : threads)
            thread->join();
    }

    std::atomic<int> released { 0 };
    std::vector<std::unique_ptr<WaitingThread>> threads; // last: they count on released
};

// ---- Completion -------------------------------------------------------------

TEST_F(CompletionTest, EachCompleteReleasesExactlyOneWait)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    Waiters waiters(completion, 4);
    EXPECT_TRUE(eventually([&] { return waiters.all_sleeping_or_released(); }));
    EXPECT_EQ(waiters.released.load(), 0);

    completion.complete();
    EXPECT_TRUE(eventually([&] { return waiters.released.load() == 1; }));
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(waiters.released.load(), 1) << "one complete() released more than one wait";

    completion.complete();
    completion.complete();
    EXPECT_TRUE(eventually([&] { return waiters.released.load() == 3; }));
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(waiters.released.load(), 3);
    EXPECT_FALSE(completion.completion_done()) << "every complete() was consumed by a wait";

    completion.complete();
    waiters.join();
    EXPECT_EQ(waiters.released.load(), 4);
}

TEST_F(CompletionTest, CompletesAreCountedNotMerged)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    for (int i = 0; i < 3; ++i)
        completion.complete();
    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(completion.try_wait_for_completion()) << "consume " << i;
    EXPECT_FALSE(completion.try_wait_for_completion());
    EXPECT_FALSE(completion.completion_done());
}

TEST_F(CompletionTest, CompleteAllReleasesEveryWaitUntilReinit)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    Waiters waiters(completion, 5);
    EXPECT_TRUE(eventually([&] { return waiters.all_sleeping_or_released(); }));
    completion.complete_all();
    waiters.join();
    EXPECT_EQ(waiters.released.load(), 5);

    // Still done for any number of later waits.
    for (int i = 0; i < 10; ++i)
        EXPECT_FALSE(completion.wait_for_completion_timeout_ms(0).is_error()) << "wait " << i;
    EXPECT_TRUE(completion.completion_done());
    EXPECT_TRUE(completion.try_wait_for_completion());
    EXPECT_TRUE(completion.completion_done()) << "try_wait_for_completion() used up a complete_all()";

    completion.reinit_completion();
    EXPECT_FALSE(completion.completion_done());
    EXPECT_FALSE(completion.try_wait_for_completion());
    auto timed_out = completion.wait_for_completion_timeout_ms(10);
    ASSERT_TRUE(timed_out.is_error());
    EXPECT_EQ(timed_out.error().code(), -SHIM_ETIMEDOUT);
}

TEST_F(CompletionTest, ReinitForgetsPostedCompletes)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    completion.complete();
    completion.complete();
    completion.reinit_completion();
    EXPECT_FALSE(completion.completion_done());
    EXPECT_FALSE(completion.try_wait_for_completion());
}

TEST_F(CompletionTest, TryConsumeTakesOneWithoutSleeping)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    EXPECT_FALSE(completion.try_wait_for_completion());
    completion.complete();
    EXPECT_TRUE(completion.completion_done());
    EXPECT_TRUE(completion.try_wait_for_completion());
    EXPECT_FALSE(completion.completion_done());
    EXPECT_FALSE(completion.try_wait_for_completion());
}

TEST_F(CompletionTest, IsPostedSaysNothingAboutWaiters)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    Waiters waiter(completion, 1);
    EXPECT_TRUE(waiter.threads[0]->sleeping());
    EXPECT_FALSE(completion.completion_done()) << "a waiter is not a posted completion";
    completion.complete();
    waiter.join();
    EXPECT_EQ(waiter.released.load(), 1);
    EXPECT_FALSE(completion.completion_done()) << "the waiter consumed it";
}

TEST_F(CompletionTest, WaitForMsTimesOutWithEtimedout)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    auto start = std::chrono::steady_clock::now();
    auto result = completion.wait_for_completion_timeout_ms(50);
    auto waited = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), -SHIM_ETIMEDOUT);
    EXPECT_GE(waited, 50ms);

    completion.complete();
    start = std::chrono::steady_clock::now();
    EXPECT_FALSE(completion.wait_for_completion_timeout_ms(5000).is_error());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "a posted completion must not wait";
    EXPECT_FALSE(completion.completion_done()) << "the timed wait consumed it";
}

TEST_F(CompletionTest, WaitForMsIsReleasedByComplete)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    std::thread completer([&] {
        std::this_thread::sleep_for(20ms);
        completion.complete();
    });
    EXPECT_FALSE(completion.wait_for_completion_timeout_ms(10000).is_error());
    completer.join();
}

TEST_F(CompletionTest, InterruptibleWaitEndsWithErestartsysOnSignal)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    EXPECT_EQ(errno_on_signal([&] { return completion.wait_for_completion_interruptible(); }), -SHIM_ERESTARTSYS);
    EXPECT_FALSE(completion.completion_done());

    // The interrupted wait consumed nothing: a later complete is there.
    completion.complete();
    EXPECT_TRUE(completion.try_wait_for_completion());
}

TEST_F(CompletionTest, PostedCompletionWinsOverPendingSignal)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    PendingSignal signal;
    completion.complete();
    EXPECT_FALSE(completion.wait_for_completion_interruptible().is_error());
    auto result = completion.wait_for_completion_interruptible();
    ASSERT_TRUE(result.is_error()) << "a pending signal must end an interruptible wait";
    EXPECT_EQ(result.error().code(), -SHIM_ERESTARTSYS);
}

TEST_F(CompletionTest, KillableWaitIgnoresOrdinarySignalsButNotFatalOnes)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    std::atomic<int> code { 1 };
    WaitingThread thread([&] { code = error_code(completion.wait_for_completion_killable()); });
    EXPECT_TRUE(thread.sleeping());
    shim_host::raise_signal(thread.handle());
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(code.load(), 1) << "a killable wait ended on an ordinary signal";
    shim_host::raise_signal(thread.handle(), /*fatal=*/true);
    thread.join();
    EXPECT_EQ(code.load(), -SHIM_ERESTARTSYS);
}

TEST_F(CompletionTest, WaitsShowTheTaskStateOfTheirKind)
{
    struct Case {
        const char* wait;
        char state;
    };
    for (Case c : { Case { "wait", 'D' }, Case { "wait_interruptible", 'S' }, Case { "wait_killable", 'D' } }) {
        Completion completion { KERNEL_LOCK_CLASS("test_completion") };
        std::string kind = c.wait;
        WaitingThread thread([&] {
            if (kind == "wait")
                completion.wait_for_completion();
            else if (kind == "wait_interruptible")
                (void)completion.wait_for_completion_interruptible();
            else
                (void)completion.wait_for_completion_killable();
        });
        EXPECT_TRUE(thread.sleeping());
        EXPECT_EQ(shim_host::task_state(thread.handle()), c.state) << c.wait;
        completion.complete();
        thread.join();
        EXPECT_EQ(shim_host::task_state(thread.handle()), 'R') << c.wait;
    }
}

TEST_F(CompletionTest, UninterruptibleWaitIgnoresSignals)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    Waiters waiter(completion, 1);
    EXPECT_TRUE(waiter.threads[0]->sleeping());
    shim_host::raise_signal(waiter.threads[0]->handle(), /*fatal=*/true);
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(waiter.released.load(), 0) << "a fatal signal ended an uninterruptible wait";
    completion.complete();
    waiter.join();
    EXPECT_EQ(waiter.released.load(), 1);
}

// ---- WaitQueue ----------------------------------------------------------------

TEST_F(WaitQueueTest, WaitUntilRechecksTheConditionAfterEachWake)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    kernel::Atomic<int> state(0);
    std::atomic<bool> done { false };
    WaitingThread thread([&] {
        queue.wait_event([&] { return state.read() == 2; });
        done = true;
    });
    EXPECT_TRUE(thread.sleeping());

    queue.wake_up_all(); // nothing changed
    state.set(1);
    queue.wake_up_all(); // changed, but not to what the waiter wants
    std::this_thread::sleep_for(30ms);
    EXPECT_FALSE(done.load()) << "a wake-up ended the wait without its condition";

    state.set(2);
    queue.wake_up_all();
    thread.join();
    EXPECT_TRUE(done.load());
}

TEST_F(WaitQueueTest, TrueConditionDoesNotSleep)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    queue.wait_event([] { return true; });
    EXPECT_FALSE(queue.wait_event_timeout_ms([] { return true; }, 0).is_error());
}

TEST_F(WaitQueueTest, WaitUntilForMsTimesOut)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    auto start = std::chrono::steady_clock::now();
    auto result = queue.wait_event_timeout_ms([] { return false; }, 30);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), -SHIM_ETIMEDOUT);
    EXPECT_GE(std::chrono::steady_clock::now() - start, 30ms);
}

TEST_F(WaitQueueTest, WaitUntilForMsSucceedsWhenWoken)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    kernel::Atomic<bool> flag(false);
    std::thread waker([&] {
        std::this_thread::sleep_for(20ms);
        flag.set(true);
        queue.wake_up_all();
    });
    EXPECT_FALSE(queue.wait_event_timeout_ms([&] { return flag.read(); }, 10000).is_error());
    waker.join();
}

TEST_F(WaitQueueTest, InterruptibleWaitEndsOnSignal)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    EXPECT_EQ(errno_on_signal([&] { return queue.wait_event_interruptible([] { return false; }); }), -SHIM_ERESTARTSYS);
}

TEST_F(WaitQueueTest, WakeAllReleasesEveryWaiter)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    kernel::Atomic<bool> go(false);
    std::atomic<int> released { 0 };
    std::thread waker([&] {
        std::this_thread::sleep_for(10ms);
        go.set(true);
        queue.wake_up_all();
    });
    run_threads(6, [&] {
        queue.wait_event([&] { return go.read(); });
        released.fetch_add(1);
    });
    waker.join();
    EXPECT_EQ(released.load(), 6);
}

} // namespace
} // namespace host_test
