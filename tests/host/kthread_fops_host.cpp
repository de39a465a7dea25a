// SPDX-License-Identifier: GPL-2.0
// kthread_fops_host.cpp - the host's copy of kthread/kthread_fops.c: the
// same C++ entry points in a file_operations table the host VFS calls.
// The refusals (write, ioctl, mmap) and the sysfs files are kernel C and
// are tested in the VM suite; the host reads the counters through
// kthread_counter_value() with the device's drvdata.
#include "host/host_kernel.h"
#include "kthread/kthread.h"

extern "C" {

const file_operations kthread_fops = {
    .open = kthread_open,
    .read = kthread_read,
    .release = kthread_release,
    .write = nullptr, // the kernel's table refuses writes in C (kthread_fops.c)
};

const attribute_group* kthread_groups[] = { nullptr };

} // extern "C"
