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
} // namespace shim_host

#define KCXX_FILE_PRIVATE_DATA shim_host::offset_file_private_data
#define KCXX_KIOCB_FILP shim_host::offset_kiocb_filp
#define KCXX_KIOCB_POS shim_host::offset_kiocb_pos
#define KCXX_IOV_ITER_COUNT shim_host::offset_iov_iter_count
#define KCXX_WAIT_QUEUE_HEAD_HEAD shim_host::offset_wait_queue_head_head
