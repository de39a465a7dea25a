// SPDX-License-Identifier: GPL-2.0
// host_kernel.h - the few kernel structures the host fake needs to see
// inside: what the kernel's VFS hands to a module's file operations.
// The module's code sees them only declared (struct file; ...), as in the
// kernel, so that it cannot depend on these host layouts.
#pragma once

extern "C" {

struct inode {
    int unused;
};

struct file {
    void* private_data;
};

// The members the module's table sets that the host VFS calls.
struct file_operations {
    int (*open)(inode*, file*);
    long (*read)(file*, char*, unsigned long, long long*);
    int (*release)(inode*, file*);
    long (*write)(file*, const char*, unsigned long, long long*);
};

struct attribute_group {
    int unused;
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
