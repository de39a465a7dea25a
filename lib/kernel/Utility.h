// SPDX-License-Identifier: GPL-2.0
// Utility.h - the few standard-library pieces the kernel C++ needs.
// No standard headers exist in the kernel build (-nostdinc), so the
// handful of helpers used by the RAII types are written here.
#pragma once

#ifndef __KERNEL__
#include <new> // host builds: the standard placement new
#endif

namespace kernel {

using size_t = decltype(sizeof 0);
using u32 = unsigned int;
using u64 = unsigned long long;

template<class T>
struct RemoveReference {
    using Type = T;
};
template<class T>
struct RemoveReference<T&> {
    using Type = T;
};
template<class T>
struct RemoveReference<T&&> {
    using Type = T;
};

template<class T>
constexpr typename RemoveReference<T>::Type&& move(T&& value) noexcept
{
    return static_cast<typename RemoveReference<T>::Type&&>(value);
}

template<class T>
constexpr T&& forward(typename RemoveReference<T>::Type& value) noexcept
{
    return static_cast<T&&>(value);
}

template<class T>
constexpr T exchange(T& target, T replacement) noexcept
{
    T old = target;
    target = replacement;
    return old;
}

// Kernel objects that point to themselves (list heads, kobjects, locks
// with lockdep maps) must stay where they were built.
#define KERNEL_PINNED(Type)                \
    Type(const Type&) = delete;            \
    Type& operator=(const Type&) = delete; \
    Type(Type&&) = delete;                 \
    Type& operator=(Type&&) = delete

// The kernel object that opaque storage (a shim_* struct, sized and
// aligned for it by the shim's static_asserts) holds, as the kernel's
// exported functions take it: the one cast between the two views.
template<class KernelType, class Storage>
KernelType* kernel_object(Storage& storage)
{
    return static_cast<KernelType*>(static_cast<void*>(storage.opaque));
}

// Context annotations (documentation, as in Zircon): where a function may run.
#define MAY_SLEEP /* process context; may sleep */
#define ANY_CONTEXT /* any context, including atomic; never sleeps */

// [[gnu::cold]] as the kernel's __cold (compiler_types.h): GCC drops
// -falign-functions for a cold function, so where the kernel aligns its
// functions (CONFIG_FUNCTION_ALIGNMENT, 6.2 on: arm64's ftrace call ops
// keep a literal in the 8 bytes before each function, and a misaligned
// one is a BUG in ftrace_init_nop() at insmod) GCC builds get no cold.
#if defined(__KERNEL__) && !defined(__clang__) && defined(CONFIG_FUNCTION_ALIGNMENT) && CONFIG_FUNCTION_ALIGNMENT > 0
#define KERNEL_COLD
#else
#define KERNEL_COLD [[gnu::cold]]
#endif

} // namespace kernel

#ifdef __KERNEL__
// The kernel has no <new>; placement new is all the C++ code uses.
inline void* operator new(kernel::size_t, void* where) noexcept { return where; }
#endif
