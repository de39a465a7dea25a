// SPDX-License-Identifier: GPL-2.0
// crcpool_host.h - crcpool.ko's parameters on the host (crcpool_main.c's
// module parameters in the kernel), set by the tests before a load.
#pragma once

namespace crcpool_host {

struct Params {
    unsigned int workers = 2; // what crcpool_init() resolves "one per CPU" to
    unsigned int max_request = 65536;
    unsigned int max_pinned = 64u << 20;
};
void set_params(const Params& params);

// insmod crcpool.ko: crcpool_module_load() through shim_host::module_load();
// rmmod is shim_host::module_unload().
int module_load();

} // namespace crcpool_host
