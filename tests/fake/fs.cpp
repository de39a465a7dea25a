// SPDX-License-Identifier: GPL-2.0
// fs.cpp - <linux/fs.h>'s device number regions and struct fields on the
// host. A region is accounted until unregistered; unregistering it while
// a cdev still serves its numbers is a bug.
#include "fake/fake.h"
#include "kcxx_offsets.h"

#include <cstddef>

using namespace shim_host;

extern "C" {

int alloc_chrdev_region(unsigned int* dev, unsigned int baseminor, unsigned int count, const char*)
{
    might_sleep("alloc_chrdev_region");
    if (int error = injected(Step::chrdev_region))
        return error;
    std::lock_guard guard(g.m);
    // Dynamic majors, as find_dynamic_major() hands them out (-EBUSY when
    // the dynamic range is used up).
    for (unsigned int major = 240; major <= 254; ++major) {
        bool used = false;
        for (const auto& [first, n] : g.regions)
            used |= first >> SHIM_MINORBITS == major;
        if (used)
            continue;
        *dev = major << SHIM_MINORBITS | baseminor;
        g.regions.emplace(*dev, count);
        ++g.res.regions;
        return 0;
    }
    return -EBUSY;
}

void unregister_chrdev_region(unsigned int from, unsigned int count)
{
    std::lock_guard guard(g.m);
    auto region = g.regions.find(from);
    if (region == g.regions.end() || region->second != count) {
        record_bug_locked("unregister_chrdev_region() of a region not allocated");
        return;
    }
    auto cdev = g.cdevs.lower_bound(from);
    if (cdev != g.cdevs.end() && cdev->first - from < count)
        record_bug_locked("unregister_chrdev_region() while its cdev is still added");
    g.regions.erase(region);
    --g.res.regions;
}

} // extern "C"

// The fields kernel/Field.h reads (tests/fake/include/kcxx_offsets.h).
namespace shim_host {
extern const unsigned long offset_file_private_data = offsetof(file, private_data);
extern const unsigned long offset_kiocb_filp = offsetof(kiocb, ki_filp);
extern const unsigned long offset_kiocb_pos = offsetof(kiocb, ki_pos);
extern const unsigned long offset_file_f_inode = offsetof(file, f_inode);
extern const unsigned long offset_inode_i_cdev = offsetof(inode, i_cdev);
} // namespace shim_host

static_assert(sizeof(file_operations) == KCXX_FOPS_SIZE);
static_assert(offsetof(file_operations, owner) == KCXX_FOPS_OWNER);
static_assert(offsetof(file_operations, llseek) == KCXX_FOPS_LLSEEK);
static_assert(offsetof(file_operations, read) == KCXX_FOPS_READ);
static_assert(offsetof(file_operations, write) == KCXX_FOPS_WRITE);
static_assert(offsetof(file_operations, read_iter) == KCXX_FOPS_READ_ITER);
static_assert(offsetof(file_operations, unlocked_ioctl) == KCXX_FOPS_UNLOCKED_IOCTL);
static_assert(offsetof(file_operations, compat_ioctl) == KCXX_FOPS_COMPAT_IOCTL);
static_assert(offsetof(file_operations, mmap) == KCXX_FOPS_MMAP);
static_assert(offsetof(file_operations, open) == KCXX_FOPS_OPEN);
static_assert(offsetof(file_operations, release) == KCXX_FOPS_RELEASE);

// THIS_MODULE, and the llseek a table names (the VFS here has no lseek()).
extern "C" {
module __this_module;
long long default_llseek(file*, long long, int) { return 0; }
long long noop_llseek(file*, long long, int) { return 0; }
}
