// SPDX-License-Identifier: GPL-2.0
// crcpool.ko's C++, built with CRCPOOL_BENCH (the mode parameter).
#include "../../crcpool/crcpool_module.cpp"
