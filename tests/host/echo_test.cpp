// SPDX-License-Identifier: GPL-2.0
// echo_test.cpp - examples/echo (the smallest module on the library)
// against the host fake: each write answered on the next read, through the
// worker thread; what the library gives every module (the refusals, the
// session made and destroyed per open, the load unwound step by step).
// Every test ends with nothing held (HostTest's TearDown).
#include <gtest/gtest.h>

#include <string>

#include "fake/host.h"
#include "tests/host/test_support.h"

extern "C" int init_module(void); // KERNEL_MODULE() in echo_module.cpp
extern "C" void cleanup_module(void);

void host_test::reset_module_host() {}

namespace {

using host_test::HostTest;
using shim_host::OpenFile;

class Echo : public HostTest {
protected:
    static int load() { return shim_host::module_load({ "echo", init_module, cleanup_module }); }
    static long write(OpenFile& file, const std::string& data)
    {
        return shim_host::vfs_write(file.file(), data.data(), data.size());
    }
};

TEST_F(Echo, EachWriteIsAnsweredOnTheNextRead)
{
    ASSERT_EQ(load(), 0);
    EXPECT_TRUE(shim_host::node_exists("echo"));
    EXPECT_NE(shim_host::kthread_handle("echo"), nullptr) << "the worker thread";
    {
        OpenFile file("echo");
        ASSERT_EQ(file.error(), 0);
        EXPECT_EQ(file.read_string(), "") << "nothing written: end of file";
        for (std::string text : { "hello", "a second line\n", "x" }) {
            EXPECT_EQ(write(file, text), static_cast<long>(text.size()));
            EXPECT_EQ(file.read_string(), text);
            EXPECT_EQ(file.read_string(), "") << "each answer is read once";
        }
    }
    EXPECT_EQ(shim_host::module_unload(), 0);
}

TEST_F(Echo, OneRequestPerFileAtATime)
{
    ASSERT_EQ(load(), 0);
    {
        OpenFile first("echo");
        OpenFile second("echo");
        EXPECT_EQ(write(first, "one"), 3);
        EXPECT_EQ(write(first, "two"), -SHIM_EBUSY) << "the answer to \"one\" is not read yet";
        EXPECT_EQ(write(second, "three"), 5) << "another file has its own session";
        EXPECT_EQ(second.read_string(), "three");
        EXPECT_EQ(first.read_string(2), "on") << "a short read gets the start";
        EXPECT_EQ(write(first, ""), -SHIM_EINVAL) << "an empty write is refused";
        first.release(); // nothing in flight; the session goes with the file
        EXPECT_EQ(write(second, "left in flight"), 14); // close waits for the worker
    }
    EXPECT_EQ(shim_host::module_unload(), 0);
}

TEST_F(Echo, IoctlAndMmapAreRefusedAndLogged)
{
    ASSERT_EQ(load(), 0);
    {
        OpenFile file("echo");
        EXPECT_EQ(shim_host::vfs_ioctl(file.file(), 0x1234), -SHIM_ENOTTY);
        EXPECT_EQ(shim_host::vfs_mmap(file.file()), -SHIM_ENODEV);
        EXPECT_EQ(shim_host::log_count("echo: ioctl 0x1234 refused: no ioctls"), 1u);
        EXPECT_EQ(shim_host::log_count("echo: mmap refused: nothing to map"), 1u);
        EXPECT_EQ(shim_host::module_unload(), -SHIM_EBUSY) << "an open file pins the module";
    }
    EXPECT_EQ(shim_host::module_unload(), 0);
}

TEST_F(Echo, EveryLoadStepCanFailCleanly)
{
    using shim_host::Step;
    for (Step step : { Step::alloc, Step::chrdev_region, Step::kthread_create, Step::cdev_add, Step::class_create,
             Step::device_create }) {
        shim_host::reset();
        shim_host::fail_nth(step, 1, -SHIM_ENOMEM);
        EXPECT_EQ(load(), -SHIM_ENOMEM) << shim_host::step_name(step);
        EXPECT_TRUE(shim_host::live().all_zero())
            << shim_host::step_name(step) << ": " << shim_host::to_string(shim_host::live());
        EXPECT_FALSE(shim_host::node_exists("echo"));
    }
    shim_host::clear_faults();
    ASSERT_EQ(load(), 0);
    EXPECT_EQ(shim_host::module_unload(), 0);
}

} // namespace
