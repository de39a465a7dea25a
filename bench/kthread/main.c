// SPDX-License-Identifier: GPL-2.0
/* kthread.ko's entry points and parameters, built with KTHREAD_BENCH. */
#include "../../kthread/kthread_main.c"
