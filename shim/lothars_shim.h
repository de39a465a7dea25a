/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lothars_shim.h - the only interface between the kernel and the C++ code.
 *
 * Kernel headers cannot be compiled as C++, so the C shim (lothars_shim.c)
 * includes them and offers what the C++ layer needs as plain C functions.
 * Kernel objects live in opaque, aligned storage owned by the C++ objects;
 * the shim checks at compile time that each kernel type fits its storage.
 *
 * This header is read by three compilers: the kernel's C compiler (after the
 * kernel headers), g++ for the module's C++ (no headers at all) and g++ for
 * the host unit tests, which link a user-space implementation of these
 * functions (tests/host/shim_host.cpp).
 */
#ifndef LOTHARS_SHIM_H
#define LOTHARS_SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __user
#define __user
#endif

#define SHIM_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Generous sizes: lockdep and spinlock debugging make these types grow. */
enum {
	SHIM_COMPLETION_BYTES = 192,
	SHIM_WAITQUEUE_BYTES = 192,
	SHIM_SPINLOCK_BYTES = 128,
	SHIM_MUTEX_BYTES = 256,
	SHIM_CHARDEV_BYTES = 1024,
	SHIM_LOCK_CLASS_KEY_BYTES = 16,
	SHIM_STORAGE_ALIGN = 8,
};

/* The errnos the C++ code names; the shim checks them against the kernel's. */
enum {
	SHIM_EPERM = 1,
	SHIM_EINTR = 4,
	SHIM_ENOMEM = 12,
	SHIM_EFAULT = 14,
	SHIM_EBUSY = 16,
	SHIM_EINVAL = 22,
	SHIM_ETIMEDOUT = 110,
	SHIM_ERESTARTSYS = 512,
};

#define SHIM_OPAQUE(bytes) \
	unsigned char opaque[bytes] __attribute__((aligned(SHIM_STORAGE_ALIGN)))

struct shim_completion { SHIM_OPAQUE(SHIM_COMPLETION_BYTES); };
struct shim_waitqueue { SHIM_OPAQUE(SHIM_WAITQUEUE_BYTES); };
struct shim_spinlock { SHIM_OPAQUE(SHIM_SPINLOCK_BYTES); };
struct shim_mutex { SHIM_OPAQUE(SHIM_MUTEX_BYTES); };
struct shim_chardev { SHIM_OPAQUE(SHIM_CHARDEV_BYTES); };

/* A kernel thread is a task pointer; the shim holds a reference to it. */
struct task_struct;
struct shim_kthread { struct task_struct *task; };

/*
 * Lock classes. lockdep gives every lock a class, named after where the
 * lock is initialised: the kernel's init macros keep one static key per
 * call site. The C++ does the same (kernel/LockClass.h) and passes its key
 * to the helpers below, so that two locks of different sites are two
 * classes and lockdep reports real inversions between them.
 */
struct shim_lock_class_key { SHIM_OPAQUE(SHIM_LOCK_CLASS_KEY_BYTES); };

/* Memory: zeroed, GFP_KERNEL (may sleep). NULL on failure. kfree() frees. */
void *shim_alloc(unsigned long size);

/*
 * Completion: init and reinit are inline in the kernel; the waits, wakes
 * and status calls are exported and called directly (kernel_api.h).
 */
void shim_completion_init(struct shim_completion *c, const char *name,
			  struct shim_lock_class_key *key);
void shim_completion_reinit(struct shim_completion *c);
int shim_completion_wait_timeout(struct shim_completion *c, unsigned int ms);

/* Wait queue: sleep until a condition, evaluated by the caller's function. */
typedef bool (*shim_condition_fn)(void *context);
void shim_waitqueue_init(struct shim_waitqueue *wq, const char *name,
			 struct shim_lock_class_key *key);
void shim_waitqueue_wait(struct shim_waitqueue *wq, shim_condition_fn cond,
			 void *context);
int shim_waitqueue_wait_interruptible(struct shim_waitqueue *wq,
				      shim_condition_fn cond, void *context);
int shim_waitqueue_wait_timeout(struct shim_waitqueue *wq,
				shim_condition_fn cond, void *context,
				unsigned int ms);

/* Spinlock (never taken from interrupt context here) and mutex. */
void shim_spinlock_init(struct shim_spinlock *lock, const char *name,
			struct shim_lock_class_key *key);
void shim_spinlock_lock(struct shim_spinlock *lock);
void shim_spinlock_unlock(struct shim_spinlock *lock);
void shim_mutex_init(struct shim_mutex *lock, const char *name,
		     struct shim_lock_class_key *key);
void shim_mutex_destroy(struct shim_mutex *lock);

/*
 * A bug in the C++ layer's use (a Result misused, ...): WARN_ONCE() with
 * @what, never a crash.
 */
void shim_report_bug(const char *what);

/* Context checks: might_sleep() is a macro (a no-op unless debugging). */
void shim_might_sleep(void);

/* Kernel thread: created stopped, woken explicitly, joined by stop. */
typedef int (*shim_thread_fn)(void *context);
int shim_kthread_create(struct shim_kthread *thread, shim_thread_fn fn,
			void *context, const char *name);
int shim_kthread_stop(struct shim_kthread *thread);

/*
 * Character device: one minor. The module brings its own file operations
 * and sysfs attribute groups (defined in C, where struct file_operations
 * exists); their functions call the C++ directly, with no table of ours
 * in between. @drvdata is what dev_get_drvdata() returns in the
 * attributes' show functions.
 */
struct file;
struct file_operations;
struct attribute_group;

int shim_chardev_alloc_region(struct shim_chardev *cd, const char *name,
			      unsigned int *major, unsigned int *minor);
void shim_chardev_free_region(struct shim_chardev *cd);
int shim_chardev_add_cdev(struct shim_chardev *cd,
			  const struct file_operations *fops);
void shim_chardev_del_cdev(struct shim_chardev *cd);
int shim_chardev_create_class(struct shim_chardev *cd, const char *name);
void shim_chardev_destroy_class(struct shim_chardev *cd);
int shim_chardev_create_device(struct shim_chardev *cd, const char *name,
			       const struct attribute_group **groups,
			       void *drvdata);
void shim_chardev_destroy_device(struct shim_chardev *cd);

/* An open file's private data (file->private_data). */
void *shim_file_private(const struct file *file);
void shim_file_set_private(struct file *file, void *data);

/*
 * read_iter(): the file and position of a kiocb, the room left in an
 * iov_iter (fields and inlines in the kernel).
 */
struct kiocb;
struct iov_iter;
struct file *shim_iocb_file(const struct kiocb *iocb);
long long *shim_iocb_pos(struct kiocb *iocb);
unsigned long shim_iter_count(const struct iov_iter *iter);

int shim_copy_to_user(char __user *to, const char *from, unsigned long len);
int shim_copy_to_iter(struct iov_iter *iter, const char *from,
		      unsigned long len);

/* Module parameters (read-only after load). */
bool shim_param_roundtrip(void);
bool shim_param_log_events(void);
bool shim_param_signal(void);
bool shim_param_quiet(void);

/*
 * The hand-off, instrumented (shim/lothars_events.c): each fires a
 * tracepoint (lothars:lothars_event_posted, lothars:lothars_event_handled)
 * and the pair times the wake-up, from complete() to the thread running
 * (debugfs: lothars_chardev/wake_latency).
 */
void shim_event_posted(unsigned long long number);  /* just before complete() */
void shim_event_handled(unsigned long long number); /* the woken thread runs */

/* Provided by the C++ module (module/kthread_module.cpp). */
int lothars_module_load(void);
void lothars_module_unload(void);

/*
 * A write's bytes (kernel/UserCopy.h) and a run of bytes of run-time size
 * (kernel/ByteBuffer.h): kvmalloc(), not zeroed, NULL on failure;
 * shim_free_bytes() frees it (kvfree()).
 */
int shim_copy_from_user(char *to, const char __user *from, unsigned long len);
void *shim_alloc_bytes(unsigned long size);
void shim_free_bytes(const void *bytes);

#include "kernel_api.h"

#ifdef __cplusplus
}
#endif

#endif /* LOTHARS_SHIM_H */
