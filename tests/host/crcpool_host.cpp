// SPDX-License-Identifier: GPL-2.0
// crcpool_host.cpp - the host's copy of crcpool.ko's C half
// (crcpool/crcpool_fops.c, crcpool/crcpool_main.c): the C++ entry points in
// a file_operations table the host VFS calls, the parameters, the refusal
// log line. The sysfs files and the parameters' checks are kernel C,
// tested in the VM suite.
#include "tests/host/crcpool_host.h"

#include <cerrno>

#include "crcpool/crcpool_fops.h"
#include "kernel/Log.h"

namespace {

// Read only by crcpool_module_load(), on the thread that loads.
crcpool_host::Params params;

} // namespace

extern "C" {

const file_operations crcpool_fops = {
    .open = crcpool_open,
    .read = crcpool_read,
    .release = crcpool_release,
    .write = crcpool_write,
};

const attribute_group* crcpool_groups[] = { nullptr };

unsigned int crcpool_param_workers(void) { return params.workers; }

unsigned int crcpool_param_max_request(void) { return params.max_request; }

void crcpool_log_refused(const char* why, unsigned long len)
{
    kapi_printk(KERNEL_LEVEL_INFO "crcpool: %s (%lu bytes): refused\n", why, len);
}

} // extern "C"

namespace crcpool_host {

int module_load(const Params& module_params)
{
    if (shim_host::module_loaded())
        return -EEXIST;
    params = module_params;
    return shim_host::module_load({ .name = "crcpool", .init = crcpool_module_load, .exit = crcpool_module_unload });
}

} // namespace crcpool_host
