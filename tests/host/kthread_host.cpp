// SPDX-License-Identifier: GPL-2.0
// kthread_host.cpp - the host's kthread_main.c and kthread_events.c: the
// parameters are plain variables the test sets before insmod, and the
// tracepoints record the event numbers they see.
#include "tests/host/kthread_host.h"
#include "tests/host/test_support.h"

#include <cerrno>
#include <mutex>

namespace {

struct Events {
    std::mutex m;
    std::vector<unsigned long long> posted;
    std::vector<unsigned long long> handled;
};

// Never destroyed: the module's thread may still post while the process exits.
Events& events = *new Events;

} // namespace

extern "C" {

// The defaults of kthread_main.c; module_load() sets them.
bool kthread_param_roundtrip = false;
bool kthread_param_log_events = true;
bool kthread_param_quiet = false;

// The tracepoints (kthread_events.c in the kernel).
void kthread_event_posted(unsigned long long number)
{
    std::lock_guard guard(events.m);
    events.posted.push_back(number);
}

void kthread_event_handled(unsigned long long number)
{
    std::lock_guard guard(events.m);
    events.handled.push_back(number);
}

} // extern "C"

namespace kthread_host {

int module_load(const Params& params)
{
    // Read only by kthread_load(), on this thread; a loaded module keeps
    // its parameters (insmod of it again fails with -EEXIST).
    if (shim_host::module_loaded())
        return -EEXIST;
    kthread_param_roundtrip = params.roundtrip;
    kthread_param_log_events = params.log_events;
    kthread_param_quiet = params.quiet;
    return shim_host::module_load({ .name = "kthread", .init = kthread_load, .exit = kthread_unload });
}

void reset()
{
    std::lock_guard guard(events.m);
    events.posted.clear();
    events.handled.clear();
}

std::vector<unsigned long long> events_posted()
{
    std::lock_guard guard(events.m);
    return events.posted;
}

std::vector<unsigned long long> events_handled()
{
    std::lock_guard guard(events.m);
    return events.handled;
}

} // namespace kthread_host

void host_test::reset_module_host() { kthread_host::reset(); }
