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
#include <linux/cdev.h>
#include <linux/fs.h>
#include <linux/kbuild.h>
#include <linux/uio.h>
#include <linux/wait.h>

/* A list's first link is where the list starts (waitqueue_active()). */
static_assert(offsetof(struct list_head, next) == 0);

/*
 * KCXX_<name>: the offset of struct <type>'s <field>, which the C++ reads
 * as a <field_type>.
 */
#define KCXX_FIELD(name, type, field, field_type)				\
	do {									\
		static_assert(__same_type(((struct type *)0)->field, field_type)); \
		OFFSET(KCXX_##name, type, field);				\
	} while (0)

/*
 * KCXX_FOPS_<name>: struct file_operations, as kernel/FileOperations.h
 * builds it: each entry of its type, in a pointer-sized slot (the slots'
 * order is taken from here, so a randomised layout is followed too).
 */
#define KCXX_FOPS_SLOT(name, field, slot_type)					\
	do {									\
		static_assert(__same_type(((struct file_operations *)0)->field, \
					  slot_type));				\
		static_assert(offsetof(struct file_operations, field) %		\
			      sizeof(void *) == 0);				\
		OFFSET(KCXX_FOPS_##name, file_operations, field);		\
	} while (0)

static_assert(sizeof(struct file_operations) % sizeof(void *) == 0);
static_assert(__alignof__(struct file_operations) <= sizeof(void *));

/* __used: nothing calls it; only its assembly is read. */
static void __used kcxx_offsets(void)
{
	/* <linux/fs.h>: what open() attached; read_iter()'s file and position */
	KCXX_FIELD(FILE_PRIVATE_DATA, file, private_data, void *);
	KCXX_FIELD(KIOCB_FILP, kiocb, ki_filp, struct file *);
	KCXX_FIELD(KIOCB_POS, kiocb, ki_pos, loff_t);
	/* <linux/wait.h>: waitqueue_active() reads the list's first link */
	KCXX_FIELD(WAIT_QUEUE_HEAD_HEAD, wait_queue_head, head, struct list_head);
	/* <linux/uio.h>: iov_iter_count() */
	KCXX_FIELD(IOV_ITER_COUNT, iov_iter, count, size_t);
	/* <linux/fs.h>: file_inode(); a character device's inode->i_cdev */
	KCXX_FIELD(FILE_F_INODE, file, f_inode, struct inode *);
	KCXX_FIELD(INODE_I_CDEV, inode, i_cdev, struct cdev *);
	/* <linux/fs.h>: the file operations table (kernel/FileOperations.h) */
	DEFINE(KCXX_FOPS_SIZE, sizeof(struct file_operations));
	KCXX_FOPS_SLOT(OWNER, owner, struct module *);
	KCXX_FOPS_SLOT(LLSEEK, llseek, loff_t (*)(struct file *, loff_t, int));
	KCXX_FOPS_SLOT(READ, read,
		       ssize_t (*)(struct file *, char __user *, size_t, loff_t *));
	KCXX_FOPS_SLOT(WRITE, write,
		       ssize_t (*)(struct file *, const char __user *, size_t, loff_t *));
	KCXX_FOPS_SLOT(READ_ITER, read_iter,
		       ssize_t (*)(struct kiocb *, struct iov_iter *));
	KCXX_FOPS_SLOT(UNLOCKED_IOCTL, unlocked_ioctl,
		       long (*)(struct file *, unsigned int, unsigned long));
	KCXX_FOPS_SLOT(COMPAT_IOCTL, compat_ioctl,
		       long (*)(struct file *, unsigned int, unsigned long));
	KCXX_FOPS_SLOT(MMAP, mmap, int (*)(struct file *, struct vm_area_struct *));
	KCXX_FOPS_SLOT(OPEN, open, int (*)(struct inode *, struct file *));
	KCXX_FOPS_SLOT(RELEASE, release, int (*)(struct inode *, struct file *));
}
