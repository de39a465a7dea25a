// SPDX-License-Identifier: GPL-2.0
// slab.cpp - lib/shim/slab.c and <linux/slab.h>'s kfree() on the host:
// every block is accounted, so that a leak or a foreign free shows (and
// the accounts themselves, for mm.cpp's kvmalloc() too).
#include "fake/fake.h"

#include <cstdio>
#include <cstdlib>

using namespace shim_host;

void* shim_host::accounted_alloc(unsigned long size, const char* function, bool zeroed)
{
    might_sleep(function);
    if (injected(Step::alloc))
        return nullptr;
    size = size ? size : 1;
    void* memory = zeroed ? calloc(1, size) : malloc(size);
    if (!memory)
        return nullptr;
    std::lock_guard guard(g.m);
    g.allocations.insert(memory);
    ++g.res.allocations;
    return memory;
}

bool shim_host::accounted_free(const void* block, const char* function, const char* source)
{
    void* ptr = const_cast<void*>(block);
    if (!ptr)
        return false; // kfree(NULL)
    {
        std::lock_guard guard(g.m);
        if (!g.allocations.erase(ptr)) {
            g.bugs.push_back(std::string(function) + "() of memory not from " + source + " (or freed twice)");
            fprintf(stderr, "shim_host: BUG: %s(%p) of unknown memory\n", function, ptr);
            return false;
        }
        --g.res.allocations;
    }
    free(ptr);
    return true;
}

extern "C" {

void* shim_alloc(unsigned long size) { return accounted_alloc(size, "kzalloc", true); }

void kfree(const void* object) { accounted_free(object, "kfree", "shim_alloc"); }

} // extern "C"
