// SPDX-License-Identifier: GPL-2.0
/*
 * device.c - <linux/device.h>: class_create() was a macro until Linux 6.4.
 * Creating and destroying the device, and destroying the class, are
 * exported and called directly (kernel_api.h).
 */
#include <linux/device.h>
#include <linux/error-injection.h>
#include <linux/module.h>
#include <linux/version.h>

#include "shim.h"

/**
 * shim_class_create() - create the class a device node hangs on
 * @name: the class name (/sys/class/@name)
 *
 * Return: the class, or an ERR_PTR() of class_create().
 */
noinline struct class *shim_class_create(const char *name)
{
	/* Linux 6.4 dropped the owner argument. */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	return class_create(name);
#else
	return class_create(THIS_MODULE, name);
#endif
}
