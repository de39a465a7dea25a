// SPDX-License-Identifier: GPL-2.0
// The conformance suite, compiled into kthread_kunit.ko.
#include "tests/conformance/conformance.cpp"
