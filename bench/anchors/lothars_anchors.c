// SPDX-License-Identifier: GPL-2.0
/*
 * lothars_anchors.ko - the round trip of kthread.ko's roundtrip=1 mode
 * ("hand the read to a kernel thread, wait for its answer") done with the
 * kernel's own deferred-work APIs, as anchors for `make bench`:
 *
 *   /dev/lothars_wq       queue_work(system_wq) + flush_work(): the work
 *                         runs on the reader's CPU (a per-CPU kworker)
 *   /dev/lothars_uwq      the same on system_unbound_wq: any CPU, as an
 *                         unbound kernel thread such as kthread.ko's runs
 *   /dev/lothars_kworker  kthread_queue_work() + kthread_flush_work() on a
 *                         kthread_worker of its own (unbound)
 *
 * Each read() at offset 0 logs "chardev_read()" as kthread.ko's does, hands
 * one on-stack work item over, waits until it has run and returns the
 * line the work produced ("event <N>\n"); later offsets return EOF.
 * Never installed.
 */
#include <linux/atomic.h>
#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/uaccess.h>
#include <linux/version.h>
#include <linux/workqueue.h>

enum { ANCHOR_WQ, ANCHOR_UWQ, ANCHOR_KWORKER, ANCHOR_COUNT };
static const char *const anchor_names[ANCHOR_COUNT] = {
	"lothars_wq", "lothars_uwq", "lothars_kworker",
};

static dev_t anchor_devt;
static struct cdev anchor_cdev;
static struct class *anchor_class;
static struct kthread_worker *anchor_worker;
static atomic64_t anchor_events;

/* As kthread.ko's quiet=1: no log line per read. */
static bool quiet;
module_param(quiet, bool, 0444);
MODULE_PARM_DESC(quiet, "no log line per read (default: 0)");

struct anchor_request {
	union {
		struct work_struct work;
		struct kthread_work kwork;
	};
	u64 number;
};

static void anchor_handle(struct anchor_request *req)
{
	req->number = atomic64_fetch_add(1, &anchor_events);
}

static void anchor_work_fn(struct work_struct *work)
{
	anchor_handle(container_of(work, struct anchor_request, work));
}

static void anchor_kwork_fn(struct kthread_work *kwork)
{
	anchor_handle(container_of(kwork, struct anchor_request, kwork));
}

static ssize_t anchor_read(struct file *file, char __user *buf, size_t len,
			   loff_t *pos)
{
	struct anchor_request req = { };
	char line[32];
	size_t count;

	if (!quiet)
		pr_info("chardev_read()\n");
	if (*pos > 0)
		return 0;
	if (iminor(file_inode(file)) != ANCHOR_KWORKER) {
		INIT_WORK_ONSTACK(&req.work, anchor_work_fn);
		queue_work(iminor(file_inode(file)) == ANCHOR_WQ ? system_wq :
			   system_unbound_wq, &req.work);
		flush_work(&req.work);
		destroy_work_on_stack(&req.work);
	} else {
		kthread_init_work(&req.kwork, anchor_kwork_fn);
		kthread_queue_work(anchor_worker, &req.kwork);
		kthread_flush_work(&req.kwork);
	}
	count = min(len, (size_t)scnprintf(line, sizeof(line), "event %llu\n",
					   req.number));
	if (copy_to_user(buf, line, count))
		return -EFAULT;
	*pos += count;
	return count;
}

static const struct file_operations anchor_fops = {
	.owner = THIS_MODULE,
	.read = anchor_read,
	.llseek = default_llseek,
};

static int __init anchor_init(void)
{
	int ret, i;

	anchor_worker = kthread_create_worker(0, "lothars_kworker");
	if (IS_ERR(anchor_worker))
		return PTR_ERR(anchor_worker);
	ret = alloc_chrdev_region(&anchor_devt, 0, ANCHOR_COUNT, "lothars_anchors");
	if (ret)
		goto err_worker;
	cdev_init(&anchor_cdev, &anchor_fops);
	anchor_cdev.owner = THIS_MODULE;
	ret = cdev_add(&anchor_cdev, anchor_devt, ANCHOR_COUNT);
	if (ret)
		goto err_region;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	anchor_class = class_create("lothars_anchors");
#else
	anchor_class = class_create(THIS_MODULE, "lothars_anchors");
#endif
	if (IS_ERR(anchor_class)) {
		ret = PTR_ERR(anchor_class);
		goto err_cdev;
	}
	for (i = 0; i < ANCHOR_COUNT; i++) {
		struct device *dev = device_create(anchor_class, NULL,
						   anchor_devt + i, NULL, "%s",
						   anchor_names[i]);
		if (IS_ERR(dev)) {
			ret = PTR_ERR(dev);
			while (i--)
				device_destroy(anchor_class, anchor_devt + i);
			goto err_class;
		}
	}
	return 0;

err_class:
	class_destroy(anchor_class);
err_cdev:
	cdev_del(&anchor_cdev);
err_region:
	unregister_chrdev_region(anchor_devt, ANCHOR_COUNT);
err_worker:
	kthread_destroy_worker(anchor_worker);
	return ret;
}

static void __exit anchor_exit(void)
{
	int i;

	for (i = 0; i < ANCHOR_COUNT; i++)
		device_destroy(anchor_class, anchor_devt + i);
	class_destroy(anchor_class);
	cdev_del(&anchor_cdev);
	unregister_chrdev_region(anchor_devt, ANCHOR_COUNT);
	kthread_destroy_worker(anchor_worker);
}

module_init(anchor_init);
module_exit(anchor_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Round-trip anchors for make bench: workqueue and kthread_worker");
