/* SPDX-License-Identifier: MIT
 * inflate.c - a gzip member inflated by zlib or by ISA-L, behind one
 * step function, so that source.c's handling of members, truncation and
 * trailing garbage is written once for both. */
#define ZLIB_CONST
#include "inflate.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#ifdef JTL_HAVE_ISAL
#include <isa-l.h>
#define JTL_STR_(x) #x
#define JTL_STR(x) JTL_STR_(x)
#define JTL_ISAL_VERSION_TEXT                                                  \
    JTL_STR(ISAL_MAJOR_VERSION)                                                \
    "." JTL_STR(ISAL_MINOR_VERSION) "." JTL_STR(ISAL_PATCH_VERSION)
#endif

#include "jtl/base/xalloc.h"

struct jtl_inflate {
    enum jtl_inflater engine; /* ZLIB or ISAL, never AUTO */
    z_stream zs;
#ifdef JTL_HAVE_ISAL
    struct inflate_state *is; /* about 100 KB: on the heap */
    /* ISA-L's output goes through STAGE and its last LAG bytes are held
     * back: on a damaged stream ISA-L may write a few bytes past the point
     * where zlib finds the damage, and source.c then reads the member
     * again with zlib, which can only drop bytes, not take them back. */
    unsigned char *stage;
    size_t pos, len;
    bool finished; /* the member's last byte is in STAGE */
#endif
};

#ifdef JTL_HAVE_ISAL
#define STAGE_CAP ((size_t)1 << 20)
#define LAG ((size_t)64 << 10)
#endif

static enum jtl_inflater resolve(enum jtl_inflater engine)
{
    if (engine != JTL_INFLATER_AUTO)
        return engine;
#ifdef JTL_HAVE_ISAL
    return JTL_INFLATER_ISAL;
#else
    return JTL_INFLATER_ZLIB;
#endif
}

const char *jtl_inflater_name(enum jtl_inflater engine)
{
    static char zname[32];

    switch (resolve(engine)) {
    case JTL_INFLATER_ISAL:
#ifdef JTL_HAVE_ISAL
        return "ISA-L " JTL_ISAL_VERSION_TEXT;
#else
        return NULL;
#endif
    case JTL_INFLATER_ZLIB:
    default:
        snprintf(zname, sizeof(zname), "zlib %s", zlibVersion());
        return zname;
    }
}

struct jtl_inflate *jtl_inflate_new(enum jtl_inflater engine)
{
    struct jtl_inflate *z;

    engine = resolve(engine);
#ifndef JTL_HAVE_ISAL
    if (engine == JTL_INFLATER_ISAL)
        return NULL;
#endif
    z = jtl_xcalloc(1, sizeof(*z));
    z->engine = engine;
    if (engine == JTL_INFLATER_ZLIB) {
        /* 15 + 16: a 32 KB window, gzip wrapper only */
        if (inflateInit2(&z->zs, 15 + 16) != Z_OK) {
            free(z);
            return NULL;
        }
        return z;
    }
#ifdef JTL_HAVE_ISAL
    z->is = jtl_xmalloc(sizeof(*z->is));
    z->stage = jtl_xmalloc(STAGE_CAP);
    isal_inflate_init(z->is);
    z->is->crc_flag =
        ISAL_GZIP; /* the header parsed, CRC-32 and size checked */
#endif
    return z;
}

enum jtl_inflater jtl_inflate_engine(const struct jtl_inflate *z)
{
    return z->engine;
}

void jtl_inflate_reset(struct jtl_inflate *z)
{
    if (z->engine == JTL_INFLATER_ZLIB) {
        inflateReset(&z->zs);
        return;
    }
#ifdef JTL_HAVE_ISAL
    isal_inflate_reset(z->is);
    z->is->crc_flag = ISAL_GZIP;
    z->pos = z->len = 0;
    z->finished = false;
#endif
}

static enum jtl_inflate_step run_zlib(struct jtl_inflate *z,
                                      const unsigned char *in, size_t *in_len,
                                      unsigned char *out, size_t *out_len,
                                      const char **why)
{
    int zr;

    z->zs.next_in = in;
    z->zs.avail_in = (uInt)(*in_len > UINT_MAX ? UINT_MAX : *in_len);
    z->zs.next_out = out;
    z->zs.avail_out = (uInt)(*out_len > UINT_MAX ? UINT_MAX : *out_len);
    zr = inflate(&z->zs, Z_NO_FLUSH);
    *in_len = (size_t)(z->zs.next_in - in);
    *out_len = (size_t)(z->zs.next_out - out);
    if (zr == Z_STREAM_END)
        return JTL_INFLATE_END;
    if (zr == Z_OK || zr == Z_BUF_ERROR)
        return JTL_INFLATE_MORE;
    *why = z->zs.msg ? z->zs.msg : "inflate error";
    return JTL_INFLATE_BAD;
}

#ifdef JTL_HAVE_ISAL
/* ISA-L's error codes in zlib's words, so that a message does not depend
 * on the build. */
static const char *isal_why(int rc)
{
    switch (rc) {
    case ISAL_INVALID_BLOCK:
        return "invalid block type";
    case ISAL_INVALID_SYMBOL:
        return "invalid code";
    case ISAL_INVALID_LOOKBACK:
        return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER:
        return "incorrect header check";
    case ISAL_UNSUPPORTED_METHOD:
        return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM:
        return "incorrect data check";
    default:
        return "inflate error";
    }
}

/* Hand out of STAGE up to *OUT_LEN bytes that may go: all once the
 * member ended or the input did (ALL), else all but the last LAG. */
static size_t stage_give(struct jtl_inflate *z, unsigned char *out, size_t cap,
                         bool all)
{
    size_t upto = all || z->finished ? z->len : z->len > LAG ? z->len - LAG : 0;
    size_t k = upto > z->pos ? upto - z->pos : 0;

    if (k > cap)
        k = cap;
    memcpy(out, z->stage + z->pos, k);
    z->pos += k;
    return k;
}

static enum jtl_inflate_step run_isal(struct jtl_inflate *z,
                                      const unsigned char *in, size_t *in_len,
                                      unsigned char *out, size_t *out_len,
                                      const char **why)
{
    struct inflate_state *s = z->is;
    size_t cap = *out_len, given;
    int rc;

    *out_len = 0;
    given = stage_give(z, out, cap, false);
    if (given || z->finished) {
        *in_len = 0;
        *out_len = given;
        return z->finished && z->pos == z->len ? JTL_INFLATE_END
                                               : JTL_INFLATE_MORE;
    }
    /* room for more: what is held moves to the front */
    memmove(z->stage, z->stage + z->pos, z->len - z->pos);
    z->len -= z->pos;
    z->pos = 0;
    /* isal_inflate() never writes through next_in; its type is not const */
    s->next_in = (uint8_t *)(uintptr_t)in;
    s->avail_in = (uint32_t)(*in_len > UINT32_MAX ? UINT32_MAX : *in_len);
    s->next_out = z->stage + z->len;
    s->avail_out = (uint32_t)(STAGE_CAP - z->len);
    rc = isal_inflate(s);
    *in_len = (size_t)(s->next_in - in);
    z->len = (size_t)(s->next_out - z->stage);
    if (rc < 0) {
        *why = isal_why(rc);
        return JTL_INFLATE_BAD;
    }
    z->finished = s->block_state == ISAL_BLOCK_FINISH;
    *out_len = stage_give(z, out, cap, false);
    return z->finished && z->pos == z->len ? JTL_INFLATE_END : JTL_INFLATE_MORE;
}
#endif

size_t jtl_inflate_release(struct jtl_inflate *z, unsigned char *out,
                           size_t cap)
{
#ifdef JTL_HAVE_ISAL
    if (z->engine == JTL_INFLATER_ISAL)
        return stage_give(z, out, cap, true);
#endif
    (void)z;
    (void)out;
    (void)cap;
    return 0;
}

enum jtl_inflate_step jtl_inflate_run(struct jtl_inflate *z,
                                      const unsigned char *in, size_t *in_len,
                                      unsigned char *out, size_t *out_len,
                                      const char **why)
{
#ifdef JTL_HAVE_ISAL
    if (z->engine == JTL_INFLATER_ISAL)
        return run_isal(z, in, in_len, out, out_len, why);
#endif
    return run_zlib(z, in, in_len, out, out_len, why);
}

void jtl_inflate_free(struct jtl_inflate *z)
{
    if (!z)
        return;
    if (z->engine == JTL_INFLATER_ZLIB)
        inflateEnd(&z->zs);
#ifdef JTL_HAVE_ISAL
    free(z->is);
    free(z->stage);
#endif
    free(z);
}
