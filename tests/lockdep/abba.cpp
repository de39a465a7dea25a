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

} // namespace

extern "C" int abba_run(void)
{
    auto created = create<Pair>();
    if (created.is_error())
        return created.error().code();
    OwnPtr<Pair> pair = created.release_value();
    {
        MutexGuard a(pair->first);
        MutexGuard b(pair->second);
    }
    {
        MutexGuard b(pair->second);
        MutexGuard a(pair->first); // the inversion
    }
    return 0;
}
