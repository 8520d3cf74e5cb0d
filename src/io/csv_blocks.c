/* SPDX-License-Identifier: MIT
 * csv_blocks.c - where the records of a CSV block end, so that a file can
 * be cut into blocks that decode on their own (read/read_blocks.c).
 *
 * Finding a record end needs the quote state, which depends on everything
 * before: jtl_csv_block_cut() tracks it with the parity of quote characters
 * (64 bytes at a time, SSE2 compares and a prefix xor) and counts physical
 * lines on the way, so every block starts at an exact record boundary with
 * its exact line number.  Parity equals libcsv's state only for well-formed
 * quoting, so the scan also checks that every quote that opens by parity
 * follows a delimiter, a line end or a closing quote, and that every
 * closing quote is followed by a delimiter, a line end, a quote or the end
 * of the file.  Together these mean libcsv opened and closed exactly there
 * (libcsv.c's state machine has no other transitions on quotes), so the
 * cuts are the sequential decoder's record ends.  Anything else (a quote
 * inside an unquoted field, text after a closing quote) is reported as
 * broken, and the caller reads on without cutting. */
#include "jtl/io/csv_blocks.h"

#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Bit masks of LF, CR, quote and delimiter over 64 bytes (LEN <= 64). */
static void masks64(const char *p, size_t len, char delim, uint64_t *n,
                    uint64_t *r, uint64_t *q, uint64_t *d)
{
    uint64_t mn = 0, mr = 0, mq = 0, md = 0;
    size_t i;

#if defined(__SSE2__)
    if (len == 64) {
        const __m128i vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
        const __m128i vq = _mm_set1_epi8('"'), vd = _mm_set1_epi8(delim);
        for (i = 0; i < 4; i++) {
            __m128i v =
                _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
            mn |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vn))
                  << (16 * i);
            mr |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vr))
                  << (16 * i);
            mq |= (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vq))
                  << (16 * i);
        }
        if (mq)
            for (i = 0; i < 4; i++) {
                __m128i v = _mm_loadu_si128(
                    (const __m128i *)(const void *)(p + 16 * i));
                md |=
                    (uint64_t)(unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, vd))
                    << (16 * i);
            }
        *n = mn;
        *r = mr;
        *q = mq;
        *d = md;
        return;
    }
#endif
    for (i = 0; i < len; i++) {
        uint64_t bit = (uint64_t)1 << i;
        char c = p[i];
        if (c == '\n')
            mn |= bit;
        else if (c == '\r')
            mr |= bit;
        else if (c == '"')
            mq |= bit;
        else if (c == delim)
            md |= bit;
    }
    *n = mn;
    *r = mr;
    *q = mq;
    *d = md;
}

/* Inline: the baseline x86-64 ISA has no popcnt, and GCC's fallback is a
 * libgcc call per use. */
static inline uint64_t pop64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0Full;
    return (x * 0x0101010101010101ull) >> 56;
}

static uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* How many bytes of P[0..N) equal A, and (when COUNT_B) how many equal B:
 * compares subtracted into byte counters, 64 bytes a step, summed every
 * 255 steps with psadbw (a quarter instruction per byte and count). */
static void count2(const char *p, size_t n, char a, char b, bool count_b,
                   uint64_t *na, uint64_t *nb)
{
    uint64_t ka = 0, kb = 0;
    size_t i = 0;

#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b);
    const __m128i zero = _mm_setzero_si128();
    __m128i ta = zero, tb = zero;
    while (i + 64 <= n) {
        size_t steps = (n - i) / 64, k;
        __m128i acca = zero, accb = zero;
        if (steps > 255)
            steps = 255;
        for (k = 0; k < steps; k++, i += 64) {
            const __m128i *q = (const __m128i *)(const void *)(p + i);
            __m128i v0 = _mm_loadu_si128(q), v1 = _mm_loadu_si128(q + 1);
            __m128i v2 = _mm_loadu_si128(q + 2), v3 = _mm_loadu_si128(q + 3);
            acca = _mm_sub_epi8(acca, _mm_cmpeq_epi8(v0, va));
            acca = _mm_sub_epi8(acca, _mm_cmpeq_epi8(v1, va));
            acca = _mm_sub_epi8(acca, _mm_cmpeq_epi8(v2, va));
            acca = _mm_sub_epi8(acca, _mm_cmpeq_epi8(v3, va));
            if (count_b) {
                accb = _mm_sub_epi8(accb, _mm_cmpeq_epi8(v0, vb));
                accb = _mm_sub_epi8(accb, _mm_cmpeq_epi8(v1, vb));
                accb = _mm_sub_epi8(accb, _mm_cmpeq_epi8(v2, vb));
                accb = _mm_sub_epi8(accb, _mm_cmpeq_epi8(v3, vb));
            }
        }
        ta = _mm_add_epi64(ta, _mm_sad_epu8(acca, zero));
        tb = _mm_add_epi64(tb, _mm_sad_epu8(accb, zero));
    }
    {
        uint64_t lanes[2];
        _mm_storeu_si128((__m128i *)(void *)lanes, ta);
        ka = lanes[0] + lanes[1];
        _mm_storeu_si128((__m128i *)(void *)lanes, tb);
        kb = lanes[0] + lanes[1];
    }
#endif
    for (; i < n; i++) {
        ka += p[i] == a;
        kb += count_b && p[i] == b;
    }
    *na = ka;
    *nb = kb;
}

static uint64_t count_lf(const char *p, size_t n)
{
    uint64_t k, unused;

    count2(p, n, '\n', 0, false, &k, &unused);
    return k;
}

/* CR bytes of P[0..N) followed by a LF (rare: CRLF files only). */
static uint64_t count_crlf(const char *p, size_t n)
{
    uint64_t k = 0;
    const char *q = p, *end = p + n;

    while ((q = memchr(q, '\r', (size_t)(end - q))) != NULL) {
        if (q + 1 < end && q[1] == '\n')
            k++;
        q++;
    }
    return k;
}

/* Few quotes, no lone CR (so every line end is a LF): walk the quotes with
 * memchr; between them count LFs in bulk.  The same well-formedness checks
 * as the 64-byte scan, one quote at a time.  False: odd quoting. */
static bool scan_sparse(const char *p, size_t n, char delim, bool at_eof,
                        struct jtl_csv_cut *o)
{
    size_t pos = 0;
    uint64_t lines = 0;
    bool inq = false;

    for (;;) {
        const char *q = memchr(p + pos, '"', n - pos);
        size_t qpos = q ? (size_t)(q - p) : n;
        uint64_t k = count_lf(p + pos, qpos - pos);
        if (!inq && k) {
            /* outside quotes every LF ends a record: cut after the last */
            size_t e = qpos;
            while (p[e - 1] != '\n')
                e--;
            o->cut = e;
            o->lines = lines + k;
        }
        lines += k;
        if (!q)
            return true;
        if (!inq) {
            /* opens: at a record or field start */
            char c = qpos ? p[qpos - 1] : '\n';
            if (c != delim && c != '\n' && c != '\r')
                return false;
            inq = true;
            pos = qpos + 1;
        } else {
            /* closes, or the first of a doubled quote */
            int next =
                qpos + 1 < n ? (unsigned char)p[qpos + 1] : (at_eof ? -1 : -2);
            if (next == '"') {
                pos = qpos + 2;
            } else if (next < 0 || next == (unsigned char)delim ||
                       next == '\n' || next == '\r') {
                inq = false;
                pos = qpos + 1;
            } else {
                return false;
            }
        }
        if (pos >= n)
            return true;
    }
}

void jtl_csv_block_cut(const char *p, size_t n, char delim, bool at_eof,
                       struct jtl_csv_cut *o)
{
    uint64_t inq = 0;     /* all ones inside quotes */
    uint64_t prev_ok = 1; /* the byte before is a separator or a closer */
    uint64_t lines = 0;
    size_t off;

    o->cut = 0;
    o->lines = 0;
    o->broken = false;
    {
        /* Nearly every block has no lone CR and few quotes (a message
         * with a comma now and then): the sparse walk is ~10 x cheaper
         * than the 64-byte masks.  Files that quote everything, or use
         * lone CRs, take the masks. */
        uint64_t nq, nr;
        count2(p, n, '"', '\r', true, &nq, &nr);
        if ((nr == 0 || nr == count_crlf(p, n)) && nq * 64 < n) {
            if (!scan_sparse(p, n, delim, at_eof, o)) {
                o->cut = 0;
                o->lines = 0;
                o->broken = true;
            }
            return;
        }
    }
    for (off = 0; off < n; off += 64) {
        size_t len = n - off < 64 ? n - off : 64;
        uint64_t valid = len == 64 ? ~(uint64_t)0 : ((uint64_t)1 << len) - 1;
        uint64_t last = (uint64_t)1 << (len - 1);
        uint64_t mn, mr, mq, md, le, in_before, bound;
        /* the byte after this group: known, the end of the file, or
         * unknown (more data to come; anything there is after the cut) */
        int next =
            off + len < n ? (unsigned char)p[off + len] : (at_eof ? -1 : -2);

        masks64(p + off, len, delim, &mn, &mr, &mq, &md);
        /* a CR ends a line unless a LF follows it */
        le = mn | (mr & ~((mn >> 1) | (next == '\n' ? last : 0)));
        if (!mq) {
            in_before = inq;
        } else {
            uint64_t x = prefix_xor(mq) ^ inq;
            uint64_t openers, closers, sep = mn | mr | md, next_ok;
            in_before = (x << 1) | (inq & 1);
            openers = mq & ~in_before;
            closers = mq & in_before;
            next_ok = (sep | mq) >> 1;
            if (next < 0 || next == '\n' || next == '\r' || next == '"' ||
                next == (unsigned char)delim)
                next_ok |= last;
            if ((openers & ~(((sep | closers) << 1) | prev_ok)) ||
                (closers & ~next_ok & valid)) {
                o->broken = true;
                return;
            }
            inq = (x >> (len - 1)) & 1 ? ~(uint64_t)0 : 0;
        }
        {
            /* may a quote open right after this group's last byte? */
            char c = p[off + len - 1];
            prev_ok = c == '\n' || c == '\r' || c == delim ||
                      (mq & in_before & last) != 0;
        }
        bound = mn & ~in_before & valid;
        if (bound) {
            unsigned b = 63 - (unsigned)__builtin_clzll(bound);
            uint64_t upto = b == 63 ? ~(uint64_t)0 : ((uint64_t)2 << b) - 1;
            o->cut = off + b + 1;
            o->lines = lines + pop64(le & upto);
        }
        lines += pop64(le & valid);
    }
}

/* Physical line ends in P[0..N) (CR, LF, CRLF once); a CR as the last
 * byte counts only when nothing follows (AT_EOF). */
uint64_t jtl_csv_line_ends(const char *p, size_t n, bool at_eof)
{
    uint64_t k = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] == '\n')
            k++;
        else if (p[i] == '\r' && (i + 1 < n ? p[i + 1] != '\n' : at_eof))
            k++;
    }
    return k;
}
