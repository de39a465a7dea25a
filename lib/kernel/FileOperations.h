// SPDX-License-Identifier: GPL-2.0
// FileOperations.h - struct file_operations, built by the C++ as the
// kernel lays it out. The C++ cannot include <linux/fs.h>; kbuild compiles
// lib/shim/offsets.c against it into kcxx_offsets.h, which gives the
// struct's size and where each entry the library fills is (offsets.c also
// checks each entry's type and that each sits in a pointer-sized slot). So
// the table is a constant in .rodata, as a C driver's is, with no C file
// per module and no function of ours between the kernel and the handler.
#pragma once

#include "kcxx_offsets.h"
#include "kernel/Utility.h"
#include "shim/shim.h"

extern "C" {
struct module;
struct inode;
struct kiocb;
struct iov_iter;
// THIS_MODULE: defined by modpost in <module>.mod.c (by the fake in tests).
extern struct module __this_module; // NOLINT(bugprone-reserved-identifier): the kernel's name
}

namespace kernel {

// One pointer-sized slot of the table: whichever entry lives there.
union FileOperationSlot {
    const void* none;
    module* owner;
    long long (*llseek)(file*, long long, int);
    long (*read)(file*, char __user*, unsigned long, long long*);
    long (*write)(file*, const char __user*, unsigned long, long long*);
    long (*read_iter)(kiocb*, iov_iter*);
    long (*ioctl)(file*, unsigned int, unsigned long);
    int (*mmap)(file*, vm_area_struct*);
    int (*open)(inode*, file*);
    int (*release)(inode*, file*);
};

struct FileOperations {
    FileOperationSlot slots[KCXX_FOPS_SIZE / sizeof(void*)];

    // The slot of the entry at this offset in struct file_operations.
    constexpr FileOperationSlot& at(unsigned long offset) { return slots[offset / sizeof(void*)]; }
    const file_operations* raw() const { return static_cast<const file_operations*>(static_cast<const void*>(this)); }
};

static_assert(sizeof(FileOperations) == KCXX_FOPS_SIZE, "struct file_operations is not whole pointer slots");

} // namespace kernel
