// SPDX-License-Identifier: GPL-2.0
// printk.cpp - <linux/printk.h> on the host: the entry pr_info() calls
// (kernel_api.h), into the fake's log.
#include "fake/fake.h"

using namespace shim_host;

extern "C" {

// printk(): the level is the format's "\001<digit>" head; the line ends
// with a newline, which the log stores without.
int kapi_printk(const char* fmt, ...)
{
    int level = 4; // the default message level
    if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
        level = fmt[1] - '0';
        fmt += 2;
    } else {
        record_bug("printk() of a line without a level");
    }
    va_list args;
    va_start(args, fmt);
    std::string text = vformat(fmt, args);
    va_end(args);
    if (text.empty() || text.back() != '\n')
        record_bug("printk() of a line without its newline: " + text);
    else
        text.pop_back();
    int length = static_cast<int>(text.size());
    log_line(level <= 3, std::move(text));
    return length;
}

} // extern "C"

// Every rate-limited line is logged: the tests count them.
extern "C" bool shim_printk_ratelimit(void) { return true; }
