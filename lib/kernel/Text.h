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

// A short line built from its end: each prepend() goes before what is
// there. A number's digits come out last first, so back to front each is
// written once, in place. A piece that does not fit is left out whole.
template<size_t Capacity>
class TailText {
public:
    TailText& prepend(const char* text) { return prepend_bytes(text, __builtin_strlen(text)); }

    TailText& prepend_decimal(u64 value)
    {
        size_t first = m_first;
        do {
            if (!first)
                return *this; // no room for every digit: none
            m_buffer[--first] = static_cast<char>('0' + value % 10);
            value /= 10;
        } while (value);
        m_first = first;
        return *this;
    }

    const char* data() const { return m_buffer + m_first; }
    size_t length() const { return Capacity - m_first; }

private:
    TailText& prepend_bytes(const char* bytes, size_t count)
    {
        if (count <= m_first) {
            m_first -= count;
            __builtin_memcpy(m_buffer + m_first, bytes, count);
        }
        return *this;
    }

    char m_buffer[Capacity];
    size_t m_first = Capacity;
};

} // namespace kernel
