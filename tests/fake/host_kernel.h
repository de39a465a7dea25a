// SPDX-License-Identifier: GPL-2.0
// host_kernel.h - the few kernel structures the host fake needs to see
// inside: what the kernel's VFS hands to a module's file operations.
// The module's code sees them only declared (struct file; ...), as in the
// kernel, so that it cannot depend on these host layouts.
#pragma once

extern "C" {

struct module {
    int unused;
};

struct cdev;

struct inode {
    cdev* i_cdev; // the cdev the VFS found for the node's number
};

struct file {
    void* private_data;
    inode* f_inode;
};

struct kiocb;
struct iov_iter;
struct vm_area_struct;

// The members kernel/FileOperations.h fills, in the kernel's order; the
// host's kcxx_offsets.h gives their places (checked in fs.cpp).
struct file_operations {
    module* owner;
    long long (*llseek)(file*, long long, int);
    long (*read)(file*, char*, unsigned long, long long*);
    long (*write)(file*, const char*, unsigned long, long long*);
    long (*read_iter)(kiocb*, iov_iter*);
    long (*unlocked_ioctl)(file*, unsigned int, unsigned long);
    long (*compat_ioctl)(file*, unsigned int, unsigned long);
    int (*mmap)(file*, vm_area_struct*);
    int (*open)(inode*, file*);
    int (*release)(inode*, file*);
};

// What shim_counters_init() builds (sysfs.cpp): the counters' names and
// the module's function that reads them.
struct attribute_group {
    const char* const* names;
    unsigned int count;
    unsigned long long (*value)(void* drvdata, unsigned int index);
};

// read_iter()'s arguments, reduced to one flat buffer.
struct kiocb {
    file* ki_filp;
    long long ki_pos;
};

struct iov_iter {
    char* buffer;
    unsigned long count;
};

} // extern "C"
