// SPDX-License-Identifier: GPL-2.0
/* The shim's wrappers, compiled again into the KUnit module. */
#include "../../shim/lothars_shim.c"
#include "../../shim/timed_waits.c"
