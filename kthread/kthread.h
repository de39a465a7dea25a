/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kthread.h - between kthread.ko's C++ (kthread_module.cpp) and its C: the
 * parameters and entry points (kthread_main.c) and the instrumented
 * hand-off (kthread_events.c). The file operations and sysfs counters are
 * the library's (kernel/CharDevice.h), built from the C++ class.
 */
#ifndef KTHREAD_H
#define KTHREAD_H

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The parameters (kthread_main.c), read-only after load: variables, not
 * functions, as the kernel's own module_param() makes them.
 */
extern bool kthread_param_roundtrip;
extern bool kthread_param_log_events;
extern bool kthread_param_quiet;
#ifdef KTHREAD_BENCH
/* make bench's build only (bench/kthread): signal=0 is the null read. */
extern bool kthread_param_signal;
#endif

/*
 * The hand-off, traced (kthread_events.c): each fires a tracepoint
 * (lothars:lothars_event_posted, lothars:lothars_event_handled); the
 * bench build's (bench/kthread) also times the wake-up in debugfs.
 */
void kthread_event_posted(unsigned long long number);  /* just before complete() */
void kthread_event_handled(unsigned long long number); /* the woken thread runs */
#ifdef KTHREAD_BENCH
/* Their wake-up clock (bench/kthread/wake_stats.h); NULL if it could not be made. */
extern struct wake_stats *kthread_wake_stats;
#endif

/* Defined in C++: the module's state, built at load, torn down at unload. */
int kthread_load(void);
void kthread_unload(void);

#ifdef __cplusplus
}
#endif

#endif /* KTHREAD_H */
