// SPDX-License-Identifier: GPL-2.0
// values_test.cpp - the C++ kernel layer (kernel/*.h) on its own, running on the
// user-space fake: Result and TRY, Text, IntrusiveQueue, Memory and Atomic.
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

using ResultTest = HostTest;
using TextTest = HostTest;
using QueueTest = HostTest;
using MemoryTest = HostTest;
using AtomicTest = HostTest;

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
    expect_only_bug("from_errno(0)");
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
    run_threads(4, [&] {
        for (int j = 0; j < 1000; ++j)
            value.fetch_add(1);
    });
    EXPECT_EQ(value.read(), 4000u);
}

} // namespace
} // namespace host_test
