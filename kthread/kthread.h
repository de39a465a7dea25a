/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kthread.h - between kthread.ko's C++ (kthread_module.cpp) and its C:
 * the file operations and sysfs attributes (kthread_fops.c), the
 * parameters and entry points (kthread_main.c) and the instrumented
 * hand-off (kthread_events.c).
 *
 * The kernel calls the C++ entry points below straight from its
 * file_operations table: no function of ours sits in between.
 */
#ifndef KTHREAD_H
#define KTHREAD_H

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

/*
 * The parameters (kthread_main.c), read-only after load: variables, not
 * functions, as the kernel's own module_param() makes them.
 */
extern bool kthread_param_roundtrip;
extern bool kthread_param_log_events;
extern bool kthread_param_signal;
extern bool kthread_param_quiet;

/*
 * The hand-off, instrumented (kthread_events.c): each fires a tracepoint
 * (lothars:lothars_event_posted, lothars:lothars_event_handled) and the
 * pair times the wake-up, from complete() to the thread running (debugfs:
 * lothars_chardev/wake_latency).
 */
void kthread_event_posted(unsigned long long number);  /* just before complete() */
void kthread_event_handled(unsigned long long number); /* the woken thread runs */
/* Their wake-up clock (kthread_stats.h); NULL if it could not be made. */
extern struct wake_stats *kthread_wake_stats;

/* Defined in C++: the module's state, built at load, torn down at unload. */
int kthread_load(void);
void kthread_unload(void);

#ifdef __cplusplus
}
#endif

#endif /* KTHREAD_H */
