// SPDX-License-Identifier: GPL-2.0
/*
 * lothars_module.c - kthread.ko's entry points, parameters and modinfo.
 * Kept apart from the shim's API wrappers so that the KUnit test module
 * can link those wrappers without this module's identity.
 */
#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "lothars_shim.h"
#include "lothars_stats.h"

static bool roundtrip;
module_param(roundtrip, bool, 0444);
MODULE_PARM_DESC(roundtrip,
		 "read() waits for the thread to handle its event and returns \"event <N>\" (default: 0)");

static bool log_events = true;
module_param(log_events, bool, 0444);
MODULE_PARM_DESC(log_events,
		 "log one line per handled event, as the classic demo does (default: 1)");

/* make bench: signal=0 is the null read, the syscall floor to compare with. */
static bool signal = true;
module_param(signal, bool, 0444);
MODULE_PARM_DESC(signal,
		 "read() posts an event to the thread; 0: it only returns EOF, nothing is posted or counted (default: 1)");

/* make bench: quiet=1 leaves only the load and unload lines. */
static bool quiet;
module_param(quiet, bool, 0444);
MODULE_PARM_DESC(quiet,
		 "no log line per event (chardev_read(), waiting for event..., event came from READ function); load and unload still log (default: 0)");

bool shim_param_quiet(void)
{
	return quiet;
}

bool shim_param_roundtrip(void)
{
	return roundtrip;
}

bool shim_param_log_events(void)
{
	return log_events;
}

bool shim_param_signal(void)
{
	return signal;
}

/* ---- module entry points -------------------------------------------- */

static int __init lothars_init(void)
{
	int ret;

	/* The wake-latency statistics outlive every event (best effort). */
	shim_events_init();
	ret = lothars_module_load();
	if (ret)
		shim_events_exit();
	return ret;
}

static void __exit lothars_exit(void)
{
	lothars_module_unload();
	shim_events_exit();
}

module_init(lothars_init);
module_exit(lothars_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The kthread-cxx authors");
MODULE_DESCRIPTION("Hello Kernelthread Module in C++: a kthread, completions and a character device");
MODULE_VERSION(KTHREAD_CXX_VERSION); /* from debian/changelog: see Kbuild */
