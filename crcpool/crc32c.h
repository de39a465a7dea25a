// SPDX-License-Identifier: GPL-2.0
// crc32c.h - CRC32C (Castagnoli): reflected polynomial 0x82F63B78, initial
// value ~0, final xor ~0; "123456789" gives 0xE3069283. Computed here, with
// a table built by the compiler, rather than with the kernel's crc32c():
// that one lives in libcrc32c or the crypto API depending on the kernel
// (5.10 .. 7.x), and the module should load the same everywhere with no
// module dependency. One byte per step: the pool's point is the hand-off,
// not the checksum's speed.
#pragma once

namespace crcpool {

using u8 = unsigned char;
using u32 = unsigned int;

struct Crc32cTable {
    u32 entries[256];
};

constexpr Crc32cTable make_crc32c_table()
{
    Crc32cTable table {};
    for (u32 byte = 0; byte < 256; ++byte) {
        u32 crc = byte;
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0u);
        table.entries[byte] = crc;
    }
    return table;
}

inline constexpr Crc32cTable crc32c_table = make_crc32c_table();

// Continues a running CRC (the raw register, before the final xor).
constexpr u32 crc32c_update(u32 crc, const char* data, unsigned long length)
{
    for (unsigned long i = 0; i < length; ++i)
        crc = (crc >> 8) ^ crc32c_table.entries[(crc ^ static_cast<u8>(data[i])) & 0xff];
    return crc;
}

constexpr u32 crc32c(const char* data, unsigned long length) { return ~crc32c_update(~0u, data, length); }

static_assert(crc32c("123456789", 9) == 0xE3069283u, "CRC32C check value");
static_assert(crc32c("", 0) == 0, "CRC32C of nothing");

} // namespace crcpool
