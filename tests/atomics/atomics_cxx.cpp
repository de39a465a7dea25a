// SPDX-License-Identifier: GPL-2.0
// atomics_cxx.cpp - kernel::Atomic, one function per operation, beside the
// kernel's own in atomics_kernel.c (scripts/check-atomics.sh compares them).
#include "atomics.h"
#include "kernel/Atomic.h"

using kernel::Atomic;

namespace {
Atomic<long long>* a64(void* v) { return static_cast<Atomic<long long>*>(v); }
Atomic<int>* a32(void* v) { return static_cast<Atomic<int>*>(v); }
} // namespace

long long cxx_fetch_add64(void* v, long long d) { return a64(v)->fetch_add(d); }
int cxx_fetch_add32(void* v, int d) { return a32(v)->fetch_add(d); }
long long cxx_add_return64(void* v, long long d) { return a64(v)->add_return(d); }
int cxx_add_return32(void* v, int d) { return a32(v)->add_return(d); }
int cxx_dec_and_test64(void* v) { return a64(v)->dec_and_test(); }
int cxx_dec_and_test32(void* v) { return a32(v)->dec_and_test(); }
long long cxx_fetch_add_relaxed64(void* v, long long d) { return a64(v)->fetch_add_relaxed(d); }
void cxx_add64(void* v, long long d) { a64(v)->add(d); }
void cxx_add32(void* v, int d) { a32(v)->add(d); }
long long cxx_read64(void* v) { return a64(v)->read(); }
void cxx_set64(void* v, long long x) { a64(v)->set(x); }
long long cxx_read_acquire64(void* v) { return a64(v)->read_acquire(); }
void cxx_set_release64(void* v, long long x) { a64(v)->set_release(x); }
void cxx_full_barrier() { kernel::full_barrier(); }
