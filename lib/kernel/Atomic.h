// SPDX-License-Identifier: GPL-2.0
// Atomic.h - a counter or flag shared between the reader processes and
// the kernel thread. The compiler's __atomic builtins emit the same locked
// instructions the kernel's atomic64_t uses on x86, and need no header.
#pragma once

#include "kernel/Utility.h"

namespace kernel {

template<class T>
class Atomic {
public:
    constexpr Atomic() = default;
    constexpr explicit Atomic(T initial) : m_value(initial) {}
    Atomic(const Atomic&) = delete;
    Atomic& operator=(const Atomic&) = delete;

    T load() const ANY_CONTEXT { return __atomic_load_n(&m_value, __ATOMIC_ACQUIRE); }
    void store(T value) ANY_CONTEXT { __atomic_store_n(&m_value, value, __ATOMIC_RELEASE); }
    // Returns the value before the increment.
    T fetch_add(T delta) ANY_CONTEXT { return __atomic_fetch_add(&m_value, delta, __ATOMIC_ACQ_REL); }

private:
    T m_value {};
};

} // namespace kernel
