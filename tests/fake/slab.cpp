// SPDX-License-Identifier: GPL-2.0
// slab.cpp - lib/shim/slab.c and <linux/slab.h>'s kfree() on the host:
// every block is accounted, so that a leak or a foreign free shows.
#include "fake/fake.h"

#include <cstdio>
#include <cstdlib>

using namespace shim_host;

extern "C" {

void* shim_alloc(unsigned long size)
{
    might_sleep("kzalloc");
    if (injected(Step::alloc))
        return nullptr;
    void* memory = calloc(1, size ? size : 1);
    if (!memory)
        return nullptr;
    std::lock_guard guard(g.m);
    g.allocations.insert(memory);
    ++g.res.allocations;
    return memory;
}

void kfree(const void* object)
{
    void* ptr = const_cast<void*>(object);
    if (!ptr)
        return; // kfree(NULL)
    {
        std::lock_guard guard(g.m);
        if (!g.allocations.erase(ptr)) {
            g.bugs.push_back("kfree() of memory not from shim_alloc (or freed twice)");
            fprintf(stderr, "shim_host: BUG: kfree(%p) of unknown memory\n", ptr);
            return;
        }
        --g.res.allocations;
    }
    free(ptr);
}

} // extern "C"
