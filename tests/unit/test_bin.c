/* SPDX-License-Identifier: MIT
 * test_bin.c - the byte writer and the bounds-checked reader (bin.h):
 * every value reads back as written, at the edges of its type; a read
 * past the end, a varint that never ends, a count the rest cannot hold
 * make the reader bad, and it stays bad. */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "jtl/base/bin.h"

static void round_trip(void)
{
    static const uint64_t uv[] = {
        0,         1, 127, 128, 16383, 16384, UINT32_MAX, (uint64_t)1 << 63,
        UINT64_MAX};
    static const int64_t sv[] = {0, 1, -1, 63, -64, 64, INT64_MAX, INT64_MIN};
    struct jtl_bw w;
    struct jtl_br r;
    size_t i, n;
    const char *s;

    jtl_bw_init(&w);
    for (i = 0; i < sizeof(uv) / sizeof(uv[0]); i++)
        jtl_bw_uv(&w, uv[i]);
    for (i = 0; i < sizeof(sv) / sizeof(sv[0]); i++)
        jtl_bw_sv(&w, sv[i]);
    jtl_bw_u8(&w, 0xab);
    jtl_bw_u32(&w, 0xdeadbeefu);
    jtl_bw_u64(&w, 0x0123456789abcdefull);
    jtl_bw_i64(&w, INT64_MIN);
    jtl_bw_f64(&w, -0.1);
    jtl_bw_f64(&w, NAN);
    jtl_bw_str(&w, "Thread Group 1-1", 16);
    jtl_bw_str(&w, "", 0);
    jtl_br_init(&r, w.p, w.len);
    for (i = 0; i < sizeof(uv) / sizeof(uv[0]); i++)
        CHECK(jtl_br_uv(&r) == uv[i], "an unsigned varint reads back");
    for (i = 0; i < sizeof(sv) / sizeof(sv[0]); i++)
        CHECK(jtl_br_sv(&r) == sv[i], "a signed varint reads back");
    CHECK_EQ_INT(jtl_br_u8(&r), 0xab, "a byte");
    CHECK(jtl_br_u32(&r) == 0xdeadbeefu, "a u32, little-endian");
    CHECK(jtl_br_u64(&r) == 0x0123456789abcdefull, "a u64");
    CHECK(jtl_br_i64(&r) == INT64_MIN, "an i64");
    CHECK(jtl_br_f64(&r) == -0.1, "a double, bit for bit");
    CHECK(isnan(jtl_br_f64(&r)), "NaN stays NaN");
    s = jtl_br_str(&r, &n);
    CHECK(n == 16 && memcmp(s, "Thread Group 1-1", 16) == 0, "a string");
    s = jtl_br_str(&r, &n);
    CHECK(n == 0 && s, "an empty string");
    CHECK(!r.bad && jtl_br_left(&r) == 0, "everything read, nothing bad");
    CHECK(w.p[0] == 0 && w.p[1] == 1 && w.p[2] == 127 && w.p[3] == 0x80 &&
              w.p[4] == 1,
          "LEB128 bytes: 128 is 80 01");
    jtl_bw_release(&w);
}

static void damage(void)
{
    static const unsigned char endless[11] = {
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    static const unsigned char two[2] = {5, 1};
    struct jtl_br r;
    size_t n;

    jtl_br_init(&r, endless, sizeof(endless));
    CHECK(jtl_br_uv(&r) == 0 && r.bad, "a varint longer than 64 bits: bad");
    CHECK(jtl_br_u8(&r) == 0 && r.bad, "bad stays bad (sticky)");
    jtl_br_init(&r, endless, 3);
    CHECK(jtl_br_uv(&r) == 0 && r.bad, "a varint cut at the end: bad");
    jtl_br_init(&r, two, 2);
    CHECK(jtl_br_u32(&r) == 0 && r.bad, "a u32 from 2 bytes: bad, 0");
    jtl_br_init(&r, two, 2);
    jtl_br_str(&r, &n);
    CHECK(r.bad && n == 0, "a string longer than the rest: bad");
    jtl_br_init(&r, two, 2);
    CHECK(jtl_br_count(&r, 1, 0) == 0 && r.bad,
          "5 items of a byte each in 1 byte left: bad, 0");
    jtl_br_init(&r, two, 2);
    CHECK(jtl_br_count(&r, 1, 4) == 0 && r.bad, "a count over its cap: bad");
    jtl_br_init(&r, two + 1, 1);
    CHECK(jtl_br_count(&r, 0, 0) == 0 && r.bad,
          "1 item with nothing left to hold it: bad");
    jtl_br_init(&r, two, 2);
    CHECK(jtl_br_below(&r, 5) == 0 && r.bad, "5 is not below 5: bad");
    jtl_br_init(&r, two, 2);
    CHECK(jtl_br_below(&r, 6) == 5 && !r.bad, "5 is below 6");
    CHECK(jtl_br_bytes(&r, 2) == NULL && r.bad, "2 bytes from 1 left: NULL");
}

int main(void)
{
    round_trip();
    damage();
    return CHECK_DONE();
}
