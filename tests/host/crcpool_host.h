// SPDX-License-Identifier: GPL-2.0
// crcpool_host.h - crcpool.ko on the host fake: its parameters and insmod
// with its entry points, what crcpool_main.c is in the kernel.
#pragma once

#include "host/host.h"

namespace crcpool_host {

// The module parameters, as crcpool_main.c hands them on (workers already
// resolved from "one per online CPU").
struct Params {
    unsigned int workers = 2;
    unsigned int max_request = 65536;
};

// insmod crcpool.ko with params; rmmod is shim_host::module_unload().
int module_load(const Params& params = {});

} // namespace crcpool_host
