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
//   add()                              no ordering (an RMW without a result)
// (No module calls fetch_add_relaxed() or add() yet: they are the relaxed
// forms a statistics counter wants, and tests/atomics checks each against
// the kernel's instructions, so that the first user gets the kernel's.)
// Atomic<bool> is a flag: the non-RMW operations only. full_barrier() is
// smp_mb().
//
// On x86-64 the operations are the compiler's __atomic builtins, inline: a
// value-returning RMW is a LOCK-prefixed instruction, a full barrier,
// exactly what the kernel's arch_atomic64_fetch_add() emits; a relaxed
// read or set is a plain MOV, as READ_ONCE()/WRITE_ONCE() are.
//
// On arm64 the compiler's fully ordered RMW is not the kernel's: GCC's
// __ATOMIC_SEQ_CST fetch_add is ldaxr/stlxr with no barrier after it (an
// RCsc acquire-release pair: a later plain load may still be satisfied
// before the store is visible), while the kernel's fully ordered
// atomic_fetch_add()/atomic_add_return() (Documentation/atomic_t.txt: "as
// if smp_mb() before and after") are, in the LL/SC form of
// arch/arm64/include/asm/atomic_ll_sc.h, `prfm pstl1strm; 1: ldxr; add;
// stlxr; cbnz 1b; dmb ish`, and on CPUs with LSE atomics a single
// `ldaddal`, chosen at boot by the kernel's alternatives patching. The
// fully ordered operations here are that LL/SC sequence, as inline asm,
// instruction for instruction: it runs on every ARMv8.0 CPU (the Raspberry
// Pi 4's Cortex-A72 has no LSE) and keeps the kernel's ordering on LSE CPUs
// as well (the exclusives and LSE atomics are coherent with each other);
// what it gives up there is LSE's speed under heavy contention, not
// correctness. (Selecting LSE per CPU would mean the kernel's alternatives
// with a cpucap number each kernel version renumbers.) The relaxed RMWs
// are the builtins: built with -mno-outline-atomics (lib/kcxx.mk), an
// ldxr/stxr loop with no ordering, the kernel's relaxed LL/SC form too;
// acquire and release are ldar and stlr, as smp_load_acquire() and
// smp_store_release(). scripts/check-atomics.sh disassembles the kernel's
// own atomic*_() and these, compiled in one module, and fails if their
// barriers or acquire/release forms differ. The KUnit conformance suite
// checks that the kernel's own atomic64_*() and these operate on the same
// object.
#pragma once

#include "kernel/Utility.h"

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "kernel/Atomic.h maps the kernel's ordering rules for x86-64 and arm64 only"
#endif

namespace kernel {

#if defined(__KERNEL__) && defined(__aarch64__)
namespace arm64 {
// The kernel's fully ordered LL/SC read-modify-write (atomic_ll_sc.h's
// ATOMIC_FETCH_OP and ATOMIC_OP_RETURN with `dmb ish`, stlxr), for a 32-bit
// (w registers) or 64-bit (x registers, no modifier) counter. OP is add
// or sub; an immediate operand of 0..4095 is encoded in the instruction
// ("I"), as in the kernel.
#define KERNEL_ARM64_FETCH_OP(op, w)                                             \
    __asm__ __volatile__("	prfm	pstl1strm, %3\n"                                 \
                         "1:	ldxr	%" w "0, %3\n"                           \
                         "	" op "	%" w "1, %" w "0, %" w "4\n"             \
                         "	stlxr	%w2, %" w "1, %3\n"                      \
                         "	cbnz	%w2, 1b\n"                                       \
                         "	dmb	ish"                                              \
                         : "=&r"(old), "=&r"(result), "=&r"(tmp), "+Q"(*counter) \
                         : "Ir"(operand)                                         \
                         : "memory")

// The value before the operation, fully ordered.
template<class T>
inline T fetch_op_full(T* counter, T operand, bool subtract) ANY_CONTEXT
{
    T old;
    T result;
    unsigned long tmp;
    if constexpr (sizeof(T) == 4) {
        if (subtract)
            KERNEL_ARM64_FETCH_OP("sub", "w");
        else
            KERNEL_ARM64_FETCH_OP("add", "w");
    } else {
        if (subtract)
            KERNEL_ARM64_FETCH_OP("sub", "");
        else
            KERNEL_ARM64_FETCH_OP("add", "");
    }
    (void)result;
    return old;
}

#define KERNEL_ARM64_OP_RETURN(op, w)                                \
    __asm__ __volatile__("	prfm	pstl1strm, %2\n"                     \
                         "1:	ldxr	%" w "0, %2\n"               \
                         "	" op "	%" w "0, %" w "0, %" w "3\n" \
                         "	stlxr	%w1, %" w "0, %2\n"          \
                         "	cbnz	%w1, 1b\n"                           \
                         "	dmb	ish"                                  \
                         : "=&r"(result), "=&r"(tmp), "+Q"(*counter) \
                         : "Ir"(operand)                             \
                         : "memory")

// The value after the operation, fully ordered.
template<class T>
inline T op_return_full(T* counter, T operand, bool subtract) ANY_CONTEXT
{
    T result;
    unsigned long tmp;
    if constexpr (sizeof(T) == 4) {
        if (subtract)
            KERNEL_ARM64_OP_RETURN("sub", "w");
        else
            KERNEL_ARM64_OP_RETURN("add", "w");
    } else {
        if (subtract)
            KERNEL_ARM64_OP_RETURN("sub", "");
        else
            KERNEL_ARM64_OP_RETURN("add", "");
    }
    return result;
}
#undef KERNEL_ARM64_FETCH_OP
#undef KERNEL_ARM64_OP_RETURN
} // namespace arm64
#endif

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
#if defined(__KERNEL__) && defined(__aarch64__)
        return arm64::fetch_op_full(&m_counter, delta, false);
#else
        return __atomic_fetch_add(&m_counter, delta, __ATOMIC_SEQ_CST);
#endif
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
#if defined(__KERNEL__) && defined(__aarch64__)
        return arm64::op_return_full(&m_counter, delta, false);
#else
        return __atomic_add_fetch(&m_counter, delta, __ATOMIC_SEQ_CST);
#endif
    }
    void add(T delta) ANY_CONTEXT
    {
        static_assert(read_modify_write);
        __atomic_fetch_add(&m_counter, delta, __ATOMIC_RELAXED);
    }
    // True when the decrement reached zero (the last reference went).
    bool dec_and_test() ANY_CONTEXT
    {
        static_assert(read_modify_write);
#if defined(__KERNEL__) && defined(__aarch64__)
        return arm64::op_return_full(&m_counter, T(1), true) == 0;
#else
        return __atomic_sub_fetch(&m_counter, 1, __ATOMIC_SEQ_CST) == 0;
#endif
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
// The kernel's x86-64 form: a locked add to the stack, cheaper than MFENCE;
// arm64's __smp_mb(): dmb ish (inner shareable, loads and stores).
// (Host builds: a locked read-modify-write the compiler sees, as
// ThreadSanitizer supports no fences.)
inline void full_barrier() ANY_CONTEXT
{
#if defined(__KERNEL__) && defined(__x86_64__)
    __asm__ __volatile__("lock; addl $0,-4(%%rsp)" ::: "memory", "cc");
#elif defined(__KERNEL__) && defined(__aarch64__)
    __asm__ __volatile__("dmb ish" ::: "memory");
#else
    static int barrier_word;
    __atomic_fetch_or(&barrier_word, 0, __ATOMIC_SEQ_CST);
#endif
}

} // namespace kernel
