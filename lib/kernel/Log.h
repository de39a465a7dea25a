// SPDX-License-Identifier: GPL-2.0
// Log.h - kernel log lines, one printk call each.
//
// As pr_info() does, the level, the prefix, the format and the newline are
// string literals joined by the compiler, so a line costs one call to the
// kernel's printk entry and the format is checked against its arguments.
// Info lines carry no prefix (the classic demo's lines are bare); error
// lines start with the module's name, as pr_err(KBUILD_MODNAME ": ...").
#pragma once

#include "shim/kernel_api.h"

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
