// SPDX-License-Identifier: GPL-2.0
/* The library's C boundary, compiled into this module. */
#include "../shim/lothars_shim.c"
