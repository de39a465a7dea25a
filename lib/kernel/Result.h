// SPDX-License-Identifier: GPL-2.0
// Result.h - errors are values: Result<T> holds a T or a kernel errno.
// No exceptions exist in the kernel; TRY() returns early on an error, as
// SerenityOS's TRY does, so each step of a sequence reads on one line.
#pragma once

#include "kernel/Utility.h"
#include "shim/shim.h"

namespace kernel {

// A kernel errno, always negative, as the kernel's own functions return
// them. from_errno() takes either sign; 0 is not an error, and asking for
// one is a bug: it is reported (a WARN in the kernel) and becomes -EINVAL,
// so that no caller ever sees an "error" that reads as success.
class Error {
public:
    [[gnu::always_inline]] static constexpr Error from_errno(int code)
    {
        if (code == 0) {
            if (!__builtin_is_constant_evaluated())
                shim_report_bug("Error::from_errno(0): 0 is success, not an error");
            return Error(-SHIM_EINVAL);
        }
        return Error(code < 0 ? code : -code);
    }
    constexpr int code() const { return m_code; }
    constexpr bool operator==(const Error&) const = default;

private:
    constexpr explicit Error(int code) : m_code(code) {}
    int m_code;
};

// error() of a Result that holds a value: reported, and -EINVAL instead.
KERNEL_COLD inline Error error_of_a_value()
{
    shim_report_bug("Result::error() of a value");
    return Error::from_errno(SHIM_EINVAL);
}

// Using the value of an error (or the error of a value) is a bug: it is
// reported, and the caller gets a default-constructed value or -EINVAL
// instead of whatever the storage held.
template<class T>
class [[nodiscard]] Result {
public:
    Result(T&& value) : m_errno(0) { new (&m_value) T(move(value)); }
    Result(const T& value) : m_errno(0) { new (&m_value) T(value); }
    Result(Error error) : m_errno(error.code()) { assume_error(); }
    Result(Result&& other) : m_errno(other.m_errno)
    {
        if (!m_errno)
            new (&m_value) T(move(other.m_value));
    }
    Result(const Result&) = delete;
    Result& operator=(const Result&) = delete;
    Result& operator=(Result&&) = delete;
    ~Result()
    {
        if (!m_errno)
            m_value.~T();
    }

    bool is_error() const { return m_errno != 0; }
    // Inline where it is asked, right after is_error(): the check folds away.
    [[gnu::always_inline]] Error error() const
    {
        if (!m_errno) [[unlikely]]
            return error_of_a_value();
        return Error::from_errno(m_errno);
    }
    T& value()
    {
        if (m_errno) [[unlikely]]
            misuse_value();
        return m_value;
    }
    T release_value() { return move(value()); }

private:
    // An Error is never 0: from_errno() sees to it. Said for the analyzer,
    // which otherwise follows an error Result whose is_error() is false.
    void assume_error() const
    {
        if (m_errno == 0)
            __builtin_unreachable();
    }

    KERNEL_COLD void misuse_value()
    {
        shim_report_bug("Result::value() of an error");
        // A T with a default state gets it; any other T is still reported,
        // but what the caller then reads is unspecified.
        if constexpr (requires { T(); }) {
            m_errno = 0;
            new (&m_value) T();
        }
    }

    union {
        T m_value;
    };
    int m_errno; // 0: m_value holds the value; else the negative errno
};

template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_errno(error.code())
    {
        if (m_errno == 0) // never: from_errno() sees to it (said for the analyzer)
            __builtin_unreachable();
    }

    bool is_error() const { return m_errno != 0; }
    // Inline where it is asked, right after is_error(): the check folds away.
    [[gnu::always_inline]] Error error() const
    {
        if (!m_errno) [[unlikely]]
            return error_of_a_value();
        return Error::from_errno(m_errno);
    }
    void release_value() {}

private:
    int m_errno = 0;
};

// A kernel int return (0 or -errno) as a Result.
inline Result<void> result_from(int code)
{
    if (code < 0)
        return Error::from_errno(code);
    return {};
}

// The one place a Result becomes what the kernel expects back from a file
// operation or an init function: the value, or the negative errno.
inline long to_errno(Result<long> result) { return result.is_error() ? result.error().code() : result.value(); }
inline int to_errno(Result<void> result) { return result.is_error() ? result.error().code() : 0; }

} // namespace kernel

// Evaluate a Result; on error return it from the enclosing function,
// otherwise yield the value.
#define TRY(expression)                  \
    ({                                   \
        auto _try_result = (expression); \
        if (_try_result.is_error())      \
            return _try_result.error();  \
        _try_result.release_value();     \
    })
