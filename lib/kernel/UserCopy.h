// SPDX-License-Identifier: GPL-2.0
// UserCopy.h - where a write's bytes come from: the user buffer of
// write(), the mirror of ReadTarget (kernel/CharDevice.h). The bytes are
// copied into kernel memory before anything acts on them, all or none, so
// that a bad pointer refuses the whole write with EFAULT.
#pragma once

#include "kernel/Context.h"
#include "kernel/Result.h"

namespace kernel {

class WriteSource {
public:
    static WriteSource user(const char __user* buffer, unsigned long length) { return { buffer, length }; }

    unsigned long length() const { return m_length; }

    // Copies count bytes (count <= length()), all or none: 0 or -EFAULT.
    Result<void> copy(char* to, unsigned long count) const MAY_SLEEP
    {
        might_sleep();
        return result_from(shim_copy_from_user(to, m_buffer, count));
    }

private:
    WriteSource(const char __user* buffer, unsigned long length) : m_buffer(buffer), m_length(length) {}
    const char __user* m_buffer;
    unsigned long m_length;
};

} // namespace kernel
