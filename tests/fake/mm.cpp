// SPDX-License-Identifier: GPL-2.0
// mm.cpp - lib/shim/mm.c and kvfree() on the host: accounted with the
// other allocations, and counted on their own (shim_host::byte_buffers()).
#include "fake/fake.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>

using namespace shim_host;

namespace {
std::atomic<long> live_byte_buffers { 0 };
} // namespace

long shim_host::byte_buffers() { return live_byte_buffers.load(); }

extern "C" {

// kvmalloc(): counted with the other allocations, failed by Step::alloc.
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
