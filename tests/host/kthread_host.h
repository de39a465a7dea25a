// SPDX-License-Identifier: GPL-2.0
// kthread_host.h - kthread.ko on the host fake: its parameters, its
// tracepoints, and insmod with its entry points. The fake (tests/fake/)
// knows no module; this is what kthread_main.c and kthread_events.c are
// in the kernel.
#pragma once

#include <vector>

#include "fake/host.h"
#include "kthread/kthread.h"

namespace kthread_host {

// The module parameters (kthread_main.c), as insmod's arguments set them.
struct Params {
    bool roundtrip = false;
    bool log_events = true;
    bool quiet = false; // 1: no log line per event
};

// insmod kthread.ko with params: kthread_param_* set, then kthread_load()
// through shim_host::module_load(); rmmod is shim_host::module_unload().
int module_load(const Params& params = {});

// Clears the recorded events (HostTest calls it with shim_host::reset()).
void reset();

// The numbers the tracepoints saw since the last reset(), in call order:
// kthread_event_posted() (a read posting its event) and
// kthread_event_handled() (the thread taking it).
std::vector<unsigned long long> events_posted();
std::vector<unsigned long long> events_handled();

} // namespace kthread_host
