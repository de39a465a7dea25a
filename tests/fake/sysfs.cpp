// SPDX-License-Identifier: GPL-2.0
// sysfs.cpp - lib/shim/sysfs.c on the host: a device's counters are one
// group of names and the module's function that reads them, which the
// host's sysfs_read() (vfs.cpp) finds by name.
#include "fake/fake.h"

using namespace shim_host;

namespace {

struct HostCounters {
    attribute_group group;
    const attribute_group* groups[2];
};

} // namespace

HOST_FITS(HostCounters, shim_counters);

extern "C" const attribute_group** shim_counters_init(
    shim_counters* counters, const char* const* names, unsigned int count, shim_counter_fn value)
{
    if (count > SHIM_COUNTERS_MAX)
        record_bug("shim_counters_init() of more than SHIM_COUNTERS_MAX counters");
    auto* c = new (counters->opaque) HostCounters { { names, count, value }, { nullptr, nullptr } };
    c->groups[0] = &c->group;
    return c->groups;
}
