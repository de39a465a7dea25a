// SPDX-License-Identifier: GPL-2.0
// Field.h - a field of a kernel struct, at the offset the kernel's own
// headers give it. The C++ cannot include those headers; kbuild compiles
// lib/shim/offsets.c against them into kcxx_offsets.h (lib/kcxx.mk), so a
// field costs one load or store, not a call into a C helper, and a field
// that changes type breaks the build. Whoever compiles the library puts
// a kcxx_offsets.h on the include path: kbuild generates it in the
// module's build folder; a test build brings one for its own structs.
#pragma once

#include "kcxx_offsets.h"

namespace kernel {

template<class T, class Struct>
T& field(Struct* object, unsigned long offset)
{
    // The kernel's layout, not one C++ knows: bytes plus an offset.
    char* bytes = static_cast<char*>(static_cast<void*>(object));
    return *static_cast<T*>(static_cast<void*>(bytes + offset));
}

} // namespace kernel
