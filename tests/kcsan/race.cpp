// SPDX-License-Identifier: GPL-2.0
// race.cpp - a data race on purpose, in C++, for KCSAN to find: the proof
// that the C++ objects are instrumented (g++ -fsanitize=thread through
// kbuild's own flags) and that a race in them is reported by name. Two
// threads bump `plain` with ++ and `marked` with Atomic<int>::add(): the
// first is a race, the second is not.
#include "kernel/Atomic.h"
#include "kernel/KThread.h"
#include "kernel/Memory.h"

using namespace kernel;

namespace {

constexpr int bumps_per_thread = 200000;

struct Counters {
    int plain = 0;
    Atomic<int> marked;
};

} // namespace

// Out of line, with C names: KCSAN's report names the two functions.
extern "C" [[gnu::noinline]] void kcsan_race_plain_bump(int* counter)
{
    ++*counter;
}

extern "C" [[gnu::noinline]] void kcsan_race_marked_bump(Atomic<int>* counter)
{
    counter->add(1);
}

namespace {

struct Racer {
    Counters& counters;

    int run()
    {
        for (int i = 0; i < bumps_per_thread; i++) {
            kcsan_race_plain_bump(&counters.plain);
            kcsan_race_marked_bump(&counters.marked);
        }
        return 0;
    }
};

struct Race {
    Counters counters;
    Racer first { counters };
    Racer second { counters };
    KThread first_thread;
    KThread second_thread;
};

// Both threads run to the end: how many plain bumps were lost (the race
// made visible without KCSAN too). A thread that started is joined by its
// destructor if the other fails to.
Result<long> run_race()
{
    OwnPtr<Race> race = TRY(create<Race>());
    TRY(race->first_thread.start<&Racer::run>("kcsan_race/0", race->first));
    TRY(race->second_thread.start<&Racer::run>("kcsan_race/1", race->second));
    race->first_thread.join();
    race->second_thread.join();
    return 2 * bumps_per_thread - race->counters.plain;
}

} // namespace

// The plain bumps lost, or a negative errno.
extern "C" int kcsan_race_run(void) { return static_cast<int>(to_errno(run_race())); }
