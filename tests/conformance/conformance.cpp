// SPDX-License-Identifier: GPL-2.0
// conformance.cpp - what the C++ kernel layer promises, written once and
// run twice: as KUnit in a booted debug kernel (tests/kunit/) and as
// GoogleTest against the host's user-space kernel (tests/host/), so the
// host fake is checked against the real kernel instead of trusted.
#include "tests/conformance/conformance.h"
#include "kernel/Atomic.h"
#include "kernel/CharDevice.h"
#include "kernel/Completion.h"
#include "kernel/KThread.h"
#include "kernel/Memory.h"
#include "kernel/Mutex.h"
#include "kernel/Result.h"
#include "kernel/SpinLock.h"
#include "kernel/WaitQueue.h"

using namespace kernel;

#define EXPECT(test, condition)                             \
    do {                                                    \
        if (!(condition))                                   \
            conformance_fail((test), #condition, __LINE__); \
    } while (0)

namespace {

// Objects under test live on the heap, as they do in the module: some are
// too big for a kernel stack frame under lockdep.
template<class T>
struct Heap {
    template<class... Args>
    explicit Heap(Args&&... args) : object(adopt(create<T>(forward<Args>(args)...)))
    {}
    // A failed allocation leaves the object null: the case checks it.
    static OwnPtr<T> adopt(Result<OwnPtr<T>> created)
    {
        return created.is_error() ? OwnPtr<T>(nullptr) : created.release_value();
    }
    OwnPtr<T> object;
};

struct Worker {
    Completion go { KERNEL_LOCK_CLASS("test_go") };
    Completion done { KERNEL_LOCK_CLASS("test_done") };
    Atomic<int> runs;
    int run()
    {
        go.wait_for_completion();
        runs.fetch_add(1);
        done.complete();
        return 42;
    }
};

struct Flag {
    WaitQueue queue { KERNEL_LOCK_CLASS("test_queue") };
    Atomic<bool> set;
    Completion started { KERNEL_LOCK_CLASS("test_started") };
    int run()
    {
        started.complete();
        set.set(true);
        queue.wake_up_all();
        return 0;
    }
};

// The smallest driver: a node and nothing else.
struct KunitDevice {
    static constexpr const char* name = "kunit_chardev";
};

// A driver whose start fails once the number is reserved: the library
// releases the number again. It remembers the major it was given (a
// constant-initialised static: the module loader runs no constructors).
struct FailingStart {
    static constexpr const char* name = "kunit_partial";
    static constinit inline unsigned int major = 0;
    Result<void> start(DeviceNumber number)
    {
        major = number.major;
        return Error::from_errno(SHIM_EINVAL);
    }
};

// Two locks of two sites, each its own lockdep class.
struct TwoLocks {
    Mutex outer { KERNEL_LOCK_CLASS("test_outer") };
    Mutex inner { KERNEL_LOCK_CLASS("test_inner") };
};

Result<int> half(int value)
{
    if (value % 2)
        return Error::from_errno(SHIM_EINVAL);
    return value / 2;
}

Result<int> quarter(int value)
{
    int h = TRY(half(value));
    return TRY(half(h));
}

} // namespace

extern "C" void conformance_completion_counts(void* test)
{
    Heap<Completion> c { KERNEL_LOCK_CLASS("test_c") };
    EXPECT(test, c.object);
    c.object->complete();
    c.object->complete();
    c.object->complete();
    EXPECT(test, c.object->try_wait_for_completion());
    EXPECT(test, c.object->try_wait_for_completion());
    EXPECT(test, !c.object->wait_for_completion_timeout_ms(1).is_error());
    EXPECT(test, !c.object->try_wait_for_completion());
}

extern "C" void conformance_completion_complete_all(void* test)
{
    Heap<Completion> c { KERNEL_LOCK_CLASS("test_c") };
    c.object->complete_all();
    for (int i = 0; i < 100; i++)
        EXPECT(test, c.object->try_wait_for_completion());
    EXPECT(test, c.object->completion_done());
    c.object->reinit_completion();
    EXPECT(test, !c.object->completion_done());
    EXPECT(test, !c.object->try_wait_for_completion());
}

extern "C" void conformance_completion_timeout(void* test)
{
    Heap<Completion> c { KERNEL_LOCK_CLASS("test_c") };
    auto waited = c.object->wait_for_completion_timeout_ms(20);
    EXPECT(test, waited.is_error());
    EXPECT(test, waited.error().code() == -SHIM_ETIMEDOUT);
}

extern "C" void conformance_completion_status(void* test)
{
    Heap<Completion> c { KERNEL_LOCK_CLASS("test_c") };
    EXPECT(test, !c.object->completion_done());
    c.object->complete();
    EXPECT(test, c.object->completion_done());
    EXPECT(test, !c.object->wait_for_completion_interruptible().is_error());
    EXPECT(test, !c.object->completion_done());
}

extern "C" void conformance_kthread_runs_and_joins(void* test)
{
    Heap<Worker> w;
    Heap<KThread> thread;
    EXPECT(test, !thread.object->create<&Worker::run>("kunit_worker", *w.object).is_error());
    EXPECT(test, thread.object->exists());
    thread.object->wake();
    w.object->go.complete();
    EXPECT(test, !w.object->done.wait_for_completion_timeout_ms(5000).is_error());
    EXPECT(test, thread.object->join() == 42);
    EXPECT(test, !thread.object->exists());
    EXPECT(test, w.object->runs.read() == 1);
}

extern "C" void conformance_kthread_never_woken(void* test)
{
    Heap<Worker> w;
    Heap<KThread> thread;
    EXPECT(test, !thread.object->create<&Worker::run>("kunit_idle", *w.object).is_error());
    EXPECT(test, thread.object->join() == -SHIM_EINTR);
    EXPECT(test, w.object->runs.read() == 0);
}

extern "C" void conformance_waitqueue_condition(void* test)
{
    Heap<Flag> f;
    Heap<KThread> thread;
    EXPECT(test, !thread.object->create<&Flag::run>("kunit_waker", *f.object).is_error());
    thread.object->wake();
    Flag& flag = *f.object;
    EXPECT(test, !flag.queue.wait_event_timeout_ms([&] { return flag.set.read(); }, 5000).is_error());
    EXPECT(test, thread.object->join() == 0);
}

extern "C" void conformance_waitqueue_timeout(void* test)
{
    Heap<Flag> f;
    Flag& flag = *f.object;
    auto waited = flag.queue.wait_event_timeout_ms([&] { return flag.set.read(); }, 20);
    EXPECT(test, waited.is_error() && waited.error().code() == -SHIM_ETIMEDOUT);
}

extern "C" void conformance_mutex_guard(void* test)
{
    Heap<Mutex> m { KERNEL_LOCK_CLASS("test_m") };
    {
        auto guard = m.object->lock_interruptible();
        EXPECT(test, !guard.is_error());
    }
    // Released by the guard: taking it again does not deadlock.
    MutexGuard again(*m.object);
}

extern "C" void conformance_spinlock_guard(void* test)
{
    Heap<SpinLock> lock { KERNEL_LOCK_CLASS("test_lock") };
    int value = 0;
    {
        SpinLockGuard guard(*lock.object);
        value = 1;
    }
    SpinLockGuard again(*lock.object);
    EXPECT(test, value == 1);
}

extern "C" void conformance_result_try(void* test)
{
    auto ok = quarter(8);
    EXPECT(test, !ok.is_error() && ok.value() == 2);
    auto odd = quarter(6);
    EXPECT(test, odd.is_error() && odd.error().code() == -SHIM_EINVAL);
}

extern "C" void conformance_chardev_lifecycle(void* test)
{
    for (int round = 0; round < 2; round++) {
        auto device = CharDevice<KunitDevice>::create();
        EXPECT(test, !device.is_error());
        if (!device.is_error())
            destroy(device.value());
    }
}

extern "C" void conformance_chardev_partial_unwind(void* test)
{
    // Only the number region acquired: the destructor releases just that
    // (the other steps' teardown would crash on what was never built).
    auto failed = CharDevice<FailingStart>::create();
    EXPECT(test, failed.is_error() && failed.error().code() == -SHIM_EINVAL);
    unsigned int major = FailingStart::major;
    EXPECT(test, major != 0);
    // Released: the same dynamic major is handed out again.
    FailingStart::major = 0;
    auto again = CharDevice<FailingStart>::create();
    EXPECT(test, again.is_error() && FailingStart::major == major);
}

extern "C" void conformance_lock_classes_per_site(void* test)
{
    // Nested locks of two sites: with one class for every Mutex, lockdep
    // would report "possible recursive locking" here (and switch itself
    // off); with a class per site it has nothing to say. The debug suite
    // checks the kernel log after the run.
    Heap<TwoLocks> locks;
    if (!locks.object) {
        conformance_fail(test, "no memory for the locks", __LINE__);
        return;
    }
    MutexGuard outer(locks.object->outer);
    MutexGuard inner(locks.object->inner);
}

extern "C" void conformance_atomic_is_the_kernels(void* test)
{
    // One object, two APIs: what the kernel's atomic64_*() and atomic_*()
    // do to raw() is what Atomic sees, and the other way round.
    Atomic<long long> wide(5);
    conformance_atomic64_add(wide.raw(), 3);
    EXPECT(test, wide.read() == 8);
    EXPECT(test, wide.fetch_add(2) == 8);
    EXPECT(test, conformance_atomic64_read(wide.raw()) == 10);
    EXPECT(test, wide.add_return(-10) == 0);
    EXPECT(test, conformance_atomic64_read(wide.raw()) == 0);

    Atomic<int> narrow(1);
    EXPECT(test, conformance_atomic_inc_return(narrow.raw()) == 2);
    EXPECT(test, narrow.read_acquire() == 2);
    EXPECT(test, !narrow.dec_and_test());
    EXPECT(test, narrow.dec_and_test());
    EXPECT(test, conformance_atomic_inc_return(narrow.raw()) == 1);
}
