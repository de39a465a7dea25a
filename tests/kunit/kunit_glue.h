/* SPDX-License-Identifier: GPL-2.0 */
/* Between the KUnit suite (C) and the C++ test bodies. */
#ifndef KUNIT_GLUE_H
#define KUNIT_GLUE_H

#ifdef __cplusplus
extern "C" {
#endif

/* A character device's file operations: only .owner, for CharDevice tests. */
struct file_operations;
extern const struct file_operations kunit_glue_fops;

/* Records a failed expectation in the running KUnit test. */
void kunit_glue_fail(void *test, const char *what, int line);

#define KUNIT_GLUE_CASES(X)            \
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
	X(lock_classes_per_site)

#define KUNIT_GLUE_DECLARE(name) void layer_test_##name(void *test);
KUNIT_GLUE_CASES(KUNIT_GLUE_DECLARE)

#ifdef __cplusplus
}
#endif

#endif
