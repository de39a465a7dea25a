/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core the guest's probe tools share (ktprobe for /dev/lothars_chardev,
 * crcprobe for /dev/crcpool): errno names as the tests compare them, the
 * fail-nth fault injector, and the table that maps a command line to a
 * command.
 */
#ifndef PROBE_H
#define PROBE_H

#include <stddef.h>

/* A command's answer when its arguments do not fit: print the usage. */
#define PROBE_USAGE (-1)

/*
 * One command: SPEC is its name and its arguments as the usage shows them
 * ("lat N [raw]": one argument, a second optional; "..." after the last:
 * any more are ignored). RUN gets them (ARGS[0] is the first, NULL after
 * the last; ARGS[-1] is the command's own name) and the device's path.
 */
struct probe_cmd {
	const char *spec;
	int (*run)(char **args, const char *path);
};

/*
 * Runs the command argv[0] on PATH, found in TABLES (each ends with a NULL
 * spec; NULL after the last table), or prints the usage of TOOL: its
 * commands' specs.
 */
int probe_dispatch(const struct probe_cmd *const *tables, const char *tool,
		   int argc, char **argv, const char *path);

const char *errname(int e);
int open_or_die(const char *path, int flags);
long long now_ns(void);

/* hold: keep FD open SECONDS (rmmod while open); prints "held". */
int probe_hold(int fd, int seconds);

/*
 * /proc/thread-self/fail-nth: after "N" is written, the Nth fault point
 * this thread passes (with failslab armed: the Nth slab allocation) fails.
 * fail_nth_open() opens it before arming, so that opening is not counted;
 * fail_nth_left() says how many fault points the armed count still had to
 * pass (non-zero: the operation finished before the Nth), and disarms it.
 */
int fail_nth_open(void);
void fail_nth_arm(int fd, int n);
int fail_nth_left(int fd);

int cmp_ll(const void *a, const void *b);

/*
 * make soak's workers (kt_soak.c, crc_soak.c): each runs until DIR/stop
 * exists, keeps away from a module while DIR/gate.MODULE exists (the
 * loader's way out when rmmod cannot win a moment against them), and
 * keeps its running counts in DIR/KIND.PID.tally as "name=value ...", which
 * tests/vm/guest/soak.sh sums over every worker. Counts are bumped with
 * soak_count() from any thread; one thread publishes.
 */
#define SOAK_COUNTS 6

struct soak_tally {
	const char *dir, *kind;
	const char *names[SOAK_COUNTS]; /* NULL after the last */
	long long n[SOAK_COUNTS];
	long long published_ns;
};

/*
 * A worker takes the CPU that is left (nice 19): the soak's loaders, its
 * figures and kmemleak's scans come first, and on time. Before any thread.
 */
void soak_begin(void);
int soak_running(const struct soak_tally *t);
int soak_gated(const struct soak_tally *t, const char *module);
void soak_count(struct soak_tally *t, int index);
/* Writes the counts at most once a second, or now if FORCE. */
void soak_publish(struct soak_tally *t, int force);
/*
 * Opens PATH unless MODULE's gate is up: the descriptor, SOAK_AWAY when
 * the gate is up or the module is not there (or going), else -errno.
 */
#define SOAK_AWAY (-100000)
int soak_open(const struct soak_tally *t, const char *module, const char *path, int flags);

#endif
