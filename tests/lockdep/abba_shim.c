// SPDX-License-Identifier: GPL-2.0
/* The shim's helpers, compiled again into the lockdep test module. */
#include "../../shim/lothars_shim.c"
