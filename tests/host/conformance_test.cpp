// SPDX-License-Identifier: GPL-2.0
// conformance_test.cpp - the conformance suite of the C++ layer
// (tests/conformance/conformance.cpp) against the host's user-space kernel:
// the same case bodies KUnit runs in the debug kernel, so a property the
// fake gets wrong fails here and passes there, or the other way round.
#include "fake/host_kernel.h"
#include "tests/conformance/conformance.h"
#include "tests/host/test_support.h"

extern "C" {

// The host has no atomic64_t: the same operations, as x86-64 does them.
void conformance_atomic64_add(void* v, long long delta)
{
    __atomic_fetch_add(static_cast<long long*>(v), delta, __ATOMIC_RELAXED);
}

long long conformance_atomic64_read(void* v) { return __atomic_load_n(static_cast<long long*>(v), __ATOMIC_RELAXED); }

int conformance_atomic_inc_return(void* v) { return __atomic_add_fetch(static_cast<int*>(v), 1, __ATOMIC_SEQ_CST); }

void conformance_fail(void*, const char* what, int line)
{
    ADD_FAILURE_AT("tests/conformance/conformance.cpp", line) << what;
}

} // extern "C"

namespace {

class Conformance : public host_test::HostTest {};

#define CONFORMANCE_TEST(name) \
    TEST_F(Conformance, name) { conformance_##name(nullptr); }
CONFORMANCE_CASES(CONFORMANCE_TEST)

} // namespace
