// SPDX-License-Identifier: GPL-2.0
// kthread.ko's C++, built with KTHREAD_BENCH (the signal parameter).
#include "../../kthread/kthread_module.cpp"
