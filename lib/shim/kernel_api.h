/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel_api.h - the kernel's exported functions that the C++ code calls
 * directly, with no wrapper in between.
 *
 * Kernel headers cannot be compiled as C++, but calling an exported
 * function needs only its prototype, and the kernel's objects can stay
 * opaque (struct completion *, struct mutex *, ...). Each prototype here is
 * checked against the kernel's own: shim/kernel_api_check.c includes the
 * kernel headers and then this file, so a prototype that drifts from the
 * kernel's stops the build. What the kernel has only as a macro or a
 * static inline function is not here: lib/shim/<header>.c keeps a helper
 * for each of those.
 *
 * Configuration decides which symbol a call reaches (lockdep renames the
 * mutex entry points); the C++ sees the same CONFIG_ macros as C through
 * kbuild's -include of <linux/kconfig.h>. The host unit tests implement
 * these functions in user space (tests/fake/).
 */
#ifndef KERNEL_API_H
#define KERNEL_API_H

#ifdef __KERNEL__
#include <linux/version.h> /* generated: only LINUX_VERSION_CODE and friends */
#endif

#ifdef __cplusplus
extern "C" {
#endif

struct completion;
struct lock_class_key;
struct mutex;
struct wait_queue_entry;
struct wait_queue_head;

/* <linux/completion.h>: steps 3 to 5. Steps 1 and 2 are inline. */
void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
int wait_for_completion_interruptible(struct completion *x);
int wait_for_completion_killable(struct completion *x);
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

/* <linux/mutex.h>: with lockdep, mutex_lock() is a macro for the _nested form. */
#ifdef CONFIG_DEBUG_LOCK_ALLOC
void mutex_lock_nested(struct mutex *lock, unsigned int subclass);
int mutex_lock_interruptible_nested(struct mutex *lock, unsigned int subclass);
#define KAPI_MUTEX_LOCK(lock) mutex_lock_nested(lock, 0)
#define KAPI_MUTEX_LOCK_INTERRUPTIBLE(lock) mutex_lock_interruptible_nested(lock, 0)
#else
void mutex_lock(struct mutex *lock);
int mutex_lock_interruptible(struct mutex *lock);
#define KAPI_MUTEX_LOCK(lock) mutex_lock(lock)
#define KAPI_MUTEX_LOCK_INTERRUPTIBLE(lock) mutex_lock_interruptible(lock)
#endif
void mutex_unlock(struct mutex *lock);
/*
 * mutex_init() is a macro that keeps one lock class key per call site; the
 * C++ brings its own key (kernel/LockClass.h) to the function behind it,
 * __mutex_init(). On PREEMPT_RT that is a macro too, and later kernels made
 * it a static inline (7.3 has; 6.12 exports it): there shim/mutex.c calls
 * it. (A prototype here would not catch that: C lets an extern declaration
 * follow a static inline one. modpost does, as an undefined symbol.)
 */
#if defined(CONFIG_PREEMPT_RT)
#define KAPI_MUTEX_INIT_INLINE 1
#elif !defined(LINUX_VERSION_CODE)
#define KAPI_MUTEX_INIT_INLINE 0 /* host builds */
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 13, 0)
#define KAPI_MUTEX_INIT_INLINE 1
#else
#define KAPI_MUTEX_INIT_INLINE 0
#endif
#if !KAPI_MUTEX_INIT_INLINE
void __mutex_init(struct mutex *lock, const char *name,
		  struct lock_class_key *key);
#endif

/* <linux/wait.h>: init_waitqueue_head() likewise. */
void __init_waitqueue_head(struct wait_queue_head *wq_head, const char *name,
			   struct lock_class_key *key);

/*
 * <linux/wait.h>: wake_up_all() is a macro for __wake_up(wq, TASK_NORMAL,
 * 0, NULL). __wake_up() returns void on some kernels and the number of
 * tasks woken on others (Debian's 6.1 has the latter, backported): the
 * C++ ignores the result, so it calls it through a void prototype, and
 * kernel_api_check.c checks the parameters against the kernel's.
 */
void kapi_wake_up(struct wait_queue_head *wq_head, unsigned int mode,
		  int nr, void *key) __asm__("__wake_up");
enum { KAPI_TASK_NORMAL = 3 };

/*
 * wait_event() is a macro around exported steps: the C++ runs the same
 * loop with its condition inline (kernel/WaitQueue.h).
 */
void init_wait_entry(struct wait_queue_entry *wq_entry, int flags);
long prepare_to_wait_event(struct wait_queue_head *wq_head,
			   struct wait_queue_entry *wq_entry, int state);
void finish_wait(struct wait_queue_head *wq_head,
		 struct wait_queue_entry *wq_entry);
/* <linux/sched.h> */
void schedule(void);
enum { KAPI_TASK_UNINTERRUPTIBLE = 2 };

/*
 * <linux/printk.h>: the entry pr_info() calls. The C++ joins level,
 * prefix, format and newline at compile time (kernel/Log.h), as pr_info()
 * does, so each line is one call with a format the compiler checks.
 */
#if !defined(LINUX_VERSION_CODE)
#define KAPI_PRINTK_UNDERSCORED 1 /* host builds */
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(5, 15, 0)
#define KAPI_PRINTK_UNDERSCORED 1
#else
#define KAPI_PRINTK_UNDERSCORED 0
#endif
/*
 * cold as the kernel's __cold (compiler_types.h): not with GCC where the
 * kernel aligns functions (CONFIG_FUNCTION_ALIGNMENT), as GCC drops the
 * alignment of cold functions and may make their callees cold too.
 */
#if defined(__KERNEL__) && !defined(__clang__) && defined(CONFIG_FUNCTION_ALIGNMENT) && \
	CONFIG_FUNCTION_ALIGNMENT > 0
#define KAPI_COLD
#else
#define KAPI_COLD __attribute__((cold))
#endif
#if KAPI_PRINTK_UNDERSCORED
int kapi_printk(const char *fmt, ...) __asm__("_printk")
	__attribute__((format(printf, 1, 2))) KAPI_COLD;
#else
int kapi_printk(const char *fmt, ...) __asm__("printk")
	__attribute__((format(printf, 1, 2))) KAPI_COLD;
#endif

/*
 * <linux/spinlock.h>: spin_lock() and spin_unlock() are inline wrappers of
 * out-of-line entry points, unless the configuration inlines them (then
 * shim/spinlock.c has helpers); on PREEMPT_RT a spinlock_t sleeps. The
 * kernel's spinlock_t starts with the lock these entry points take.
 */
#if !defined(__KERNEL__)
#define KAPI_SPIN_LOCK_INLINE 0 /* host builds: as Debian's kernels */
#elif defined(CONFIG_PREEMPT_RT)
#define KAPI_SPIN_LOCK_INLINE 0
#else
#if defined(CONFIG_INLINE_SPIN_LOCK) || !defined(CONFIG_UNINLINE_SPIN_UNLOCK)
#define KAPI_SPIN_LOCK_INLINE 1
#else
#define KAPI_SPIN_LOCK_INLINE 0
#endif
#endif
#if defined(CONFIG_PREEMPT_RT)
#define kapi_spinlock_t struct spinlock
#define KAPI_SPIN_LOCK rt_spin_lock
#define KAPI_SPIN_UNLOCK rt_spin_unlock
#elif !KAPI_SPIN_LOCK_INLINE
#define kapi_spinlock_t struct raw_spinlock
#define KAPI_SPIN_LOCK _raw_spin_lock
#define KAPI_SPIN_UNLOCK _raw_spin_unlock
#endif
#ifdef KAPI_SPIN_LOCK /* out of line: the entry points are called */
kapi_spinlock_t;
void KAPI_SPIN_LOCK(kapi_spinlock_t *lock);
void KAPI_SPIN_UNLOCK(kapi_spinlock_t *lock);
#endif

/*
 * A character device: <linux/fs.h> (device numbers; dev_t is a u32),
 * <linux/cdev.h>, <linux/device.h>. Linux 6.4 made the class const.
 */
int alloc_chrdev_region(unsigned int *dev, unsigned int baseminor,
			unsigned int count, const char *name);
void unregister_chrdev_region(unsigned int from, unsigned int count);
struct cdev;
int cdev_add(struct cdev *p, unsigned int dev, unsigned int count);
void cdev_del(struct cdev *p);
/* `class` is a C++ keyword: C++ names the same incomplete type kapi_class. */
#ifdef __cplusplus
struct kapi_class;
#define kapi_class_t struct kapi_class
#else
struct class;
#define kapi_class_t struct class
#endif
/* Nested: host builds have no KERNEL_VERSION() for #if to parse. */
#if defined(LINUX_VERSION_CODE)
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define KAPI_CLASS_CONST const
#endif
#endif
#ifndef KAPI_CLASS_CONST
#define KAPI_CLASS_CONST
#endif
struct device;
struct attribute_group;
void class_destroy(KAPI_CLASS_CONST kapi_class_t *cls);
struct device *
device_create_with_groups(KAPI_CLASS_CONST kapi_class_t *cls,
			  struct device *parent, unsigned int devt,
			  void *drvdata, const struct attribute_group **groups,
			  const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void device_destroy(KAPI_CLASS_CONST kapi_class_t *cls,
		    unsigned int devt);

/*
 * <linux/fs.h>: the llseek a character device names in its table: the
 * position moves (default_llseek) or lseek() succeeds and nothing moves
 * (noop_llseek).
 */
struct file;
long long default_llseek(struct file *file, long long offset, int whence);
long long noop_llseek(struct file *file, long long offset, int whence);

/* <linux/slab.h> */
void kfree(const void *object);
/* <linux/slab.h> (<linux/mm.h> before 5.16): what shim_alloc_bytes() gave */
void kvfree(const void *addr);

/* <linux/sched.h> */
struct task_struct;
int wake_up_process(struct task_struct *task);

/*
 * <linux/crc32c.h>, CRC32C (Castagnoli): the raw register, neither end
 * inverted (crc32c(~0, p, n) ^ ~0 is the usual checksum). Linux 5.10 to
 * 6.12 export it from libcrc32c.ko (a module: a caller depends on it, and
 * it pulls in the crypto API's crc32c driver), with an unsigned int length;
 * 7.3 from vmlinux (lib/crc), with a size_t one. The C++ calls it with a
 * size_t length, which a callee taking unsigned int reads the low half of
 * (x86-64, arm64), and kernel_api_check.c checks the kernel's prototype is
 * one of the two. (Kernels between 6.12 and 7.3 are not in the matrix: if
 * one has crc32c() inline, modpost says so with an undefined symbol.)
 */
unsigned int kapi_crc32c(unsigned int crc, const void *p, __SIZE_TYPE__ len)
	__asm__("crc32c");

#ifdef __cplusplus
}
#endif

#endif /* KERNEL_API_H */
