/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktprobe's commands, one file per concern, each with its table:
 * kt_readers.c (concurrent readers), kt_bench.c (make bench's
 * measurements), kt_lifecycle.c (load and unload under failing
 * allocations), kt_shared.c (round trips on one shared file, signals),
 * kt_abuse.c (odd buffers, lengths and calls), kt_queued.c (a signal to
 * a reader queued behind another), kt_soak.c (make soak's workers);
 * ktprobe.c the one-call ones.
 */
#ifndef KTPROBE_H
#define KTPROBE_H

#include <sys/types.h>

#include "probe.h"

extern const struct probe_cmd kt_readers[], kt_bench[], kt_lifecycle[], kt_shared[], kt_abuse[], kt_queued[],
	kt_soak[];

/* A round trip's answer, "event N\n" -> N; -1 if it is anything else. */
long long parse_answer(const char *buf, ssize_t n);

#endif
