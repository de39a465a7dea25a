// SPDX-License-Identifier: GPL-2.0
// Atomic.h - the kernel's atomic_t and atomic64_t, in C++.
//
// Atomic<T> has the layout of atomic_t (4-byte T) or atomic64_t (8-byte T),
// so C code can apply the kernel's atomic_*() / atomic64_*() to raw(), and
// the kernel's operations with their names and their ordering rules
// (Documentation/atomic_t.txt):
//   read(), set()                      relaxed, as READ_ONCE()/WRITE_ONCE()
//   read_acquire(), set_release()      acquire / release
//   fetch_add(), add_return(),
//   dec_and_test()                     fully ordered (a value-returning RMW)
//   fetch_add_relaxed()                relaxed
//   add(), inc()                       no ordering (an RMW without a result)
// Atomic<bool> is a flag: the non-RMW operations only. full_barrier() is
// smp_mb().
//
// The operations are the compiler's __atomic builtins, inline: on x86-64
// (the only architecture this layer builds for) a value-returning RMW is a
// LOCK-prefixed instruction, a full barrier, exactly what the kernel's
// arch_atomic64_fetch_add() emits; a relaxed read or set is a plain MOV,
// as READ_ONCE()/WRITE_ONCE() are. The KUnit conformance suite checks that
// the kernel's own atomic64_*() and these operate on the same object.
#pragma once

#include "kernel/Utility.h"

#ifndef __x86_64__
#error "kernel/Atomic.h maps the kernel's ordering rules for x86-64 only"
#endif

namespace kernel {

template<class T>
class Atomic {
    static_assert(sizeof(T) == 4 || sizeof(T) == 8 || sizeof(T) == sizeof(bool),
        "the kernel's atomics are 32 or 64 bits wide (or a bool flag)");
    static constexpr bool read_modify_write = sizeof(T) == 4 || sizeof(T) == 8;

public:
    constexpr Atomic() = default;
    constexpr explicit Atomic(T initial) : m_counter(initial) {}
    KERNEL_PINNED(Atomic);

    T read() const ANY_CONTEXT { return __atomic_load_n(&m_counter, __ATOMIC_RELAXED); }
    void set(T value) ANY_CONTEXT { __atomic_store_n(&m_counter, value, __ATOMIC_RELAXED); }
    T read_acquire() const ANY_CONTEXT { return __atomic_load_n(&m_counter, __ATOMIC_ACQUIRE); }
    void set_release(T value) ANY_CONTEXT { __atomic_store_n(&m_counter, value, __ATOMIC_RELEASE); }

    // The value before the addition.
    T fetch_add(T delta) ANY_CONTEXT
    {
        static_assert(read_modify_write);
        return __atomic_fetch_add(&m_counter, delta, __ATOMIC_SEQ_CST);
    }
    T fetch_add_relaxed(T delta) ANY_CONTEXT
    {
        static_assert(read_modify_write);
        return __atomic_fetch_add(&m_counter, delta, __ATOMIC_RELAXED);
    }
    // The value after the addition.
    T add_return(T delta) ANY_CONTEXT
    {
        static_assert(read_modify_write);
        return __atomic_add_fetch(&m_counter, delta, __ATOMIC_SEQ_CST);
    }
    void add(T delta) ANY_CONTEXT
    {
        static_assert(read_modify_write);
        __atomic_fetch_add(&m_counter, delta, __ATOMIC_RELAXED);
    }
    void inc() ANY_CONTEXT { add(1); }
    // True when the decrement reached zero (the last reference went).
    bool dec_and_test() ANY_CONTEXT
    {
        static_assert(read_modify_write);
        return __atomic_sub_fetch(&m_counter, 1, __ATOMIC_SEQ_CST) == 0;
    }

    // For C code: an atomic_t * (4 bytes) or atomic64_t * (8 bytes).
    void* raw() ANY_CONTEXT
    {
        static_assert(read_modify_write);
        return &m_counter;
    }

private:
    T m_counter {};
};

// smp_mb(): orders every earlier load and store before every later one.
// The kernel's x86-64 form: a locked add to the stack, cheaper than MFENCE.
// (Host builds: a locked read-modify-write the compiler sees, as
// ThreadSanitizer supports no fences.)
inline void full_barrier() ANY_CONTEXT
{
#ifdef __KERNEL__
    __asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc");
#else
    static int barrier_word;
    __atomic_fetch_or(&barrier_word, 0, __ATOMIC_SEQ_CST);
#endif
}

} // namespace kernel
