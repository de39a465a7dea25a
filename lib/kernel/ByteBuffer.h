// SPDX-License-Identifier: GPL-2.0
// ByteBuffer.h - an owned run of bytes whose size is known only at run
// time (create<T>() in Memory.h is for objects of a type). Large sizes are
// fine: the shim takes kvmalloc(), which falls back to vmalloc() instead
// of failing for want of contiguous pages. Not zeroed: fill it first.
#pragma once

#include "kernel/Context.h"
#include "kernel/Result.h"

namespace kernel {

class ByteBuffer {
public:
    ByteBuffer() = default;
    ByteBuffer(ByteBuffer&& other)
        : m_data(exchange<char*>(other.m_data, nullptr)), m_size(exchange<size_t>(other.m_size, 0))
    {}
    ByteBuffer& operator=(ByteBuffer&& other)
    {
        if (this != &other) {
            release();
            m_data = exchange<char*>(other.m_data, nullptr);
            m_size = exchange<size_t>(other.m_size, 0);
        }
        return *this;
    }
    ByteBuffer(const ByteBuffer&) = delete;
    ByteBuffer& operator=(const ByteBuffer&) = delete;
    ~ByteBuffer() { release(); }

    // size bytes, or -ENOMEM. size 0 is refused (-EINVAL): nothing to own.
    static Result<ByteBuffer> allocate(size_t size) MAY_SLEEP
    {
        might_sleep();
        if (!size)
            return Error::from_errno(SHIM_EINVAL);
        void* memory = shim_alloc_bytes(size);
        if (!memory)
            return Error::from_errno(SHIM_ENOMEM);
        return ByteBuffer(static_cast<char*>(memory), size);
    }

    char* data() const { return m_data; }
    size_t size() const { return m_size; }
    bool is_empty() const { return m_data == nullptr; }

    // Frees the bytes now; the buffer is empty afterwards.
    void release() MAY_SLEEP
    {
        if (m_data)
            kvfree(m_data);
        m_data = nullptr;
        m_size = 0;
    }

private:
    ByteBuffer(char* data, size_t size) : m_data(data), m_size(size) {}
    char* m_data = nullptr;
    size_t m_size = 0;
};

} // namespace kernel
