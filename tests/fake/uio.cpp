// SPDX-License-Identifier: GPL-2.0
// uio.cpp - lib/shim/uio.c on the host: user memory is the test's memory
// (a null destination stands for a bad user address) and an iov_iter is
// one flat buffer (host_kernel.h); copying fails as a bad user address
// would, all or none.
#include "fake/fake.h"
#include "kcxx_offsets.h"

#include <cstddef>
#include <cstring>

using namespace shim_host;

extern "C" {

int shim_copy_to_reader(char* to, iov_iter* iter, const char* from, unsigned long len)
{
    might_sleep(iter ? "copy_to_iter" : "copy_to_user");
    if (int error = injected(Step::copy_to_user))
        return error;
    if (!iter) {
        if (!to && len)
            return -SHIM_EFAULT;
        if (len)
            memcpy(to, from, len);
        return 0;
    }
    if (len > iter->count || (!iter->buffer && len))
        return -SHIM_EFAULT;
    if (len)
        memcpy(iter->buffer, from, len);
    iter->buffer += len;
    iter->count -= len;
    return 0;
}

} // extern "C"

// The field kernel/Field.h reads as iov_iter_count() (tests/fake/include/kcxx_offsets.h).
const unsigned long shim_host::offset_iov_iter_count = offsetof(iov_iter, count);
