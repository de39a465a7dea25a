/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lothars_shim_host.h - host builds only (the unit tests): defaults for
 * shim functions newer than the user-space shim (tests/host/shim_host.cpp).
 * They are weak: a definition there replaces them. Empty in the kernel.
 */
#ifndef LOTHARS_SHIM_HOST_H
#define LOTHARS_SHIM_HOST_H

#if !defined(__KERNEL__) && defined(__cplusplus)
#include "shim/lothars_shim.h"

extern "C" {
// NOLINTBEGIN(misc-definitions-in-headers)
__attribute__((weak)) bool shim_param_signal(void) { return true; }
__attribute__((weak)) void shim_event_posted(unsigned long long /*number*/) {}
__attribute__((weak)) void shim_event_handled(unsigned long long /*number*/) {}
// NOLINTEND(misc-definitions-in-headers)
}
#endif

#endif /* LOTHARS_SHIM_HOST_H */
