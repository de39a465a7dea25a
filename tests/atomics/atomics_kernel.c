// SPDX-License-Identifier: GPL-2.0
/*
 * atomics_kernel.c - the kernel's own atomic operations, one function
 * each, as a module's C code calls them: what kernel::Atomic must match.
 */
#include <linux/atomic.h>
#include <linux/module.h>
#include "atomics.h"

long long kern_fetch_add64(void *v, long long d) { return atomic64_fetch_add(d, v); }
int kern_fetch_add32(void *v, int d) { return atomic_fetch_add(d, v); }
long long kern_add_return64(void *v, long long d) { return atomic64_add_return(d, v); }
int kern_add_return32(void *v, int d) { return atomic_add_return(d, v); }
int kern_dec_and_test64(void *v) { return atomic64_dec_and_test(v); }
int kern_dec_and_test32(void *v) { return atomic_dec_and_test(v); }
long long kern_fetch_add_relaxed64(void *v, long long d)
{
	return atomic64_fetch_add_relaxed(d, v);
}

void kern_add64(void *v, long long d) { atomic64_add(d, v); }
void kern_add32(void *v, int d) { atomic_add(d, v); }
long long kern_read64(void *v) { return atomic64_read(v); }
void kern_set64(void *v, long long x) { atomic64_set(v, x); }
long long kern_read_acquire64(void *v) { return atomic64_read_acquire(v); }
void kern_set_release64(void *v, long long x) { atomic64_set_release(v, x); }
/* The barrier itself is what is compared: nothing for it to order here. */
void kern_full_barrier(void) { smp_mb(); }

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kernel::Atomic against the kernel's atomics (never loaded)");
