// SPDX-License-Identifier: GPL-2.0
/*
 * ctwin.ko - kthread.ko's design written the way a C kernel programmer
 * would: the same character device, kernel thread, completion, counters,
 * parameters (roundtrip, log_events, signal), log lines, tracepoints and
 * wake-latency statistics, without the shim or the C++ layer. It exists
 * only for `make bench`, to measure what the C++ costs; it is never
 * installed. Names differ so that both modules can be loaded in turn:
 * /dev/lothars_ctwin, /sys/class/lothars_ctwin, thread ctwin_wait_thread,
 * debugfs lothars_ctwin/, trace system ctwin.
 */
#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/version.h>
#include <linux/wait.h>

#include "../kthread/wake_stats.h"

#define CREATE_TRACE_POINTS
#include "ctwin_trace.h"

#define CTWIN_NAME "lothars_ctwin"

/*
 * The parameters' descriptions and the module's author and version are
 * kthread.ko's, word for word: .modinfo counts in `size`, and the twin has
 * the same features.
 */
static bool roundtrip;
module_param(roundtrip, bool, 0444);
MODULE_PARM_DESC(roundtrip,
		 "read() waits for the thread to handle its event and returns \"event <N>\" (default: 0)");

static bool log_events = true;
module_param(log_events, bool, 0444);
MODULE_PARM_DESC(log_events,
		 "log one line per handled event, as the classic demo does (default: 1)");

static bool quiet;
module_param(quiet, bool, 0444);
MODULE_PARM_DESC(quiet,
		 "no log line per event (chardev_read(), waiting for event..., event came from READ function); load and unload still log (default: 0)");

static bool signal = true;
module_param(signal, bool, 0444);
MODULE_PARM_DESC(signal,
		 "read() posts an event to the thread; 0: it only returns EOF, nothing is posted or counted (default: 1)");

/* One open file in round-trip mode. */
struct ctwin_session {
	struct mutex lock;		/* one read at a time per open file */
	struct completion answered;
	bool in_flight;
	u64 event_number;
	struct list_head link;		/* in ctwin.queue while posted */
};

struct ctwin {
	struct completion event;
	struct completion running;	/* the thread has entered its loop */
	wait_queue_head_t idle;		/* woken whenever the thread finishes an event */
	atomic64_t posted;
	atomic64_t events;
	bool stopping;
	spinlock_t queue_lock;
	struct list_head queue;		/* round trip: sessions awaiting the thread */
	struct wake_stats *stats;
	dev_t devt;
	struct cdev cdev;
	struct class *class;
	struct device *device;
	struct task_struct *thread;
};

static struct ctwin *ctwin;

/* ---- the kernel thread --------------------------------------------- */

static void handle_read_event(struct ctwin *tw)
{
	u64 number = atomic64_read_acquire(&tw->events);
	struct ctwin_session *session;

	trace_ctwin_event_handled(number, wake_stats_handled(tw->stats, number));
	if (log_events && !quiet)
		pr_info("event came from READ function - %llu\n", number);
	if (roundtrip) {
		spin_lock(&tw->queue_lock);
		session = list_first_entry(&tw->queue, struct ctwin_session, link);
		list_del(&session->link);
		spin_unlock(&tw->queue_lock);
		session->event_number = number;
		/* "answered" is a state until reinit; the session may be freed now. */
		complete_all(&session->answered);
	}
	atomic64_set_release(&tw->events, number + 1);
	/* Nobody waits but an unload: no lock to take for every event. */
	if (wq_has_sleeper(&tw->idle))
		wake_up_all(&tw->idle);
}

static int ctwin_thread(void *data)
{
	struct ctwin *tw = data;

	complete_all(&tw->running);
	for (;;) {
		if (!quiet)
			pr_info("waiting for event...\n");
		while (wait_for_completion_interruptible(&tw->event))
			;
		if (READ_ONCE(tw->stopping)) {
			pr_info("event came from exit function\n");
			return 0;
		}
		handle_read_event(tw);
	}
}

/* ---- readers --------------------------------------------------------- */

static void post_event(struct ctwin *tw, struct ctwin_session *session)
{
	u64 number;

	if (session) {
		spin_lock(&tw->queue_lock);
		list_add_tail(&session->link, &tw->queue);
		spin_unlock(&tw->queue_lock);
	}
	number = atomic64_fetch_add(1, &tw->posted);
	trace_ctwin_event_posted(number);
	wake_stats_posted(tw->stats, number);
	complete(&tw->event);
}

/* Where a read's reply goes: read()'s buffer or read_iter()'s iov_iter. */
struct ctwin_dest {
	char __user *buf;
	struct iov_iter *iter;
	size_t len;
};

static ssize_t roundtrip_read(struct ctwin *tw, struct ctwin_session *session,
			      const struct ctwin_dest *dest, loff_t *pos)
{
	char line[32];
	size_t count;
	ssize_t ret;

	if (*pos > 0)
		return 0;
	if (mutex_lock_interruptible(&session->lock))
		return -ERESTARTSYS;
	if (!session->in_flight) {
		reinit_completion(&session->answered);
		session->in_flight = true;
		post_event(tw, session);
	}
	if (wait_for_completion_interruptible(&session->answered)) {
		if (!quiet)
			pr_info("chardev_read() interrupted: event still in flight\n");
		ret = -ERESTARTSYS;
		goto out;
	}
	session->in_flight = false;
	count = min(dest->len, (size_t)scnprintf(line, sizeof(line), "event %llu\n",
						 session->event_number));
	if (dest->iter ? copy_to_iter(line, count, dest->iter) != count :
			 copy_to_user(dest->buf, line, count) != 0) {
		ret = -EFAULT;
		goto out;
	}
	*pos += count;
	ret = count;
out:
	mutex_unlock(&session->lock);
	return ret;
}

static int ctwin_open(struct inode *inode, struct file *file)
{
	struct ctwin_session *session;

	if (!roundtrip)
		return 0;
	session = kzalloc(sizeof(*session), GFP_KERNEL);
	if (!session) {
		pr_err(KBUILD_MODNAME ": open: no memory for the session: error %d\n", -ENOMEM);
		return -ENOMEM;
	}
	mutex_init(&session->lock);
	init_completion(&session->answered);
	file->private_data = session;
	return 0;
}

static ssize_t do_read(struct file *file, const struct ctwin_dest *dest,
		       loff_t *pos)
{
	struct ctwin *tw = container_of(file_inode(file)->i_cdev, struct ctwin, cdev);

	if (!quiet)
		pr_info("chardev_read()\n");
	if (!signal)
		return 0;
	if (roundtrip)
		return roundtrip_read(tw, file->private_data, dest, pos);
	post_event(tw, NULL);
	return 0;
}

static ssize_t ctwin_read(struct file *file, char __user *buf, size_t len,
			  loff_t *pos)
{
	struct ctwin_dest dest = { .buf = buf, .len = len };

	return do_read(file, &dest, pos);
}

/* readv(), preadv(), io_uring: all of a call's vectors are one read. */
static ssize_t ctwin_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct ctwin_dest dest = { .iter = to, .len = iov_iter_count(to) };

	return do_read(iocb->ki_filp, &dest, &iocb->ki_pos);
}

static int ctwin_release(struct inode *inode, struct file *file)
{
	struct ctwin_session *session = file->private_data;

	if (!session)
		return 0;
	/* An interrupted reader's request is still queued: wait for its answer. */
	if (session->in_flight && !completion_done(&session->answered))
		wait_for_completion(&session->answered);
	mutex_destroy(&session->lock);
	kfree(session);
	return 0;
}

static ssize_t ctwin_write(struct file *file, const char __user *buf,
			   size_t len, loff_t *pos)
{
	pr_info_ratelimited(KBUILD_MODNAME ": write refused: the device is read-only\n");
	return -EINVAL;
}

static long ctwin_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	pr_info_ratelimited(KBUILD_MODNAME ": ioctl 0x%x refused: no ioctls\n", cmd);
	return -ENOTTY;
}

static int ctwin_mmap(struct file *file, struct vm_area_struct *vma)
{
	pr_info_ratelimited(KBUILD_MODNAME ": mmap refused: nothing to map\n");
	return -ENODEV;
}

static const struct file_operations ctwin_fops = {
	.owner = THIS_MODULE,
	.open = ctwin_open,
	.read = ctwin_read,
	.read_iter = ctwin_read_iter,
	.write = ctwin_write,
	.unlocked_ioctl = ctwin_ioctl,
	.compat_ioctl = ctwin_ioctl,
	.mmap = ctwin_mmap,
	.release = ctwin_release,
	.llseek = default_llseek,
};

/* ---- counters in sysfs ----------------------------------------------- */

static ssize_t reads_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct ctwin *tw = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read_acquire(&tw->posted));
}

static ssize_t events_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct ctwin *tw = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%llu\n", (u64)atomic64_read_acquire(&tw->events));
}

static ssize_t pending_show(struct device *dev, struct device_attribute *attr, char *buf)
{
	struct ctwin *tw = dev_get_drvdata(dev);

	return sysfs_emit(buf, "%d\n", completion_done(&tw->event) ? 1 : 0);
}

static DEVICE_ATTR_RO(reads);
static DEVICE_ATTR_RO(events);
static DEVICE_ATTR_RO(pending);

static struct attribute *ctwin_attrs[] = {
	&dev_attr_reads.attr,
	&dev_attr_events.attr,
	&dev_attr_pending.attr,
	NULL,
};
ATTRIBUTE_GROUPS(ctwin);

/* ---- load and unload --------------------------------------------------- */

static void ctwin_stop_thread(struct ctwin *tw)
{
	/* Every read that returned has posted: let the thread catch up first. */
	wait_event(tw->idle, atomic64_read_acquire(&tw->events) ==
			     atomic64_read_acquire(&tw->posted));
	WRITE_ONCE(tw->stopping, true);
	complete(&tw->event);
	kthread_stop(tw->thread);
	put_task_struct(tw->thread);
}

static int __init ctwin_init(void)
{
	struct ctwin *tw;
	int ret;

	pr_info("init_hello_completion() started\n");
	tw = kzalloc(sizeof(*tw), GFP_KERNEL);
	if (!tw) {
		pr_err(KBUILD_MODNAME ": allocating the module state failed: error %d\n", -ENOMEM);
		pr_err(KBUILD_MODNAME ": init_hello_completion() failed: error %d\n", -ENOMEM);
		return -ENOMEM;
	}
	init_completion(&tw->event);
	init_completion(&tw->running);
	init_waitqueue_head(&tw->idle);
	spin_lock_init(&tw->queue_lock);
	INIT_LIST_HEAD(&tw->queue);
	tw->stats = wake_stats_create(CTWIN_NAME);

	ret = alloc_chrdev_region(&tw->devt, 0, 1, CTWIN_NAME);
	if (ret) {
		pr_err(KBUILD_MODNAME ": alloc_chrdev_region() failed: error %d\n", ret);
		goto err_free;
	}
	pr_info("init_hello_completion() - major = %u, minor = %u\n",
		MAJOR(tw->devt), MINOR(tw->devt));

	tw->thread = kthread_create(ctwin_thread, tw, "ctwin_wait_thread");
	if (IS_ERR(tw->thread)) {
		ret = PTR_ERR(tw->thread);
		pr_err(KBUILD_MODNAME ": kthread_create() failed: error %d\n", ret);
		goto err_region;
	}
	get_task_struct(tw->thread);
	pr_info("kthread_create() successful\n");
	wake_up_process(tw->thread);
	/* The thread must be in its loop before anything can stop it. */
	ret = wait_for_completion_killable(&tw->running);
	if (ret)
		goto err_thread;

	cdev_init(&tw->cdev, &ctwin_fops);
	tw->cdev.owner = THIS_MODULE;
	ret = cdev_add(&tw->cdev, tw->devt, 1);
	if (ret) {
		pr_err(KBUILD_MODNAME ": cdev_add() failed: error %d\n", ret);
		goto err_thread;
	}
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	tw->class = class_create(CTWIN_NAME);
#else
	tw->class = class_create(THIS_MODULE, CTWIN_NAME);
#endif
	if (IS_ERR(tw->class)) {
		ret = PTR_ERR(tw->class);
		pr_err(KBUILD_MODNAME ": class_create() failed: error %d\n", ret);
		goto err_cdev;
	}
	tw->device = device_create_with_groups(tw->class, NULL, tw->devt, tw,
					       ctwin_groups, CTWIN_NAME);
	if (IS_ERR(tw->device)) {
		ret = PTR_ERR(tw->device);
		pr_err(KBUILD_MODNAME ": device_create() failed: error %d\n", ret);
		goto err_class;
	}
	ctwin = tw;
	return 0;

err_class:
	class_destroy(tw->class);
err_cdev:
	cdev_del(&tw->cdev);
err_thread:
	ctwin_stop_thread(tw);
err_region:
	unregister_chrdev_region(tw->devt, 1);
err_free:
	wake_stats_destroy(tw->stats);
	kfree(tw);
	pr_err(KBUILD_MODNAME ": init_hello_completion() failed: error %d\n", ret);
	return ret;
}

static void __exit ctwin_exit(void)
{
	struct ctwin *tw = ctwin;

	ctwin_stop_thread(tw);
	device_destroy(tw->class, tw->devt);
	class_destroy(tw->class);
	cdev_del(&tw->cdev);
	unregister_chrdev_region(tw->devt, 1);
	wake_stats_destroy(tw->stats);
	kfree(tw);
	pr_info("cleanup_hello_completion() READY.\n");
}

module_init(ctwin_init);
module_exit(ctwin_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The kthread-cxx authors");
MODULE_VERSION("1.0.0");
MODULE_DESCRIPTION("kthread.ko's design in plain C: the benchmark's anchor for the C++ overhead");
