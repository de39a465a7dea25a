// SPDX-License-Identifier: GPL-2.0
/*
 * lothars_shim.c - the kernel side of the Hello Kernelthread Module.
 *
 * The only file that includes kernel headers. Each function is a thin,
 * checked wrapper around one kernel API; all the policy (ordering, error
 * unwinding, the thread's loop) lives in the C++ code. Kernel version
 * differences are handled here and nowhere else.
 */
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
	const struct shim_file_ops *ops;
	void *owner;
};

SHIM_FITS(struct completion, struct shim_completion);
SHIM_FITS(struct wait_queue_head, struct shim_waitqueue);
SHIM_FITS(spinlock_t, struct shim_spinlock);
SHIM_FITS(struct mutex, struct shim_mutex);
SHIM_FITS(struct lothars_chardev, struct shim_chardev);

static_assert(SHIM_EPERM == EPERM && SHIM_EINTR == EINTR &&
	      SHIM_ENOMEM == ENOMEM && SHIM_EFAULT == EFAULT &&
	      SHIM_EBUSY == EBUSY && SHIM_EINVAL == EINVAL &&
	      SHIM_ETIMEDOUT == ETIMEDOUT && SHIM_ERESTARTSYS == ERESTARTSYS,
	      "errno values differ from the kernel's");

#define AS(type, storage) ((type *)(void *)(storage)->opaque)

/* ---- logging -------------------------------------------------------- */

/*
 * printk() once, with the level, prefix and newline joined to the caller's
 * format: "%pV" would make printk format every line twice, which costs
 * about a fifth of a read's time when each read logs (make bench).
 */
static void shim_vlog(const char *head, const char *fmt, va_list args)
{
	char format[160];
	int len = snprintf(format, sizeof(format), "%s%s\n", head, fmt);

	if (len < (int)sizeof(format)) {
		vprintk(format, args);
	} else {
		struct va_format vaf;
		va_list copy;

		va_copy(copy, args);
		vaf.fmt = fmt;
		vaf.va = &copy;
		printk("%s%pV\n", head, &vaf);
		va_end(copy);
	}
}

void shim_log_info(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	shim_vlog(KERN_INFO, fmt, args);
	va_end(args);
}

void shim_log_error(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	shim_vlog(KERN_ERR KBUILD_MODNAME ": ", fmt, args);
	va_end(args);
}

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

void shim_free(void *ptr)
{
	kfree(ptr);
}

/* ---- completion ----------------------------------------------------- */

/**
 * shim_completion_init() - step 1: initialise a completion in place
 * @c: storage inside an object that outlives every waiter and completer
 */
void shim_completion_init(struct shim_completion *c)
{
	init_completion(AS(struct completion, c));
}

/**
 * shim_completion_reinit() - step 2: make a used completion waitable again
 * @c: a completion nobody is waiting on or about to complete
 */
void shim_completion_reinit(struct shim_completion *c)
{
	reinit_completion(AS(struct completion, c));
}

/**
 * shim_completion_wait() - step 3: sleep uninterruptibly for one completion
 * @c: the completion
 *
 * Context: process context. Only for waits known to be short.
 */
void shim_completion_wait(struct shim_completion *c)
{
	wait_for_completion(AS(struct completion, c));
}

/**
 * shim_completion_wait_interruptible() - step 3, woken early by signals
 * @c: the completion
 *
 * Return: 0, or -ERESTARTSYS when a signal arrived first.
 */
int shim_completion_wait_interruptible(struct shim_completion *c)
{
	return wait_for_completion_interruptible(AS(struct completion, c));
}

/**
 * shim_completion_wait_killable() - step 3, woken early by fatal signals
 * @c: the completion
 *
 * Return: 0, or -ERESTARTSYS when a fatal signal arrived first.
 */
int shim_completion_wait_killable(struct shim_completion *c)
{
	return wait_for_completion_killable(AS(struct completion, c));
}

/**
 * shim_completion_wait_timeout() - step 3 with an upper bound
 * @c: the completion
 * @ms: the bound in milliseconds
 *
 * Return: 0, or -ETIMEDOUT.
 */
int shim_completion_wait_timeout(struct shim_completion *c, unsigned int ms)
{
	unsigned long left;

	left = wait_for_completion_timeout(AS(struct completion, c),
					   msecs_to_jiffies(ms));
	return left ? 0 : -ETIMEDOUT;
}

/**
 * shim_completion_complete() - step 4: release exactly one wait
 * @c: the completion
 *
 * Context: any, including atomic.
 */
void shim_completion_complete(struct shim_completion *c)
{
	complete(AS(struct completion, c));
}

/**
 * shim_completion_complete_all() - step 4: release every wait until reinit
 * @c: the completion
 */
void shim_completion_complete_all(struct shim_completion *c)
{
	complete_all(AS(struct completion, c));
}

/**
 * shim_completion_done() - step 5: is a completion posted and unconsumed?
 * @c: the completion
 *
 * Says nothing about waiters.
 */
bool shim_completion_done(struct shim_completion *c)
{
	return completion_done(AS(struct completion, c));
}

/**
 * shim_completion_try_wait() - step 5: consume a posted completion, if any
 * @c: the completion
 *
 * Context: any; never sleeps.
 */
bool shim_completion_try_wait(struct shim_completion *c)
{
	return try_wait_for_completion(AS(struct completion, c));
}

/* ---- wait queue ----------------------------------------------------- */

void shim_waitqueue_init(struct shim_waitqueue *wq)
{
	init_waitqueue_head(AS(struct wait_queue_head, wq));
}

void shim_waitqueue_wake_all(struct shim_waitqueue *wq)
{
	wake_up_all(AS(struct wait_queue_head, wq));
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

/**
 * shim_waitqueue_wait_interruptible() - as shim_waitqueue_wait(), or a signal
 * @wq: the queue
 * @cond: the condition
 * @context: its argument
 *
 * Return: 0, or -ERESTARTSYS.
 */
int shim_waitqueue_wait_interruptible(struct shim_waitqueue *wq,
				      shim_condition_fn cond, void *context)
{
	return wait_event_interruptible(*AS(struct wait_queue_head, wq),
					cond(context));
}

/**
 * shim_waitqueue_wait_timeout() - as shim_waitqueue_wait(), bounded
 * @wq: the queue
 * @cond: the condition
 * @context: its argument
 * @ms: the bound in milliseconds
 *
 * Return: 0, or -ETIMEDOUT.
 */
int shim_waitqueue_wait_timeout(struct shim_waitqueue *wq,
				shim_condition_fn cond, void *context,
				unsigned int ms)
{
	long left;

	left = wait_event_timeout(*AS(struct wait_queue_head, wq),
				  cond(context), msecs_to_jiffies(ms));
	return left ? 0 : -ETIMEDOUT;
}

/* ---- locks ---------------------------------------------------------- */

void shim_spinlock_init(struct shim_spinlock *lock)
{
	spin_lock_init(AS(spinlock_t, lock));
}

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

void shim_mutex_init(struct shim_mutex *lock)
{
	mutex_init(AS(struct mutex, lock));
}

void shim_mutex_destroy(struct shim_mutex *lock)
{
	mutex_destroy(AS(struct mutex, lock));
}

void shim_mutex_lock(struct shim_mutex *lock)
{
	mutex_lock(AS(struct mutex, lock));
}

int shim_mutex_lock_interruptible(struct shim_mutex *lock)
{
	return mutex_lock_interruptible(AS(struct mutex, lock));
}

void shim_mutex_unlock(struct shim_mutex *lock)
{
	mutex_unlock(AS(struct mutex, lock));
}

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

void shim_kthread_wake(struct shim_kthread *thread)
{
	wake_up_process(thread->task);
}

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

static int chardev_open(struct inode *inode, struct file *file)
{
	struct lothars_chardev *cd =
		container_of(inode->i_cdev, struct lothars_chardev, cdev);

	return cd->ops->open(cd->owner, &file->private_data);
}

static ssize_t chardev_read(struct file *file, char __user *buf, size_t len,
			    loff_t *pos)
{
	struct lothars_chardev *cd =
		container_of(file_inode(file)->i_cdev, struct lothars_chardev,
			     cdev);

	return cd->ops->read(cd->owner, file->private_data, buf, len, pos);
}

static int chardev_release(struct inode *inode, struct file *file)
{
	struct lothars_chardev *cd =
		container_of(inode->i_cdev, struct lothars_chardev, cdev);

	cd->ops->release(cd->owner, file->private_data);
	return 0;
}

static ssize_t chardev_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *pos)
{
	pr_info_ratelimited(KBUILD_MODNAME ": write refused: the device is read-only\n");
	return -EINVAL;
}

static long chardev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	pr_info_ratelimited(KBUILD_MODNAME ": ioctl 0x%x refused: no ioctls\n",
			    cmd);
	return -ENOTTY;
}

static int chardev_mmap(struct file *file, struct vm_area_struct *vma)
{
	pr_info_ratelimited(KBUILD_MODNAME ": mmap refused: nothing to map\n");
	return -ENODEV;
}

/*
 * .owner pins the module while a file is open: rmmod then fails with
 * -EBUSY instead of freeing the code under an open file.
 */
static const struct file_operations chardev_fops = {
	.owner = THIS_MODULE,
	.open = chardev_open,
	.read = chardev_read,
	.write = chardev_write,
	.unlocked_ioctl = chardev_ioctl,
	.compat_ioctl = chardev_ioctl,
	.mmap = chardev_mmap,
	.release = chardev_release,
	.llseek = default_llseek,
};

static ssize_t counter_show(struct device *dev, enum shim_counter which,
			    char *buf)
{
	struct lothars_chardev *cd = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", cd->ops->counter(cd->owner, which));
}

static ssize_t reads_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return counter_show(dev, SHIM_COUNTER_READS, buf);
}

static ssize_t events_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	return counter_show(dev, SHIM_COUNTER_EVENTS, buf);
}

static ssize_t pending_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return counter_show(dev, SHIM_COUNTER_PENDING, buf);
}

static DEVICE_ATTR_RO(reads);
static DEVICE_ATTR_RO(events);
static DEVICE_ATTR_RO(pending);

static struct attribute *chardev_attrs[] = {
	&dev_attr_reads.attr,
	&dev_attr_events.attr,
	&dev_attr_pending.attr,
	NULL,
};
ATTRIBUTE_GROUPS(chardev);

/**
 * shim_chardev_alloc_region() - reserve a dynamic major with one minor
 * @cd: the device storage, zeroed
 * @name: the name shown in /proc/devices
 *
 * Return: 0, or the negative errno of alloc_chrdev_region().
 */
noinline int shim_chardev_alloc_region(struct shim_chardev *cd,
				       const char *name)
{
	struct lothars_chardev *dev = chardev_of(cd);
	int ret;

	ret = alloc_chrdev_region(&dev->devt, 0, 1, name);
	if (ret)
		return ret;
	dev->region_allocated = true;
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
 * shim_chardev_add_cdev() - make the region's minor reach @ops
 * @cd: the device, with its region allocated
 * @ops: the C++ callbacks; they must outlive the cdev
 * @owner: their first argument
 *
 * Return: 0, or the negative errno of cdev_add().
 */
noinline int shim_chardev_add_cdev(struct shim_chardev *cd,
				   const struct shim_file_ops *ops,
				   void *owner)
{
	struct lothars_chardev *dev = chardev_of(cd);

	dev->ops = ops;
	dev->owner = owner;
	cdev_init(&dev->cdev, &chardev_fops);
	/* Each open pins the module that owns the file operations. */
	dev->cdev.owner = chardev_fops.owner;
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
 * shim_chardev_create_device() - create the device, its node and counters
 * @cd: the device, with its class created
 * @name: the node name (/dev/@name)
 *
 * Return: 0, or the negative errno of device_create_with_groups().
 */
noinline int shim_chardev_create_device(struct shim_chardev *cd,
					const char *name)
{
	struct lothars_chardev *dev = chardev_of(cd);
	struct device *device;

	device = device_create_with_groups(dev->class, NULL, dev->devt, dev,
					   chardev_groups, "%s", name);
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

unsigned int shim_chardev_major(const struct shim_chardev *cd)
{
	return MAJOR(((const struct lothars_chardev *)(const void *)cd->opaque)->devt);
}

unsigned int shim_chardev_minor(const struct shim_chardev *cd)
{
	return MINOR(((const struct lothars_chardev *)(const void *)cd->opaque)->devt);
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
