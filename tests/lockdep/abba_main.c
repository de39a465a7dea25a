// SPDX-License-Identifier: GPL-2.0
/*
 * abba_main.c - loads, runs the inversion once (abba.cpp) and stays loaded
 * until rmmod. For the debug kernel's lockdep proof only.
 */
#include <linux/init.h>
#include <linux/module.h>

int abba_run(void);

static int __init abba_init(void)
{
	return abba_run();
}

static void __exit abba_exit(void)
{
}

module_init(abba_init);
module_exit(abba_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Lockdep proof: an AB-BA order between two lock sites of the C++ layer");
