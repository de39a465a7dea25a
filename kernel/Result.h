// SPDX-License-Identifier: GPL-2.0
// Result.h - errors are values: Result<T> holds a T or a kernel errno.
// No exceptions exist in the kernel; TRY() returns early on an error, as
// SerenityOS's TRY does, so each step of a sequence reads on one line.
#pragma once

#include "kernel/Utility.h"

namespace kernel {

// A negative kernel errno, as the kernel's own functions return them.
class Error {
public:
    static constexpr Error from_errno(int code) { return Error(code < 0 ? code : -code); }
    constexpr int code() const { return m_code; }
    constexpr bool operator==(const Error&) const = default;

private:
    constexpr explicit Error(int code) : m_code(code) {}
    int m_code;
};

template<class T>
class [[nodiscard]] Result {
public:
    Result(T&& value) : m_has_value(true) { new (&m_value) T(move(value)); }
    Result(const T& value) : m_has_value(true) { new (&m_value) T(value); }
    Result(Error error) : m_error(error), m_has_value(false) {}
    Result(Result&& other) : m_error(other.m_error), m_has_value(other.m_has_value)
    {
        if (m_has_value)
            new (&m_value) T(move(other.m_value));
    }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&&) = delete;
    ~Result()
    {
        if (m_has_value)
            m_value.~T();
    }

    bool is_error() const { return !m_has_value; }
    Error error() const { return m_error; }
    T& value() { return m_value; }
    T release_value() { return move(m_value); }

private:
    union {
        T m_value;
    };
    Error m_error = Error::from_errno(0);
    bool m_has_value;
};

template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(error), m_failed(true) {}

    bool is_error() const { return m_failed; }
    Error error() const { return m_error; }
    void release_value() {}

private:
    Error m_error = Error::from_errno(0);
    bool m_failed = false;
};

// A kernel int return (0 or -errno) as a Result.
inline Result<void> result_from(int code)
{
    if (code < 0)
        return Error::from_errno(code);
    return {};
}

} // namespace kernel

// Evaluate a Result; on error return it from the enclosing function,
// otherwise yield the value.
#define TRY(expression)                                  \
    ({                                                   \
        auto _try_result = (expression);                 \
        if (_try_result.is_error())                      \
            return _try_result.error();                  \
        _try_result.release_value();                     \
    })
