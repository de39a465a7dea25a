// SPDX-License-Identifier: GPL-2.0
// mm.cpp - lib/shim/mm.c and kvfree() on the host: accounted with the
// other allocations, and counted on their own (shim_host::byte_buffers()).
#include "fake/fake.h"

#include <atomic>

using namespace shim_host;

namespace {
std::atomic<long> live_byte_buffers { 0 };
} // namespace

long shim_host::byte_buffers() { return live_byte_buffers.load(); }

extern "C" {

// kvmalloc(): counted with the other allocations, failed by Step::alloc.
void* shim_alloc_bytes(unsigned long size)
{
    void* memory = accounted_alloc(size, "kvmalloc", false);
    if (memory)
        ++live_byte_buffers;
    return memory;
}

void kvfree(const void* bytes)
{
    if (accounted_free(bytes, "kvfree", "shim_alloc_bytes"))
        --live_byte_buffers;
}

} // extern "C"
