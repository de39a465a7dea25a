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
struct shim_kthread { void *task; };

/* Logging: printk at KERN_INFO / KERN_ERR; a newline is appended. */
void shim_log_info(const char *fmt, ...) SHIM_PRINTF(1, 2);
void shim_log_error(const char *fmt, ...) SHIM_PRINTF(1, 2);

/* Memory: zeroed, GFP_KERNEL (may sleep). NULL on failure. */
void *shim_alloc(unsigned long size);
void shim_free(void *ptr);

/* Completion: the five steps. */
void shim_completion_init(struct shim_completion *c);
void shim_completion_reinit(struct shim_completion *c);
void shim_completion_wait(struct shim_completion *c);
int shim_completion_wait_interruptible(struct shim_completion *c);
int shim_completion_wait_killable(struct shim_completion *c);
int shim_completion_wait_timeout(struct shim_completion *c, unsigned int ms);
void shim_completion_complete(struct shim_completion *c);
void shim_completion_complete_all(struct shim_completion *c);
bool shim_completion_done(struct shim_completion *c);
bool shim_completion_try_wait(struct shim_completion *c);

/* Wait queue: sleep until a condition, evaluated by the caller's function. */
typedef bool (*shim_condition_fn)(void *context);
void shim_waitqueue_init(struct shim_waitqueue *wq);
void shim_waitqueue_wake_all(struct shim_waitqueue *wq);
void shim_waitqueue_wait(struct shim_waitqueue *wq, shim_condition_fn cond,
			 void *context);
int shim_waitqueue_wait_interruptible(struct shim_waitqueue *wq,
				      shim_condition_fn cond, void *context);
int shim_waitqueue_wait_timeout(struct shim_waitqueue *wq,
				shim_condition_fn cond, void *context,
				unsigned int ms);

/* Spinlock (never taken from interrupt context here) and mutex. */
void shim_spinlock_init(struct shim_spinlock *lock);
void shim_spinlock_lock(struct shim_spinlock *lock);
void shim_spinlock_unlock(struct shim_spinlock *lock);
void shim_mutex_init(struct shim_mutex *lock);
void shim_mutex_destroy(struct shim_mutex *lock);
void shim_mutex_lock(struct shim_mutex *lock);
int shim_mutex_lock_interruptible(struct shim_mutex *lock);
void shim_mutex_unlock(struct shim_mutex *lock);

/* Kernel thread: created stopped, woken explicitly, joined by stop. */
typedef int (*shim_thread_fn)(void *context);
int shim_kthread_create(struct shim_kthread *thread, shim_thread_fn fn,
			void *context, const char *name);
void shim_kthread_wake(struct shim_kthread *thread);
int shim_kthread_stop(struct shim_kthread *thread);

/* Character device: one minor, its file operations call back into C++. */
enum shim_counter {
	SHIM_COUNTER_READS,
	SHIM_COUNTER_EVENTS,
	SHIM_COUNTER_PENDING,
};

struct shim_file_ops {
	int (*open)(void *owner, void **session);
	long (*read)(void *owner, void *session, char __user *buf,
		     unsigned long len, long long *pos);
	void (*release)(void *owner, void *session);
	unsigned long long (*counter)(void *owner, enum shim_counter which);
};

int shim_chardev_alloc_region(struct shim_chardev *cd, const char *name);
void shim_chardev_free_region(struct shim_chardev *cd);
int shim_chardev_add_cdev(struct shim_chardev *cd,
			  const struct shim_file_ops *ops, void *owner);
void shim_chardev_del_cdev(struct shim_chardev *cd);
int shim_chardev_create_class(struct shim_chardev *cd, const char *name);
void shim_chardev_destroy_class(struct shim_chardev *cd);
int shim_chardev_create_device(struct shim_chardev *cd, const char *name);
void shim_chardev_destroy_device(struct shim_chardev *cd);
unsigned int shim_chardev_major(const struct shim_chardev *cd);
unsigned int shim_chardev_minor(const struct shim_chardev *cd);

int shim_copy_to_user(char __user *to, const char *from, unsigned long len);

/* Module parameters (read-only after load). */
bool shim_param_roundtrip(void);
bool shim_param_log_events(void);
bool shim_param_signal(void);

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

#ifdef __cplusplus
}
#endif

#endif /* LOTHARS_SHIM_H */
