// SPDX-License-Identifier: GPL-2.0
/*
 * cdev.c - <linux/cdev.h>: the owner of a cdev is a field. cdev_add() and
 * cdev_del() are exported and called directly (kernel_api.h).
 */
#include <linux/cdev.h>
#include <linux/fs.h>

#include "storage.h"

SHIM_FITS(struct cdev, struct shim_cdev);
static_assert(SHIM_MINORBITS == MINORBITS, "MINORBITS changed");

/**
 * shim_cdev_init() - prepare a cdev that reaches @fops
 * @cd: the storage, inside an object that outlives cdev_del()
 * @fops: the module's file operations; .owner must be THIS_MODULE, so
 *        that an open file pins the module (rmmod then fails with EBUSY
 *        instead of freeing code under the file)
 */
void shim_cdev_init(struct shim_cdev *cd, const struct file_operations *fops)
{
	struct cdev *cdev = SHIM_AS(struct cdev, cd);

	cdev_init(cdev, fops);
	cdev->owner = fops->owner;
}
