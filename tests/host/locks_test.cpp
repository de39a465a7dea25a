// SPDX-License-Identifier: GPL-2.0
// locks_test.cpp - the C++ kernel layer (kernel/*.h) on its own, running on the
// user-space fake: Mutex, SpinLock, SpinLockProtected and KThread.
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
using kernel::Result;

using MutexTest = HostTest;
using SpinLockTest = HostTest;
using KThreadTest = HostTest;

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
        go.wait_for_completion();
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
    EXPECT_TRUE(worker.started.wait_for_completion_timeout_ms(20).is_error())
        << "a created thread ran before it was woken";
    EXPECT_EQ(worker.runs.load(), 0);
    thread.wake();
    worker.started.wait_for_completion();
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
        worker.started.wait_for_completion();
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

} // namespace
} // namespace host_test
