/* SPDX-License-Identifier: GPL-2.0 */
/*
 * atomics.h - the operations compared by scripts/check-atomics.sh: each
 * kern_NAME (the kernel's atomic_*(), atomics_kernel.c) has a cxx_NAME
 * (kernel::Atomic, atomics_cxx.cpp) that must order memory the same way.
 * The counter is an atomic64_t / atomic_t, passed untyped.
 */
#ifndef KCXX_TESTS_ATOMICS_H
#define KCXX_TESTS_ATOMICS_H

#ifdef __cplusplus
extern "C" {
#endif

long long kern_fetch_add64(void *v, long long d);
int kern_fetch_add32(void *v, int d);
long long kern_add_return64(void *v, long long d);
int kern_add_return32(void *v, int d);
int kern_dec_and_test64(void *v);
int kern_dec_and_test32(void *v);
long long kern_fetch_add_relaxed64(void *v, long long d);
void kern_add64(void *v, long long d);
void kern_add32(void *v, int d);
long long kern_read64(void *v);
void kern_set64(void *v, long long x);
long long kern_read_acquire64(void *v);
void kern_set_release64(void *v, long long x);
void kern_full_barrier(void);

long long cxx_fetch_add64(void *v, long long d);
int cxx_fetch_add32(void *v, int d);
long long cxx_add_return64(void *v, long long d);
int cxx_add_return32(void *v, int d);
int cxx_dec_and_test64(void *v);
int cxx_dec_and_test32(void *v);
long long cxx_fetch_add_relaxed64(void *v, long long d);
void cxx_add64(void *v, long long d);
void cxx_add32(void *v, int d);
long long cxx_read64(void *v);
void cxx_set64(void *v, long long x);
long long cxx_read_acquire64(void *v);
void cxx_set_release64(void *v, long long x);
void cxx_full_barrier(void);

#ifdef __cplusplus
}
#endif

#endif /* KCXX_TESTS_ATOMICS_H */
