// SPDX-License-Identifier: GPL-2.0
/*
 * kthread.ko's entry points and parameters, built with KTHREAD_BENCH (the
 * wake-latency statistics), and the parameter only make bench needs.
 */
#include "../../kthread/kthread_main.c"

/* signal=0 is the null read, the syscall floor to compare with. */
bool kthread_param_signal = true;
module_param_named(signal, kthread_param_signal, bool, 0444);
MODULE_PARM_DESC(signal,
		 "read() posts an event to the thread; 0: it only returns EOF, nothing is posted or counted (default: 1)");
