// SPDX-License-Identifier: GPL-2.0
// Text.h - a short line built in a fixed buffer (no snprintf in C++ here).
// Appends that do not fit are cut off; the text stays NUL-terminated.
#pragma once

#include "kernel/Utility.h"

namespace kernel {

template<size_t Capacity>
class Text {
public:
    Text() { m_buffer[0] = '\0'; }

    Text& append(const char* text)
    {
        while (*text && m_length + 1 < Capacity)
            m_buffer[m_length++] = *text++;
        m_buffer[m_length] = '\0';
        return *this;
    }

    Text& append_decimal(u64 value)
    {
        char digits[20];
        size_t count = 0;
        do {
            digits[count++] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value);
        while (count && m_length + 1 < Capacity)
            m_buffer[m_length++] = digits[--count];
        m_buffer[m_length] = '\0';
        return *this;
    }

    const char* data() const { return m_buffer; }
    size_t length() const { return m_length; }

private:
    char m_buffer[Capacity];
    size_t m_length = 0;
};

} // namespace kernel
