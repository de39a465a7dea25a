// SPDX-License-Identifier: GPL-2.0
/*
 * lothars_shim.c - the kernel side of the Hello Kernelthread Module.
 *
 * The only file that includes kernel headers. Each function is a thin,
 * checked wrapper around one kernel API; all the policy (ordering, error
 * unwinding, the thread's loop) lives in the C++ code. Kernel version
 * differences are handled here and nowhere else.
 */
#include <linux/bug.h>
#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/error-injection.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <linux/wait.h>

#include "lothars_shim.h"

#define SHIM_FITS(kernel_type, shim_type)                                  \
	static_assert(sizeof(kernel_type) <= sizeof(shim_type) &&          \
		      __alignof__(kernel_type) <= SHIM_STORAGE_ALIGN,      \
		      #kernel_type " does not fit " #shim_type)

struct lothars_chardev {
	dev_t devt;
	bool region_allocated;
	struct cdev cdev;
	struct class *class;
	struct device *device;
};

SHIM_FITS(struct completion, struct shim_completion);
SHIM_FITS(struct wait_queue_head, struct shim_waitqueue);
SHIM_FITS(spinlock_t, struct shim_spinlock);
SHIM_FITS(struct mutex, struct shim_mutex);
SHIM_FITS(struct lothars_chardev, struct shim_chardev);

SHIM_FITS(struct lock_class_key, struct shim_lock_class_key);

static_assert(SHIM_EPERM == EPERM && SHIM_EINTR == EINTR &&
	      SHIM_ENOMEM == ENOMEM && SHIM_EFAULT == EFAULT &&
	      SHIM_EBUSY == EBUSY && SHIM_EINVAL == EINVAL &&
	      SHIM_ETIMEDOUT == ETIMEDOUT && SHIM_ERESTARTSYS == ERESTARTSYS,
	      "errno values differ from the kernel's");

#define AS(type, storage) ((type *)(void *)(storage)->opaque)

/* ---- memory --------------------------------------------------------- */

/**
 * shim_alloc() - allocate zeroed memory that may sleep to be found
 * @size: bytes
 *
 * Context: process context.
 * Return: the memory, or NULL.
 */
noinline void *shim_alloc(unsigned long size)
{
	return kzalloc(size, GFP_KERNEL);
}

ALLOW_ERROR_INJECTION(shim_alloc, NULL);

/* ---- completion ----------------------------------------------------- */

/**
 * shim_completion_init() - step 1: initialise a completion in place
 * @c: storage inside an object that outlives every waiter and completer
 * @name: the lock class name of its wait queue's lock
 * @key: that class's static key, one per initialising site
 */
void shim_completion_init(struct shim_completion *c, const char *name,
			  struct shim_lock_class_key *key)
{
	struct completion *x = AS(struct completion, c);

	x->done = 0;
	__init_swait_queue_head(&x->wait, name,
				(struct lock_class_key *)(void *)key->opaque);
}

/**
 * shim_completion_reinit() - step 2: make a used completion waitable again
 * @c: a completion nobody is waiting on or about to complete
 */
void shim_completion_reinit(struct shim_completion *c)
{
	reinit_completion(AS(struct completion, c));
}

/* ---- wait queue ----------------------------------------------------- */

/**
 * shim_waitqueue_init() - initialise a wait queue head in place
 * @wq: the storage
 * @name: the lock class name of its lock
 * @key: that class's static key, one per initialising site
 */
void shim_waitqueue_init(struct shim_waitqueue *wq, const char *name,
			 struct shim_lock_class_key *key)
{
	__init_waitqueue_head(AS(struct wait_queue_head, wq), name,
			      (struct lock_class_key *)(void *)key->opaque);
}

/**
 * shim_waitqueue_wait() - sleep uninterruptibly until @cond(@context)
 * @wq: the queue wakers call shim_waitqueue_wake_all() on
 * @cond: the condition, re-evaluated after every wake-up
 * @context: its argument
 */
void shim_waitqueue_wait(struct shim_waitqueue *wq, shim_condition_fn cond,
			 void *context)
{
	wait_event(*AS(struct wait_queue_head, wq), cond(context));
}

/* ---- locks ---------------------------------------------------------- */

#define KEY_OF(k) ((struct lock_class_key *)(void *)(k)->opaque)

/**
 * shim_spinlock_init() - initialise a spinlock in its own lock class
 * @lock: the storage
 * @name: the class name lockdep prints
 * @key: the class's static key, one per initialising site
 */
void shim_spinlock_init(struct shim_spinlock *lock, const char *name,
			struct shim_lock_class_key *key)
{
	spinlock_t *raw = AS(spinlock_t, lock);

	spin_lock_init(raw);
	lockdep_set_class_and_name(raw, KEY_OF(key), name);
}

/* spin_lock() is a macro; its out-of-line target depends on the config. */
void shim_spinlock_lock(struct shim_spinlock *lock)
	__acquires(lock)
{
	spin_lock(AS(spinlock_t, lock));
}

void shim_spinlock_unlock(struct shim_spinlock *lock)
	__releases(lock)
{
	spin_unlock(AS(spinlock_t, lock));
}

/**
 * shim_mutex_init() - initialise a mutex in its own lock class
 * @lock: the storage
 * @name: the class name lockdep prints
 * @key: the class's static key, one per initialising site
 */
void shim_mutex_init(struct shim_mutex *lock, const char *name,
		     struct shim_lock_class_key *key)
{
	__mutex_init(AS(struct mutex, lock), name, KEY_OF(key));
}

/**
 * shim_report_bug() - report a misuse of the C++ layer
 * @what: what was misused
 *
 * The caller carries on with a safe value; the WARN (once) names the bug
 * and gives the stack.
 */
void shim_report_bug(const char *what)
{
	WARN_ONCE(1, KBUILD_MODNAME ": %s\n", what);
}

/*
 * The two debug checks exist only where the kernel checks something: the
 * C++ calls them only under the same options, so no module carries an
 * empty wrapper.
 */
#ifdef CONFIG_DEBUG_MUTEXES
void shim_mutex_destroy(struct shim_mutex *lock)
{
	mutex_destroy(AS(struct mutex, lock));
}
#endif

#ifdef CONFIG_DEBUG_ATOMIC_SLEEP
void shim_might_sleep(void)
{
	might_sleep();
}
#endif

/* ---- kernel thread -------------------------------------------------- */

/**
 * shim_kthread_create() - create a stopped kernel thread and pin its task
 * @thread: receives the task; untouched on failure
 * @fn: the thread function; it returns when it is told to stop
 * @context: its argument
 * @name: the thread's name (ps, /proc/PID/comm)
 *
 * The task reference lets shim_kthread_stop() join a thread that has
 * already returned.
 *
 * Return: 0, or the negative errno of kthread_create().
 */
noinline int shim_kthread_create(struct shim_kthread *thread, shim_thread_fn fn,
				 void *context, const char *name)
{
	struct task_struct *task;

	task = kthread_create(fn, context, "%s", name);
	if (IS_ERR(task))
		return PTR_ERR(task);
	get_task_struct(task);
	thread->task = task;
	return 0;
}

ALLOW_ERROR_INJECTION(shim_kthread_create, ERRNO);

/**
 * shim_kthread_stop() - join a thread and drop the task reference
 * @thread: a thread from shim_kthread_create()
 *
 * Return: the thread function's result, or -EINTR if it never ran.
 */
int shim_kthread_stop(struct shim_kthread *thread)
{
	struct task_struct *task = thread->task;
	int ret;

	ret = kthread_stop(task);
	put_task_struct(task);
	thread->task = NULL;
	return ret;
}

/* ---- character device ----------------------------------------------- */

static struct lothars_chardev *chardev_of(struct shim_chardev *cd)
{
	return AS(struct lothars_chardev, cd);
}

/**
 * shim_chardev_alloc_region() - reserve a dynamic major with one minor
 * @cd: the device storage, zeroed
 * @name: the name shown in /proc/devices
 * @major: receives the major number
 * @minor: receives the minor number
 *
 * Return: 0, or the negative errno of alloc_chrdev_region().
 */
noinline int shim_chardev_alloc_region(struct shim_chardev *cd,
				       const char *name, unsigned int *major,
				       unsigned int *minor)
{
	struct lothars_chardev *dev = chardev_of(cd);
	int ret;

	ret = alloc_chrdev_region(&dev->devt, 0, 1, name);
	if (ret)
		return ret;
	dev->region_allocated = true;
	*major = MAJOR(dev->devt);
	*minor = MINOR(dev->devt);
	return 0;
}

ALLOW_ERROR_INJECTION(shim_chardev_alloc_region, ERRNO);

void shim_chardev_free_region(struct shim_chardev *cd)
{
	struct lothars_chardev *dev = chardev_of(cd);

	unregister_chrdev_region(dev->devt, 1);
	dev->region_allocated = false;
}

/**
 * shim_chardev_add_cdev() - make the region's minor reach @fops
 * @cd: the device, with its region allocated
 * @fops: the module's file operations; .owner must be THIS_MODULE, so
 *        that an open file pins the module (rmmod then fails with EBUSY
 *        instead of freeing code under the file)
 *
 * Return: 0, or the negative errno of cdev_add().
 */
noinline int shim_chardev_add_cdev(struct shim_chardev *cd,
				   const struct file_operations *fops)
{
	struct lothars_chardev *dev = chardev_of(cd);

	cdev_init(&dev->cdev, fops);
	dev->cdev.owner = fops->owner;
	return cdev_add(&dev->cdev, dev->devt, 1);
}

ALLOW_ERROR_INJECTION(shim_chardev_add_cdev, ERRNO);

void shim_chardev_del_cdev(struct shim_chardev *cd)
{
	cdev_del(&chardev_of(cd)->cdev);
}

/**
 * shim_chardev_create_class() - create the class the device node hangs on
 * @cd: the device
 * @name: the class name (/sys/class/@name)
 *
 * Return: 0, or the negative errno of class_create().
 */
noinline int shim_chardev_create_class(struct shim_chardev *cd,
				       const char *name)
{
	struct lothars_chardev *dev = chardev_of(cd);
	struct class *class;

	/* Linux 6.4 dropped the owner argument of class_create(). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	class = class_create(name);
#else
	class = class_create(THIS_MODULE, name);
#endif
	if (IS_ERR(class))
		return PTR_ERR(class);
	dev->class = class;
	return 0;
}

ALLOW_ERROR_INJECTION(shim_chardev_create_class, ERRNO);

void shim_chardev_destroy_class(struct shim_chardev *cd)
{
	struct lothars_chardev *dev = chardev_of(cd);

	class_destroy(dev->class);
	dev->class = NULL;
}

/**
 * shim_chardev_create_device() - create the device, its node and attributes
 * @cd: the device, with its class created
 * @name: the node name (/dev/@name)
 * @groups: the module's sysfs attribute groups, or NULL
 * @drvdata: what dev_get_drvdata() gives the attributes
 *
 * Return: 0, or the negative errno of device_create_with_groups().
 */
noinline int shim_chardev_create_device(struct shim_chardev *cd,
					const char *name,
					const struct attribute_group **groups,
					void *drvdata)
{
	struct lothars_chardev *dev = chardev_of(cd);
	struct device *device;

	device = device_create_with_groups(dev->class, NULL, dev->devt, drvdata,
					   groups, "%s", name);
	if (IS_ERR(device))
		return PTR_ERR(device);
	dev->device = device;
	return 0;
}

ALLOW_ERROR_INJECTION(shim_chardev_create_device, ERRNO);

void shim_chardev_destroy_device(struct shim_chardev *cd)
{
	struct lothars_chardev *dev = chardev_of(cd);

	device_destroy(dev->class, dev->devt);
	dev->device = NULL;
}

/**
 * shim_file_private() - an open file's private data
 * @file: the file
 *
 * Return: file->private_data.
 */
void *shim_file_private(const struct file *file)
{
	return file->private_data;
}

/**
 * shim_file_set_private() - set an open file's private data
 * @file: the file, in its open()
 * @data: the new file->private_data
 */
void shim_file_set_private(struct file *file, void *data)
{
	file->private_data = data;
}

/**
 * shim_iocb_file() - the file a read_iter() reads
 * @iocb: the kernel's I/O control block
 *
 * Return: iocb->ki_filp.
 */
struct file *shim_iocb_file(const struct kiocb *iocb)
{
	return iocb->ki_filp;
}

/**
 * shim_iocb_pos() - where a read_iter() reads, and advances
 * @iocb: the kernel's I/O control block
 *
 * Return: &iocb->ki_pos.
 */
long long *shim_iocb_pos(struct kiocb *iocb)
{
	return &iocb->ki_pos;
}

/**
 * shim_iter_count() - the room left in an iov_iter
 * @iter: readv()'s vectors, io_uring's buffer, ...
 *
 * Return: iov_iter_count(@iter).
 */
unsigned long shim_iter_count(const struct iov_iter *iter)
{
	return iov_iter_count(iter);
}

/**
 * shim_copy_to_iter() - copy a reply into an iov_iter, all or nothing
 * @iter: the destination; advanced by what was copied
 * @from: the kernel bytes
 * @len: how many, at most shim_iter_count(@iter)
 *
 * Context: process context; may fault and sleep.
 * Return: 0, or -EFAULT when not every byte could be copied.
 */
int shim_copy_to_iter(struct iov_iter *iter, const char *from,
		      unsigned long len)
{
	return copy_to_iter(from, len, iter) == len ? 0 : -EFAULT;
}

/**
 * shim_copy_to_user() - copy a reply to user space
 * @to: the user buffer
 * @from: the kernel bytes
 * @len: how many
 *
 * Context: process context; may fault and sleep.
 * Return: 0, or -EFAULT.
 */
int shim_copy_to_user(char __user *to, const char *from, unsigned long len)
{
	return copy_to_user(to, from, len) ? -EFAULT : 0;
}

/* ---- user copies and byte buffers ------------------------------------ */

#include <linux/mm.h> /* kvmalloc(), kvfree() on 5.10; <linux/slab.h> later */

/**
 * shim_copy_from_user() - copy a write's bytes into kernel memory
 * @to: the kernel buffer, at least @len bytes
 * @from: the user buffer
 * @len: how many
 *
 * Context: process context; may fault and sleep.
 * Return: 0, or -EFAULT when not every byte could be copied (what was
 * copied is then to be discarded).
 */
int shim_copy_from_user(char *to, const char __user *from, unsigned long len)
{
	return copy_from_user(to, from, len) ? -EFAULT : 0;
}

/**
 * shim_alloc_bytes() - allocate a buffer of run-time size
 * @size: bytes; may be large (kvmalloc() falls back to vmalloc())
 *
 * Not zeroed: the caller fills it before reading it.
 *
 * Context: process context.
 * Return: the memory, or NULL.
 */
noinline void *shim_alloc_bytes(unsigned long size)
{
	return kvmalloc(size, GFP_KERNEL);
}

ALLOW_ERROR_INJECTION(shim_alloc_bytes, NULL);

/**
 * shim_free_bytes() - free a buffer from shim_alloc_bytes()
 * @bytes: the buffer, or NULL
 */
void shim_free_bytes(const void *bytes)
{
	kvfree(bytes);
}
