// SPDX-License-Identifier: GPL-2.0
// abba.cpp - two mutexes of two sites taken first-then-second, then
// second-then-first, by one thread: no deadlock happens, but the order is
// inverted, and lockdep must say so, naming both classes.
#include "kernel/Memory.h"
#include "kernel/Mutex.h"

using namespace kernel;

namespace {

struct Pair {
    Mutex first { KERNEL_LOCK_CLASS("abba_first") };
    Mutex second { KERNEL_LOCK_CLASS("abba_second") };
};

// First-then-second, then second-then-first.
Result<void> invert()
{
    OwnPtr<Pair> pair = TRY(create<Pair>());
    {
        MutexGuard a(pair->first);
        MutexGuard b(pair->second);
    }
    {
        MutexGuard b(pair->second);
        MutexGuard a(pair->first); // the inversion
    }
    return {};
}

} // namespace

extern "C" int abba_run(void) { return to_errno(invert()); }
