// SPDX-License-Identifier: GPL-2.0
// Crc32c.h - the kernel's crc32c() (<linux/crc32c.h>): CRC32C, the
// Castagnoli CRC (reflected polynomial 0x82F63B78), computed by the
// kernel's fastest code for the CPU (SSE4.2's crc32 instruction on x86,
// the CRC32 instructions on arm64). Called directly: it is exported
// (libcrc32c.ko to 6.12, vmlinux on 7.3; shim/kernel_api.h), so a module
// that calls it depends on libcrc32c where that is a module.
#pragma once

#include "kernel/Context.h"

namespace kernel {

// Continues a running CRC32C over length bytes: the raw register, neither
// end inverted, as the kernel's.
inline u32 crc32c(u32 crc, const void* data, unsigned long length) ANY_CONTEXT
{
    return kapi_crc32c(crc, data, length);
}

// The checksum of one buffer: the register starts at ~0 and ends inverted
// ("123456789" gives 0xE3069283, RFC 3720's check value).
inline u32 crc32c_checksum(const void* data, unsigned long length) ANY_CONTEXT { return ~crc32c(~0U, data, length); }

} // namespace kernel
