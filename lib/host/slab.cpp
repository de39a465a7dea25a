// SPDX-License-Identifier: GPL-2.0
// slab.cpp - lib/shim/slab.c and <linux/slab.h>'s kfree() on the host:
// every block is accounted, so that a leak or a foreign free shows.
#include "host/fake.h"

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

// ---- shim_alloc_bytes() and kvfree(): kvmalloc()'s buffers ----------------

namespace {
std::atomic<long> live_byte_buffers { 0 };
} // namespace

long shim_host::byte_buffers() { return live_byte_buffers.load(); }

extern "C" {

// Accounted with the other allocations (a leak shows in live()) and
// failed by Step::alloc, as shim_alloc() is.
void* shim_alloc_bytes(unsigned long size)
{
    might_sleep("kvmalloc");
    if (injected(Step::alloc))
        return nullptr;
    void* memory = malloc(size ? size : 1);
    if (!memory)
        return nullptr;
    {
        std::lock_guard guard(g.m);
        g.allocations.insert(memory);
        ++g.res.allocations;
    }
    ++live_byte_buffers;
    return memory;
}

void kvfree(const void* bytes)
{
    void* ptr = const_cast<void*>(bytes);
    if (!ptr)
        return; // kvfree(NULL)
    {
        std::lock_guard guard(g.m);
        if (!g.allocations.erase(ptr)) {
            g.bugs.push_back("kvfree() of memory not from shim_alloc_bytes (or freed twice)");
            fprintf(stderr, "shim_host: BUG: kvfree(%p) of unknown memory\n", ptr);
            return;
        }
        --g.res.allocations;
    }
    --live_byte_buffers;
    free(ptr);
}

} // extern "C"
