// SPDX-License-Identifier: GPL-2.0
// crc32c.cpp - the kernel's crc32c() (<linux/crc32c.h>, kernel/Crc32c.h)
// on the host: the same register semantics (neither end inverted), a
// table of 256 entries built on first use. The tests check it against a
// bit-by-bit reference of their own (tests/host/crcpool_test.cpp).
#include "fake/fake.h"

namespace {

struct Crc32cTable {
    unsigned int entries[256];

    Crc32cTable()
    {
        for (unsigned int byte = 0; byte < 256; ++byte) {
            unsigned int crc = byte;
            for (int bit = 0; bit < 8; ++bit)
                crc = (crc >> 1) ^ ((crc & 1) ? 0x82F63B78u : 0u);
            entries[byte] = crc;
        }
    }
};

} // namespace

extern "C" unsigned int kapi_crc32c(unsigned int crc, const void* p, unsigned long len)
{
    static const Crc32cTable table;
    const unsigned char* bytes = static_cast<const unsigned char*>(p);
    for (unsigned long i = 0; i < len; ++i)
        crc = (crc >> 8) ^ table.entries[(crc ^ bytes[i]) & 0xff];
    return crc;
}
