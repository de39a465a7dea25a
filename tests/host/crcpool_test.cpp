// SPDX-License-Identifier: GPL-2.0
// crcpool_test.cpp - crcpool.ko's C++ (crcpool/crcpool_module.cpp) against
// the user-space shim: CRC32C vectors (kernel/Crc32c.h on the fake's
// crc32c()), the queue's order, the write/read
// state machine and its errnos, release with a request in flight, load
// failures. Every test ends with nothing held (HostTest's TearDown).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "crcpool/crcpool.h"
#include "fake/host.h"
#include "kernel/Crc32c.h"
#include "tests/host/crcpool_host.h"
#include "tests/host/test_support.h"

namespace {

using host_test::HostTest;
using shim_host::OpenFile;

// Bit by bit: an implementation independent of the fake's table.
unsigned int reference_crc32c(const std::string& data)
{
    unsigned int crc = ~0u;
    for (unsigned char byte : data) {
        crc ^= byte;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0u);
    }
    return ~crc;
}

unsigned int crc_of(const std::string& data) { return kernel::crc32c_checksum(data.data(), data.size()); }

std::string pattern(size_t length, unsigned int seed)
{
    std::string data(length, '\0');
    for (size_t i = 0; i < length; ++i) {
        seed = seed * 1103515245u + 12345u;
        data[i] = static_cast<char>(seed >> 16);
    }
    return data;
}

TEST(Crc32c, CheckValue)
{
    EXPECT_EQ(crc_of("123456789"), 0xE3069283u);
    EXPECT_EQ(crc_of(""), 0u);
}

// RFC 3720 (iSCSI), appendix B.4.
TEST(Crc32c, Rfc3720Vectors)
{
    std::string incrementing(32, '\0');
    std::string decrementing(32, '\0');
    for (int i = 0; i < 32; ++i) {
        incrementing[i] = static_cast<char>(i);
        decrementing[i] = static_cast<char>(31 - i);
    }
    EXPECT_EQ(crc_of(std::string(32, '\0')), 0x8A9136AAu);
    EXPECT_EQ(crc_of(std::string(32, '\xff')), 0x62A8AB43u);
    EXPECT_EQ(crc_of(incrementing), 0x46DD794Eu);
    EXPECT_EQ(crc_of(decrementing), 0x113FDB5Cu);
}

TEST(Crc32c, MatchesABitwiseReference)
{
    for (size_t length : { 1u, 2u, 3u, 7u, 8u, 63u, 64u, 255u, 256u, 4096u, 65537u }) {
        std::string data = pattern(length, static_cast<unsigned int>(length));
        EXPECT_EQ(crc_of(data), reference_crc32c(data)) << length << " bytes";
    }
}

TEST(Crc32c, UpdateContinuesARunningCrc)
{
    std::string data = pattern(1000, 7);
    unsigned int crc = kernel::crc32c(~0u, data.data(), 300);
    crc = kernel::crc32c(crc, data.data() + 300, 700);
    EXPECT_EQ(~crc, crc_of(data));
}

struct Line {
    unsigned int crc = 0;
    unsigned int worker = 0;
    unsigned int bytes = 0;
    unsigned long long seq = 0;
};

bool parse(const std::string& text, Line& line)
{
    char end = 0;
    return sscanf(text.c_str(), "crc32c=0x%8x worker=%u bytes=%u seq=%llu%c", &line.crc, &line.worker, &line.bytes,
               &line.seq, &end)
        == 5
        && end == '\n';
}

class CrcPool : public HostTest {
protected:
    void SetUp() override
    {
        HostTest::SetUp();
        crcpool_host::set_params({});
    }

    void load(const crcpool_host::Params& params = {})
    {
        crcpool_host::set_params(params);
        ASSERT_EQ(crcpool_host::module_load(), 0);
    }

    void unload() { ASSERT_EQ(shim_host::module_unload(), 0); }

    static long write(OpenFile& file, const std::string& data)
    {
        return shim_host::vfs_write(file.file(), data.data(), data.size());
    }

    static std::string read(OpenFile& file, long* result = nullptr, unsigned long length = 128)
    {
        return file.read_string(length, result);
    }

    // What a read returned: the result line's length, or -errno.
    static long read_result(OpenFile& file, unsigned long length = 128)
    {
        long result = 0;
        read(file, &result, length);
        return result;
    }

    // A read of the result line, parsed.
    static Line result_line(OpenFile& file)
    {
        Line line;
        long result = 0;
        std::string text = read(file, &result);
        EXPECT_TRUE(parse(text, line)) << "read " << result << ": '" << text << "'";
        return line;
    }

    // Write, then read: the result line, parsed.
    static Line request(OpenFile& file, const std::string& data)
    {
        EXPECT_EQ(write(file, data), static_cast<long>(data.size()));
        return result_line(file);
    }

    // A request written, then a read that fails (failed_read(file) returns
    // error): the result stays for the next read.
    template<class Read>
    void expect_failed_read_keeps_the_result(Read failed_read, long error)
    {
        load();
        OpenFile file("crcpool");
        ASSERT_EQ(write(file, "123456789"), 9);
        EXPECT_EQ(failed_read(file), error);
        EXPECT_EQ(result_line(file).crc, 0xE3069283u);
        file.release();
        unload();
    }

    static unsigned long long counter(const char* name)
    {
        return shim_host::sysfs_read("crcpool", name).value_or(~0ULL);
    }
};

TEST_F(CrcPool, LoadStartsOneThreadPerWorkerAndPublishesTheDevice)
{
    load({ .workers = 3 });
    EXPECT_EQ(shim_host::kthread_names(), (std::vector<std::string> { "crcpool/0", "crcpool/1", "crcpool/2" }));
    EXPECT_TRUE(shim_host::node_exists("crcpool"));
    EXPECT_EQ(shim_host::live().threads, 3);
    char expected[96];
    snprintf(expected, sizeof(expected), "crcpool: 3 workers, max_request 65536 bytes, major = %u, minor = 0",
        shim_host::node_major("crcpool"));
    EXPECT_EQ(shim_host::log_count(expected), 1u);
    EXPECT_EQ(counter("workers"), 3u);
    EXPECT_EQ(counter("submitted"), 0u);
    unload();
    EXPECT_FALSE(shim_host::node_exists("crcpool"));
}

TEST_F(CrcPool, ResultLineIsExact)
{
    load();
    {
        OpenFile file("crcpool");
        ASSERT_EQ(file.error(), 0);
        ASSERT_EQ(write(file, "123456789"), 9);
        long result = 0;
        std::string text = read(file, &result);
        EXPECT_TRUE(text == "crc32c=0xe3069283 worker=0 bytes=9 seq=0\n"
            || text == "crc32c=0xe3069283 worker=1 bytes=9 seq=0\n")
            << text;
        EXPECT_EQ(result, static_cast<long>(text.size()));
        for (size_t length : { 1u, 100u, 65536u }) {
            std::string data = pattern(length, 99);
            Line line = request(file, data);
            EXPECT_EQ(line.crc, reference_crc32c(data));
            EXPECT_EQ(line.bytes, length);
        }
    }
    EXPECT_EQ(counter("submitted"), 4u);
    EXPECT_EQ(counter("completed"), 4u);
    EXPECT_EQ(counter("bytes"), 9u + 1u + 100u + 65536u);
    unload();
}

TEST_F(CrcPool, ReadWithoutARequestIsEinvalNotAHang)
{
    load();
    OpenFile file("crcpool");
    EXPECT_EQ(read_result(file), -SHIM_EINVAL);
    EXPECT_TRUE(shim_host::log_contains_substring("crcpool: read without a request"));
    file.release();
    unload();
}

TEST_F(CrcPool, BadSizesAreEinvalAndQueueNothing)
{
    load({ .workers = 1, .max_request = 100 });
    OpenFile file("crcpool");
    EXPECT_EQ(write(file, ""), -SHIM_EINVAL);
    EXPECT_EQ(write(file, std::string(101, 'x')), -SHIM_EINVAL);
    EXPECT_EQ(counter("submitted"), 0u);
    EXPECT_EQ(shim_host::log_count("crcpool: empty write (0 bytes): refused"), 1u);
    EXPECT_EQ(shim_host::log_count("crcpool: write larger than max_request (101 bytes): refused"), 1u);
    EXPECT_EQ(shim_host::byte_buffers(), 0);
    Line line = request(file, std::string(100, 'x')); // exactly max_request
    EXPECT_EQ(line.bytes, 100u);
    file.release();
    unload();
}

// max_pinned bounds what all files hold together: a write that would pass
// it is refused with EAGAIN before anything is allocated, and each share
// comes back when its result is read or its file closed.
TEST_F(CrcPool, MaxPinnedBoundsTheBytesHeldAcrossFiles)
{
    load({ .workers = 1, .max_request = 100, .max_pinned = 250 });
    OpenFile first("crcpool");
    OpenFile second("crcpool");
    OpenFile third("crcpool");
    EXPECT_EQ(write(first, std::string(100, 'a')), 100);
    EXPECT_EQ(write(second, std::string(100, 'b')), 100);
    EXPECT_EQ(counter("pinned"), 200u);
    EXPECT_EQ(write(third, std::string(100, 'c')), -SHIM_EAGAIN);
    EXPECT_EQ(
        shim_host::log_count("crcpool: write over max_pinned: unread requests hold too much (100 bytes): refused"), 1u);
    EXPECT_EQ(counter("pinned"), 200u);
    EXPECT_EQ(write(third, std::string(50, 'c')), 50); // 250: the bound itself
    EXPECT_EQ(result_line(first).crc, crc_of(std::string(100, 'a')));
    EXPECT_EQ(counter("pinned"), 150u);
    EXPECT_EQ(write(first, std::string(100, 'd')), 100);
    second.release(); // closed with its result unread
    EXPECT_EQ(counter("pinned"), 150u);
    EXPECT_EQ(result_line(third).bytes, 50u);
    EXPECT_EQ(result_line(first).crc, crc_of(std::string(100, 'd')));
    EXPECT_EQ(counter("pinned"), 0u);
    EXPECT_EQ(counter("submitted"), 4u);
    first.release();
    third.release();
    unload();
}

// A write refused after its share was taken (a bad pointer) gives it back.
TEST_F(CrcPool, RefusedWriteGivesItsShareBack)
{
    load({ .workers = 1, .max_request = 100, .max_pinned = 100 });
    OpenFile file("crcpool");
    EXPECT_EQ(shim_host::vfs_write(file.file(), nullptr, 100), -SHIM_EFAULT);
    EXPECT_EQ(counter("pinned"), 0u);
    EXPECT_EQ(request(file, std::string(100, 'x')).bytes, 100u);
    file.release();
    unload();
}

TEST_F(CrcPool, BadPointerIsEfaultAndQueuesNothing)
{
    load();
    OpenFile file("crcpool");
    EXPECT_EQ(shim_host::vfs_write(file.file(), nullptr, 64), -SHIM_EFAULT);
    EXPECT_EQ(shim_host::byte_buffers(), 0) << "the copied bytes were kept";
    EXPECT_EQ(counter("submitted"), 0u);
    EXPECT_EQ(read_result(file), -SHIM_EINVAL) << "a request was queued";
    Line line = request(file, "abc"); // the descriptor still works
    EXPECT_EQ(line.crc, 0x364B3FB7u);
    file.release();
    unload();
}

TEST_F(CrcPool, SecondWriteBeforeTheReadIsEbusyAndTheFirstStays)
{
    load();
    OpenFile file("crcpool");
    ASSERT_EQ(write(file, "abc"), 3);
    EXPECT_EQ(write(file, "def"), -SHIM_EBUSY);
    Line line = result_line(file);
    EXPECT_EQ(line.crc, 0x364B3FB7u);
    EXPECT_EQ(line.bytes, 3u);
    EXPECT_EQ(read_result(file), -SHIM_EINVAL) << "a result is read once";
    EXPECT_EQ(counter("submitted"), 1u);
    file.release();
    unload();
}

TEST_F(CrcPool, ShortReadBufferIsEinvalAndTheResultStays)
{
    expect_failed_read_keeps_the_result([](OpenFile& file) { return read_result(file, 10); }, -SHIM_EINVAL);
}

TEST_F(CrcPool, BadReadBufferIsEfaultAndTheResultStays)
{
    expect_failed_read_keeps_the_result([](OpenFile& file) { return file.read(nullptr, 100); }, -SHIM_EFAULT);
}

TEST_F(CrcPool, NoMemoryForTheRequestIsEnomemAndQueuesNothing)
{
    load();
    OpenFile file("crcpool");
    shim_host::fail_nth(shim_host::Step::alloc, 1, -SHIM_ENOMEM);
    EXPECT_EQ(write(file, "abc"), -SHIM_ENOMEM);
    EXPECT_EQ(counter("submitted"), 0u);
    EXPECT_EQ(read_result(file), -SHIM_EINVAL);
    EXPECT_EQ(request(file, "abc").crc, 0x364B3FB7u);
    file.release();
    unload();
}

TEST_F(CrcPool, NoMemoryForTheSessionIsEnomem)
{
    load();
    shim_host::fail_nth(shim_host::Step::alloc, 1, -SHIM_ENOMEM);
    OpenFile file("crcpool");
    EXPECT_EQ(file.error(), -SHIM_ENOMEM);
    unload();
}

// One worker busy with a big request: the small ones behind it wait in
// the queue and must come out oldest first.
TEST_F(CrcPool, OneWorkerAnswersInTheOrderWritten)
{
    load({ .workers = 1, .max_request = 16 << 20 });
    OpenFile blocker("crcpool");
    ASSERT_EQ(write(blocker, pattern(8 << 20, 1)), 8 << 20);
    std::vector<std::unique_ptr<OpenFile>> files;
    for (int i = 0; i < 10; ++i) {
        files.push_back(std::make_unique<OpenFile>("crcpool"));
        ASSERT_EQ(write(*files.back(), std::string(1, static_cast<char>(i))), 1);
    }
    std::vector<unsigned long long> order;
    for (auto& file : files)
        order.push_back(result_line(*file).seq);
    for (size_t i = 1; i < order.size(); ++i)
        EXPECT_LT(order[i - 1], order[i]) << "request " << i << " answered before request " << i - 1;
    read(blocker);
    files.clear();
    blocker.release();
    unload();
}

TEST_F(CrcPool, ManyWritersGetExactResults)
{
    load({ .workers = 4 });
    constexpr int writers = 8;
    constexpr int requests = 100;
    std::atomic<int> exact { 0 };
    std::atomic<int> wrong { 0 };
    std::vector<std::thread> threads;
    std::mutex workers_mutex;
    std::set<unsigned int> workers_seen;
    for (int w = 0; w < writers; ++w) {
        threads.emplace_back([&, w] {
            OpenFile file("crcpool");
            for (int i = 0; i < requests; ++i) {
                std::string data = pattern(1 + (w * 131 + i * 17) % 3000, w * 1000 + i);
                Line line = request(file, data);
                if (line.crc == reference_crc32c(data) && line.bytes == data.size())
                    ++exact;
                else
                    ++wrong;
                std::lock_guard guard(workers_mutex);
                workers_seen.insert(line.worker);
            }
        });
    }
    for (auto& thread : threads)
        thread.join();
    EXPECT_EQ(exact.load(), writers * requests);
    EXPECT_EQ(wrong.load(), 0);
    EXPECT_EQ(counter("completed"), static_cast<unsigned long long>(writers * requests));
    for (unsigned int worker : workers_seen)
        EXPECT_LT(worker, 4u);
    unload();
    EXPECT_TRUE(shim_host::log_contains_substring("crcpool: unloaded: 800 requests, "));
}

TEST_F(CrcPool, ReleaseWithARequestInFlightWaitsForIt)
{
    load({ .workers = 1, .max_request = 16 << 20 });
    for (int i = 0; i < 5; ++i) {
        OpenFile file("crcpool");
        ASSERT_EQ(write(file, pattern(4 << 20, i)), 4 << 20);
        // Closed at once: release() must not free what the worker reads.
    }
    EXPECT_EQ(counter("completed"), 5u) << "a close returned before its request was done";
    EXPECT_EQ(shim_host::byte_buffers(), 0);
    unload();
}

TEST_F(CrcPool, SignalInterruptsTheReadAndTheRequestStaysCollectable)
{
    load({ .workers = 1, .max_request = 16 << 20 });
    OpenFile blocker("crcpool");
    OpenFile file("crcpool");
    bool interrupted = false;
    for (int attempt = 0; attempt < 5 && !interrupted; ++attempt) {
        // Queued behind 16 MiB on the only worker: not done for a while.
        ASSERT_EQ(write(blocker, pattern(16 << 20, attempt)), 16 << 20);
        ASSERT_EQ(write(file, "123456789"), 9);
        shim_host::raise_signal(shim_host::current_thread());
        long result = 0;
        std::string text = read(file, &result);
        shim_host::clear_signal(shim_host::current_thread());
        if (result == -SHIM_ERESTARTSYS) {
            interrupted = true;
            text = read(file, &result);
        }
        Line line;
        ASSERT_TRUE(parse(text, line)) << result;
        EXPECT_EQ(line.crc, 0xE3069283u);
        read(blocker);
    }
    EXPECT_TRUE(interrupted) << "the worker was always done before the read";
    file.release();
    blocker.release();
    unload();
}

TEST_F(CrcPool, RmmodIsRefusedWhileOpenAndStopsTheWorkers)
{
    load({ .workers = 2 });
    {
        OpenFile file("crcpool");
        EXPECT_EQ(request(file, "abc").crc, 0x364B3FB7u);
        EXPECT_EQ(shim_host::module_unload(), -EBUSY);
    }
    unload();
    EXPECT_EQ(shim_host::live().threads, 0);
    std::string last = shim_host::log_texts().back();
    EXPECT_TRUE(last == "crcpool: unloaded: 1 requests, 3 bytes, 2 workers (requests per worker: 1 0)"
        || last == "crcpool: unloaded: 1 requests, 3 bytes, 2 workers (requests per worker: 0 1)")
        << "the summary is the last line: " << last;
}

// Each init step failing: the load fails with its error and releases
// everything (HostTest's TearDown checks that nothing is left).
TEST_F(CrcPool, EveryLoadStepCanFailCleanly)
{
    using shim_host::Step;
    struct Case {
        Step step;
        unsigned nth;
    } cases[] = {
        { Step::alloc, 1 },
        { Step::chrdev_region, 1 },
        { Step::kthread_create, 1 },
        { Step::kthread_create, 3 },
        { Step::cdev_add, 1 },
        { Step::class_create, 1 },
        { Step::device_create, 1 },
    };
    for (const Case& c : cases) {
        shim_host::reset();
        crcpool_host::set_params({ .workers = 3 });
        shim_host::fail_nth(c.step, c.nth, -SHIM_ENOMEM);
        EXPECT_EQ(crcpool_host::module_load(), -SHIM_ENOMEM) << shim_host::step_name(c.step) << " #" << c.nth;
        EXPECT_TRUE(shim_host::live().all_zero())
            << shim_host::step_name(c.step) << ": " << shim_host::to_string(shim_host::live());
        EXPECT_FALSE(shim_host::node_exists("crcpool"));
    }
    shim_host::clear_faults();
    load();
    unload();
}

} // namespace
