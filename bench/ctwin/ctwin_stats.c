// SPDX-License-Identifier: GPL-2.0
/* The wake-latency statistics, the same code kthread.ko links. */
#include "../../shim/lothars_stats.c"
