// SPDX-License-Identifier: GPL-2.0
// conformance_test.cpp - the conformance suite of the C++ layer
// (tests/conformance/conformance.cpp) against the host's user-space kernel:
// the same case bodies KUnit runs in the debug kernel, so a property the
// fake gets wrong fails here and passes there, or the other way round.
#include "host/host_kernel.h"
#include "tests/conformance/conformance.h"
#include "tests/host/test_support.h"

extern "C" {

const file_operations conformance_fops = {};

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
