// SPDX-License-Identifier: GPL-2.0
// Log.h - kernel log lines, one printk call each.
//
// As pr_info() does, the level, the prefix, the format and the newline are
// string literals joined by the compiler, so a line costs one call to the
// kernel's printk entry and the format is checked against its arguments.
// Info lines carry no prefix (the classic demo's lines are bare); error
// lines start with the module's name, as pr_err(KBUILD_MODNAME ": ...").
#pragma once

#include "shim/shim.h"

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "kthread" // host builds
#endif

// KERN_SOH and the level: two literals, as the kernel's KERN_INFO.
// clang-format off
#define KERNEL_LEVEL_INFO "\001" "6"
#define KERNEL_LEVEL_ERR "\001" "3"
// clang-format on

#define KERNEL_LOG_INFO(format, ...) kapi_printk(KERNEL_LEVEL_INFO format "\n", ##__VA_ARGS__)
#define KERNEL_LOG_ERROR(format, ...) kapi_printk(KERNEL_LEVEL_ERR KBUILD_MODNAME ": " format "\n", ##__VA_ARGS__)

// A line that user space can provoke at will (a refused request): at most
// a burst of them per interval, as pr_info_ratelimited(), prefixed with the
// module's name. The module's rate-limited lines share one budget
// (shim/printk.c).
#define KERNEL_LOG_INFO_RATELIMITED(format, ...)                                           \
    do {                                                                                   \
        if (shim_printk_ratelimit())                                                       \
            kapi_printk(KERNEL_LEVEL_INFO KBUILD_MODNAME ": " format "\n", ##__VA_ARGS__); \
    } while (0)
