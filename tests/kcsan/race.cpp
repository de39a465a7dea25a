// SPDX-License-Identifier: GPL-2.0
// race.cpp - a data race on purpose, in C++, for KCSAN to find: the proof
// that the C++ objects are instrumented (g++ -fsanitize=thread through
// kbuild's own flags) and that a race in them is reported by name. Two
// threads bump `plain` with ++, then two others `marked` with
// Atomic<int>::add(): the first is a race, the second is not.
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

// Each racer is its own type, so that its thread function has its own
// name (KThread::run<&PlainRacer::run>, mangled) in KCSAN's report.
struct PlainRacer {
    Counters& counters;

    int run()
    {
        for (int i = 0; i < bumps_per_thread; i++) {
            ++counters.plain;
            // A compiler barrier, not a marking: keeps one load and one
            // store per bump (the loop would fold into one addition).
            __asm__ __volatile__("" ::: "memory");
        }
        return 0;
    }
};

struct MarkedRacer {
    Counters& counters;

    int run()
    {
        for (int i = 0; i < bumps_per_thread; i++)
            counters.marked.add(1);
        return 0;
    }
};

// Two threads running Racer::run at once, joined by the destructor.
template<class Racer>
struct RacePair {
    Racer racer;
    KThread first;
    KThread second;

    explicit RacePair(Counters& counters) : racer { counters } {}

    Result<void> run(const char* name) MAY_SLEEP
    {
        TRY(first.start<&Racer::run>(name, racer));
        TRY(second.start<&Racer::run>(name, racer));
        first.join();
        second.join();
        return {};
    }
};

struct Race {
    Counters counters;
    RacePair<PlainRacer> plain { counters };
    RacePair<MarkedRacer> marked { counters };
};

// The plain pair, then the marked pair: how many plain bumps were lost
// (the race made visible without KCSAN too).
Result<long> run_race()
{
    OwnPtr<Race> race = TRY(create<Race>());
    TRY(race->plain.run("kcsan_race/plain"));
    TRY(race->marked.run("kcsan_race/marked"));
    return 2 * bumps_per_thread - race->counters.plain;
}

} // namespace

// The plain bumps lost, or a negative errno.
extern "C" int kcsan_race_run(void) { return static_cast<int>(to_errno(run_race())); }
