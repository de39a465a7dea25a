// SPDX-License-Identifier: GPL-2.0
// crcpool_host.cpp - the host's copy of crcpool.ko's C half
// (crcpool/crcpool_fops.c, crcpool/crcpool_main.c): the C++ entry points in
// a file_operations table the host VFS calls, the parameters, and the
// refusal log line. The sysfs files and the parameter checks are kernel C,
// tested in the VM suite.
#include "tests/host/crcpool_host.h"
#include "tests/host/test_support.h"

#include <mutex>

#include "crcpool/crcpool_fops.h"
#include "host/host.h"
#include "host/host_kernel.h"
#include "kernel/Log.h"

namespace crcpool_host {
namespace {
std::mutex params_mutex;
Params current;
} // namespace

void set_params(const Params& params)
{
    std::lock_guard guard(params_mutex);
    current = params;
}

int module_load() { return shim_host::module_load({ "crcpool", crcpool_module_load, crcpool_module_unload }); }

} // namespace crcpool_host

// The parameters go back to their defaults between tests.
void host_test::reset_module_host() { crcpool_host::set_params({}); }

extern "C" {

const file_operations crcpool_fops = {
    .open = crcpool_open,
    .read = crcpool_read,
    .release = crcpool_release,
    .write = crcpool_write,
};

const attribute_group* crcpool_groups[] = { nullptr };

unsigned int crcpool_param_workers(void)
{
    std::lock_guard guard(crcpool_host::params_mutex);
    return crcpool_host::current.workers;
}

unsigned int crcpool_param_max_request(void)
{
    std::lock_guard guard(crcpool_host::params_mutex);
    return crcpool_host::current.max_request;
}

void crcpool_log_refused(const char* why, unsigned long len)
{
    kapi_printk(KERNEL_LEVEL_INFO "crcpool: %s (%lu bytes): refused\n", why, len);
}

} // extern "C"
