/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crcpool.h - between crcpool.ko's C++ (crcpool_module.cpp) and its C
 * (crcpool_main.c): the parameters and the entry points. The file
 * operations and sysfs counters are the library's (kernel/CharDevice.h),
 * built from the C++ class.
 */
#ifndef CRCPOOL_H
#define CRCPOOL_H

#ifdef __cplusplus
extern "C" {
#endif

/* Bounds of the parameters, checked at insmod by crcpool_main.c. */
enum {
	CRCPOOL_MAX_WORKERS = 64,
	CRCPOOL_MAX_REQUEST_LIMIT = 16 << 20,
	CRCPOOL_DEFAULT_MAX_REQUEST = 64 << 10,
	CRCPOOL_MAX_PINNED_LIMIT = 1 << 30,
	CRCPOOL_DEFAULT_MAX_PINNED = 64 << 20,
};

/* Defined in C++: module_init and module_exit call these. */
int crcpool_module_load(void);
void crcpool_module_unload(void);

/* Defined in C (crcpool_main.c): the parameters, checked at insmod. */
unsigned int crcpool_param_workers(void);
unsigned int crcpool_param_max_request(void);
unsigned int crcpool_param_max_pinned(void);

#ifdef CRCPOOL_BENCH
/*
 * make bench's build only (bench/crcpool): who computes a request's CRC.
 * The pool's workers, write() itself, or a work item on system_wq.
 */
enum crcpool_bench_mode {
	CRCPOOL_BENCH_POOL = 0,
	CRCPOOL_BENCH_INLINE = 1,
	CRCPOOL_BENCH_WQ = 2,
};

unsigned int crcpool_param_mode(void);

/* Room in each request for bench/crcpool/bench_wq.c's work item. */
enum { CRCPOOL_BENCH_WORK_SIZE = 128 };
/* Queues REQUEST's work on system_wq; it calls crcpool_bench_run(REQUEST). */
void crcpool_bench_queue(void *work, void *request);
/* Waits until WORK, if it was ever queued, has finished running. */
void crcpool_bench_flush(void *work);
/* Defined in C++: computes and hands back REQUEST, from the work item. */
void crcpool_bench_run(void *request);
#endif

#ifdef __cplusplus
}
#endif

#endif /* CRCPOOL_H */
