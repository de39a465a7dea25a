// SPDX-License-Identifier: GPL-2.0
/*
 * wait.c - <linux/wait.h>: wait_event() is a macro, and the C++ runs its
 * loop through the exported steps (kernel_api.h, kernel/WaitQueue.h), as
 * it calls __wake_up() for wake_up_all(). Nothing is left to wrap; what
 * stays is the check that the kernel's objects fit the C++ storage.
 */
#include <linux/wait.h>

#include "storage.h"

SHIM_FITS(struct wait_queue_head, struct shim_waitqueue);
SHIM_FITS(struct wait_queue_entry, struct shim_wait_entry);
