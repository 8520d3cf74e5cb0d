/* SPDX-License-Identifier: MIT
 * decode_csv_split.c - CSV records from bytes: libcsv as the reference, and a
 * fast path that handles whole physical lines in place.
 *
 * Nearly every JTL row is one physical line with no quote at all, and libcsv
 * copies every byte through a per-character state machine (170-260 MB/s).
 * The fast path finds the line end with memchr, splits at the delimiter with
 * memchr and hands out pointers into the input: no copy.  It also takes
 * quoted fields that open at a field start and close before the line end
 * (doubled quotes are unescaped into a side buffer), because files whose
 * every row is quoted exist and must not fall back wholesale.  Anything else
 * goes to libcsv unchanged: a CR inside the line, a quote inside an unquoted
 * field, text after a closing quote, a quote left open at the line end (a
 * multi-line field), a field near JTL_CSV_FIELD_MAX, a record near the caps.
 * Bailing out is always safe because libcsv is the definition; the fast path
 * must only never accept a line libcsv would read differently.
 *
 * libcsv semantics relied on (libcsv.c 3.0.3, with no space function, so no
 * trimming): a record ends at an unquoted CR or LF; terminators outside a
 * record are skipped (no empty records); a field is quoted only when its
 * first byte is the quote; inside quotes "" is one quote and a quote followed
 * by the delimiter or a terminator closes the field. */
#include "decode_csv_split.h"

#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "jtl/base/xalloc.h"

/* libcsv grows its field buffer through this: the cap turns a runaway
 * field (an unbalanced quote in a 1 GB file) into CSV_ENOMEM, which we
 * report as JTL_ERR_LIMIT.  Real out-of-memory still aborts. */
static void *capped_realloc(void *p, size_t n)
{
    if (n > JTL_CSV_FIELD_MAX)
        return NULL;
    return jtl_xrealloc(p, n);
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

static void csv_start(struct jtl_csvsplit *s);

void jtl_csvsplit_init(struct jtl_csvsplit *s, char delim, bool fast,
                       const char *name, jtl_csvrec_fn fn, void *ctx)
{
    memset(s, 0, sizeof(*s));
    s->delim = delim;
    s->fast = fast;
    s->simd = true;
    s->fn = fn;
    s->ctx = ctx;
    s->name = name ? name : "<input>";
    s->line = 1;
    jtl_buf_init(&s->carry, 0);
    jtl_buf_init(&s->rec, JTL_CSV_RECORD_MAX);
    csv_start(s);
    s->offs = jtl_xmalloc(2 * JTL_CSV_COLUMNS_MAX * sizeof(*s->offs));
    s->fields = jtl_xmalloc((JTL_CSV_COLUMNS_MAX + 1) * sizeof(*s->fields));
}

void jtl_csvsplit_set_line(struct jtl_csvsplit *s, uint64_t line)
{
    s->line = line;
    s->prev_cr = false;
    s->partial = false;
}

void jtl_csvsplit_release(struct jtl_csvsplit *s)
{
    if (!s || !s->fields)
        return;
    csv_free(&s->csv);
    jtl_buf_release(&s->carry);
    jtl_buf_release(&s->rec);
    free(s->offs);
    free(s->fields);
    free(s->unq);
    s->offs = NULL;
    s->fields = NULL;
    s->unq = NULL;
}

uint64_t jtl_csvsplit_lines(const struct jtl_csvsplit *s)
{
    return s->line - 1 + (s->partial ? 1 : 0);
}

/* ------------------------------------------------------------------ */
/* libcsv path */

static void on_field(void *f, size_t len, void *ctx)
{
    struct jtl_csvsplit *s = ctx;

    if (s->err)
        return;
    if (s->nf < JTL_CSV_COLUMNS_MAX && !s->too_long) {
        size_t at = s->rec.len;
        if (jtl_buf_add(&s->rec, f, len) != JTL_OK) {
            s->too_long = true;
        } else {
            s->offs[2 * s->nf] = at;
            s->offs[2 * s->nf + 1] = len;
        }
    }
    s->nf++;
}

static void deliver_slow(struct jtl_csvsplit *s, unsigned flags)
{
    struct jtl_csvrec r;
    size_t i;

    r.nfields = s->nf;
    r.nstored = s->nf < JTL_CSV_COLUMNS_MAX ? s->nf : JTL_CSV_COLUMNS_MAX;
    if (s->too_long)
        r.nstored = 0;
    for (i = 0; i < r.nstored; i++) {
        s->fields[i].p = s->rec.p + s->offs[2 * i];
        s->fields[i].len = s->offs[2 * i + 1];
    }
    r.fields = s->fields;
    r.line = s->csv_line;
    r.flags = flags;
    if (s->nf > JTL_CSV_COLUMNS_MAX)
        r.flags |= JTL_CSVREC_TOO_MANY;
    if (s->too_long)
        r.flags |= JTL_CSVREC_TOO_LONG;
    s->nslow++;
    s->err = s->fn(s->ctx, &r, s->diag);
}

static void on_row(int c, void *ctx)
{
    struct jtl_csvsplit *s = ctx;

    if (!s->err)
        deliver_slow(s, c == -1 ? s->eof_flags : 0);
    jtl_buf_clear(&s->rec);
    s->nf = 0;
    s->too_long = false;
    s->csv_active = false;
}

static void csv_start(struct jtl_csvsplit *s)
{
    csv_init(&s->csv, 0);
    csv_set_delim(&s->csv, (unsigned char)s->delim);
    csv_set_space_func(&s->csv, no_space);
    csv_set_realloc_func(&s->csv, capped_realloc);
    csv_set_blk_size(&s->csv, 4096);
}

/* libcsv refused to grow a field past JTL_CSV_FIELD_MAX (a 10 MB field, or
 * an unbalanced quote swallowing the file).  Stopping there would lose every
 * record after it, so the record is handed out as FIELD_CAP (the decoder
 * skips it with a message), libcsv starts afresh, and the rest of the
 * physical line where the cap was hit is dropped (*SKIP set): reading
 * resumes at the next line. */
static enum jtl_err field_cap(struct jtl_csvsplit *s)
{
    struct jtl_csvrec r;

    memset(&r, 0, sizeof(r));
    r.fields = s->fields;
    r.nfields = s->nf + 1;
    r.line = s->csv_line;
    r.flags = JTL_CSVREC_FIELD_CAP;
    s->nslow++;
    s->err = s->fn(s->ctx, &r, s->diag);
    csv_free(&s->csv);
    csv_start(s);
    jtl_buf_clear(&s->rec);
    s->nf = 0;
    s->too_long = false;
    s->csv_active = false;
    s->skip_line = true;
    return s->err;
}

static enum jtl_err parse_piece(struct jtl_csvsplit *s, const char *p, size_t n)
{
    size_t done = csv_parse(&s->csv, p, n, on_field, on_row, s);

    if (s->err)
        return s->err;
    if (done < n)
        return field_cap(s);
    return JTL_OK;
}

/* While skip_line is set, drop bytes up to and including the next line end
 * (counted as slow_feed() counts it); returns the bytes dropped. */
static size_t skip_rest(struct jtl_csvsplit *s, const char *p, size_t n)
{
    size_t j = 0;

    while (j < n && p[j] != '\n' && p[j] != '\r')
        j++;
    if (j > 0) {
        s->prev_cr = false;
        s->partial = true;
    }
    if (j == n)
        return n;
    if (p[j] == '\r' || !s->prev_cr)
        s->line++;
    s->prev_cr = p[j] == '\r';
    s->partial = false;
    s->skip_line = false;
    return j + 1;
}

/* Feed libcsv one physical line at a time, so each record knows the line
 * its first byte is on.  With IDLE_STOP, return as soon as a record has
 * ended (the fast path may take over).  *USED = bytes consumed. */
static enum jtl_err slow_feed(struct jtl_csvsplit *s, const char *p, size_t n,
                              bool idle_stop, size_t *used)
{
    size_t i = 0;
    enum jtl_err err;

    while (i < n) {
        size_t j = i, end;
        if (s->skip_line) {
            i += skip_rest(s, p + i, n - i);
            if (idle_stop && !s->skip_line)
                break;
            continue;
        }
        while (j < n && p[j] != '\n' && p[j] != '\r')
            j++;
        end = j < n ? j + 1 : n;
        if (j > i) {
            if (!s->csv_active) {
                s->csv_active = true;
                s->csv_line = s->line;
            }
            s->prev_cr = false;
            s->partial = true;
        }
        err = parse_piece(s, p + i, end - i);
        if (err) {
            *used = end;
            return err;
        }
        if (j < n) {
            if (p[j] == '\r' || !s->prev_cr)
                s->line++;
            s->prev_cr = p[j] == '\r';
            s->partial = false;
            s->skip_line = false; /* a field cap dropped up to here */
        }
        i = end;
        if (idle_stop && !s->csv_active && j < n)
            break;
    }
    *used = i;
    return JTL_OK;
}

/* ------------------------------------------------------------------ */
/* fast path */

static void add_field(struct jtl_csvsplit *s, size_t nf, const char *p,
                      size_t len)
{
    s->fields[nf].p = p;
    s->fields[nf].len = len;
}

/* Split the line content P[0..LEN) (terminator removed) into s->fields.
 * False = leave the line to libcsv. */
static bool fast_split(struct jtl_csvsplit *s, const char *p, size_t len,
                       size_t *nfp)
{
    const char delim = s->delim;
    size_t nf = 0, i = 0;
    char *u;

    if (len >= JTL_CSV_RECORD_MAX - 2 || memchr(p, '\r', len))
        return false;
    if (!memchr(p, '"', len)) {
        for (;;) {
            const char *e = memchr(p + i, delim, len - i);
            size_t end = e ? (size_t)(e - p) : len;
            if (nf == JTL_CSV_COLUMNS_MAX || end - i >= JTL_CSV_FIELD_MAX - 2)
                return false;
            add_field(s, nf++, p + i, end - i);
            if (!e)
                break;
            i = end + 1;
        }
        *nfp = nf;
        return true;
    }
    if (s->unq_cap < len) {
        s->unq_cap = len < 256 ? 256 : len;
        free(s->unq);
        s->unq = jtl_xmalloc(s->unq_cap);
    }
    u = s->unq;
    for (;;) {
        if (nf == JTL_CSV_COLUMNS_MAX)
            return false;
        if (i < len && p[i] == '"') {
            size_t j = i + 1, k;
            bool dbl = false;
            for (;;) {
                const char *q = memchr(p + j, '"', len - j);
                if (!q)
                    return false; /* open at the line end: multi-line */
                k = (size_t)(q - p);
                if (k + 1 < len && p[k + 1] == '"') {
                    dbl = true;
                    j = k + 2;
                    continue;
                }
                break;
            }
            if (k - i >= JTL_CSV_FIELD_MAX - 2)
                return false;
            if (k + 1 < len && p[k + 1] != delim)
                return false; /* text after the closing quote */
            if (dbl) {
                size_t a = i + 1, n0 = 0;
                char *start = u;
                while (a < k) {
                    *u++ = p[a];
                    if (p[a] == '"')
                        a++;
                    a++;
                    n0++;
                }
                add_field(s, nf++, start, n0);
            } else {
                add_field(s, nf++, p + i + 1, k - i - 1);
            }
            if (k + 1 == len)
                break;
            i = k + 2;
            if (i == len) {
                if (nf == JTL_CSV_COLUMNS_MAX)
                    return false;
                add_field(s, nf++, p + i, 0);
                break;
            }
        } else {
            const char *e = memchr(p + i, delim, len - i);
            size_t end = e ? (size_t)(e - p) : len;
            if (end - i >= JTL_CSV_FIELD_MAX - 2 || memchr(p + i, '"', end - i))
                return false;
            add_field(s, nf++, p + i, end - i);
            if (!e)
                break;
            i = end + 1;
            if (i == len) {
                if (nf == JTL_CSV_COLUMNS_MAX)
                    return false;
                add_field(s, nf++, p + i, 0);
                break;
            }
        }
    }
    *nfp = nf;
    return true;
}

/* Hand out the record the fast path split into s->fields: CLEN is the
 * content length (0 = an empty line, no record); CR/LF say how the line
 * ended.  Also counts the line as the byte rules of slow_feed() would. */
static enum jtl_err fast_emit(struct jtl_csvsplit *s, size_t nf, size_t clen,
                              bool cr, bool lf, bool at_eof)
{
    enum jtl_err err = JTL_OK;

    if (clen) {
        struct jtl_csvrec r;
        r.fields = s->fields;
        r.nfields = r.nstored = nf;
        r.line = s->line;
        r.flags = JTL_CSVREC_FAST | (at_eof && !lf && !cr ? JTL_CSVREC_EOF : 0);
        s->nfast++;
        err = s->fn(s->ctx, &r, s->diag);
    }
    /* CR and LF each end a line, CRLF once; a LF right after a CR that
     * libcsv consumed finishes that same line. */
    if (cr || lf) {
        if (cr || clen || !s->prev_cr)
            s->line++;
        s->partial = false;
    } else if (clen) {
        s->partial = true;
    }
    s->prev_cr = cr && !lf;
    return err;
}

/* One physical line P[0..N): N includes the LF, except for a last line at
 * the end of input. */
static enum jtl_err do_line(struct jtl_csvsplit *s, const char *p, size_t n,
                            bool at_eof)
{
    size_t clen = n, nf = 0, used;
    bool lf = n && p[n - 1] == '\n', cr = false;

    if (lf)
        clen--;
    if (clen && p[clen - 1] == '\r') {
        clen--;
        cr = true;
    }
    if (s->fast && fast_split(s, p, clen, &nf))
        return fast_emit(s, nf, clen, cr, lf, at_eof);
    return slow_feed(s, p, n, false, &used);
}

enum scan_result {
    SCAN_NO_LF,  /* no line end in the data: keep it for the next feed */
    SCAN_SIMPLE, /* s->fields holds the line's fields */
    SCAN_OTHER,  /* quotes, a stray CR or a cap: let do_line() decide */
};

/* Quoted fields found by the SSE2 scan: strip the quotes, unescape "" when
 * the line had any (into s->unq, sized for the line). */
static void unquote_fields(struct jtl_csvsplit *s, size_t nf, size_t len,
                           bool dbl)
{
    struct jtl_str *f = s->fields;
    char *u;
    size_t k;

    if (dbl && s->unq_cap < len) {
        s->unq_cap = len < 256 ? 256 : len;
        free(s->unq);
        s->unq = jtl_xmalloc(s->unq_cap);
    }
    u = s->unq;
    for (k = 0; k < nf; k++) {
        const char *q = f[k].p;
        size_t n = f[k].len, a, o = 0;
        if (n == 0 || q[0] != '"')
            continue;
        /* the scan proved the field is "...", inner quotes doubled */
        f[k].p = q + 1;
        f[k].len = n - 2;
        if (!dbl || !memchr(q + 1, '"', n - 2))
            continue;
        for (a = 1; a + 1 < n; a++) {
            u[o++] = q[a];
            if (q[a] == '"')
                a++;
        }
        f[k].p = u;
        f[k].len = o;
        u += o;
    }
}

#if defined(__SSE2__)
static inline unsigned prefix_xor16(unsigned x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    return x & 0xFFFF;
}
#endif

/* Find the end of the line at P and split it at the delimiter in the same
 * pass.  *LFP is the offset of the LF.  The SSE2 version classifies 16
 * bytes at a time and follows quotes by parity (a prefix xor), checking
 * that the quoting is the well-formed kind on which parity and libcsv
 * agree: every opening quote at a field start or right after a closing
 * one, every closing quote before a delimiter, the line end or another
 * quote, no line end inside quotes.  The portable version is a byte loop
 * that leaves every line with a quote to do_line().  Both are checked
 * against libcsv. */
static enum scan_result scan_line(struct jtl_csvsplit *s, const char *p,
                                  size_t n, size_t *lfp, size_t *nfp,
                                  size_t *clenp, bool *crp)
{
    const char delim = s->delim;
    size_t i = 0, start = 0, nf = 0, nspecial = 0, last_special = 0, end;
    struct jtl_str *f = s->fields;
    bool quoted = false, dbl = false;

#if defined(__SSE2__)
    if (s->simd) {
        const __m128i vd = _mm_set1_epi8(delim), vn = _mm_set1_epi8('\n');
        const __m128i vq = _mm_set1_epi8('"'), vr = _mm_set1_epi8('\r');
        unsigned inq = 0;     /* inside quotes at the window start */
        unsigned prev_ok = 1; /* a quote may open at the window start */
        for (; i + 16 <= n; i += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + i));
            unsigned mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn));
            unsigned md = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd));
            unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq));
            unsigned mr = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vr));
            unsigned lim = 0xFFFF, inb = 0;
            if (mq | inq) {
                unsigned x = prefix_xor16(mq) ^ (inq ? 0xFFFF : 0);
                unsigned open, close, next_ok, out_lf;
                int nb = i + 16 < n ? (unsigned char)p[i + 16] : -1;
                inb = ((x << 1) | inq) & 0xFFFF;
                out_lf = mn & ~inb;
                if (out_lf)
                    lim = (1u << __builtin_ctz(out_lf)) - 1;
                open = mq & ~inb & lim;
                close = mq & inb & lim;
                next_ok = (md | mn | mr | mq) >> 1;
                if (nb < 0 || nb == (unsigned char)delim || nb == '\n' ||
                    nb == '\r' || nb == '"')
                    next_ok |= 0x8000;
                if ((open & ~(((md | close) << 1) | prev_ok)) ||
                    (close & ~next_ok) || (mn & inb & lim))
                    goto other; /* odd quoting, or a multi-line field */
                if (close & ((mq >> 1) | (nb == '"' ? 0x8000 : 0)))
                    dbl = true;
                md &= ~inb;
                quoted = true;
                inq = (x >> 15) & 1;
                prev_ok = ((md | close) >> 15) & 1;
            } else {
                prev_ok = (md >> 15) & 1;
            }
            if (mn & ~inb) {
                unsigned keep = (1u << __builtin_ctz(mn & ~inb)) - 1;
                md &= keep;
                mr &= keep;
            }
            if (mr) {
                nspecial += (size_t)__builtin_popcount(mr);
                last_special = i + 31 - (size_t)__builtin_clz(mr);
            }
            while (md) {
                size_t pos = i + (size_t)__builtin_ctz(md);
                md &= md - 1;
                if (nf < JTL_CSV_COLUMNS_MAX) {
                    f[nf].p = p + start;
                    f[nf].len = pos - start;
                }
                nf++;
                start = pos + 1;
            }
            if (mn & ~inb) {
                i += (size_t)__builtin_ctz(mn & ~inb);
                goto found;
            }
        }
        if (quoted || inq)
            goto other; /* the byte loop below does not follow quotes */
    }
#endif
    for (; i < n; i++) {
        char c = p[i];
        if (c == '\n')
            goto found;
        if (c == delim) {
            if (nf < JTL_CSV_COLUMNS_MAX) {
                f[nf].p = p + start;
                f[nf].len = i - start;
            }
            nf++;
            start = i + 1;
        } else if (c == '"' || c == '\r') {
            nspecial++;
            last_special = i;
        }
    }
    return SCAN_NO_LF;
#if defined(__SSE2__)
other : {
    const char *lf = memchr(p + i, '\n', n - i);
    if (!lf)
        return SCAN_NO_LF;
    *lfp = (size_t)(lf - p);
    return SCAN_OTHER;
}
#endif
found:
    *lfp = i;
    end = i;
    *crp = false;
    if (nspecial == 1 && last_special + 1 == i && p[last_special] == '\r') {
        end--;
        nspecial = 0;
        *crp = true;
    }
    if (nspecial || nf >= JTL_CSV_COLUMNS_MAX || end >= JTL_CSV_FIELD_MAX - 2)
        return SCAN_OTHER;
    *clenp = end;
    if (end == 0) {
        *nfp = 0;
        return SCAN_SIMPLE;
    }
    f[nf].p = p + start;
    f[nf].len = end - start;
    *nfp = nf + 1;
    if (quoted)
        unquote_fields(s, nf + 1, end, dbl);
    return SCAN_SIMPLE;
}

enum jtl_err jtl_csvsplit_feed(struct jtl_csvsplit *s, const char *p, size_t n,
                               struct jtl_diag *diag)
{
    size_t pos = 0, used;
    enum jtl_err err = JTL_OK;

    s->diag = diag;
    if (!s->fast)
        return slow_feed(s, p, n, false, &used);
    while (pos < n && !err) {
        const char *lf;
        size_t take;

        if (s->skip_line) {
            pos += skip_rest(s, p + pos, n - pos);
            continue;
        }
        if (s->csv_active) {
            err = slow_feed(s, p + pos, n - pos, true, &used);
            pos += used;
            continue;
        }
        if (!s->carry.len) {
            size_t at = 0, nf = 0, clen = 0;
            bool cr = false;
            enum scan_result r =
                scan_line(s, p + pos, n - pos, &at, &nf, &clen, &cr);
            if (r == SCAN_SIMPLE) {
                err = fast_emit(s, nf, clen, cr, true, false);
                pos += at + 1;
                continue;
            }
            if (r == SCAN_OTHER) {
                err = do_line(s, p + pos, at + 1, false);
                pos += at + 1;
                continue;
            }
            lf = NULL;
            take = n - pos;
        } else {
            lf = memchr(p + pos, '\n', n - pos);
            take = lf ? (size_t)(lf + 1 - (p + pos)) : n - pos;
        }
        if (s->carry.len + take > JTL_CSV_RECORD_MAX) {
            /* No line end in sight: let libcsv deal (its caps apply). */
            if (s->carry.len) {
                err = slow_feed(s, s->carry.p, s->carry.len, false, &used);
                jtl_buf_clear(&s->carry);
            } else {
                err = slow_feed(s, p + pos, take, false, &used);
                pos += take;
            }
            continue;
        }
        jtl_buf_add(&s->carry, p + pos, take);
        pos += take;
        if (!lf) {
            s->partial = true;
            break;
        }
        err = do_line(s, s->carry.p, s->carry.len, false);
        jtl_buf_clear(&s->carry);
    }
    return err;
}

enum jtl_err jtl_csvsplit_finish(struct jtl_csvsplit *s, struct jtl_diag *diag)
{
    enum jtl_err err = JTL_OK;
    unsigned flags;

    s->diag = diag;
    if (s->carry.len) {
        err = do_line(s, s->carry.p, s->carry.len, true);
        jtl_buf_clear(&s->carry);
        if (err)
            return err;
    }
    if (!s->csv_active)
        return JTL_OK;
    /* libcsv's fini submits the open record (and its last field); we add
     * why it is open.  pstate 2 is FIELD_BEGUN in libcsv.c 3.0.x (struct
     * csv_parser is part of its public header). */
    flags = JTL_CSVREC_EOF;
    if (s->csv.pstate == 2 && s->csv.quoted)
        flags |= JTL_CSVREC_OPEN_QUOTE;
    s->eof_flags = flags;
    /* csv_fini consumes no byte: whether the last line is counted as an
     * unterminated one stays as the bytes said (a file ending inside quotes
     * right after a LF has no extra line). */
    csv_fini(&s->csv, on_field, on_row, s);
    return s->err;
}
