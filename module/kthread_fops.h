/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kthread_fops.h - between kthread.ko's C++ (module/kthread_module.cpp)
 * and its file operations and sysfs attributes (module/kthread_fops.c).
 *
 * The kernel calls the C++ entry points below straight from its
 * file_operations table: no function of ours sits in between.
 */
#ifndef KTHREAD_FOPS_H
#define KTHREAD_FOPS_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __user
#define __user
#endif

struct inode;
struct file;
struct file_operations;
struct attribute_group;

/* Defined in C: the tables the C++ hands to its CharDevice. */
extern const struct file_operations kthread_fops;
extern const struct attribute_group *kthread_groups[];

/* Defined in C++: what the tables point at. */
int kthread_open(struct inode *inode, struct file *file);
long kthread_read(struct file *file, char __user *buf, unsigned long len,
		  long long *pos);
int kthread_release(struct inode *inode, struct file *file);
/* readv(), preadv(), io_uring: the whole iov_iter is one read. */
struct kiocb;
struct iov_iter;
long kthread_read_iter(struct kiocb *iocb, struct iov_iter *to);

/* The sysfs counters; @state is the device's drvdata. */
enum kthread_counter {
	KTHREAD_COUNTER_READS,
	KTHREAD_COUNTER_EVENTS,
	KTHREAD_COUNTER_PENDING,
};

unsigned long long kthread_counter_value(void *state,
					 enum kthread_counter which);

#ifdef __cplusplus
}
#endif

#endif /* KTHREAD_FOPS_H */
