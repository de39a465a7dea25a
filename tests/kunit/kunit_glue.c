// SPDX-License-Identifier: GPL-2.0
/*
 * kunit_glue.c - the KUnit suite "kthread_cxx": the conformance suite of
 * the C++ layer (tests/conformance/) in a booted kernel. KUnit's macros
 * need kernel headers, so the cases live here and call the C++ bodies,
 * which report failed expectations back through conformance_fail().
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/module.h>

#include "../conformance/conformance.h"

/**
 * conformance_atomic64_add() - atomic64_add() on a C++ Atomic<long long>
 * @v: its raw()
 * @delta: what to add
 */
void conformance_atomic64_add(void *v, long long delta)
{
	atomic64_add(delta, (atomic64_t *)v);
}

/**
 * conformance_atomic64_read() - atomic64_read() of a C++ Atomic<long long>
 * @v: its raw()
 *
 * Return: the value.
 */
long long conformance_atomic64_read(void *v)
{
	return atomic64_read((atomic64_t *)v);
}

/**
 * conformance_atomic_inc_return() - atomic_inc_return() on a C++ Atomic<int>
 * @v: its raw()
 *
 * Return: the value after the increment.
 */
int conformance_atomic_inc_return(void *v)
{
	return atomic_inc_return((atomic_t *)v);
}

void conformance_fail(void *test, const char *what, int line)
{
	KUNIT_FAIL((struct kunit *)test, "conformance.cpp:%d: %s", line, what);
}

#define KUNIT_GLUE_CASE(name)                                   \
	static void name(struct kunit *test)                    \
	{                                                       \
		conformance_##name(test);                        \
	}
CONFORMANCE_CASES(KUNIT_GLUE_CASE)

#define KUNIT_GLUE_ENTRY(name) KUNIT_CASE(name),
static struct kunit_case kthread_cxx_cases[] = {
	CONFORMANCE_CASES(KUNIT_GLUE_ENTRY)
	{}
};

static struct kunit_suite kthread_cxx_suite = {
	.name = "kthread_cxx",
	.test_cases = kthread_cxx_cases,
};

kunit_test_suite(kthread_cxx_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests of kthread.ko's C++ kernel layer");
