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

/* The types the C++ reads these fields as. */
static_assert(__same_type(((struct file *)0)->private_data, void *));
static_assert(__same_type(((struct kiocb *)0)->ki_filp, struct file *));
static_assert(__same_type(((struct kiocb *)0)->ki_pos, loff_t));
static_assert(__same_type(((struct wait_queue_head *)0)->head,
			  struct list_head));
static_assert(offsetof(struct list_head, next) == 0);
static_assert(__same_type(((struct iov_iter *)0)->count, size_t));
static_assert(__same_type(((struct file *)0)->f_inode, struct inode *));
static_assert(__same_type(((struct inode *)0)->i_cdev, struct cdev *));

/*
 * struct file_operations, as kernel/FileOperations.h builds it: each entry
 * of these types, in a pointer-sized slot (the slots' order is taken from
 * here, so a randomised layout is followed too).
 */
static_assert(__same_type(((struct file_operations *)0)->owner,
			  struct module *));
static_assert(__same_type(((struct file_operations *)0)->llseek,
			  loff_t (*)(struct file *, loff_t, int)));
static_assert(__same_type(((struct file_operations *)0)->read,
			  ssize_t (*)(struct file *, char __user *, size_t, loff_t *)));
static_assert(__same_type(((struct file_operations *)0)->write,
			  ssize_t (*)(struct file *, const char __user *,
				      size_t, loff_t *)));
static_assert(__same_type(((struct file_operations *)0)->read_iter,
			  ssize_t (*)(struct kiocb *, struct iov_iter *)));
static_assert(__same_type(((struct file_operations *)0)->unlocked_ioctl,
			  long (*)(struct file *, unsigned int, unsigned long)));
static_assert(__same_type(((struct file_operations *)0)->compat_ioctl,
			  long (*)(struct file *, unsigned int, unsigned long)));
static_assert(__same_type(((struct file_operations *)0)->mmap,
			  int (*)(struct file *, struct vm_area_struct *)));
static_assert(__same_type(((struct file_operations *)0)->open,
			  int (*)(struct inode *, struct file *)));
static_assert(__same_type(((struct file_operations *)0)->release,
			  int (*)(struct inode *, struct file *)));
static_assert((offsetof(struct file_operations, owner) |
	       offsetof(struct file_operations, llseek) |
	       offsetof(struct file_operations, read) |
	       offsetof(struct file_operations, write) |
	       offsetof(struct file_operations, read_iter) |
	       offsetof(struct file_operations, unlocked_ioctl) |
	       offsetof(struct file_operations, compat_ioctl) |
	       offsetof(struct file_operations, mmap) |
	       offsetof(struct file_operations, open) |
	       offsetof(struct file_operations, release)) %
	      sizeof(void *) == 0);
static_assert(sizeof(struct file_operations) % sizeof(void *) == 0);
static_assert(__alignof__(struct file_operations) <= sizeof(void *));

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
	/* <linux/fs.h>: file_inode(); a character device's inode->i_cdev */
	OFFSET(KCXX_FILE_F_INODE, file, f_inode);
	OFFSET(KCXX_INODE_I_CDEV, inode, i_cdev);
	/*
	 * <linux/fs.h>: the file operations table (kernel/FileOperations.h),
	 * KCXX_FOPS_<NAME> a slot (as the kernel's asm-offsets name pt_regs'
	 * entries with one macro)
	 */
#define KCXX_FOPS_SLOT(NAME, field) OFFSET(KCXX_FOPS_##NAME, file_operations, field)
	DEFINE(KCXX_FOPS_SIZE, sizeof(struct file_operations));
	KCXX_FOPS_SLOT(OWNER, owner);
	KCXX_FOPS_SLOT(LLSEEK, llseek);
	KCXX_FOPS_SLOT(READ, read);
	KCXX_FOPS_SLOT(WRITE, write);
	KCXX_FOPS_SLOT(READ_ITER, read_iter);
	KCXX_FOPS_SLOT(UNLOCKED_IOCTL, unlocked_ioctl);
	KCXX_FOPS_SLOT(COMPAT_IOCTL, compat_ioctl);
	KCXX_FOPS_SLOT(MMAP, mmap);
	KCXX_FOPS_SLOT(OPEN, open);
	KCXX_FOPS_SLOT(RELEASE, release);
#undef KCXX_FOPS_SLOT
}
