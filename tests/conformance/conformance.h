/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The conformance suite of the C++ layer: its cases (conformance.cpp) and
 * what each runner provides (tests/kunit/kunit_glue.c in the kernel,
 * tests/host/conformance_test.cpp on the host).
 */
#ifndef CONFORMANCE_H
#define CONFORMANCE_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The kernel's atomic API, applied by the runner's C to an Atomic's raw():
 * atomic64_add(), atomic64_read(), atomic_inc_return().
 */
void conformance_atomic64_add(void *v, long long delta);
long long conformance_atomic64_read(void *v);
int conformance_atomic_inc_return(void *v);

/* Records a failed expectation in the running test. */
void conformance_fail(void *test, const char *what, int line);

#define CONFORMANCE_CASES(X)            \
	X(completion_counts)           \
	X(completion_complete_all)     \
	X(completion_timeout)          \
	X(completion_status)           \
	X(kthread_runs_and_joins)      \
	X(kthread_never_woken)         \
	X(waitqueue_condition)         \
	X(waitqueue_timeout)           \
	X(mutex_guard)                 \
	X(spinlock_guard)              \
	X(result_try)                  \
	X(chardev_lifecycle)           \
	X(chardev_partial_unwind)      \
	X(lock_classes_per_site)       \
	X(atomic_is_the_kernels)

#define CONFORMANCE_DECLARE(name) void conformance_##name(void *test);
CONFORMANCE_CASES(CONFORMANCE_DECLARE)

#ifdef __cplusplus
}
#endif

#endif
