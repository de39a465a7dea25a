// SPDX-License-Identifier: GPL-2.0
// kcxx_offsets.h (host) - what kbuild generates from lib/shim/offsets.c,
// for the host fake's structs (host_kernel.h). Constants defined in the
// fake, so that module code still sees those structs only declared.
#pragma once

namespace shim_host {
extern const unsigned long offset_file_private_data;
extern const unsigned long offset_kiocb_filp;
extern const unsigned long offset_kiocb_pos;
extern const unsigned long offset_iov_iter_count;
extern const unsigned long offset_wait_queue_head_head;
extern const unsigned long offset_file_f_inode;
extern const unsigned long offset_inode_i_cdev;
} // namespace shim_host

#define KCXX_FILE_PRIVATE_DATA shim_host::offset_file_private_data
#define KCXX_KIOCB_FILP shim_host::offset_kiocb_filp
#define KCXX_KIOCB_POS shim_host::offset_kiocb_pos
#define KCXX_IOV_ITER_COUNT shim_host::offset_iov_iter_count
#define KCXX_WAIT_QUEUE_HEAD_HEAD shim_host::offset_wait_queue_head_head
#define KCXX_FILE_F_INODE shim_host::offset_file_f_inode
#define KCXX_INODE_I_CDEV shim_host::offset_inode_i_cdev

// struct file_operations: constants, as the table is built at compile
// time (the fake's fs.cpp checks them against its struct).
#define KCXX_FOPS_SIZE 80
#define KCXX_FOPS_OWNER 0
#define KCXX_FOPS_LLSEEK 8
#define KCXX_FOPS_READ 16
#define KCXX_FOPS_WRITE 24
#define KCXX_FOPS_READ_ITER 32
#define KCXX_FOPS_UNLOCKED_IOCTL 40
#define KCXX_FOPS_COMPAT_IOCTL 48
#define KCXX_FOPS_MMAP 56
#define KCXX_FOPS_OPEN 64
#define KCXX_FOPS_RELEASE 72
