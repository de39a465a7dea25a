// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - <linux/sysfs.h>, <linux/device.h>: a device's read-only
 * counters. A device attribute is a struct with a show function; the C++
 * has neither, so it hands over the names and one function that reads
 * counter i, and this file builds the attributes and the group around them.
 */
#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include "storage.h"

struct counter_attribute {
	struct device_attribute attr;
	unsigned int index;
	shim_counter_fn value;
};

struct counters {
	struct counter_attribute items[SHIM_COUNTERS_MAX];
	struct attribute *attrs[SHIM_COUNTERS_MAX + 1];
	struct attribute_group group;
	const struct attribute_group *groups[2];
};

SHIM_FITS(struct counters, struct shim_counters);

static ssize_t counter_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	struct counter_attribute *item =
		container_of(attr, struct counter_attribute, attr);

	return sysfs_emit(buf, "%llu\n",
			  item->value(dev_get_drvdata(dev), item->index));
}

/**
 * shim_counters_init() - build a device's read-only counter files
 * @counters: the storage, inside an object that outlives the device
 * @names: the files' names, @count of them (at most SHIM_COUNTERS_MAX)
 * @count: how many
 * @value: reads counter @index of the device whose drvdata it is given
 *
 * Return: the attribute groups to pass to device_create_with_groups().
 */
const struct attribute_group **
shim_counters_init(struct shim_counters *counters, const char *const *names,
		   unsigned int count, shim_counter_fn value)
{
	struct counters *c = SHIM_AS(struct counters, counters);
	unsigned int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < count && i < SHIM_COUNTERS_MAX; i++) {
		struct counter_attribute *item = &c->items[i];

		/* Not static: lockdep needs its key set (a no-op otherwise). */
		sysfs_attr_init(&item->attr.attr);
		item->attr.attr.name = names[i];
		item->attr.attr.mode = 0444;
		item->attr.show = counter_show;
		item->index = i;
		item->value = value;
		c->attrs[i] = &item->attr.attr;
	}
	c->group.attrs = c->attrs;
	c->groups[0] = &c->group;
	return c->groups;
}
