// SPDX-License-Identifier: GPL-2.0
// uaccess_write.cpp - lib/shim/uaccess_write.c on the host: a null source
// stands for a bad user address.
#include "fake/fake.h"

#include <cstring>

using namespace shim_host;

extern "C" {

// A null source stands for a bad user pointer; the copy_to_user fault
// step fails user copies in either direction.
int shim_copy_from_user(char* to, const char* from, unsigned long len)
{
    might_sleep("copy_from_user");
    if (int error = injected(Step::copy_to_user))
        return error;
    if (!from && len)
        return -SHIM_EFAULT;
    if (len)
        memcpy(to, from, len);
    return 0;
}

} // extern "C"
