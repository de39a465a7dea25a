/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktprobe's commands, one file per concern: kt_readers.c (concurrent
 * readers), kt_bench.c (make bench's measurements), kt_lifecycle.c (load
 * and unload under failing allocations), kt_shared.c (round trips on one
 * shared file, signals), kt_abuse.c (odd buffers, lengths and calls).
 */
#ifndef KTPROBE_H
#define KTPROBE_H

#include "probe.h"

int cmd_readers(char **args, const char *path);
int cmd_rt_readers(char **args, const char *path);
int cmd_together(char **args, const char *path);
int cmd_storm(char **args, const char *path);

int cmd_tput(char **args, const char *path);
int cmd_lat(char **args, const char *path);
int cmd_hist(char **args, const char *path);

int cmd_insmod_nth(char **args, const char *path);
int cmd_open_nth(char **args, const char *path);
int cmd_burst_rmmod(char **args, const char *path);
int cmd_burst_pending(char **args, const char *path);

int cmd_rt_shared(char **args, const char *path);
int cmd_rt_signal(char **args, const char *path);

int cmd_guard(char **args, const char *path);
int cmd_badbuf(char **args, const char *path);
int cmd_odd(char **args, const char *path);
int cmd_uring(char **args, const char *path);

#endif
