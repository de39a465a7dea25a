// SPDX-License-Identifier: GPL-2.0
/*
 * kernel_api_check.c - compiles kernel_api.h after the kernel's own
 * headers: a prototype there that differs from the kernel's is a
 * "conflicting types" error here, on every kernel the module is built for.
 * It emits no code.
 */
#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/crc32c.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "kernel_api.h"

static_assert(sizeof(dev_t) == sizeof(unsigned int), "dev_t changed");

/* kernel/Atomic.h: C code may use atomic_*() on an Atomic<T>'s raw(). */
static_assert(sizeof(atomic_t) == 4 && offsetof(atomic_t, counter) == 0,
	      "atomic_t changed");
static_assert(sizeof(atomic64_t) == 8 && offsetof(atomic64_t, counter) == 0,
	      "atomic64_t changed");

/*
 * The C++ calls __wake_up() through a prototype that drops its result: its
 * parameters must be the kernel's, whichever result type it has.
 */
typedef void wake_up_void_fn(struct wait_queue_head *wq_head, unsigned int mode,
			     int nr, void *key);
typedef int wake_up_int_fn(struct wait_queue_head *wq_head, unsigned int mode,
			   int nr, void *key);
static_assert(__same_type(__wake_up, wake_up_void_fn) ||
	      __same_type(__wake_up, wake_up_int_fn),
	      "__wake_up() changed its parameters");
static_assert(KAPI_TASK_NORMAL == TASK_NORMAL, "TASK_NORMAL changed");
static_assert(KAPI_TASK_UNINTERRUPTIBLE == TASK_UNINTERRUPTIBLE,
	      "TASK_UNINTERRUPTIBLE changed");

#if LINUX_VERSION_CODE >= KERNEL_VERSION(5, 15, 0)
static_assert(__same_type(kapi_printk, _printk), "_printk() changed");
#else
static_assert(__same_type(kapi_printk, printk), "printk() changed");
#endif

/*
 * crc32c(): the C++ passes a size_t length; the kernel's takes an unsigned
 * int (libcrc32c, to 6.12) or a size_t (lib/crc, 7.3).
 */
typedef u32 crc32c_uint_fn(u32 crc, const void *address, unsigned int length);
typedef u32 crc32c_size_fn(u32 crc, const void *p, size_t len);
static_assert(__same_type(crc32c, crc32c_uint_fn) ||
	      __same_type(crc32c, crc32c_size_fn),
	      "crc32c() changed its parameters");
static_assert(sizeof(size_t) == sizeof(__SIZE_TYPE__), "size_t changed");
