// SPDX-License-Identifier: GPL-2.0
/*
 * race_main.c - loads, runs the race once (race.cpp), logs how many plain
 * bumps were lost, and stays loaded until rmmod. For the data-race
 * kernel's KCSAN proof only.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/printk.h>

int kcsan_race_run(void);

static int __init kcsan_race_init(void)
{
	int lost = kcsan_race_run();

	if (lost < 0)
		return lost;
	pr_info("kcsan_race: done, %d plain bumps lost\n", lost);
	return 0;
}

static void __exit kcsan_race_exit(void)
{
}

module_init(kcsan_race_init);
module_exit(kcsan_race_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KCSAN proof: a plain and a marked counter shared by two C++ threads");
