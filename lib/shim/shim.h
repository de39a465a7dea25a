/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shim.h - the C boundary of the C++ kernel layer (lib/kernel/).
 *
 * Kernel headers cannot be compiled as C++. What the kernel exports is
 * called directly from C++ (kernel_api.h); what it has only as a macro,
 * an inline function or a struct field has one small helper here, in a C
 * file named after the kernel header it comes from (lib/shim/<header>.c).
 * Kernel objects live in opaque, aligned storage owned by the C++
 * objects; each C file checks at compile time that its kernel type fits.
 *
 * This header is read by three compilers: the kernel's C compiler (after
 * the kernel headers), g++ for the C++ layer (no kernel headers at all)
 * and g++ for the host unit tests, which link a user-space fake of these
 * functions split the same way (tests/fake/<header>.cpp).
 */
#ifndef SHIM_H
#define SHIM_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __user
#define __user
#endif

#include "kernel_api.h"

/* The errnos the C++ code names; bug.c checks them against the kernel's. */
enum {
	SHIM_EPERM = 1,
	SHIM_EINTR = 4,
	SHIM_EAGAIN = 11,
	SHIM_ENOMEM = 12,
	SHIM_EFAULT = 14,
	SHIM_EBUSY = 16,
	SHIM_ENODEV = 19,
	SHIM_EINVAL = 22,
	SHIM_ENOTTY = 25,
	SHIM_ETIMEDOUT = 110,
	SHIM_ERESTARTSYS = 512,
	SHIM_MAX_ERRNO = 4095, /* ERR_PTR() values are the last 4095 addresses */
};

/* A device number: major in the high bits, MINORBITS of minor (cdev.c checks). */
enum { SHIM_MINORBITS = 20 };

/*
 * A kernel object's storage, of a size in bytes. Generous sizes: lockdep
 * and spinlock debugging make these types grow.
 */
enum { SHIM_STORAGE_ALIGN = 8 };
#define SHIM_OPAQUE(bytes) \
	unsigned char opaque[bytes] __attribute__((aligned(SHIM_STORAGE_ALIGN)))

struct shim_completion { SHIM_OPAQUE(192); };
struct shim_waitqueue { SHIM_OPAQUE(192); };
struct shim_wait_entry { SHIM_OPAQUE(64); };
struct shim_spinlock { SHIM_OPAQUE(128); };
struct shim_mutex { SHIM_OPAQUE(256); };
struct shim_cdev { SHIM_OPAQUE(512); };

/* A kernel thread is a task pointer; the shim holds a reference to it. */
struct task_struct;
struct shim_kthread { struct task_struct *task; };

/*
 * Lock classes. lockdep gives every lock a class, named after where the
 * lock is initialised: the kernel's init macros keep one static key per
 * call site. The C++ does the same (kernel/LockClass.h) and passes its key
 * to the init helpers below, so that two locks of different sites are two
 * classes and lockdep reports real inversions between them.
 */
struct shim_lock_class_key { SHIM_OPAQUE(16); };

/* slab.c: zeroed, GFP_KERNEL (may sleep). NULL on failure. kfree() frees. */
void *shim_alloc(unsigned long size);
/*
 * slab.c: a buffer of run-time size (kernel/ByteBuffer.h): kvmalloc(), not
 * zeroed, GFP_KERNEL. NULL on failure. kvfree() frees.
 */
void *shim_alloc_bytes(unsigned long size);

/* completion.c: steps 1 and 2; timed_waits.c: a bounded step 3. */
void shim_completion_init(struct shim_completion *c, const char *name,
			  struct shim_lock_class_key *key);
void shim_completion_reinit(struct shim_completion *c);
int shim_completion_wait_timeout(struct shim_completion *c, unsigned int ms);

/* timed_waits.c: sleep until a condition, evaluated by the caller's function. */
typedef bool (*shim_condition_fn)(void *context);
int shim_waitqueue_wait_interruptible(struct shim_waitqueue *wq,
				      shim_condition_fn cond, void *context);
int shim_waitqueue_wait_timeout(struct shim_waitqueue *wq,
				shim_condition_fn cond, void *context,
				unsigned int ms);

/*
 * spinlock.c (never taken from interrupt context here). Lock and unlock
 * are helpers only where the kernel inlines them (kernel_api.h).
 */
void shim_spinlock_init(struct shim_spinlock *lock, const char *name,
			struct shim_lock_class_key *key);
void shim_spinlock_lock(struct shim_spinlock *lock);
void shim_spinlock_unlock(struct shim_spinlock *lock);

/* mutex.c: mutex_init() only where __mutex_init() is a macro (kernel_api.h). */
void shim_mutex_init(struct shim_mutex *lock, const char *name,
		     struct shim_lock_class_key *key);
void shim_mutex_destroy(struct shim_mutex *lock);

/*
 * bug.c: a bug in the C++ layer's use (a Result misused, ...): WARN_ONCE()
 * with @what, never a crash.
 */
void shim_report_bug(const char *what);

/* kernel.c: might_sleep() is a macro (a no-op unless debugging). */
void shim_might_sleep(void);

/* kthread.c: created stopped, woken explicitly, joined by stop. */
typedef int (*shim_thread_fn)(void *context);
int shim_kthread_create(struct shim_kthread *thread, shim_thread_fn fn,
			void *context, const char *name);
int shim_kthread_stop(struct shim_kthread *thread);

/*
 * A character device: the module brings its own file operations and sysfs
 * attribute groups (defined in C, where struct file_operations exists);
 * their entries are the module's C++ handlers, with no function of ours in
 * between.
 */
struct file;
struct file_operations;
struct vm_area_struct;

/* cdev.c */
void shim_cdev_init(struct shim_cdev *cd, const struct file_operations *fops);

/* device.c: an ERR_PTR() on failure. */
kapi_class_t *shim_class_create(const char *name);

/*
 * Fields (an open file's private data, a kiocb's file and position, an
 * iov_iter's room) have no helper: kernel/Field.h reads them where
 * offsets.c, compiled against the kernel's headers, says they are.
 */
struct kiocb;

/*
 * sysfs.c: read-only counters, one file each in the device's sysfs
 * directory (/sys/class/<name>/<name>/<counter>), all shown by one
 * function of the module: value(drvdata, index) is the index-th counter of
 * the device whose drvdata it is. Built in the storage of the C++ object
 * that owns the device, before device_create_with_groups().
 */
enum { SHIM_COUNTERS_MAX = 8 };
struct shim_counters { SHIM_OPAQUE(1280); };
typedef unsigned long long (*shim_counter_fn)(void *drvdata,
					      unsigned int index);
struct attribute_group;
const struct attribute_group **
shim_counters_init(struct shim_counters *counters, const char *const *names,
		   unsigned int count, shim_counter_fn value);

/*
 * printk.c: whether a rate-limited line may be logged now (the kernel's
 * __ratelimit() with its default interval and burst). One state per
 * module: its rate-limited lines share the budget.
 */
bool shim_printk_ratelimit(void);

/* uio.c: read()'s user buffer or read_iter()'s iov_iter. 0 or -EFAULT. */
struct iov_iter;
int shim_copy_to_reader(char __user *to, struct iov_iter *iter,
			const char *from, unsigned long len);

/* uaccess_write.c: a write's bytes (kernel/UserCopy.h). 0 or -EFAULT. */
int shim_copy_from_user(char *to, const char __user *from, unsigned long len);

#ifdef __cplusplus
}
#endif

#endif /* SHIM_H */
