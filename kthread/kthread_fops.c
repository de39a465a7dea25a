// SPDX-License-Identifier: GPL-2.0
/*
 * kthread_fops.c - kthread.ko's file operations and sysfs counters.
 *
 * struct file_operations exists only in C, so the table is here; its
 * entries are the C++ handlers themselves (kthread_module.cpp), so
 * a read() reaches the C++ with the kernel's one indirect call, as it
 * reaches any C driver. read() uses .read; readv(), preadv() and io_uring
 * use .read_iter, so that all of a call's vectors are one read (with .read
 * alone the kernel would call it once per vector). This file also holds
 * the module's refusals: what the device does not do, with the errno and
 * the log line for each.
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/sysfs.h>

#include "kthread.h"

static ssize_t kthread_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *pos)
{
	pr_info_ratelimited(KBUILD_MODNAME ": write refused: the device is read-only\n");
	return -EINVAL;
}

static long kthread_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	pr_info_ratelimited(KBUILD_MODNAME ": ioctl 0x%x refused: no ioctls\n",
			    cmd);
	return -ENOTTY;
}

static int kthread_mmap(struct file *file, struct vm_area_struct *vma)
{
	pr_info_ratelimited(KBUILD_MODNAME ": mmap refused: nothing to map\n");
	return -ENODEV;
}

/*
 * .owner pins the module while a file is open: rmmod then fails with
 * EBUSY instead of freeing the code under an open file.
 */
const struct file_operations kthread_fops = {
	.owner = THIS_MODULE,
	.open = kthread_open,
	.read = kthread_read,
	.read_iter = kthread_read_iter,
	.write = kthread_write,
	.unlocked_ioctl = kthread_ioctl,
	.compat_ioctl = kthread_ioctl,
	.mmap = kthread_mmap,
	.release = kthread_release,
	.llseek = default_llseek,
};

/* One show function for every counter: the attribute says which. */
struct kthread_counter_attribute {
	struct device_attribute attr;
	enum kthread_counter which;
};

static ssize_t counter_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	enum kthread_counter which =
		container_of(attr, struct kthread_counter_attribute, attr)->which;

	return sysfs_emit(buf, "%llu\n",
			  kthread_counter_value(dev_get_drvdata(dev), which));
}

#define KTHREAD_COUNTER_ATTR(_name, _which)				\
	struct kthread_counter_attribute dev_attr_##_name = {		\
		.attr = __ATTR(_name, 0444, counter_show, NULL),	\
		.which = (_which),					\
	}

static KTHREAD_COUNTER_ATTR(reads, KTHREAD_COUNTER_READS);
static KTHREAD_COUNTER_ATTR(events, KTHREAD_COUNTER_EVENTS);
static KTHREAD_COUNTER_ATTR(pending, KTHREAD_COUNTER_PENDING);

static struct attribute *kthread_attrs[] = {
	&dev_attr_reads.attr.attr,
	&dev_attr_events.attr.attr,
	&dev_attr_pending.attr.attr,
	NULL,
};

static const struct attribute_group kthread_group = {
	.attrs = kthread_attrs,
};

const struct attribute_group *kthread_groups[] = {
	&kthread_group,
	NULL,
};
