// SPDX-License-Identifier: GPL-2.0
// kernel.cpp - lib/shim/kernel.c on the host: might_sleep() checks, as
// CONFIG_DEBUG_ATOMIC_SLEEP does, that no spinlock is held.
#include "fake/fake.h"

using namespace shim_host;

extern "C" {

void shim_might_sleep(void) { might_sleep("might_sleep"); }

} // extern "C"
