/* SPDX-License-Identifier: MIT
 * zbuf.c - one buffer as one gzip member and back (zbuf.h), with ISA-L or
 * zlib.  Whole buffers, in one call each where the library allows: none
 * of the member-by-member care of source.c is needed, as a state is
 * checked by its CRC-32 before it is inflated. */
#define ZLIB_CONST
#include "jtl/io/zbuf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifdef JTL_HAVE_ISAL
#include <isa-l.h>
#endif

#include "jtl/base/xalloc.h"
#include "jtl/io/source.h"

#ifdef JTL_HAVE_ISAL
static bool use_isal(void)
{
    return jtl_source_current_inflater() == JTL_INFLATER_ISAL;
}
#endif

/* Room in OUT for at least N more bytes; where they start. */
static unsigned char *room(struct jtl_bw *out, size_t n)
{
    jtl_xgrow((void **)&out->p, &out->cap, out->len + n, 1);
    return out->p + out->len;
}

static void zlib_compress(const unsigned char *in, size_t n, struct jtl_bw *out)
{
    z_stream zs;
    int rc;

    memset(&zs, 0, sizeof(zs));
    /* 15 + 16: a gzip member; level 1, the content is small varints */
    if (deflateInit2(&zs, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) !=
        Z_OK)
        jtl_out_of_memory(sizeof(zs));
    zs.next_in = in;
    do {
        size_t chunk = n - (size_t)(zs.next_in - in);
        uInt take = chunk > UINT_MAX / 2 ? UINT_MAX / 2 : (uInt)chunk;
        size_t cap = deflateBound(&zs, take) + 64;
        zs.avail_in = take;
        zs.next_out = room(out, cap);
        zs.avail_out = (uInt)cap;
        rc = deflate(&zs, take == chunk ? Z_FINISH : Z_NO_FLUSH);
        out->len += cap - zs.avail_out;
    } while (rc == Z_OK || (rc == Z_BUF_ERROR && zs.avail_in));
    deflateEnd(&zs);
}

#ifdef JTL_HAVE_ISAL
static void isal_compress(const unsigned char *in, size_t n, struct jtl_bw *out)
{
    struct isal_zstream zs;
    unsigned char *level_buf = jtl_xmalloc(ISAL_DEF_LVL1_DEFAULT);

    isal_deflate_init(&zs);
    zs.level = 1;
    zs.level_buf = level_buf;
    zs.level_buf_size = ISAL_DEF_LVL1_DEFAULT;
    zs.gzip_flag = IGZIP_GZIP;
    zs.end_of_stream = 0;
    /* isal_deflate() never writes through next_in; its type is not const */
    memcpy(&zs.next_in, &in, sizeof(in));
    do {
        size_t left = n - (size_t)(zs.next_in - in);
        uint32_t take = left > (1u << 30) ? (1u << 30) : (uint32_t)left;
        size_t cap = (size_t)take + take / 8 + 65536;
        zs.avail_in = take;
        zs.end_of_stream = take == left;
        zs.next_out = room(out, cap);
        zs.avail_out = (uint32_t)cap;
        if (isal_deflate(&zs) != COMP_OK)
            jtl_out_of_memory(cap);
        out->len += cap - zs.avail_out;
    } while (zs.internal_state.state != ZSTATE_END);
    free(level_buf);
}
#endif

void jtl_zbuf_compress(const void *in, size_t n, struct jtl_bw *out)
{
#ifdef JTL_HAVE_ISAL
    if (use_isal()) {
        isal_compress(in, n, out);
        return;
    }
#endif
    zlib_compress(in, n, out);
}

static bool zlib_inflate(const unsigned char *in, size_t n, unsigned char *out,
                         size_t out_len)
{
    z_stream zs;
    int rc;

    memset(&zs, 0, sizeof(zs));
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        jtl_out_of_memory(sizeof(zs));
    zs.next_in = in;
    zs.next_out = out;
    do {
        size_t in_left = n - (size_t)(zs.next_in - in);
        size_t out_left = out_len - (size_t)(zs.next_out - out);
        zs.avail_in = in_left > UINT_MAX / 2 ? UINT_MAX / 2 : (uInt)in_left;
        zs.avail_out = out_left > UINT_MAX / 2 ? UINT_MAX / 2 : (uInt)out_left;
        /* Z_BUF_ERROR: no progress (cut short, or more than OUT_LEN) */
        rc = inflate(&zs, Z_NO_FLUSH);
    } while (rc == Z_OK);
    inflateEnd(&zs);
    return rc == Z_STREAM_END && (size_t)(zs.next_out - out) == out_len &&
           (size_t)(zs.next_in - in) == n;
}

#ifdef JTL_HAVE_ISAL
static bool isal_inflate_all(const unsigned char *in, size_t n,
                             unsigned char *out, size_t out_len)
{
    struct inflate_state *s = jtl_xmalloc(sizeof(*s));
    bool ok = false;
    int rc;

    isal_inflate_init(s);
    s->crc_flag = ISAL_GZIP;
    memcpy(&s->next_in, &in, sizeof(in));
    s->next_out = out;
    for (;;) {
        size_t in_left = n - (size_t)(s->next_in - in);
        size_t out_left = out_len - (size_t)(s->next_out - out);
        uint32_t in_take =
            in_left > (1u << 30) ? (1u << 30) : (uint32_t)in_left;
        uint32_t out_take =
            out_left > (1u << 30) ? (1u << 30) : (uint32_t)out_left;
        s->avail_in = in_take;
        s->avail_out = out_take;
        rc = isal_inflate(s);
        if (rc != ISAL_DECOMP_OK)
            break;
        if (s->block_state == ISAL_BLOCK_FINISH) {
            ok = (size_t)(s->next_out - out) == out_len &&
                 (size_t)(s->next_in - in) == n;
            break;
        }
        /* no progress: cut short, or more than OUT_LEN */
        if (s->avail_in == in_take && s->avail_out == out_take)
            break;
    }
    free(s);
    return ok;
}
#endif

bool jtl_zbuf_inflate(const void *in, size_t n, void *out, size_t out_len)
{
#ifdef JTL_HAVE_ISAL
    if (use_isal())
        return isal_inflate_all(in, n, out, out_len);
#endif
    return zlib_inflate(in, n, out, out_len);
}
