// SPDX-License-Identifier: GPL-2.0
// locks_test.cpp - the C++ kernel layer (kernel/*.h) on its own, running on the
// user-space fake: Mutex, SpinLock, SpinLockProtected and KThread.
#include <atomic>
#include <optional>
#include <thread>

#include "kernel/Completion.h"
#include "kernel/KThread.h"
#include "kernel/Mutex.h"
#include "kernel/SpinLock.h"
#include "tests/host/test_support.h"

namespace host_test {
namespace {

using kernel::Completion;

using MutexTest = HostTest;
using SpinLockTest = HostTest;
using KThreadTest = HostTest;

// ---- Mutex ----------------------------------------------------------------------

TEST_F(MutexTest, GuardExcludesOthersUntilItGoesOutOfScope)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    std::atomic<bool> other_has_it { false };
    std::optional<WaitingThread> other;
    {
        kernel::MutexGuard guard(mutex);
        other.emplace([&] {
            kernel::MutexGuard second(mutex);
            other_has_it = true;
        });
        EXPECT_TRUE(other->sleeping());
        EXPECT_FALSE(other_has_it.load());
    }
    other->join();
    EXPECT_TRUE(other_has_it.load());
}

// Four threads each add 1 to a plain counter, `times` times, under a Guard
// of lock: the total, exact if the lock excludes (TSan checks it too).
template<class Guard, class Lock>
long count_under(Lock& lock, int times)
{
    long total = 0; // plain: only the lock protects it
    run_threads(4, [&] {
        for (int i = 0; i < times; ++i) {
            Guard guard(lock);
            ++total;
        }
    });
    return total;
}

TEST_F(MutexTest, CountsStayExactUnderContention)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    EXPECT_EQ(count_under<kernel::MutexGuard>(mutex, 500), 2000);
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
    PendingSignal signal;
    auto locked = mutex.lock_interruptible();
    EXPECT_FALSE(locked.is_error());
}

TEST_F(MutexTest, LockInterruptibleEndsWithEintrOnSignal)
{
    kernel::Mutex mutex { KERNEL_LOCK_CLASS("test_mutex") };
    kernel::MutexGuard guard(mutex);
    EXPECT_EQ(errno_on_signal([&] { return mutex.lock_interruptible(); }), -SHIM_EINTR);
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
    EXPECT_EQ(count_under<kernel::SpinLockGuard>(lock, 1000), 4000);
}

TEST_F(SpinLockTest, SleepingUnderASpinlockIsReported)
{
    kernel::SpinLock lock { KERNEL_LOCK_CLASS("test_lock") };
    {
        kernel::SpinLockGuard guard(lock);
        kfree(shim_alloc(8)); // kzalloc(GFP_KERNEL) may sleep
    }
    expect_only_bug("sleeping function called from invalid context");
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
    run_threads(4, [&] {
        for (int i = 0; i < 1000; ++i)
            counter.with([](int& value) { ++value; });
    });
    EXPECT_EQ(counter.with([](int& value) { return value; }), 4000);
}

TEST_F(SpinLockTest, SleepingInsideWithIsReported)
{
    kernel::SpinLockProtected<int> value { KERNEL_LOCK_CLASS("test_value") };
    value.with([](int&) { kfree(shim_alloc(8)); }); // kzalloc(GFP_KERNEL) may sleep
    expect_only_bug("sleeping function called from invalid context");
}

} // namespace
} // namespace host_test
