/* SPDX-License-Identifier: GPL-2.0 */
/*
 * crcpool_fops.h - between crcpool.ko's C++ (crcpool/crcpool_module.cpp)
 * and its C half: the file operations and sysfs attributes
 * (crcpool/crcpool_fops.c) and the parameters and entry points
 * (crcpool/crcpool_main.c).
 */
#ifndef CRCPOOL_FOPS_H
#define CRCPOOL_FOPS_H

#ifdef __cplusplus
extern "C" {
#endif

#ifndef __user
#define __user
#endif

/* Bounds of the parameters, checked at insmod by crcpool_main.c. */
enum {
	CRCPOOL_MAX_WORKERS = 64,
	CRCPOOL_MAX_REQUEST_LIMIT = 16 << 20,
	CRCPOOL_DEFAULT_MAX_REQUEST = 64 << 10,
};

struct inode;
struct file;
struct file_operations;
struct attribute_group;

/* Defined in C: the tables the C++ hands to its CharDevice. */
extern const struct file_operations crcpool_fops;
extern const struct attribute_group *crcpool_groups[];

/* Defined in C++: what the tables point at. */
int crcpool_open(struct inode *inode, struct file *file);
long crcpool_read(struct file *file, char __user *buf, unsigned long len,
		  long long *pos);
long crcpool_write(struct file *file, const char __user *buf,
		   unsigned long len, long long *pos);
int crcpool_release(struct inode *inode, struct file *file);

/* The sysfs attributes; @state is the device's drvdata. */
enum crcpool_counter {
	CRCPOOL_COUNTER_SUBMITTED,
	CRCPOOL_COUNTER_COMPLETED,
	CRCPOOL_COUNTER_BYTES,
	CRCPOOL_COUNTER_WORKERS,
};

unsigned long long crcpool_counter_value(void *state,
					 enum crcpool_counter which);

/* Defined in C++: module_init and module_exit call these. */
int crcpool_module_load(void);
void crcpool_module_unload(void);

/* Defined in C (crcpool_main.c): the parameters, checked at insmod. */
unsigned int crcpool_param_workers(void);
unsigned int crcpool_param_max_request(void);

/*
 * Defined in C (crcpool_fops.c): one ratelimited log line for a refused
 * request, so that a misbehaving writer cannot flood the log.
 */
void crcpool_log_refused(const char *why, unsigned long len);

#ifdef __cplusplus
}
#endif

#endif /* CRCPOOL_FOPS_H */
