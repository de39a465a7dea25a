// SPDX-License-Identifier: GPL-2.0
// crcpool_host.cpp - the host's copy of crcpool.ko's C half
// (crcpool/crcpool_main.c): the parameters. Their checks are kernel C,
// tested in the VM suite.
#include "tests/host/crcpool_host.h"
#include "tests/host/test_support.h"

#include <mutex>

#include "crcpool/crcpool.h"
#include "fake/host.h"

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

unsigned int crcpool_param_max_pinned(void)
{
    std::lock_guard guard(crcpool_host::params_mutex);
    return crcpool_host::current.max_pinned;
}

} // extern "C"
