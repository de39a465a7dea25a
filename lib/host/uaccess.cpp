// SPDX-License-Identifier: GPL-2.0
// uaccess.cpp - lib/shim/uaccess.c on the host: user memory is the
// test's memory; a null destination stands for a bad user address.
#include "host/fake.h"

#include <cstring>

using namespace shim_host;

extern "C" {

int shim_copy_to_user(char* to, const char* from, unsigned long len)
{
    might_sleep("copy_to_user");
    if (int error = injected(Step::copy_to_user))
        return error;
    if (!to && len)
        return -SHIM_EFAULT;
    if (len)
        memcpy(to, from, len);
    return 0;
}

} // extern "C"
