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
};

/* Defined in C++: module_init and module_exit call these. */
int crcpool_module_load(void);
void crcpool_module_unload(void);

/* Defined in C (crcpool_main.c): the parameters, checked at insmod. */
unsigned int crcpool_param_workers(void);
unsigned int crcpool_param_max_request(void);

#ifdef __cplusplus
}
#endif

#endif /* CRCPOOL_H */
