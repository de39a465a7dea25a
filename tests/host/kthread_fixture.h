// SPDX-License-Identifier: GPL-2.0
// kthread_fixture.h - what the tests of kthread/kthread_module.cpp share
// (module_test.cpp, roundtrip_test.cpp): insmod and rmmod with parameters,
// reads as the classic demo does them, the log's event lines.
#pragma once

#include <string>
#include <vector>

#include "tests/host/test_support.h"

namespace host_test {

using shim_host::OpenFile;

inline constexpr const char* node = "lothars_chardev";

inline std::string read_event_line(unsigned long long number)
{
    return "event came from READ function - " + std::to_string(number);
}

// The numbers of the "event came from READ function - N" lines, in log order.
inline std::vector<unsigned long long> logged_event_numbers()
{
    const std::string prefix = "event came from READ function - ";
    std::vector<unsigned long long> numbers;
    for (const std::string& line : shim_host::log_texts())
        if (line.rfind(prefix, 0) == 0)
            numbers.push_back(std::stoull(line.substr(prefix.size())));
    return numbers;
}

// One classic read: open, read (returns 0 at once), close.
inline long classic_read()
{
    OpenFile file(node);
    if (file.error())
        return file.error();
    char buffer[16];
    return file.read(buffer, sizeof(buffer));
}

inline bool wait_events(unsigned long long count)
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

} // namespace host_test
