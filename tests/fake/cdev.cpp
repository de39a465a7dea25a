// SPDX-License-Identifier: GPL-2.0
// cdev.cpp - lib/shim/cdev.c and <linux/cdev.h>'s cdev_add()/cdev_del()
// on the host. An added cdev serves its device numbers: the VFS
// (vfs.cpp) finds a node's file operations through it, as chrdev_open()
// does.
#include "fake/fake.h"

using namespace shim_host;

HOST_FITS(HostCdev, shim_cdev);

namespace {

HostCdev* host_cdev(cdev* p) { return as<HostCdev>(reinterpret_cast<shim_cdev*>(p)); }

// Whether [dev, dev + count) lies in one allocated region (g.m held).
bool in_region(unsigned int dev, unsigned int count)
{
    auto region = g.regions.upper_bound(dev);
    if (region == g.regions.begin())
        return false;
    --region;
    return dev - region->first + count <= region->second;
}

} // namespace

extern "C" {

void shim_cdev_init(shim_cdev* cd, const file_operations* fops)
{
    // cdev_init() zeroes the whole cdev first.
    new (cd->opaque) HostCdev { fops, 0, 0, false };
}

int cdev_add(cdev* p, unsigned int dev, unsigned int count)
{
    HostCdev* x = host_cdev(p);
    {
        std::lock_guard guard(g.m);
        if (!x->ops)
            record_bug_locked("cdev_add() of a cdev not initialised (cdev_init())");
        if (x->added)
            record_bug_locked("cdev_add() of a cdev already added");
        if (!in_region(dev, count))
            record_bug_locked("cdev_add() without an allocated region");
    }
    if (int error = injected(Step::cdev_add))
        return error;
    std::lock_guard guard(g.m);
    for (unsigned int i = 0; i < count; ++i)
        if (g.cdevs.count(dev + i))
            return -EBUSY; // the fake maps one cdev per number
    for (unsigned int i = 0; i < count; ++i)
        g.cdevs.emplace(dev + i, x);
    x->dev = dev;
    x->count = count;
    x->added = true;
    ++g.res.cdevs;
    return 0;
}

void cdev_del(cdev* p)
{
    HostCdev* x = host_cdev(p);
    std::lock_guard guard(g.m);
    if (!x->added) {
        record_bug_locked("cdev_del() of a cdev not added");
        return;
    }
    for (unsigned int i = 0; i < x->count; ++i)
        g.cdevs.erase(x->dev + i);
    x->added = false;
    --g.res.cdevs;
}

} // extern "C"
