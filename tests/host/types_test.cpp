// SPDX-License-Identifier: GPL-2.0
// types_test.cpp - the C++ kernel layer (kernel/*.h) on its own, running
// on the user-space shim.
#include <atomic>
#include <cerrno>
#include <string>
#include <thread>
#include <vector>

#include "kernel/Atomic.h"
#include "kernel/Completion.h"
#include "kernel/IntrusiveQueue.h"
#include "kernel/KThread.h"
#include "kernel/Memory.h"
#include "kernel/Mutex.h"
#include "kernel/Result.h"
#include "kernel/SpinLock.h"
#include "kernel/Text.h"
#include "kernel/WaitQueue.h"
#include "tests/host/test_support.h"

namespace host_test {
namespace {

using kernel::Completion;
using kernel::Error;
using kernel::Result;

using CompletionTest = HostTest;
using WaitQueueTest = HostTest;
using MutexTest = HostTest;
using SpinLockTest = HostTest;
using KThreadTest = HostTest;
using ResultTest = HostTest;
using TextTest = HostTest;
using QueueTest = HostTest;
using MemoryTest = HostTest;
using AtomicTest = HostTest;

// Threads blocked in a wait on a completion; counts how many got through.
struct Waiters {
    std::vector<std::thread> threads;
    std::vector<shim_host::ThreadHandle> handles;
    std::atomic<int> released { 0 };
    std::mutex mutex;

    void start(int count, Completion& completion)
    {
        for (int i = 0; i < count; ++i) {
            std::atomic<bool> started { false };
            threads.emplace_back([&] {
                {
                    std::lock_guard lock(mutex);
                    handles.push_back(shim_host::current_thread());
                }
                started = true;
                completion.wait();
                released.fetch_add(1);
            });
            while (!started)
                std::this_thread::yield();
        }
    }
    bool all_sleeping_or_released()
    {
        std::lock_guard lock(mutex);
        int sleeping = 0;
        for (auto& handle : handles)
            sleeping += shim_host::is_sleeping(handle);
        return sleeping + released.load() == static_cast<int>(threads.size());
    }
    void join()
    {
        for (auto& thread : threads)
            thread.join();
    }
};

// ---- Completion -------------------------------------------------------------

TEST_F(CompletionTest, EachCompleteReleasesExactlyOneWait)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    Waiters waiters;
    waiters.start(4, completion);
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
    EXPECT_FALSE(completion.is_posted()) << "every complete() was consumed by a wait";

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
        EXPECT_TRUE(completion.try_consume()) << "consume " << i;
    EXPECT_FALSE(completion.try_consume());
    EXPECT_FALSE(completion.is_posted());
}

TEST_F(CompletionTest, CompleteAllReleasesEveryWaitUntilReinit)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    Waiters waiters;
    waiters.start(5, completion);
    EXPECT_TRUE(eventually([&] { return waiters.all_sleeping_or_released(); }));
    completion.complete_all();
    waiters.join();
    EXPECT_EQ(waiters.released.load(), 5);

    // Still done for any number of later waits.
    for (int i = 0; i < 10; ++i)
        EXPECT_FALSE(completion.wait_for_ms(0).is_error()) << "wait " << i;
    EXPECT_TRUE(completion.is_posted());
    EXPECT_TRUE(completion.try_consume());
    EXPECT_TRUE(completion.is_posted()) << "try_consume() used up a complete_all()";

    completion.reinit();
    EXPECT_FALSE(completion.is_posted());
    EXPECT_FALSE(completion.try_consume());
    auto timed_out = completion.wait_for_ms(10);
    ASSERT_TRUE(timed_out.is_error());
    EXPECT_EQ(timed_out.error().code(), -SHIM_ETIMEDOUT);
}

TEST_F(CompletionTest, ReinitForgetsPostedCompletes)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    completion.complete();
    completion.complete();
    completion.reinit();
    EXPECT_FALSE(completion.is_posted());
    EXPECT_FALSE(completion.try_consume());
}

TEST_F(CompletionTest, TryConsumeTakesOneWithoutSleeping)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    EXPECT_FALSE(completion.try_consume());
    completion.complete();
    EXPECT_TRUE(completion.is_posted());
    EXPECT_TRUE(completion.try_consume());
    EXPECT_FALSE(completion.is_posted());
    EXPECT_FALSE(completion.try_consume());
}

TEST_F(CompletionTest, IsPostedSaysNothingAboutWaiters)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    std::atomic<bool> done { false };
    shim_host::ThreadHandle waiter;
    std::atomic<bool> started { false };
    std::thread thread([&] {
        waiter = shim_host::current_thread();
        started = true;
        completion.wait();
        done = true;
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(shim_host::wait_until_sleeping(waiter));
    EXPECT_FALSE(completion.is_posted()) << "a waiter is not a posted completion";
    completion.complete();
    thread.join();
    EXPECT_TRUE(done);
    EXPECT_FALSE(completion.is_posted()) << "the waiter consumed it";
}

TEST_F(CompletionTest, WaitForMsTimesOutWithEtimedout)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    auto start = std::chrono::steady_clock::now();
    auto result = completion.wait_for_ms(50);
    auto waited = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), -SHIM_ETIMEDOUT);
    EXPECT_GE(waited, 50ms);

    completion.complete();
    start = std::chrono::steady_clock::now();
    EXPECT_FALSE(completion.wait_for_ms(5000).is_error());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "a posted completion must not wait";
    EXPECT_FALSE(completion.is_posted()) << "the timed wait consumed it";
}

TEST_F(CompletionTest, WaitForMsIsReleasedByComplete)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    std::thread completer([&] {
        std::this_thread::sleep_for(20ms);
        completion.complete();
    });
    EXPECT_FALSE(completion.wait_for_ms(10000).is_error());
    completer.join();
}

TEST_F(CompletionTest, InterruptibleWaitEndsWithErestartsysOnSignal)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    shim_host::ThreadHandle waiter;
    std::atomic<bool> started { false };
    int code = 1;
    std::thread thread([&] {
        waiter = shim_host::current_thread();
        started = true;
        auto result = completion.wait_interruptible();
        code = result.is_error() ? result.error().code() : 0;
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(shim_host::wait_until_sleeping(waiter));
    shim_host::raise_signal(waiter);
    thread.join();
    EXPECT_EQ(code, -SHIM_ERESTARTSYS);
    EXPECT_FALSE(completion.is_posted());

    // The interrupted wait consumed nothing: a later complete is there.
    completion.complete();
    EXPECT_TRUE(completion.try_consume());
}

TEST_F(CompletionTest, PostedCompletionWinsOverPendingSignal)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    auto me = shim_host::current_thread();
    shim_host::raise_signal(me);
    completion.complete();
    EXPECT_FALSE(completion.wait_interruptible().is_error());
    auto result = completion.wait_interruptible();
    ASSERT_TRUE(result.is_error()) << "a pending signal must end an interruptible wait";
    EXPECT_EQ(result.error().code(), -SHIM_ERESTARTSYS);
    shim_host::clear_signal(me);
}

TEST_F(CompletionTest, KillableWaitIgnoresOrdinarySignalsButNotFatalOnes)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    shim_host::ThreadHandle waiter;
    std::atomic<bool> started { false };
    std::atomic<int> code { 1 };
    std::thread thread([&] {
        waiter = shim_host::current_thread();
        started = true;
        auto result = completion.wait_killable();
        code = result.is_error() ? result.error().code() : 0;
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(shim_host::wait_until_sleeping(waiter));
    shim_host::raise_signal(waiter);
    std::this_thread::sleep_for(30ms);
    EXPECT_EQ(code.load(), 1) << "a killable wait ended on an ordinary signal";
    shim_host::raise_signal(waiter, /*fatal=*/true);
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
        shim_host::ThreadHandle waiter;
        std::atomic<bool> started { false };
        std::string kind = c.wait;
        std::thread thread([&] {
            waiter = shim_host::current_thread();
            started = true;
            if (kind == "wait")
                completion.wait();
            else if (kind == "wait_interruptible")
                (void)completion.wait_interruptible();
            else
                (void)completion.wait_killable();
        });
        while (!started)
            std::this_thread::yield();
        EXPECT_TRUE(shim_host::wait_until_sleeping(waiter));
        EXPECT_EQ(shim_host::task_state(waiter), c.state) << c.wait;
        completion.complete();
        thread.join();
        EXPECT_EQ(shim_host::task_state(waiter), 'R') << c.wait;
    }
}

TEST_F(CompletionTest, UninterruptibleWaitIgnoresSignals)
{
    Completion completion { KERNEL_LOCK_CLASS("test_completion") };
    shim_host::ThreadHandle waiter;
    std::atomic<bool> started { false };
    std::atomic<bool> done { false };
    std::thread thread([&] {
        waiter = shim_host::current_thread();
        started = true;
        completion.wait();
        done = true;
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(shim_host::wait_until_sleeping(waiter));
    shim_host::raise_signal(waiter, /*fatal=*/true);
    std::this_thread::sleep_for(30ms);
    EXPECT_FALSE(done.load());
    completion.complete();
    thread.join();
    EXPECT_TRUE(done.load());
}

// ---- WaitQueue ----------------------------------------------------------------

TEST_F(WaitQueueTest, WaitUntilRechecksTheConditionAfterEachWake)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    kernel::Atomic<int> state(0);
    shim_host::ThreadHandle waiter;
    std::atomic<bool> started { false };
    std::atomic<bool> done { false };
    std::thread thread([&] {
        waiter = shim_host::current_thread();
        started = true;
        queue.wait_until([&] { return state.read() == 2; });
        done = true;
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(shim_host::wait_until_sleeping(waiter));

    queue.wake_all(); // nothing changed
    state.set(1);
    queue.wake_all(); // changed, but not to what the waiter wants
    std::this_thread::sleep_for(30ms);
    EXPECT_FALSE(done.load()) << "a wake-up ended the wait without its condition";

    state.set(2);
    queue.wake_all();
    thread.join();
    EXPECT_TRUE(done.load());
}

TEST_F(WaitQueueTest, TrueConditionDoesNotSleep)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    queue.wait_until([] { return true; });
    EXPECT_FALSE(queue.wait_until_for_ms([] { return true; }, 0).is_error());
}

TEST_F(WaitQueueTest, WaitUntilForMsTimesOut)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    auto start = std::chrono::steady_clock::now();
    auto result = queue.wait_until_for_ms([] { return false; }, 30);
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
        queue.wake_all();
    });
    EXPECT_FALSE(queue.wait_until_for_ms([&] { return flag.read(); }, 10000).is_error());
    waker.join();
}

TEST_F(WaitQueueTest, InterruptibleWaitEndsOnSignal)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    shim_host::ThreadHandle waiter;
    std::atomic<bool> started { false };
    int code = 1;
    std::thread thread([&] {
        waiter = shim_host::current_thread();
        started = true;
        auto result = queue.wait_until_interruptible([] { return false; });
        code = result.is_error() ? result.error().code() : 0;
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(shim_host::wait_until_sleeping(waiter));
    shim_host::raise_signal(waiter);
    thread.join();
    EXPECT_EQ(code, -SHIM_ERESTARTSYS);
}

TEST_F(WaitQueueTest, WakeAllReleasesEveryWaiter)
{
    kernel::WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    kernel::Atomic<bool> go(false);
    std::atomic<int> released { 0 };
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i)
        threads.emplace_back([&] {
            queue.wait_until([&] { return go.read(); });
            released.fetch_add(1);
        });
    std::this_thread::sleep_for(10ms);
    go.set(true);
    queue.wake_all();
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(released.load(), 6);
}

// ---- Mutex ----------------------------------------------------------------------

TEST_F(MutexTest, GuardExcludesOthersUntilItGoesOutOfScope)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    std::atomic<bool> other_has_it { false };
    shim_host::ThreadHandle other;
    std::atomic<bool> started { false };
    std::thread thread;
    {
        kernel::MutexGuard guard(mutex);
        thread = std::thread([&] {
            other = shim_host::current_thread();
            started = true;
            kernel::MutexGuard second(mutex);
            other_has_it = true;
        });
        while (!started)
            std::this_thread::yield();
        EXPECT_TRUE(shim_host::wait_until_sleeping(other));
        EXPECT_FALSE(other_has_it.load());
    }
    thread.join();
    EXPECT_TRUE(other_has_it.load());
}

TEST_F(MutexTest, CountsStayExactUnderContention)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    long total = 0; // plain: only the mutex protects it (TSan checks)
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 500; ++j) {
                kernel::MutexGuard guard(mutex);
                ++total;
            }
        });
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(total, 2000);
}

TEST_F(MutexTest, LockInterruptibleReturnsAGuard)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    {
        auto locked = mutex.lock_interruptible();
        ASSERT_FALSE(locked.is_error());
        kernel::MutexGuard guard = locked.release_value();
    }
    // Released by the guard that came out of the Result (and only once).
    auto again = mutex.lock_interruptible();
    ASSERT_FALSE(again.is_error());
}

TEST_F(MutexTest, LockInterruptibleTakesAFreeMutexDespiteASignal)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    auto me = shim_host::current_thread();
    shim_host::raise_signal(me);
    auto locked = mutex.lock_interruptible();
    EXPECT_FALSE(locked.is_error());
    shim_host::clear_signal(me);
}

TEST_F(MutexTest, LockInterruptibleEndsWithEintrOnSignal)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    kernel::MutexGuard guard(mutex);
    shim_host::ThreadHandle waiter;
    std::atomic<bool> started { false };
    int code = 1;
    std::thread thread([&] {
        waiter = shim_host::current_thread();
        started = true;
        auto locked = mutex.lock_interruptible();
        code = locked.is_error() ? locked.error().code() : 0;
    });
    while (!started)
        std::this_thread::yield();
    EXPECT_TRUE(shim_host::wait_until_sleeping(waiter));
    shim_host::raise_signal(waiter);
    thread.join();
    EXPECT_EQ(code, -SHIM_EINTR);
}

TEST_F(MutexTest, MovedGuardReleasesOnce)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    {
        kernel::MutexGuard first(mutex);
        kernel::MutexGuard second(kernel::move(first)); // first now releases nothing
    }
    EXPECT_TRUE(shim_host::bugs().empty()) << "a moved-from guard unlocked the mutex again";
    kernel::MutexGuard again(mutex);
}

// ---- SpinLock -------------------------------------------------------------------

TEST_F(SpinLockTest, GuardProtectsSharedData)
{
    kernel::SpinLock lock { KERNEL_LOCK_CLASS("test_lock") };
    long total = 0;
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 1000; ++j) {
                kernel::SpinLockGuard guard(lock);
                ++total;
            }
        });
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(total, 4000);
}

TEST_F(SpinLockTest, SleepingUnderASpinlockIsReported)
{
    kernel::SpinLock lock { KERNEL_LOCK_CLASS("test_lock") };
    {
        kernel::SpinLockGuard guard(lock);
        kfree(shim_alloc(8)); // kzalloc(GFP_KERNEL) may sleep
    }
    auto found = shim_host::bugs();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("sleeping function called from invalid context"), std::string::npos);
    shim_host::reset(); // the bug was the point of the test
}

// ---- KThread ------------------------------------------------------------------

struct Worker {
    std::atomic<int> runs { 0 };
    std::atomic<bool> finished { false };
    Completion started { KERNEL_LOCK_CLASS("test_started") };
    Completion go { KERNEL_LOCK_CLASS("test_go") };
    int work()
    {
        runs.fetch_add(1);
        started.complete();
        go.wait();
        finished = true;
        return 42;
    }
};

// As in the kernel, a thread woken and stopped before it first ran does
// not run its function (kthread() checks KTHREAD_SHOULD_STOP first): the
// tests wait until the function has started before they join.
TEST_F(KThreadTest, RunsOnlyOnceWokenAndJoinReturnsTheResult)
{
    Worker worker;
    kernel::KThread thread;
    ASSERT_FALSE(thread.create<&Worker::work>("worker", worker).is_error());
    EXPECT_TRUE(thread.exists());
    EXPECT_EQ(shim_host::live().threads, 1);
    EXPECT_TRUE(worker.started.wait_for_ms(20).is_error()) << "a created thread ran before it was woken";
    EXPECT_EQ(worker.runs.load(), 0);
    thread.wake();
    worker.started.wait();
    worker.go.complete();
    EXPECT_EQ(thread.join(), 42);
    EXPECT_EQ(worker.runs.load(), 1);
    EXPECT_FALSE(thread.exists());
    EXPECT_EQ(thread.join(), 0) << "joining twice";
    ASSERT_EQ(shim_host::kthread_names().size(), 1u);
    EXPECT_EQ(shim_host::kthread_names()[0], "worker");
}

TEST_F(KThreadTest, JoinOfANeverWokenThreadReturnsEintrWithoutRunningIt)
{
    Worker worker;
    kernel::KThread thread;
    ASSERT_FALSE(thread.create<&Worker::work>("idle", worker).is_error());
    EXPECT_EQ(thread.join(), -SHIM_EINTR);
    EXPECT_EQ(worker.runs.load(), 0);
}

TEST_F(KThreadTest, DestructorWaitsForTheFunctionToReturn)
{
    Worker worker;
    std::thread releaser;
    {
        kernel::KThread thread;
        ASSERT_FALSE(thread.create<&Worker::work>("scoped", worker).is_error());
        thread.wake();
        worker.started.wait();
        releaser = std::thread([&] {
            std::this_thread::sleep_for(20ms);
            worker.go.complete();
        });
    }
    EXPECT_TRUE(worker.finished.load()) << "the destructor returned before the thread function";
    EXPECT_EQ(shim_host::live().threads, 0);
    releaser.join();
}

TEST_F(KThreadTest, DestructorOfANeverWokenThreadDoesNotRunIt)
{
    Worker worker;
    {
        kernel::KThread thread;
        ASSERT_FALSE(thread.create<&Worker::work>("unwoken", worker).is_error());
    }
    EXPECT_EQ(worker.runs.load(), 0);
    EXPECT_EQ(shim_host::live().threads, 0);
}

TEST_F(KThreadTest, CreateFailureIsAnErrorAndNoThread)
{
    Worker worker;
    kernel::KThread thread;
    shim_host::fail_nth(shim_host::Step::kthread_create, 1, -SHIM_ENOMEM);
    auto created = thread.create<&Worker::work>("doomed", worker);
    ASSERT_TRUE(created.is_error());
    EXPECT_EQ(created.error().code(), -SHIM_ENOMEM);
    EXPECT_FALSE(thread.exists());
    EXPECT_EQ(shim_host::live().threads, 0);
}

// ---- Result / TRY ----------------------------------------------------------------

Result<int> parse_positive(int value)
{
    if (value <= 0)
        return Error::from_errno(SHIM_EINVAL);
    return value;
}

Result<int> doubled(int value, bool* reached_end)
{
    int parsed = TRY(parse_positive(value));
    *reached_end = true;
    return parsed * 2;
}

Result<void> step_void(int code) { return kernel::result_from(code); }

Result<void> two_steps(int first, int second, int* steps)
{
    TRY(step_void(first));
    ++*steps;
    TRY(step_void(second));
    ++*steps;
    return {};
}

TEST_F(ResultTest, TryYieldsTheValue)
{
    bool reached = false;
    auto result = doubled(21, &reached);
    ASSERT_FALSE(result.is_error());
    EXPECT_EQ(result.value(), 42);
    EXPECT_TRUE(reached);
}

TEST_F(ResultTest, TryReturnsTheErrorEarly)
{
    bool reached = false;
    auto result = doubled(-1, &reached);
    ASSERT_TRUE(result.is_error());
    EXPECT_EQ(result.error().code(), -SHIM_EINVAL);
    EXPECT_FALSE(reached);

    int steps = 0;
    auto failed = two_steps(0, -SHIM_EBUSY, &steps);
    ASSERT_TRUE(failed.is_error());
    EXPECT_EQ(failed.error().code(), -SHIM_EBUSY);
    EXPECT_EQ(steps, 1);
    steps = 0;
    EXPECT_FALSE(two_steps(0, 0, &steps).is_error());
    EXPECT_EQ(steps, 2);
}

TEST_F(ResultTest, ErrnoIsAlwaysNegative)
{
    EXPECT_EQ(Error::from_errno(SHIM_ENOMEM).code(), -SHIM_ENOMEM);
    EXPECT_EQ(Error::from_errno(-SHIM_ENOMEM).code(), -SHIM_ENOMEM);
    EXPECT_TRUE(Error::from_errno(5) == Error::from_errno(-5));
    EXPECT_FALSE(kernel::result_from(0).is_error());
    EXPECT_FALSE(kernel::result_from(7).is_error()) << "positive returns are success";
    EXPECT_EQ(kernel::result_from(-SHIM_EFAULT).error().code(), -SHIM_EFAULT);
}

TEST_F(ResultTest, ZeroIsNotAnErrorAndIsReported)
{
    Error error = Error::from_errno(0);
    EXPECT_EQ(error.code(), -SHIM_EINVAL) << "an error never reads as success";
    auto found = shim_host::bugs();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("from_errno(0)"), std::string::npos);
    shim_host::reset(); // the bug was the point of the test
}

TEST_F(ResultTest, ValueOfAnErrorIsReportedAndDefaulted)
{
    Result<int> failed(Error::from_errno(SHIM_EPERM));
    EXPECT_EQ(failed.value(), 0) << "a defined value, not the storage";
    Result<int> fine(7);
    EXPECT_EQ(fine.error().code(), -SHIM_EINVAL);
    auto found = shim_host::bugs();
    ASSERT_EQ(found.size(), 2u);
    EXPECT_NE(found[0].find("value() of an error"), std::string::npos);
    EXPECT_NE(found[1].find("error() of a value"), std::string::npos);
    shim_host::reset(); // the bugs were the point of the test
}

struct Tracked {
    static inline int alive = 0;
    static inline int destroyed = 0;
    int value;
    explicit Tracked(int v) : value(v) { ++alive; }
    Tracked(Tracked&& other) : value(other.value) { ++alive; }
    ~Tracked()
    {
        --alive;
        ++destroyed;
    }
};

TEST_F(ResultTest, ValueIsDestroyedExactlyOnce)
{
    Tracked::alive = 0;
    {
        Result<Tracked> result(Tracked(7));
        EXPECT_EQ(result.value().value, 7);
        Tracked taken = result.release_value();
        EXPECT_EQ(taken.value, 7);
    }
    EXPECT_EQ(Tracked::alive, 0);
    {
        Result<Tracked> error(Error::from_errno(SHIM_EPERM));
        EXPECT_TRUE(error.is_error());
    }
    EXPECT_EQ(Tracked::alive, 0) << "an error Result destroyed a value it never held";
}

// ---- Text -----------------------------------------------------------------------

TEST_F(TextTest, AppendsTextAndDecimals)
{
    kernel::Text<32> line;
    line.append("event ").append_decimal(0).append("\n");
    EXPECT_STREQ(line.data(), "event 0\n");
    EXPECT_EQ(line.length(), 8u);

    kernel::Text<32> big;
    big.append_decimal(18446744073709551615ULL);
    EXPECT_STREQ(big.data(), "18446744073709551615");
    kernel::Text<32> some;
    some.append_decimal(1234567890);
    EXPECT_STREQ(some.data(), "1234567890");
}

TEST_F(TextTest, TailTextBuildsBackToFront)
{
    kernel::TailText<32> line;
    line.prepend("\n").prepend_decimal(0).prepend("event ");
    EXPECT_EQ(std::string(line.data(), line.length()), "event 0\n");

    kernel::TailText<32> big;
    big.prepend("\n").prepend_decimal(18446744073709551615ULL).prepend("event ");
    EXPECT_EQ(std::string(big.data(), big.length()), "event 18446744073709551615\n");
    EXPECT_EQ(big.length(), 27u);
}

TEST_F(TextTest, TailTextLeavesOutWhatDoesNotFitWhole)
{
    kernel::TailText<8> small;
    small.prepend("\n").prepend_decimal(123456).prepend("event ");
    EXPECT_EQ(std::string(small.data(), small.length()), "123456\n") << "the prefix did not fit: left out whole";
    small.prepend_decimal(7);
    EXPECT_EQ(std::string(small.data(), small.length()), "7123456\n");

    kernel::TailText<4> digits;
    digits.prepend_decimal(12345);
    EXPECT_EQ(digits.length(), 0u) << "a number is prepended whole or not at all";
    digits.prepend_decimal(1234);
    EXPECT_EQ(std::string(digits.data(), digits.length()), "1234");
}

TEST_F(TextTest, CutsOffWhatDoesNotFitAndStaysTerminated)
{
    kernel::Text<8> small;
    small.append("abcdefghij");
    EXPECT_STREQ(small.data(), "abcdefg");
    EXPECT_EQ(small.length(), 7u);
    small.append("x").append_decimal(99);
    EXPECT_STREQ(small.data(), "abcdefg");

    kernel::Text<4> digits;
    digits.append_decimal(123456);
    EXPECT_STREQ(digits.data(), "123") << "the leading digits are kept";

    kernel::Text<2> one;
    one.append_decimal(57).append("a");
    EXPECT_STREQ(one.data(), "5");
    EXPECT_EQ(one.length(), 1u);
}

// ---- IntrusiveQueue -------------------------------------------------------------

struct Item {
    int id;
    kernel::QueueLink<Item> queue_link;
};

TEST_F(QueueTest, IsFifo)
{
    kernel::IntrusiveQueue<Item, &Item::queue_link> queue;
    EXPECT_TRUE(queue.is_empty());
    EXPECT_EQ(queue.pop(), nullptr);
    Item a { 1, {} }, b { 2, {} }, c { 3, {} };
    queue.push(a);
    queue.push(b);
    EXPECT_FALSE(queue.is_empty());
    EXPECT_EQ(queue.pop(), &a);
    queue.push(c);
    queue.push(a); // an item can be queued again after it was popped
    EXPECT_EQ(queue.pop(), &b);
    EXPECT_EQ(queue.pop(), &c);
    EXPECT_EQ(queue.pop(), &a);
    EXPECT_TRUE(queue.is_empty());
    EXPECT_EQ(queue.pop(), nullptr);
    queue.push(b);
    EXPECT_EQ(queue.pop(), &b) << "the tail was reset when the queue emptied";
    EXPECT_TRUE(queue.is_empty());
}

struct TwoQueues {
    int id;
    kernel::QueueLink<TwoQueues> first_link;
    kernel::QueueLink<TwoQueues> second_link;
};

TEST_F(QueueTest, EachQueueUsesTheLinkItNames)
{
    kernel::IntrusiveQueue<TwoQueues, &TwoQueues::first_link> first;
    kernel::IntrusiveQueue<TwoQueues, &TwoQueues::second_link> second;
    TwoQueues a { 1, {}, {} }, b { 2, {}, {} };
    first.push(a);
    first.push(b);
    second.push(b);
    second.push(a); // the same objects, another order, through their other link
    EXPECT_EQ(first.pop(), &a);
    EXPECT_EQ(second.pop(), &b);
    EXPECT_EQ(first.pop(), &b);
    EXPECT_EQ(second.pop(), &a);
    EXPECT_TRUE(first.is_empty());
    EXPECT_TRUE(second.is_empty());
}

// ---- SpinLockProtected ------------------------------------------------------------

TEST_F(SpinLockTest, ProtectedDataIsReachedOnlyUnderItsLock)
{
    kernel::SpinLockProtected<int> counter { KERNEL_LOCK_CLASS("test_counter") };
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i)
                counter.with([](int& value) { ++value; });
        });
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(counter.with([](int& value) { return value; }), 4000);
}

TEST_F(SpinLockTest, SleepingInsideWithIsReported)
{
    kernel::SpinLockProtected<int> value { KERNEL_LOCK_CLASS("test_value") };
    value.with([](int&) { kfree(shim_alloc(8)); }); // kzalloc(GFP_KERNEL) may sleep
    auto found = shim_host::bugs();
    ASSERT_EQ(found.size(), 1u);
    EXPECT_NE(found[0].find("sleeping function called from invalid context"), std::string::npos);
    shim_host::reset(); // the bug was the point of the test
}

// ---- Memory ---------------------------------------------------------------------

struct Counted {
    static inline int constructed = 0;
    static inline int destroyed = 0;
    int a;
    int b;
    int zero_before; // zeroed memory: untouched by the constructor
    Counted(int x, int y) : a(x), b(y) { ++constructed; }
    ~Counted() { ++destroyed; }
};

TEST_F(MemoryTest, CreateBuildsInZeroedMemoryAndDestroyFrees)
{
    Counted::constructed = Counted::destroyed = 0;
    Counted* object = kernel::create<Counted>(3, 4).release_value().leak();
    ASSERT_NE(object, nullptr);
    EXPECT_EQ(object->a, 3);
    EXPECT_EQ(object->b, 4);
    EXPECT_EQ(shim_host::live().allocations, 1);
    kernel::destroy(object);
    EXPECT_EQ(Counted::destroyed, 1);
    EXPECT_EQ(shim_host::live().allocations, 0);
    kernel::destroy<Counted>(nullptr); // a no-op
}

TEST_F(MemoryTest, CreateReturnsEnomemWhenAllocationFails)
{
    Counted::constructed = 0;
    shim_host::fail_nth(shim_host::Step::alloc, 1, -SHIM_ENOMEM);
    auto created = kernel::create<Counted>(1, 2);
    ASSERT_TRUE(created.is_error());
    EXPECT_EQ(created.error().code(), -SHIM_ENOMEM);
    EXPECT_EQ(Counted::constructed, 0);
}

TEST_F(MemoryTest, OwnPtrDestroysWhatItOwns)
{
    Counted::constructed = Counted::destroyed = 0;
    {
        kernel::OwnPtr<Counted> owned = kernel::create<Counted>(1, 2).release_value();
        ASSERT_TRUE(static_cast<bool>(owned));
        EXPECT_EQ(owned->a, 1);
        EXPECT_EQ((*owned).b, 2);
        kernel::OwnPtr<Counted> moved(kernel::move(owned));
        EXPECT_FALSE(static_cast<bool>(owned));
        EXPECT_TRUE(static_cast<bool>(moved));
    }
    EXPECT_EQ(Counted::destroyed, 1) << "destroyed once, by the OwnPtr it was moved to";
    EXPECT_EQ(shim_host::live().allocations, 0);

    Counted* kept;
    {
        kernel::OwnPtr<Counted> owned = kernel::create<Counted>(5, 6).release_value();
        kept = owned.leak();
        EXPECT_FALSE(static_cast<bool>(owned));
    }
    EXPECT_EQ(Counted::destroyed, 1) << "leak() hands the object over";
    EXPECT_EQ(shim_host::live().allocations, 1);
    kernel::destroy(kept);
    EXPECT_EQ(shim_host::live().allocations, 0);

    kernel::OwnPtr<Counted> empty(nullptr);
    EXPECT_FALSE(static_cast<bool>(empty));
}

// ---- Atomic ---------------------------------------------------------------------

TEST_F(AtomicTest, FetchAddReturnsThePreviousValueAndCountsExactly)
{
    kernel::Atomic<unsigned long long> value(5);
    EXPECT_EQ(value.fetch_add(2), 5u);
    EXPECT_EQ(value.read(), 7u);
    value.set(0);
    std::vector<std::thread> threads;
    for (int i = 0; i < 4; ++i)
        threads.emplace_back([&] {
            for (int j = 0; j < 1000; ++j)
                value.fetch_add(1);
        });
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(value.read(), 4000u);
}

} // namespace
} // namespace host_test
