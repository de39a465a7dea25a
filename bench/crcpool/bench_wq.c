// SPDX-License-Identifier: GPL-2.0
/*
 * bench_wq.c - make bench's system_wq variant of crcpool.ko (mode=2): each
 * request's CRC is computed by a work item on the kernel's shared
 * workqueue instead of the pool's own threads. The work item lives in the
 * request (CRCPOOL_BENCH_WORK_SIZE bytes the C++ keeps for it), so a
 * session's release flushes it before the request's memory goes.
 */
#include <linux/build_bug.h>
#include <linux/workqueue.h>

#include "crcpool.h"

struct crcpool_bench_work {
	struct work_struct work;
	void *request;
	bool ready; /* INIT_WORK() done: the C++ zeroes the room */
};

static_assert(sizeof(struct crcpool_bench_work) <= CRCPOOL_BENCH_WORK_SIZE,
	      "CRCPOOL_BENCH_WORK_SIZE is too small for a work item");

static void crcpool_bench_work_fn(struct work_struct *work)
{
	struct crcpool_bench_work *w =
		container_of(work, struct crcpool_bench_work, work);

	crcpool_bench_run(w->request);
}

/**
 * crcpool_bench_queue() - compute a request's CRC on system_wq
 * @work: the request's room for its work item
 * @request: the request, handed to crcpool_bench_run() by the work item
 *
 * Context: any; the request is not queued already (its session holds at
 * most one in flight).
 */
void crcpool_bench_queue(void *work, void *request)
{
	struct crcpool_bench_work *w = work;

	if (!w->ready) {
		INIT_WORK(&w->work, crcpool_bench_work_fn);
		w->ready = true;
	}
	w->request = request;
	queue_work(system_wq, &w->work);
}

/**
 * crcpool_bench_flush() - wait until a request's work item has returned
 * @work: the request's room for its work item
 *
 * Context: process context; may sleep.
 */
void crcpool_bench_flush(void *work)
{
	struct crcpool_bench_work *w = work;

	if (w->ready)
		flush_work(&w->work);
}
