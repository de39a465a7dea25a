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

/* The operations, each declared as prefix_NAME (kern_NAME, cxx_NAME). */
#define ATOMICS_DECLARE(prefix)						\
	long long prefix##_fetch_add64(void *v, long long d);		\
	int prefix##_fetch_add32(void *v, int d);			\
	long long prefix##_add_return64(void *v, long long d);		\
	int prefix##_add_return32(void *v, int d);			\
	int prefix##_dec_and_test64(void *v);				\
	int prefix##_dec_and_test32(void *v);				\
	long long prefix##_fetch_add_relaxed64(void *v, long long d);	\
	void prefix##_add64(void *v, long long d);			\
	void prefix##_add32(void *v, int d);				\
	long long prefix##_read64(void *v);				\
	void prefix##_set64(void *v, long long x);			\
	long long prefix##_read_acquire64(void *v);			\
	void prefix##_full_barrier(void);				\
	void prefix##_set_release64(void *v, long long x)

ATOMICS_DECLARE(kern);
ATOMICS_DECLARE(cxx);

#ifdef __cplusplus
}
#endif

#endif /* KCXX_TESTS_ATOMICS_H */
