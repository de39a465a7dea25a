// SPDX-License-Identifier: GPL-2.0
/*
 * kthread_main.c - kthread.ko's entry points, parameters and modinfo.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "kthread.h"
#ifdef KTHREAD_BENCH
#include "wake_stats.h"
#endif

bool kthread_param_roundtrip;
module_param_named(roundtrip, kthread_param_roundtrip, bool, 0444);
MODULE_PARM_DESC(roundtrip,
		 "read() waits for the thread to handle its event and returns \"event <N>\" (default: 0)");

bool kthread_param_log_events = true;
module_param_named(log_events, kthread_param_log_events, bool, 0444);
MODULE_PARM_DESC(log_events,
		 "log one line per handled event, as the classic demo does (default: 1)");

/* quiet=1 leaves only the load and unload lines (make bench uses it too). */
bool kthread_param_quiet;
module_param_named(quiet, kthread_param_quiet, bool, 0444);
MODULE_PARM_DESC(quiet,
		 "no log line per event (chardev_read(), waiting for event..., event came from READ function); load and unload still log (default: 0)");

/* ---- module entry points -------------------------------------------- */

#ifdef KTHREAD_BENCH
static int __init hello_kthread_init(void)
{
	int ret;

	/* The wake-latency statistics outlive every event (best effort). */
	kthread_wake_stats = wake_stats_create("lothars_chardev");
	ret = kthread_load();
	if (ret)
		wake_stats_destroy(kthread_wake_stats);
	return ret;
}

static void __exit hello_kthread_exit(void)
{
	kthread_unload(); /* the thread is joined: no event uses the clock now */
	wake_stats_destroy(kthread_wake_stats);
}
#else
static int __init hello_kthread_init(void)
{
	return kthread_load();
}

static void __exit hello_kthread_exit(void)
{
	kthread_unload();
}
#endif

module_init(hello_kthread_init);
module_exit(hello_kthread_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The kthread-cxx authors");
MODULE_DESCRIPTION("Hello Kernelthread Module in C++: a kthread, completions and a character device");
MODULE_VERSION(KTHREAD_CXX_VERSION); /* from debian/changelog: see Kbuild */
