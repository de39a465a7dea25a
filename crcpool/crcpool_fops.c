// SPDX-License-Identifier: GPL-2.0
/*
 * crcpool_fops.c - crcpool.ko's file operations and sysfs attributes.
 *
 * struct file_operations exists only in C, so the table is here; its
 * entries are the C++ handlers themselves (crcpool/crcpool_module.cpp).
 * Only .read and .write: readv() and writev() then reach them once per
 * vector, so a writev() of two vectors submits the first and is refused
 * EBUSY for the second; nothing here needs more. What the device does not
 * do (ioctl, mmap) is refused here, with its errno and its log line.
 */
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/printk.h>
#include <linux/sysfs.h>

#include "crcpool_fops.h"

static long crcpool_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	pr_info_ratelimited(KBUILD_MODNAME ": ioctl 0x%x refused: no ioctls\n",
			    cmd);
	return -ENOTTY;
}

static int crcpool_mmap(struct file *file, struct vm_area_struct *vma)
{
	pr_info_ratelimited(KBUILD_MODNAME ": mmap refused: nothing to map\n");
	return -ENODEV;
}

/**
 * crcpool_log_refused() - log a refused request, ratelimited
 * @why: what was wrong with it
 * @len: the length the caller passed
 */
void crcpool_log_refused(const char *why, unsigned long len)
{
	pr_info_ratelimited(KBUILD_MODNAME ": %s (%lu bytes): refused\n", why,
			    len);
}

/*
 * .owner pins the module while a file is open: rmmod then fails with
 * EBUSY instead of freeing the code, and the pool, under an open file.
 */
const struct file_operations crcpool_fops = {
	.owner = THIS_MODULE,
	.open = crcpool_open,
	.read = crcpool_read,
	.write = crcpool_write,
	.unlocked_ioctl = crcpool_ioctl,
	.compat_ioctl = crcpool_ioctl,
	.mmap = crcpool_mmap,
	.release = crcpool_release,
	.llseek = noop_llseek,
};

static ssize_t counter_show(struct device *dev, enum crcpool_counter which,
			    char *buf)
{
	return sysfs_emit(buf, "%llu\n",
			  crcpool_counter_value(dev_get_drvdata(dev), which));
}

static ssize_t submitted_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return counter_show(dev, CRCPOOL_COUNTER_SUBMITTED, buf);
}

static ssize_t completed_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return counter_show(dev, CRCPOOL_COUNTER_COMPLETED, buf);
}

static ssize_t bytes_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	return counter_show(dev, CRCPOOL_COUNTER_BYTES, buf);
}

static ssize_t workers_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return counter_show(dev, CRCPOOL_COUNTER_WORKERS, buf);
}

static DEVICE_ATTR_RO(submitted);
static DEVICE_ATTR_RO(completed);
static DEVICE_ATTR_RO(bytes);
static DEVICE_ATTR_RO(workers);

static struct attribute *crcpool_attrs[] = {
	&dev_attr_submitted.attr,
	&dev_attr_completed.attr,
	&dev_attr_bytes.attr,
	&dev_attr_workers.attr,
	NULL,
};

static const struct attribute_group crcpool_group = {
	.attrs = crcpool_attrs,
};

const struct attribute_group *crcpool_groups[] = {
	&crcpool_group,
	NULL,
};
