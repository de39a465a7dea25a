// SPDX-License-Identifier: GPL-2.0
/*
 * offsets.c - where the C++ finds the kernel struct fields it reads and
 * writes (kernel/Field.h). Never linked: kbuild compiles it to assembly
 * against the kernel's own headers and turns each OFFSET() into a line of
 * kcxx_offsets.h, as the kernel makes asm-offsets.h (lib/kcxx.mk). A field
 * that moves gets its new offset; one that is renamed or changes type
 * breaks the build here. Reading a field then costs the C++ one load, not
 * a call to a helper.
 */
#include <linux/fs.h>
#include <linux/kbuild.h>
#include <linux/uio.h>
#include <linux/wait.h>

/* The types the C++ reads these fields as. */
static_assert(__same_type(((struct file *)0)->private_data, void *));
static_assert(__same_type(((struct kiocb *)0)->ki_filp, struct file *));
static_assert(__same_type(((struct kiocb *)0)->ki_pos, loff_t));
static_assert(__same_type(((struct wait_queue_head *)0)->head,
			  struct list_head));
static_assert(offsetof(struct list_head, next) == 0);
static_assert(__same_type(((struct iov_iter *)0)->count, size_t));

/* __used: nothing calls it; only its assembly is read. */
static void __used kcxx_offsets(void)
{
	/* <linux/fs.h>: what open() attached; read_iter()'s file and position */
	OFFSET(KCXX_FILE_PRIVATE_DATA, file, private_data);
	OFFSET(KCXX_KIOCB_FILP, kiocb, ki_filp);
	OFFSET(KCXX_KIOCB_POS, kiocb, ki_pos);
	/* <linux/wait.h>: waitqueue_active() reads the list's first link */
	OFFSET(KCXX_WAIT_QUEUE_HEAD_HEAD, wait_queue_head, head);
	/* <linux/uio.h>: iov_iter_count() */
	OFFSET(KCXX_IOV_ITER_COUNT, iov_iter, count);
}
