// SPDX-License-Identifier: GPL-2.0
// bug.cpp - lib/shim/bug.c on the host: the WARN_ONCE() becomes a
// recorded bug, which fails the test that caused it.
#include "fake/fake.h"

using namespace shim_host;

extern "C" {

void shim_report_bug(const char* what) { record_bug(what); }

} // extern "C"
