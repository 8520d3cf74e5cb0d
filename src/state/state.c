/* SPDX-License-Identifier: MIT
 * state.c - the .jtls file: header, shape, compressed content (state.h).
 *
 *   magic (8)  version (u32)  shape length (u32)  shape
 *   CRC-32 (u32) of every byte before it
 *   member: content length (u64)  compressed length (u64)  gzip member
 *   member ...  (blocks of about 4 MB of content)
 *   0 (u64)  0 (u64)
 *
 * The first member holds what was read (run info) and the statistics, the
 * blocks after it the analysis' records, cut between records: a reader
 * that wants only the statistics reads neither the records nor their
 * bytes, and one that wants them holds one block at a time.  Each
 * member's integrity is gzip's own (CRC-32 and length of its content,
 * checked on inflating). */
#include "jtl/state/state.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "jtl/base/xalloc.h"
#include "jtl/io/zbuf.h"

/* deflate never expands more than about 1032:1 (RFC 1951 blocks); a
 * content length beyond that is a lie, not a reason to allocate. */
#define MAX_RATIO 1100u

/* CRC-32 of N bytes in steps zlib's uInt can take. */
static uint32_t crc_of(const unsigned char *p, size_t n)
{
    uLong c = crc32(0L, Z_NULL, 0);

    while (n) {
        uInt step = n > (1u << 30) ? (1u << 30) : (uInt)n;
        c = crc32(c, p, step);
        p += step;
        n -= step;
    }
    return (uint32_t)c;
}

void jtl_state_shape_of(struct jtl_state_shape *s,
                        const struct jtl_agg_opts *agg,
                        const struct jtl_throttle_opts *th, const char *filters)
{
    size_t i;

    memset(s, 0, sizeof(*s));
    s->granularity_ms = agg->granularity_ms;
    s->apdex_t = agg->apdex_t;
    s->apdex_f = agg->apdex_f;
    s->subresults = agg->subresults;
    for (i = 0; th && i < th->ncodes && i < JTL_THROTTLE_MAX_CODES; i++)
        s->codes[s->ncodes++] = th->codes[i];
    s->message_regex = th ? th->message_regex : NULL;
    s->ra_column = th ? th->retry_after_column : NULL;
    s->filters = filters ? filters : "";
    s->generator = th ? th->generator : NULL;
}

static void put_opt_str(struct jtl_bw *w, const char *s)
{
    jtl_bw_u8(w, s ? 1 : 0);
    if (s)
        jtl_bw_str(w, s, strlen(s));
}

static void encode_shape(const struct jtl_state_shape *s, struct jtl_bw *w)
{
    size_t i;

    jtl_bw_sv(w, s->granularity_ms);
    jtl_bw_sv(w, s->apdex_t);
    jtl_bw_sv(w, s->apdex_f);
    jtl_bw_u8(w, s->subresults);
    jtl_bw_uv(w, s->ncodes);
    for (i = 0; i < s->ncodes; i++)
        jtl_bw_uv(w, (uint64_t)s->codes[i]);
    put_opt_str(w, s->message_regex);
    put_opt_str(w, s->ra_column);
    jtl_bw_str(w, s->filters, strlen(s->filters));
    put_opt_str(w, s->generator);
    jtl_bw_u8(w, s->hostnames);
}

static void encode_info(const struct jtl_run_info *info, struct jtl_bw *w)
{
    size_t i;

    jtl_bw_uv(w, info->nfiles);
    for (i = 0; i < info->nfiles; i++) {
        const struct jtl_file_info *f = &info->files[i];
        const char *name = f->name ? f->name : "";
        jtl_bw_str(w, name, strlen(name));
        jtl_bw_sv(w, f->duplicate_of);
        jtl_bw_uv(w, f->counts.records);
        jtl_bw_uv(w, f->counts.samples);
        jtl_bw_uv(w, f->counts.skipped);
        jtl_bw_uv(w, f->counts.lines);
        jtl_bw_u8(w, (f->counts.truncated ? 1u : 0u) |
                         (f->counts.had_header ? 2u : 0u) |
                         (f->gzip ? 4u : 0u) | (f->failed ? 8u : 0u) |
                         (f->damaged ? 16u : 0u));
        jtl_bw_u8(w, (unsigned char)f->counts.delimiter);
        jtl_bw_uv(w, (uint64_t)f->counts.format);
        jtl_bw_str(w, f->error, strlen(f->error));
    }
    jtl_bw_uv(w, info->samples);
    jtl_bw_uv(w, info->filtered);
    jtl_bw_uv(w, info->skipped);
    jtl_bw_uv(w, info->warnings);
    jtl_bw_u8(w, info->any_damage);
    jtl_bw_i64(w, info->first_ts);
    jtl_bw_i64(w, info->last_end);
}

/* One member: the content's length, the compressed length, the bytes.
 * A fast level: the content is mostly small varints; higher levels cost
 * several times the time for a few percent. */
static void put_member(struct jtl_bw *out, const struct jtl_bw *content)
{
    struct jtl_bw z;

    jtl_bw_init(&z);
    jtl_zbuf_compress(content->p, content->len, &z);
    jtl_bw_u64(out, content->len);
    jtl_bw_u64(out, z.len);
    jtl_bw_bytes(out, z.p, z.len);
    jtl_bw_release(&z);
}

/* The records go in blocks of about this much content, each its own gzip
 * member: neither the writer nor a reader holds more than one at a time,
 * whatever the number of requests. */
#define STATE_BLOCK ((size_t)4 << 20)

/* CONTENT's flush: one block into OUT, and OUT to its own sink. */
static void put_block(struct jtl_bw *content, void *ctx)
{
    struct jtl_bw *out = ctx;

    put_member(out, content);
    content->len = 0;
    jtl_bw_flush_point(out);
}

void jtl_state_encode(const struct jtl_state_shape *shape,
                      const struct jtl_run_info *info,
                      const struct jtl_agg *agg, const struct jtl_throttle *th,
                      struct jtl_bw *out)
{
    struct jtl_bw sh, content;
    struct jtl_state_shape with = *shape;
    size_t start = out->len;

    with.hostnames = jtl_throttle_hostnames(th);
    jtl_bw_init(&sh);
    encode_shape(&with, &sh);
    jtl_bw_bytes(out, JTL_STATE_MAGIC, JTL_STATE_MAGIC_LEN);
    jtl_bw_u32(out, JTL_STATE_VERSION);
    jtl_bw_u32(out, (uint32_t)sh.len);
    jtl_bw_bytes(out, sh.p, sh.len);
    jtl_bw_release(&sh);
    jtl_bw_u32(out, crc_of(out->p + start, out->len - start));
    /* the statistics and the records apart: a reader that wants only the
     * statistics (stats, check) inflates only them */
    jtl_bw_init(&content);
    encode_info(info, &content);
    jtl_agg_save(agg, &content);
    put_member(out, &content);
    content.len = 0;
    jtl_bw_flush_point(out);
    content.flush = put_block;
    content.flush_ctx = out;
    content.flush_at = STATE_BLOCK;
    jtl_throttle_save(th, &content);
    if (content.len)
        put_block(&content, out);
    jtl_bw_release(&content);
    /* an empty block ends the records */
    jtl_bw_u64(out, 0);
    jtl_bw_u64(out, 0);
}

bool jtl_state_sniff(const void *p, size_t n)
{
    return n >= JTL_STATE_MAGIC_LEN &&
           memcmp(p, JTL_STATE_MAGIC, JTL_STATE_MAGIC_LEN) == 0;
}

static const char *get_opt_str(struct jtl_br *r, char **strs, size_t *used)
{
    size_t n;
    const char *s;

    if (jtl_br_u8(r) != 1)
        return NULL;
    s = jtl_br_str(r, &n);
    memcpy(*strs + *used, s, n);
    (*strs)[*used + n] = '\0';
    s = *strs + *used;
    *used += n + 1;
    return s;
}

static uint32_t le32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

/* N bytes at OFF of F's file into BUF: false when the file ends before. */
static bool read_at(const struct jtl_state_file *f, void *buf, size_t n,
                    uint64_t off)
{
    unsigned char *p = buf;

    while (n) {
        ssize_t got = pread(f->fd, p, n, (off_t)off);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        p += got;
        n -= (size_t)got;
        off += (uint64_t)got;
    }
    return true;
}

/* The lengths of the member whose head is at OFF.  1: a member (its
 * lengths plausible: a gzip member is at least 18 bytes, inside the file,
 * and deflate does not expand beyond MAX_RATIO), 0: the empty one that
 * ends the records, -1: the file ends before, -2: lengths that do not add
 * up. */
static int member_head(const struct jtl_state_file *f, uint64_t off,
                       uint64_t *clen, uint64_t *zlen)
{
    unsigned char mh[16];
    struct jtl_br r;

    if (off + 16 > f->size || !read_at(f, mh, 16, off))
        return -1;
    jtl_br_init(&r, mh, 16);
    *clen = jtl_br_u64(&r);
    *zlen = jtl_br_u64(&r);
    if (*clen == 0 && *zlen == 0)
        return 0;
    if (*zlen < 18 || *zlen > f->size - (off + 16))
        return -1;
    if (*clen > *zlen * MAX_RATIO + 64 || *clen > SIZE_MAX / 2)
        return -2;
    return 1;
}

static enum jtl_err parse_shape(struct jtl_state_file *f,
                                const unsigned char *p, size_t shlen)
{
    struct jtl_state_shape *s = &f->shape;
    struct jtl_br sr;
    size_t i, used = 0, n;
    const char *filters;

    f->strs = jtl_xmalloc(shlen + 3);
    jtl_br_init(&sr, p, shlen);
    s->granularity_ms = jtl_br_sv(&sr);
    s->apdex_t = jtl_br_sv(&sr);
    s->apdex_f = jtl_br_sv(&sr);
    s->subresults = jtl_br_u8(&sr) != 0;
    s->ncodes = jtl_br_count(&sr, 1, JTL_THROTTLE_MAX_CODES);
    for (i = 0; i < s->ncodes; i++)
        s->codes[i] = (int)jtl_br_below(&sr, 1000);
    s->message_regex = get_opt_str(&sr, &f->strs, &used);
    s->ra_column = get_opt_str(&sr, &f->strs, &used);
    filters = jtl_br_str(&sr, &n);
    memcpy(f->strs + used, filters, n);
    f->strs[used + n] = '\0';
    s->filters = f->strs + used;
    used += n + 1;
    s->generator = get_opt_str(&sr, &f->strs, &used);
    s->hostnames = jtl_br_u8(&sr) != 0;
    return sr.bad || jtl_br_left(&sr) != 0 ? JTL_ERR_PARSE : JTL_OK;
}

enum jtl_err jtl_state_open(struct jtl_state_file *f, struct jtl_diag *diag)
{
    unsigned char head[16], *sh = NULL;
    uint32_t version, shlen;
    uint64_t off;
    struct stat sb;
    int i;

    memset(&f->shape, 0, sizeof(f->shape));
    f->strs = NULL;
    f->fd = open(f->name, O_RDONLY);
    if (f->fd < 0 || fstat(f->fd, &sb) != 0)
        return jtl_diag_set(diag, JTL_ERR_IO, f->name, "cannot read: %s",
                            strerror(errno));
    f->size = (uint64_t)sb.st_size;
    if (!read_at(f, head, 16, 0) || !jtl_state_sniff(head, 16))
        return jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                            "not a jtlscope state (.jtls): it does not start "
                            "with one's signature");
    version = le32(head + 8);
    if (version != JTL_STATE_VERSION)
        return jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                            "a state of format %u, and this jtlscope reads "
                            "format %u: summarize the files again with this "
                            "version",
                            version, JTL_STATE_VERSION);
    shlen = le32(head + 12);
    if ((uint64_t)shlen + 20 > f->size)
        goto cut;
    sh = jtl_xmalloc((size_t)shlen + 20);
    memcpy(sh, head, 16);
    if (!read_at(f, sh + 16, (size_t)shlen + 4, 16))
        goto cut;
    f->head_crc = le32(sh + 16 + shlen);
    if (f->head_crc != crc_of(sh, (size_t)shlen + 16)) {
        free(sh);
        return jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                            "damaged state: its header's checksum does not "
                            "match (changed after it was written)");
    }
    if (parse_shape(f, sh + 16, shlen) != JTL_OK) {
        free(sh);
        return jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                            "damaged state: its header does not parse");
    }
    free(sh);
    sh = NULL;
    off = 20 + (uint64_t)shlen;
    /* the statistics, one member; then the records, blocks up to an
     * empty one: their totals, and their trailers folded into one */
    f->clen[1] = f->zlen[1] = f->trailer[1] = 0;
    f->off[1] = 0;
    for (i = 0;; i = 1) {
        unsigned char tr[8];
        uint64_t clen, zlen, at = off + 16;
        int kind = member_head(f, off, &clen, &zlen);
        if (i == 1 && f->off[1] == 0)
            f->off[1] = off; /* the first block's head */
        if (kind == 0 && i == 1) {
            off = at;
            break;
        }
        if (kind == -2)
            return jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                                "damaged state: a member's lengths do not "
                                "add up");
        if (kind != 1 || !read_at(f, tr, 8, at + zlen - 8))
            goto cut;
        if (i == 0) {
            f->off[0] = at;
            f->clen[0] = clen;
            f->zlen[0] = zlen;
            f->trailer[0] = (uint64_t)le32(tr) << 32 | le32(tr + 4);
        } else {
            f->clen[1] += clen;
            f->zlen[1] += 16 + zlen;
            f->trailer[1] =
                (f->trailer[1] ^ ((uint64_t)le32(tr) << 32 | le32(tr + 4))) *
                0x100000001b3ull;
        }
        off = at + zlen;
    }
    if (off != f->size)
        return jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                            "damaged state: %llu bytes after its end",
                            (unsigned long long)(f->size - off));
    return JTL_OK;
cut:
    free(sh);
    return jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                        "damaged state: cut short (%llu bytes)",
                        (unsigned long long)f->size);
}

void jtl_state_close(struct jtl_state_file *f)
{
    free(f->strs);
    f->strs = NULL;
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

bool jtl_state_same(const struct jtl_state_file *a,
                    const struct jtl_state_file *b)
{
    return a->size == b->size && a->head_crc == b->head_crc &&
           a->trailer[0] == b->trailer[0] && a->trailer[1] == b->trailer[1] &&
           a->clen[0] == b->clen[0] && a->clen[1] == b->clen[1];
}

static bool str_eq(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void codes_text(const int *c, size_t n, char *out, size_t cap)
{
    size_t i, len = 0;

    out[0] = '\0';
    for (i = 0; i < n && len + 8 < cap; i++)
        len +=
            (size_t)snprintf(out + len, cap - len, "%s%d", i ? "," : "", c[i]);
}

static bool codes_eq(const int *a, size_t na, const int *b, size_t nb)
{
    return na == nb && memcmp(a, b, na * sizeof(*a)) == 0;
}

static void ms_text(int64_t ms, char *out, size_t cap)
{
    if (ms <= 0)
        snprintf(out, cap, "auto");
    else if (ms % 1000 == 0)
        snprintf(out, cap, "%llds", (long long)(ms / 1000));
    else
        snprintf(out, cap, "%lldms", (long long)ms);
}

enum jtl_err jtl_state_check_shape(const struct jtl_state_file *f,
                                   const struct jtl_state_shape *want,
                                   unsigned parts, struct jtl_diag *diag)
{
    const struct jtl_state_shape *h = &f->shape;
    char a[160], b[160];
    const char *opt = NULL;

    if (strcmp(h->filters, want->filters) != 0) {
        opt = "the filters (--from/--to/--include/--exclude)";
        snprintf(a, sizeof(a), "%s", h->filters[0] ? h->filters : "none");
        snprintf(b, sizeof(b), "%s", want->filters[0] ? want->filters : "none");
    } else if ((parts & JTL_SHAPE_STATS) &&
               h->granularity_ms != want->granularity_ms) {
        opt = "--granularity";
        ms_text(h->granularity_ms, a, sizeof(a));
        ms_text(want->granularity_ms, b, sizeof(b));
    } else if ((parts & JTL_SHAPE_STATS) &&
               (h->apdex_t != want->apdex_t || h->apdex_f != want->apdex_f)) {
        opt = "--apdex";
        snprintf(a, sizeof(a), "%lld,%lld", (long long)h->apdex_t,
                 (long long)h->apdex_f);
        snprintf(b, sizeof(b), "%lld,%lld", (long long)want->apdex_t,
                 (long long)want->apdex_f);
    } else if ((parts & JTL_SHAPE_STATS) && h->subresults != want->subresults) {
        opt = "--subresults";
        snprintf(a, sizeof(a), "%s", h->subresults ? "given" : "not given");
        snprintf(b, sizeof(b), "%s", want->subresults ? "given" : "not given");
    } else if ((parts & JTL_SHAPE_THROTTLE) &&
               !codes_eq(h->codes, h->ncodes, want->codes, want->ncodes)) {
        opt = "--throttle-codes";
        codes_text(h->codes, h->ncodes, a, sizeof(a));
        codes_text(want->codes, want->ncodes, b, sizeof(b));
    } else if ((parts & JTL_SHAPE_THROTTLE) &&
               !str_eq(h->message_regex, want->message_regex)) {
        opt = "--throttle-message";
        snprintf(a, sizeof(a), "%s",
                 h->message_regex ? h->message_regex : "none");
        snprintf(b, sizeof(b), "%s",
                 want->message_regex ? want->message_regex : "none");
    } else if ((parts & JTL_SHAPE_THROTTLE) &&
               !str_eq(h->ra_column, want->ra_column)) {
        opt = "--retry-after-column";
        snprintf(a, sizeof(a), "%s",
                 h->ra_column ? h->ra_column : "found by name");
        snprintf(b, sizeof(b), "%s",
                 want->ra_column ? want->ra_column : "found by name");
    }
    if (!opt)
        return JTL_OK;
    return jtl_diag_set(diag, JTL_ERR_USAGE, f->name,
                        "summarized with %s %s, and this run asks for %s: "
                        "give this run the options the state was made with, "
                        "or summarize the files again",
                        opt, a, b);
}

struct jtl_state_part {
    struct jtl_run_info info; /* the state's files and counts */
    struct jtl_agg *agg;
    struct jtl_throttle_part *th;
};

static bool decode_info(struct jtl_br *r, struct jtl_run_info *info)
{
    size_t n = jtl_br_count(r, 12, 0), base = info->nfiles, i;

    info->files =
        jtl_xrealloc(info->files, (base + n + 1) * sizeof(*info->files));
    memset(info->files + base, 0, (n + 1) * sizeof(*info->files));
    for (i = 0; i < n && !r->bad; i++) {
        struct jtl_file_info *fi = &info->files[base + i];
        size_t len;
        const char *s = jtl_br_str(r, &len);
        int64_t dup;
        unsigned flags;
        uint64_t fmt;
        /* the run info's names outlive the state's bytes */
        char *name = jtl_xmalloc(len + 1);
        memcpy(name, s, len);
        name[len] = '\0';
        fi->name = name;
        fi->owned_name = name;
        dup = jtl_br_sv(r);
        if (dup < -1 || dup >= (int64_t)i)
            r->bad = true;
        fi->duplicate_of = dup < 0 ? -1 : (long)(base + (size_t)dup);
        fi->counts.records = jtl_br_uv(r);
        fi->counts.samples = jtl_br_uv(r);
        fi->counts.skipped = jtl_br_uv(r);
        fi->counts.lines = jtl_br_uv(r);
        flags = jtl_br_u8(r);
        fi->counts.truncated = flags & 1u;
        fi->counts.had_header = (flags & 2u) != 0;
        fi->gzip = (flags & 4u) != 0;
        fi->failed = (flags & 8u) != 0;
        fi->damaged = (flags & 16u) != 0;
        fi->counts.delimiter = (char)jtl_br_u8(r);
        fmt = jtl_br_below(r, (uint64_t)JTL_FORMAT_XML + 1);
        fi->counts.format = (enum jtl_format)fmt;
        s = jtl_br_str(r, &len);
        if (len >= sizeof(fi->error) || flags > 31)
            r->bad = true;
        else {
            memcpy(fi->error, s, len);
            fi->error[len] = '\0';
        }
        info->nfiles++;
    }
    {
        uint64_t samples = jtl_br_uv(r), filtered = jtl_br_uv(r),
                 skipped = jtl_br_uv(r), warnings = jtl_br_uv(r);
        unsigned damage = jtl_br_u8(r);
        int64_t first = jtl_br_i64(r), last = jtl_br_i64(r);
        if (r->bad || damage > 1)
            return false;
        info->samples += samples;
        info->filtered += filtered;
        info->skipped += skipped;
        info->warnings += warnings;
        info->any_damage = info->any_damage || damage;
        if (samples && first < info->first_ts)
            info->first_ts = first;
        if (samples && last > info->last_end)
            info->last_end = last;
    }
    return true;
}

/* Member I of F inflated (jtl_state_open() found it whole): its bytes,
 * *LEN long, or NULL when they do not inflate. */
static unsigned char *inflate_member(const struct jtl_state_file *f, int i,
                                     size_t *len)
{
    unsigned char *z = jtl_xmalloc(f->zlen[i] ? (size_t)f->zlen[i] : 1);
    unsigned char *c = jtl_xmalloc(f->clen[i] ? (size_t)f->clen[i] : 1);

    if (!read_at(f, z, (size_t)f->zlen[i], f->off[i]) ||
        !jtl_zbuf_inflate(z, (size_t)f->zlen[i], c, (size_t)f->clen[i])) {
        free(z);
        free(c);
        return NULL;
    }
    free(z);
    *len = (size_t)f->clen[i];
    return c;
}

/* The records' blocks, read one at a time as the loader reaches their
 * ends (jtl_br's REFILL): the buffers hold one block, and are reused, so
 * what was borrowed from a block is gone with the next. */
struct blocks {
    const struct jtl_state_file *f;
    uint64_t next;        /* the next block's header */
    uint64_t left;        /* content bytes of the blocks still to come */
    uint64_t before;      /* content bytes of the blocks already done */
    unsigned char *z, *c; /* one block: compressed, inflated */
    size_t zcap, ccap, clen;
    bool end; /* the empty block was reached */
    bool inflate_failed;
};

static bool next_block(struct jtl_br *r, void *ctx)
{
    struct blocks *b = ctx;
    uint64_t clen, zlen;
    int kind;

    if (b->end)
        return false;
    /* jtl_state_open() walked the blocks; the file may have changed */
    kind = member_head(b->f, b->next, &clen, &zlen);
    if (kind == 0) {
        b->end = true;
        return false;
    }
    if (kind != 1 || clen == 0 || clen > b->left)
        goto bad;
    if (zlen > b->zcap) {
        free(b->z);
        b->z = jtl_xmalloc((size_t)zlen);
        b->zcap = (size_t)zlen;
    }
    if (clen > b->ccap) {
        free(b->c);
        b->c = jtl_xmalloc((size_t)clen);
        b->ccap = (size_t)clen;
    }
    if (!read_at(b->f, b->z, (size_t)zlen, b->next + 16) ||
        !jtl_zbuf_inflate(b->z, (size_t)zlen, b->c, (size_t)clen)) {
        b->inflate_failed = true;
        goto bad;
    }
    b->next += 16 + zlen;
    b->before += b->clen;
    b->clen = (size_t)clen;
    b->left -= clen;
    r->p = b->c;
    r->end = b->c + clen;
    r->after = b->left;
    return true;
bad:
    r->bad = true;
    return false;
}

static enum jtl_err damaged(struct jtl_diag *diag, const char *name,
                            const char *what, uint64_t at, uint64_t len)
{
    return jtl_diag_set(diag, JTL_ERR_PARSE, name,
                        "damaged state: its content does not parse (%s, at "
                        "byte %llu of %llu)",
                        what, (unsigned long long)at, (unsigned long long)len);
}

/* The records of F into a part of TH's kind. */
static enum jtl_err read_records(const struct jtl_state_file *f,
                                 const struct jtl_throttle *th,
                                 struct jtl_throttle_part **out,
                                 struct jtl_diag *diag)
{
    static const unsigned char none[1];
    struct blocks b;
    struct jtl_br r;
    enum jtl_err err = JTL_OK;

    memset(&b, 0, sizeof(b));
    b.f = f;
    b.next = f->off[1];
    b.left = f->clen[1];
    jtl_br_init(&r, none, 0);
    r.refill = next_block;
    r.refill_ctx = &b;
    r.after = b.left;
    jtl_br_boundary(&r); /* the first block */
    *out = r.bad ? NULL : jtl_throttle_load(th, &r);
    /* a part that ends before its blocks do is damaged too */
    if (*out) {
        jtl_br_boundary(&r);
        if (r.bad || jtl_br_left(&r) != 0 || !b.end) {
            jtl_throttle_part_free(*out);
            *out = NULL;
        }
    }
    if (!*out && b.inflate_failed)
        err = jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                           "damaged state: its request records do not "
                           "inflate (a byte changed, or the file cut short)");
    else if (!*out)
        err = damaged(diag, f->name, "the request records",
                      b.before + (uint64_t)(r.p - (b.c ? b.c : none)),
                      f->clen[1]);
    free(b.z);
    free(b.c);
    return err;
}

enum jtl_err jtl_state_read(const struct jtl_state_file *f,
                            const struct jtl_agg *agg,
                            const struct jtl_throttle *th,
                            struct jtl_state_part **out, struct jtl_diag *diag)
{
    struct jtl_state_part *p = jtl_xcalloc(1, sizeof(*p));
    unsigned char *content = NULL;
    size_t len = 0;
    struct jtl_br r;
    enum jtl_err err;

    *out = NULL;
    p->info.first_ts = INT64_MAX;
    p->info.last_end = INT64_MIN;
    /* what was read and the statistics; then the records, read only for
     * the analysis */
    content = inflate_member(f, 0, &len);
    if (!content) {
        jtl_state_part_free(p);
        return jtl_diag_set(diag, JTL_ERR_PARSE, f->name,
                            "damaged state: its statistics do not inflate (a "
                            "byte changed, or the file cut short)");
    }
    jtl_br_init(&r, content, len);
    if (!decode_info(&r, &p->info) ||
        (agg && !(p->agg = jtl_agg_load(agg, &r))) ||
        /* only a skipped statistics part is not read to its end */
        (agg && jtl_br_left(&r) != 0)) {
        err = damaged(diag, f->name, "the statistics",
                      (uint64_t)(r.p - content), len);
        free(content);
        jtl_state_part_free(p);
        return err;
    }
    free(content);
    if (th) {
        err = read_records(f, th, &p->th, diag);
        if (err) {
            jtl_state_part_free(p);
            return err;
        }
    }
    *out = p;
    return JTL_OK;
}

void jtl_state_join(struct jtl_state_part *p, struct jtl_run_info *info,
                    struct jtl_agg *agg, struct jtl_throttle *th)
{
    size_t base = info->nfiles, i;

    info->files = jtl_xrealloc(info->files, (base + p->info.nfiles + 1) *
                                                sizeof(*info->files));
    for (i = 0; i < p->info.nfiles; i++) {
        struct jtl_file_info *fi = &info->files[base + i];
        *fi = p->info.files[i];
        if (fi->duplicate_of >= 0)
            fi->duplicate_of += (long)base;
        p->info.files[i].owned_name = NULL; /* moved */
    }
    info->nfiles += p->info.nfiles;
    info->samples += p->info.samples;
    info->filtered += p->info.filtered;
    info->skipped += p->info.skipped;
    info->warnings += p->info.warnings;
    info->any_damage = info->any_damage || p->info.any_damage;
    if (p->info.samples && p->info.first_ts < info->first_ts)
        info->first_ts = p->info.first_ts;
    if (p->info.samples && p->info.last_end > info->last_end)
        info->last_end = p->info.last_end;
    if (agg && p->agg)
        jtl_agg_join(agg, p->agg); /* frees it */
    p->agg = NULL;
    if (th && p->th)
        jtl_throttle_join(th, p->th);
    p->th = NULL;
    jtl_state_part_free(p);
}

void jtl_state_part_free(struct jtl_state_part *p)
{
    if (!p)
        return;
    jtl_run_info_release(&p->info);
    jtl_agg_free(p->agg);
    jtl_throttle_part_free(p->th);
    free(p);
}
