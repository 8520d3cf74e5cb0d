/* SPDX-License-Identifier: MIT
 * test_zbuf.c - a buffer as one gzip member and back (zbuf.h): each
 * engine reads what the other wrote, byte for byte (the partial states of
 * an ISA-L build are read by a zlib build), and a member cut short, one
 * with a byte changed, one followed by other bytes, or one whose content
 * is not the length announced, is refused. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/io/source.h"
#include "jtl/io/zbuf.h"

static unsigned char *sample(size_t n)
{
    unsigned char *p = malloc(n + 1);
    uint32_t x = 12345;
    size_t i;

    /* small varint-like bytes with runs, as a state's content */
    for (i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        p[i] = (unsigned char)((x >> 16) % 7 == 0 ? (x >> 8) : (x >> 24) & 15);
    }
    return p;
}

static void both_ways(enum jtl_inflater w, enum jtl_inflater r, size_t n)
{
    unsigned char *in = sample(n), *back = malloc(n + 1);
    struct jtl_bw z;
    bool ok;

    jtl_bw_init(&z);
    jtl_source_use_inflater(w);
    jtl_zbuf_compress(in, n, &z);
    jtl_source_use_inflater(r);
    ok = jtl_zbuf_inflate(z.p, z.len, back, n) && memcmp(in, back, n) == 0;
    CHECK(ok, "written by one engine, read back by the other, byte for byte");
    CHECK(z.len > 18 && z.p[0] == 0x1f && z.p[1] == 0x8b, "a gzip member");
    if (n > 100) {
        CHECK(!jtl_zbuf_inflate(z.p, z.len - 1, back, n), "cut short: refused");
        CHECK(!jtl_zbuf_inflate(z.p, z.len, back, n - 1),
              "more content than announced: refused");
        z.p[z.len / 2] ^= 0x55;
        CHECK(!jtl_zbuf_inflate(z.p, z.len, back, n) || memcmp(in, back, n),
              "a byte changed: refused (or not the same bytes)");
        z.p[z.len / 2] ^= 0x55;
        jtl_bw_u8(&z, 0);
        CHECK(!jtl_zbuf_inflate(z.p, z.len, back, n),
              "a byte after the member: refused");
    }
    jtl_bw_release(&z);
    free(in);
    free(back);
}

int main(void)
{
    static const size_t sizes[] = {0, 1, 1000, 300000, 5000000};
    enum jtl_inflater e[2] = {JTL_INFLATER_ZLIB, JTL_INFLATER_ISAL};
    size_t ne = jtl_inflater_name(JTL_INFLATER_ISAL) ? 2 : 1, i, a, b;

    for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
        for (a = 0; a < ne; a++)
            for (b = 0; b < ne; b++)
                both_ways(e[a], e[b], sizes[i]);
    return CHECK_DONE();
}
