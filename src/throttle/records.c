/* SPDX-License-Identifier: MIT
 * records.c - the compact per-request store of the throttle analysis:
 * 24 bytes per sample (the rest interned), sorted once by (start, thread,
 * arrival). */
/* MAP_ANONYMOUS is not in POSIX 2008 (glibc shows it with _DEFAULT_SOURCE) */
#define _DEFAULT_SOURCE 1
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/bigmem.h"
#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/headers.h"
#include "jtl/io/labels.h"

void an_store_init(struct an_store *st, const struct an_opts *opts)
{
    memset(st, 0, sizeof(*st));
    st->opts = opts;
    jtl_strtab_init(&st->labels);
    jtl_strtab_init(&st->threads);
    jtl_strtab_init(&st->gens);
    jtl_strtab_init(&st->codes);
    jtl_strtab_init(&st->groups);
    st->lcache = jtl_xcalloc(1, sizeof(*st->lcache));
    st->tcache = jtl_xcalloc(1, sizeof(*st->tcache));
    st->ccache = jtl_xcalloc(1, sizeof(*st->ccache));
}

/* ------------------------------------------------------------------ */
/* Chunks                                                              */

#define AN_CHUNK_BYTES ((size_t)AN_CHUNK_RECS * sizeof(struct an_rec))

/* Chunks, the merged records and the sort's scratch arrays grow with the
 * requests: they come from the budgeted memory (bigmem.h), which maps them
 * (the merge frees chunks in time order, not in allocation order, and
 * glibc would keep freed heap memory resident) or, beyond the budget,
 * spills them to a temporary file.  Pages are touched only when written,
 * so a part-filled last chunk costs what it holds. */
static struct an_rec *chunk_alloc(void)
{
    return jtl_big_alloc(AN_CHUNK_BYTES);
}

static void chunk_free(struct an_rec *p)
{
    jtl_big_free(p);
}

static void chunks_free(struct an_store *st)
{
    size_t i;

    for (i = 0; i < st->nchunks; i++)
        chunk_free(st->chunks[i].rec);
    free(st->chunks);
    st->chunks = NULL;
    st->nchunks = st->capchunks = 0;
}

void an_store_release(struct an_store *st)
{
    if (!st)
        return;
    chunks_free(st);
    jtl_big_free(st->rec);
    free(st->group_of);
    free(st->label_raws);
    free(st->lcache);
    free(st->tcache);
    free(st->ccache);
    free(st->code_n);
    free(st->keybuf);
    free(st->tc);
    jtl_big_free(st->ext);
    jtl_big_free(st->ext_slot);
    an_adv_release(st->adv);
    free(st->adv);
    jtl_strtab_release(&st->labels);
    jtl_strtab_release(&st->threads);
    jtl_strtab_release(&st->gens);
    jtl_strtab_release(&st->codes);
    jtl_strtab_release(&st->groups);
    memset(st, 0, sizeof(*st));
}

/* ------------------------------------------------------------------ */
/* Retry-After                                                         */

static bool ieq(struct jtl_str n, const char *want)
{
    size_t i;

    if (n.len != strlen(want))
        return false;
    for (i = 0; i < n.len; i++)
        if (tolower((unsigned char)n.p[i]) != tolower((unsigned char)want[i]))
            return false;
    return true;
}

/* headers.h reads the header, then a retryAfter-like variable, then the
 * Genesys body; a column named with --retry-after-column comes first. */
static float retry_after(struct an_store *st, const struct jtl_sample *s)
{
    int64_t ref = s->timestamp + (s->elapsed > 0 ? s->elapsed : 0);
    double v;
    size_t i;

    if (st->opts->ra_column) {
        for (i = 0; i < s->nvars; i++) {
            if (ieq(s->vars[i].name, st->opts->ra_column) &&
                jtl_retry_after_parse(s->vars[i].value, ref, &v, NULL)) {
                st->ra_sources |= AN_RA_VAR;
                return (float)v;
            }
        }
    }
    switch (jtl_retry_after_seconds(s, &v)) {
    case JTL_RA_HEADER:
        st->ra_sources |= AN_RA_HEADER;
        return (float)v;
    case JTL_RA_VAR:
        st->ra_sources |= AN_RA_VAR;
        return (float)v;
    case JTL_RA_BODY:
        st->ra_sources |= AN_RA_BODY;
        return (float)v;
    case JTL_RA_NONE:
        break;
    }
    return NAN;
}

/* ------------------------------------------------------------------ */
/* Adding samples                                                      */

static bool re_match(struct an_store *st, struct jtl_str m)
{
    return m.len && jtl_regex_match(st->opts->re, m.p, m.len);
}

/* The numeric HTTP status, or -1 ("Non HTTP response code: ..."). */
static int http_code(struct jtl_str c)
{
    int v = 0;
    size_t i;

    if (c.len != 3)
        return -1;
    for (i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)c.p[i]))
            return -1;
        v = v * 10 + (c.p[i] - '0');
    }
    return v;
}

/* The cache slot of P[0..LEN) (and SALT): a hash of the length and the
 * first and last 8 bytes, enough to tell a file's labels and threads
 * apart without reading every byte. */
static size_t icache_slot(const char *p, size_t len, uint64_t salt)
{
    uint64_t a = 0, b = 0;

    if (len >= 8) {
        memcpy(&a, p, 8);
        memcpy(&b, p + len - 8, 8);
    } else if (len) {
        memcpy(&a, p, len);
    }
    return (size_t)(((a * 0x9E3779B97F4A7C15ull) ^ (b * 0xC2B2AE3D27D4EB4Full) ^
                     len ^ salt) >>
                    54) %
           AN_ICACHE;
}

static uint32_t intern(struct jtl_strtab *t, struct an_icache *c, const char *p,
                       size_t len)
{
    size_t h = icache_slot(p, len, 0);
    uint32_t id;

    if (c->str[h] && c->len[h] == len && memcmp(c->str[h], p, len) == 0)
        return c->id[h];
    id = jtl_strtab_intern(t, p, len);
    if (len <= UINT32_MAX) {
        c->str[h] = jtl_strtab_str(t, id);
        c->len[h] = (uint32_t)len;
        c->id[h] = id;
    }
    return id;
}

/* The load generator of S: its Hostname when the file has one, else the
 * file (each input file is one generator). */
static uint16_t gen_of(struct an_store *st, const struct jtl_sample *s)
{
    char key[512];
    size_t n;
    uint32_t id;
    bool by_host = JTL_HAS(s, JTL_F_HOSTNAME) && s->hostname.len;

    if (by_host) {
        n = s->hostname.len < sizeof(key) - 1 ? s->hostname.len
                                              : sizeof(key) - 1;
        key[0] = 'H';
        memcpy(key + 1, s->hostname.p, n);
        st->has_hostname = true;
    } else {
        /* the file's generator, the same for all its rows: cached */
        const char *name = st->opts->generator ? st->opts->generator : s->file;
        if (st->last_gen_valid && st->last_gen_source == s->source)
            return (uint16_t)st->last_gen_file;
        n = name ? strlen(name) : 0;
        if (n > sizeof(key) - 1)
            n = sizeof(key) - 1;
        /* 'G': named by --generator, 'F': by the file */
        key[0] = st->opts->generator ? 'G' : 'F';
        if (n)
            memcpy(key + 1, name, n);
    }
    id = jtl_strtab_intern(&st->gens, key, n + 1);
    if (id >= AN_GENS_MAX)
        id = AN_GENS_MAX - 1; /* hostile: fold the rest into one */
    if (!by_host) {
        st->last_gen_valid = true;
        st->last_gen_source = s->source;
        st->last_gen_file = id;
    }
    return (uint16_t)id;
}

/* The thread id of (name, generator): see struct an_store.  The cache is
 * looked up with the name and generator as they are, so a known thread
 * costs no key building. */
static uint32_t thread_of(struct an_store *st, struct jtl_str name,
                          uint16_t gen)
{
    uint32_t g = gen, len = (uint32_t)name.len, id;
    struct an_icache *c = st->tcache;
    size_t h = icache_slot(name.p, name.len, (uint64_t)g << 32);

    if (c->str[h] && c->len[h] == name.len + 8 &&
        memcmp(c->str[h], &g, 4) == 0 &&
        memcmp(c->str[h] + 8, name.p, name.len) == 0)
        return c->id[h];

    if (name.len + 8 > st->keycap) {
        st->keycap = name.len + 64;
        st->keybuf = jtl_xrealloc(st->keybuf, st->keycap);
    }
    /* generator and length first: intern()'s cache looks at the first and
     * last 8 bytes, and the last are where thread names differ ("... 1-9",
     * "... 1-10") */
    memcpy(st->keybuf, &g, 4);
    memcpy(st->keybuf + 4, &len, 4);
    if (name.len)
        memcpy(st->keybuf + 8, name.p, name.len);
    id = jtl_strtab_intern(&st->threads, st->keybuf, name.len + 8);
    if (name.len + 8 <= UINT32_MAX) {
        c->str[h] = jtl_strtab_str(&st->threads, id);
        c->len[h] = (uint32_t)(name.len + 8);
        c->id[h] = id;
    }
    return id;
}

struct jtl_str an_thread_name(const struct an_store *st, uint32_t t)
{
    struct jtl_str r;
    uint32_t len;

    memcpy(&len, jtl_strtab_str(&st->threads, t) + 4, 4);
    r.p = jtl_strtab_str(&st->threads, t) + 8;
    r.len = len;
    return r;
}

uint32_t an_thread_gen(const struct an_store *st, uint32_t t)
{
    uint32_t g;

    memcpy(&g, jtl_strtab_str(&st->threads, t), 4);
    return g;
}

struct jtl_str an_gen_name(const struct an_store *st, uint32_t g)
{
    struct jtl_str r;

    r.p = jtl_strtab_str(&st->gens, g) + 1;
    r.len = jtl_strtab_len(&st->gens, g) - 1;
    return r;
}

/* The counters of code id ID, zeroed when new. */
struct an_code_count *an_store_code_slot(struct an_store *st, uint32_t id)
{
    if (id >= st->code_init) {
        jtl_xgrow((void **)&st->code_n, &st->code_cap, id + 1,
                  sizeof(*st->code_n));
        memset(st->code_n + st->code_init, 0,
               (id + 1 - st->code_init) * sizeof(*st->code_n));
        st->code_init = id + 1;
    }
    return &st->code_n[id];
}

/* The code id of a responseCode, not counted. */
static uint16_t code_id(struct an_store *st, struct jtl_str code)
{
    uint32_t id;

    if (st->last_code && code.len == st->last_code_len &&
        memcmp(code.p, st->last_code, code.len) == 0)
        return st->last_code_id;
    id = intern(&st->codes, st->ccache, code.p, code.len);
    if (id >= AN_CODES_MAX)
        return AN_CODE_OTHER;
    an_store_code_slot(st, id);
    st->last_code = jtl_strtab_str(&st->codes, id);
    st->last_code_len = code.len;
    st->last_code_id = (uint16_t)id;
    return (uint16_t)id;
}

/* The code id of a responseCode, counted. */
static uint16_t code_of(struct an_store *st, struct jtl_str code, bool thr,
                        bool has_ra)
{
    uint32_t id = code_id(st, code);
    struct an_code_count *c;

    if (id == AN_CODE_OTHER) {
        st->code_other++;
        return AN_CODE_OTHER;
    }
    c = an_store_code_slot(st, id);
    c->n++;
    c->throttled |= thr;
    c->with_ra += has_ra;
    return (uint16_t)id;
}

/* The class of a sample with code CODE (a number, or -1 for "Non HTTP
 * response code ..."), throttled or not. */
static bool is_throttled(struct an_store *st, const struct jtl_sample *s,
                         int code)
{
    const struct an_opts *o = st->opts;
    size_t i;

    for (i = 0; i < o->ncodes; i++)
        if (code == o->codes[i])
            return true;
    return o->re &&
           (re_match(st, s->message) || re_match(st, s->failure_message));
}

/* Received bytes as kept: 0 to UINT32_MAX. */
static uint32_t sat_bytes(int64_t b)
{
    return b < 0 ? 0 : b > (int64_t)UINT32_MAX ? UINT32_MAX : (uint32_t)b;
}

static void add_tc(struct an_store *st, const struct jtl_sample *s, uint32_t n,
                   uint32_t m)
{
    struct an_tc *t;
    int code = http_code(s->code);
    bool thr = is_throttled(st, s, code);

    jtl_xgrow((void **)&st->tc, &st->captc, st->ntc + 1, sizeof(*st->tc));
    t = &st->tc[st->ntc++];
    t->start = s->timestamp;
    t->elapsed = (uint32_t)(s->elapsed < 0                ? 0
                            : s->elapsed > AN_ELAPSED_MAX ? AN_ELAPSED_MAX
                                                          : s->elapsed);
    t->label = intern(&st->labels, st->lcache, s->label.p, s->label.len);
    t->thread = thread_of(st, s->thread, gen_of(st, s));
    t->bytes = sat_bytes(s->bytes);
    t->n = n ? n : 1;
    t->m = m <= t->n ? m : t->n;
    if (!s->success && t->m == 0)
        t->m = 1;
    t->code = code_id(st, s->code);
    t->cls = thr ? AN_THR : code < 0 ? AN_NOHTTP : AN_ERR;
}

/* What the response says of the limit: the first family that gives one
 * (RateLimit-*, the IETF draft, before X-RateLimit-*). */
static void advertised(struct an_store *st, const struct jtl_sample *s)
{
    struct jtl_ratelimit rl;
    const struct jtl_rl_counter *fam[3], *c = NULL;
    int64_t now = s->timestamp + (s->elapsed > 0 ? s->elapsed : 0);
    size_t i;
    double window = NAN;

    if (!jtl_ratelimit_parse(s->response_headers, now, &rl))
        return;
    fam[0] = &rl.sf;
    fam[1] = &rl.draft;
    fam[2] = &rl.x;
    for (i = 0; i < 3 && !c; i++)
        if (fam[i]->has_limit)
            c = fam[i];
    if (!c)
        return;
    for (i = 0; i < 3; i++)
        if (fam[i]->has_window && window != window)
            window = fam[i]->window_s;
    if (!st->adv)
        st->adv = jtl_xcalloc(1, sizeof(*st->adv));
    st->adv->responses++;
    st->adv->families |= c == &rl.x ? 2u : 1u;
    an_distinct_add(&st->adv->limit, c->limit, 1);
    if (window == window)
        an_distinct_add(&st->adv->window_s, window, 1);
    /* remaining and reset from whichever family sends them */
    for (i = 0; i < 3; i++)
        if (fam[i]->has_remaining) {
            an_distinct_add(&st->adv->remaining, fam[i]->remaining, 1);
            break;
        }
    for (i = 0; i < 3; i++)
        if (fam[i]->has_reset) {
            an_distinct_add(&st->adv->reset_s, fam[i]->reset_s, 1);
            break;
        }
}

/* ------------------------------------------------------------------ */
/* The rest of a record, interned                                      */

static bool ext_eq(const struct an_ext *e, uint16_t code, uint32_t rabits,
                   uint32_t bytes)
{
    uint32_t b;

    memcpy(&b, &e->ra, sizeof(b));
    return e->code == code && e->bytes == bytes && b == rabits;
}

static size_t ext_hash(uint16_t code, uint32_t rabits, uint32_t bytes,
                       size_t slots)
{
    uint64_t h = ((uint64_t)rabits << 32 | bytes) ^ (uint64_t)code << 17;

    h *= 0x9E3779B97F4A7C15u;
    return (size_t)(h >> 32) & (slots - 1);
}

static void ext_place(struct an_store *st, uint32_t id)
{
    const struct an_ext *e = &st->ext[id];
    uint32_t rabits;
    size_t i;

    memcpy(&rabits, &e->ra, sizeof(rabits));
    i = ext_hash(e->code, rabits, e->bytes, st->ext_slots);
    while (st->ext_slot[i])
        i = (i + 1) & (st->ext_slots - 1);
    st->ext_slot[i] = id + 1;
}

/* Grown by doubling, rehashed; budgeted memory like the records (one entry
 * per request at worst, in a file made to have that many). */
static void ext_grow(struct an_store *st)
{
    size_t i, slots = st->ext_slots ? 2 * st->ext_slots : 64;
    struct an_ext *e = jtl_big_alloc(slots / 2 * sizeof(*e));

    if (st->next)
        memcpy(e, st->ext, st->next * sizeof(*e));
    jtl_big_free(st->ext);
    jtl_big_free(st->ext_slot);
    st->ext = e;
    st->ext_slots = slots;
    st->ext_slot = jtl_big_calloc(slots, sizeof(*st->ext_slot));
    for (i = 0; i < st->next; i++)
        ext_place(st, (uint32_t)i);
}

uint32_t an_ext_id(struct an_store *st, uint16_t code, float ra, uint32_t bytes)
{
    uint32_t rabits, id;
    size_t i;

    memcpy(&rabits, &ra, sizeof(rabits));
    if (st->next && ext_eq(&st->ext[st->ext_last], code, rabits, bytes))
        return st->ext_last;
    if (st->next == st->ext_slots / 2)
        ext_grow(st);
    i = ext_hash(code, rabits, bytes, st->ext_slots);
    while ((id = st->ext_slot[i]) != 0) {
        if (ext_eq(&st->ext[id - 1], code, rabits, bytes))
            return st->ext_last = id - 1;
        i = (i + 1) & (st->ext_slots - 1);
    }
    id = (uint32_t)st->next++;
    st->ext[id].ra = ra;
    st->ext[id].bytes = bytes;
    st->ext[id].code = code;
    st->ext_slot[i] = id + 1;
    return st->ext_last = id;
}

void an_rec_set_ext(struct an_store *st, struct an_rec *r, uint16_t code,
                    float ra, uint32_t bytes)
{
    bool thr = an_cls(r) == AN_THR;

    r->ext = an_ext_id(st, code, thr ? ra : NAN, thr ? bytes : 0);
}

struct an_rec *an_store_push(struct an_store *st)
{
    struct an_chunk *c;

    if (st->nchunks == 0 || st->chunks[st->nchunks - 1].n == AN_CHUNK_RECS) {
        jtl_xgrow((void **)&st->chunks, &st->capchunks, st->nchunks + 1,
                  sizeof(*st->chunks));
        st->chunks[st->nchunks].rec = chunk_alloc();
        st->chunks[st->nchunks].n = 0;
        st->nchunks++;
    }
    c = &st->chunks[st->nchunks - 1];
    st->n++;
    return &c->rec[c->n++];
}

int an_store_add(struct an_store *st, const struct jtl_sample *s)
{
    struct an_rec *r;
    unsigned cls;
    int code;
    bool thr;
    float ra;
    uint16_t ccode;

    /* Requests, not containers: a sample that holds others (a controller
     * in "Generate parent sample" mode, a redirect chain, a page and its
     * resources) is not itself a request; what it holds is.  A
     * controller's row without nested samples is decided once every row is
     * in (an_store_sort). */
    if (s->flags & JTL_SAMPLE_TC_EMPTY) {
        st->excluded++;
        return 0;
    }
    if (!JTL_HAS(s, JTL_F_TIMESTAMP)) {
        st->unusable++;
        return 0;
    }
    if (s->flags & JTL_SAMPLE_TC_PARENT) {
        uint32_t n = 0, m = 0;
        jtl_tc_parse(s->message, &n, &m);
        st->excluded++;
        if (s->flags & JTL_SAMPLE_HAS_SUBRESULTS) {
            st->transactions++;
            st->in_transactions += n;
        } else {
            add_tc(st, s, n, m);
        }
        return 0;
    }
    if (s->flags & JTL_SAMPLE_HAS_SUBRESULTS) {
        st->excluded++;
        return 0;
    }
    if (st->n >= UINT32_MAX - 1) {
        st->dropped++;
        return 0;
    }
    code = http_code(s->code);
    thr = is_throttled(st, s, code);
    if (thr)
        cls = AN_THR;
    else if (s->success)
        cls = AN_ACC;
    else
        cls = code < 0 ? AN_NOHTTP : AN_ERR;

    r = an_store_push(st);
    r->start = s->timestamp;
    r->ec = (uint32_t)((s->elapsed < 0                ? 0
                        : s->elapsed > AN_ELAPSED_MAX ? AN_ELAPSED_MAX
                                                      : s->elapsed)
                       << 2) |
            cls;
    r->label = intern(&st->labels, st->lcache, s->label.p, s->label.len);
    r->thread = thread_of(st, s->thread, gen_of(st, s));
    /* Retry-After of the throttled, and whether an error that is not
     * analysed carries one (a limit answered with another code) */
    ra = thr || cls == AN_ERR ? retry_after(st, s) : NAN;
    ccode = code_of(st, s->code, thr, !thr && ra == ra);
    an_rec_set_ext(st, r, ccode, ra, sat_bytes(s->bytes));
    st->has_bytes |= JTL_HAS(s, JTL_F_BYTES);
    st->has_thread |= JTL_HAS(s, JTL_F_THREAD);
    if (s->response_headers.len)
        advertised(st, s);
    st->has_headers |= s->response_headers.len > 0;
    return 0;
}

/* Id maps from CHILD's tables into ST's (the child is joined into ST). */
static uint32_t *remap_tab(struct jtl_strtab *dst, const struct jtl_strtab *src)
{
    size_t n = jtl_strtab_count(src), i;
    uint32_t *map = jtl_xmalloc((n + 1) * sizeof(*map));

    for (i = 0; i < n; i++)
        map[i] = jtl_strtab_intern(dst, jtl_strtab_str(src, (uint32_t)i),
                                   jtl_strtab_len(src, (uint32_t)i));
    return map;
}

void an_store_join(struct an_store *st, struct an_store *child)
{
    uint32_t *lmap, *tmap, *gmap, *cmap, *emap;
    size_t i, nt = jtl_strtab_count(&child->threads),
              nc = jtl_strtab_count(&child->codes);

    if (st->n == 0 && jtl_strtab_count(&st->labels) == 0 &&
        jtl_strtab_count(&st->threads) == 0) {
        /* the first part: take it over whole, ids and all */
        struct an_store tmp = *st;
        *st = *child;
        st->opts = tmp.opts;
        *child = tmp;
        an_store_release(child);
        return;
    }
    lmap = remap_tab(&st->labels, &child->labels);
    gmap = remap_tab(&st->gens, &child->gens);
    cmap = remap_tab(&st->codes, &child->codes);
    /* a thread key holds its generator id: rebuild it with ours */
    tmap = jtl_xmalloc((nt + 1) * sizeof(*tmap));
    for (i = 0; i < nt; i++) {
        struct jtl_str name = an_thread_name(child, (uint32_t)i);
        uint32_t g = gmap[an_thread_gen(child, (uint32_t)i)];
        tmap[i] = thread_of(st, name,
                            (uint16_t)(g < AN_GENS_MAX ? g : AN_GENS_MAX - 1));
    }
    for (i = 0; i < nc && i < child->code_init; i++) {
        struct an_code_count *c;
        if (cmap[i] >= AN_CODES_MAX) {
            st->code_other += child->code_n[i].n;
            cmap[i] = AN_CODE_OTHER;
            continue;
        }
        c = an_store_code_slot(st, cmap[i]);
        c->n += child->code_n[i].n;
        c->with_ra += child->code_n[i].with_ra;
        c->throttled |= child->code_n[i].throttled;
    }
    st->code_other += child->code_other;
    emap = jtl_xmalloc((child->next + 1) * sizeof(*emap));
    for (i = 0; i < child->next; i++) {
        const struct an_ext *e = &child->ext[i];
        emap[i] = an_ext_id(st,
                            e->code == AN_CODE_OTHER ? AN_CODE_OTHER
                                                     : (uint16_t)cmap[e->code],
                            e->ra, e->bytes);
    }
    for (i = 0; i < child->ntc; i++) {
        struct an_tc *t = &child->tc[i];
        t->label = lmap[t->label];
        t->thread = tmap[t->thread];
        if (t->code != AN_CODE_OTHER)
            t->code = (uint16_t)cmap[t->code];
    }
    if (child->ntc) {
        jtl_xgrow((void **)&st->tc, &st->captc, st->ntc + child->ntc,
                  sizeof(*st->tc));
        memcpy(st->tc + st->ntc, child->tc, child->ntc * sizeof(*st->tc));
        st->ntc += child->ntc;
    }
    st->transactions += child->transactions;
    st->in_transactions += child->in_transactions;
    if (child->adv) {
        if (!st->adv)
            st->adv = jtl_xcalloc(1, sizeof(*st->adv));
        st->adv->responses += child->adv->responses;
        st->adv->families |= child->adv->families;
        an_distinct_merge(&st->adv->limit, &child->adv->limit);
        an_distinct_merge(&st->adv->window_s, &child->adv->window_s);
        an_distinct_merge(&st->adv->remaining, &child->adv->remaining);
        an_distinct_merge(&st->adv->reset_s, &child->adv->reset_s);
    }
    /* the child's chunks are renumbered in place and then linked after
     * ours: arrival order is ours, then the child's, as if appended */
    for (i = 0; i < child->nchunks; i++) {
        struct an_chunk *c = &child->chunks[i];
        size_t j;
        for (j = 0; j < c->n; j++) {
            struct an_rec *r = &c->rec[j];
            r->label = lmap[r->label];
            r->thread = tmap[r->thread];
            r->ext = emap[r->ext];
        }
    }
    jtl_xgrow((void **)&st->chunks, &st->capchunks,
              st->nchunks + child->nchunks, sizeof(*st->chunks));
    memcpy(st->chunks + st->nchunks, child->chunks,
           child->nchunks * sizeof(*st->chunks));
    st->nchunks += child->nchunks;
    st->n += child->n;
    child->nchunks = 0;
    st->excluded += child->excluded;
    st->unusable += child->unusable;
    st->dropped += child->dropped;
    st->ra_sources |= child->ra_sources;
    st->has_bytes |= child->has_bytes;
    st->has_thread |= child->has_thread;
    st->has_headers |= child->has_headers;
    st->has_hostname |= child->has_hostname;
    st->last_gen_valid = false;
    free(lmap);
    free(tmap);
    free(gmap);
    free(cmap);
    free(emap);
    an_store_release(child);
}

/* ------------------------------------------------------------------ */
/* Sorting                                                             */

/* Rank of each id when the strings are sorted by bytes, so tie order does
 * not depend on which decoding thread saw a thread name first. */
static uint32_t *name_ranks(const struct jtl_strtab *t)
{
    size_t n = jtl_strtab_count(t), i;
    uint32_t *ids = jtl_xmalloc((n + 1) * sizeof(*ids));
    uint32_t *rank = jtl_xmalloc((n + 1) * sizeof(*rank));

    for (i = 0; i < n; i++)
        ids[i] = (uint32_t)i;
    jtl_strtab_sort_ids(t, ids, n, NULL);
    for (i = 0; i < n; i++)
        rank[ids[i]] = (uint32_t)i;
    free(ids);
    return rank;
}

/* Rank of each thread: by name, then generator (the order of the bytes
 * name, generator, length, which the keys once were: tie order stays). */
static uint32_t *thread_ranks(const struct an_store *st)
{
    size_t n = jtl_strtab_count(&st->threads), i;
    struct jtl_strtab keys;
    struct jtl_buf b;
    uint32_t *rank;

    jtl_strtab_init(&keys);
    jtl_buf_init(&b, 0);
    for (i = 0; i < n; i++) {
        const char *k = jtl_strtab_str(&st->threads, (uint32_t)i);
        size_t len = jtl_strtab_len(&st->threads, (uint32_t)i);
        b.len = 0;
        jtl_buf_add(&b, k + 8, len - 8);
        jtl_buf_add(&b, k, 8);
        /* distinct keys: the ids stay those of st->threads */
        jtl_strtab_intern(&keys, b.p, b.len);
    }
    rank = name_ranks(&keys);
    jtl_buf_release(&b);
    jtl_strtab_release(&keys);
    return rank;
}

#define RBITS 11
#define RSIZE (1u << RBITS)

/* LSD radix sort of the N records of A on key (start - tmin) << tbits |
 * rank: a handful of linear passes over one chunk (stable, so arrival
 * order breaks full ties).  The sorted records end up in *A; *B is the
 * other buffer (the two may have been swapped). */
#define RPASS_MAX ((64 + RBITS - 1) / RBITS)
static void radix_sort(struct an_rec **pa, struct an_rec **pb, size_t n,
                       const uint32_t *rank, int64_t tmin, unsigned tbits,
                       unsigned kbits, size_t (*hist)[RSIZE])
{
    unsigned npass = (kbits + RBITS - 1) / RBITS, ps, d;
    struct an_rec *a = *pa, *b = *pb;
    size_t i;

    memset(hist, 0, npass * sizeof(hist[0]));
    for (i = 0; i < n; i++) {
        uint64_t k = (((uint64_t)a[i].start - (uint64_t)tmin) << tbits) |
                     rank[a[i].thread];
        for (ps = 0; ps < npass; ps++)
            hist[ps][(k >> (ps * RBITS)) & (RSIZE - 1)]++;
    }
    for (ps = 0; ps < npass; ps++) {
        size_t sum = 0;
        bool trivial = false;
        for (d = 0; d < RSIZE; d++) {
            size_t c = hist[ps][d];
            if (c == n)
                trivial = true;
            hist[ps][d] = sum;
            sum += c;
        }
        if (trivial)
            continue;
        for (i = 0; i < n; i++) {
            uint64_t k = (((uint64_t)a[i].start - (uint64_t)tmin) << tbits) |
                         rank[a[i].thread];
            b[hist[ps][(k >> (ps * RBITS)) & (RSIZE - 1)]++] = a[i];
        }
        {
            struct an_rec *t = a;
            a = b;
            b = t;
        }
    }
    *pa = a;
    *pb = b;
}

static const uint32_t *cmp_rank;
static const struct an_rec *cmp_recs;

static int cmp_rec_idx(const void *pa, const void *pb)
{
    uint32_t x = *(const uint32_t *)pa, y = *(const uint32_t *)pb;
    const struct an_rec *a = &cmp_recs[x], *b = &cmp_recs[y];

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (cmp_rank[a->thread] != cmp_rank[b->thread])
        return cmp_rank[a->thread] < cmp_rank[b->thread] ? -1 : 1;
    return (x > y) - (x < y);
}

/* Fallback for absurd time ranges (a hostile file mixing 1970 and 2026
 * timestamps with many threads): comparison sort on an index. */
static void index_sort(struct an_rec **pa, struct an_rec **pb, size_t n,
                       const uint32_t *rank)
{
    uint32_t *idx = jtl_big_alloc((n + 1) * sizeof(*idx));
    struct an_rec *a = *pa, *b = *pb;
    size_t i;

    for (i = 0; i < n; i++)
        idx[i] = (uint32_t)i;
    cmp_rank = rank;
    cmp_recs = a;
    qsort(idx, n, sizeof(*idx), cmp_rec_idx);
    for (i = 0; i < n; i++)
        b[i] = a[idx[i]];
    *pa = b;
    *pb = a;
    jtl_big_free(idx);
}

static unsigned bits_for(uint64_t v)
{
    return v ? 64u - (unsigned)__builtin_clzll(v) : 0u;
}

/* Sort one chunk by (start, thread name rank), stable; SPARE is a free
 * chunk-sized buffer that may be swapped with the chunk's. */
static void chunk_sort(struct an_chunk *c, struct an_rec **spare,
                       const uint32_t *rank, unsigned tbits,
                       size_t (*hist)[RSIZE])
{
    int64_t tmin = INT64_MAX, tmax = INT64_MIN;
    bool sorted = true;
    size_t i;
    unsigned kbits;

    for (i = 0; i < c->n; i++) {
        const struct an_rec *r = &c->rec[i];
        if (r->start < tmin)
            tmin = r->start;
        if (r->start > tmax)
            tmax = r->start;
        if (i && sorted &&
            (r[-1].start > r->start ||
             (r[-1].start == r->start && rank[r[-1].thread] > rank[r->thread])))
            sorted = false;
    }
    if (sorted)
        return;
    if (!*spare)
        *spare = chunk_alloc();
    kbits = bits_for((uint64_t)tmax - (uint64_t)tmin) + tbits;
    if (kbits <= 64)
        radix_sort(&c->rec, spare, c->n, rank, tmin, tbits, kbits, hist);
    else
        index_sort(&c->rec, spare, c->n, rank);
}

/* The merge's view of one sorted chunk. */
struct run {
    const struct an_rec *p, *end;
    size_t chunk; /* its chunk, freed when every part used it up */
    size_t seq;   /* arrival order of the chunk */
};

/* (start, thread rank, chunk arrival): the sort key, with arrival order
 * of the chunks breaking ties, so the merge of stably sorted chunks is
 * the stable sort of all records. */
static bool run_before(const struct run *a, const struct run *b,
                       const uint32_t *rank)
{
    if (a->p->start != b->p->start)
        return a->p->start < b->p->start;
    if (rank[a->p->thread] != rank[b->p->thread])
        return rank[a->p->thread] < rank[b->p->thread];
    return a->seq < b->seq;
}

static const uint32_t *cmp_run_rank;

static int cmp_run(const void *pa, const void *pb)
{
    const struct run *a = pa, *b = pb;

    if (run_before(a, b, cmp_run_rank))
        return -1;
    return run_before(b, a, cmp_run_rank) ? 1 : 0;
}

static void heap_down(struct run *h, size_t n, size_t i, const uint32_t *rank)
{
    struct run x = h[i];

    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && run_before(&h[c + 1], &h[c], rank))
            c++;
        if (!run_before(&h[c], &x, rank))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = x;
}

static void heap_up(struct run *h, size_t i, const uint32_t *rank)
{
    struct run x = h[i];

    while (i > 0 && run_before(&x, &h[(i - 1) / 2], rank)) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = x;
}

/* One part of the merge: its runs (sorted by their first record) into
 * OUT.  The chunks are taken up in the order of their first records, so
 * the heap holds only those whose time ranges overlap the merge front (two
 * or three for a JMeter file: a chunk is out of order by at most the
 * longest response time), and each chunk is freed as soon as every part
 * used it up: the output grows as the chunks shrink. */
struct merge_part {
    struct run *pend;
    size_t nr;
    struct an_rec *out;
    const uint32_t *rank;
    struct an_rec **mem; /* chunk memory, by chunk */
    int *refs;           /* parts still using each chunk */
};

static void chunk_done(struct merge_part *m, size_t chunk)
{
    if (__atomic_sub_fetch(&m->refs[chunk], 1, __ATOMIC_ACQ_REL) == 0)
        chunk_free(m->mem[chunk]);
}

/* Records merged into a spilled output are gathered here and written to
 * the file in whole pages (jtl_big_write): 4096 records, 24 pages. */
#define MERGE_BUF 4096

static void *merge_part(void *arg)
{
    struct merge_part *m = arg;
    struct run *heap = jtl_xmalloc((m->nr + 1) * sizeof(*heap));
    struct an_rec *buf = NULL;
    size_t next = 0, hn = 0, o = 0, k = 0;

    if (m->nr && jtl_big_in_file(m->out))
        buf = jtl_xmalloc(MERGE_BUF * sizeof(*buf));

    while (hn || next < m->nr) {
        /* a pending chunk joins once its first record could come next */
        while (next < m->nr &&
               (hn == 0 || run_before(&m->pend[next], &heap[0], m->rank))) {
            heap[hn] = m->pend[next++];
            heap_up(heap, hn, m->rank);
            hn++;
        }
        if (!buf) {
            m->out[o++] = *heap[0].p++;
        } else {
            buf[k++] = *heap[0].p++;
            if (k == MERGE_BUF) {
                jtl_big_write(m->out + o, buf, k * sizeof(*buf));
                o += k;
                k = 0;
            }
        }
        if (heap[0].p == heap[0].end) {
            chunk_done(m, heap[0].chunk);
            heap[0] = heap[--hn];
        }
        if (hn > 1)
            heap_down(heap, hn, 0, m->rank);
    }
    if (k)
        jtl_big_write(m->out + o, buf, k * sizeof(*buf));
    free(buf);
    free(heap);
    return NULL;
}

/* Records of run R that start before T (the run is sorted by start). */
static size_t count_before(const struct run *r, int64_t t)
{
    size_t lo = 0, hi = (size_t)(r->end - r->p);

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (r->p[mid].start < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Merge the sorted chunks into ST->rec.  With CPUS > 1 and enough records,
 * two threads merge the records that start before a time T and those from
 * T on, into the two ends of the output: equal starts stay on one side, so
 * the two parts end to end are the one merge. */
static void merge_chunks(struct an_store *st, const uint32_t *rank,
                         unsigned cpus)
{
    size_t nr = 0, i, n1 = 0;
    struct run *runs = jtl_xmalloc((st->nchunks + 1) * sizeof(*runs));
    struct run *pend[2];
    struct an_rec **mem = jtl_xmalloc((st->nchunks + 1) * sizeof(*mem));
    int *refs = jtl_xcalloc(st->nchunks + 1, sizeof(*refs));
    struct an_rec *out = jtl_big_alloc((st->n + 1) * sizeof(*out));
    struct merge_part part[2];
    size_t np[2] = {0, 0};
    int64_t t = INT64_MAX;
    pthread_t tid;
    bool two = false;

    for (i = 0; i < st->nchunks; i++) {
        struct an_chunk *c = &st->chunks[i];
        mem[i] = c->rec;
        if (c->n == 0) {
            chunk_free(c->rec);
            continue;
        }
        runs[nr].p = c->rec;
        runs[nr].end = c->rec + c->n;
        runs[nr].chunk = i;
        runs[nr].seq = i;
        nr++;
    }
    if (cpus > 1 && nr > 1) {
        /* T: about half the records start before it */
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (i = 0; i < nr; i++) {
            if (runs[i].p->start < lo)
                lo = runs[i].p->start;
            if (runs[i].end[-1].start > hi)
                hi = runs[i].end[-1].start;
        }
        while (lo < hi) {
            int64_t mid = lo + (hi - lo) / 2;
            size_t below = 0;
            for (i = 0; i < nr; i++)
                below += count_before(&runs[i], mid + 1);
            if (below < st->n / 2)
                lo = mid + 1;
            else
                hi = mid;
        }
        t = lo;
        two = true;
    }
    pend[0] = jtl_xmalloc((nr + 1) * sizeof(*pend[0]));
    pend[1] = jtl_xmalloc((nr + 1) * sizeof(*pend[1]));
    for (i = 0; i < nr; i++) {
        size_t k =
            two ? count_before(&runs[i], t) : (size_t)(runs[i].end - runs[i].p);
        if (k > 0) {
            pend[0][np[0]] = runs[i];
            pend[0][np[0]].end = runs[i].p + k;
            np[0]++;
            refs[runs[i].chunk]++;
        }
        if (runs[i].p + k < runs[i].end) {
            pend[1][np[1]] = runs[i];
            pend[1][np[1]].p = runs[i].p + k;
            np[1]++;
            refs[runs[i].chunk]++;
        }
        n1 += k;
    }
    free(st->chunks);
    st->chunks = NULL;
    st->nchunks = st->capchunks = 0;
    cmp_run_rank = rank;
    for (i = 0; i < 2; i++) {
        qsort(pend[i], np[i], sizeof(*pend[i]), cmp_run);
        part[i].pend = pend[i];
        part[i].nr = np[i];
        part[i].out = out + (i ? n1 : 0);
        part[i].rank = rank;
        part[i].mem = mem;
        part[i].refs = refs;
    }
    cmp_run_rank = NULL;
    if (np[1] && pthread_create(&tid, NULL, merge_part, &part[1]) == 0) {
        merge_part(&part[0]);
        pthread_join(tid, NULL);
    } else {
        merge_part(&part[0]);
        merge_part(&part[1]);
    }
    free(pend[0]);
    free(pend[1]);
    free(runs);
    free(mem);
    free(refs);
    st->rec = out;
}

/* ------------------------------------------------------------------ */
/* Transaction Controller rows                                         */

static int cmp_tc(const void *pa, const void *pb)
{
    const struct an_tc *a = pa, *b = pb;

    if (a->thread != b->thread)
        return a->thread < b->thread ? -1 : 1;
    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    return (a->label > b->label) - (a->label < b->label);
}

static const uint32_t *cmp_new_rank;

static int cmp_new(const void *pa, const void *pb)
{
    const struct an_rec *a = pa, *b = pb;

    if (a->start != b->start)
        return a->start < b->start ? -1 : 1;
    if (cmp_new_rank[a->thread] != cmp_new_rank[b->thread])
        return cmp_new_rank[a->thread] < cmp_new_rank[b->thread] ? -1 : 1;
    return (a->ec > b->ec) - (a->ec < b->ec);
}

/* Does THREAD have a request starting in [FROM, TO)?  STARTS[OFF[t] ..
 * OFF[t + 1]) are the starts of thread t's requests, ascending. */
static bool has_request(const int64_t *starts, const size_t *off,
                        uint32_t thread, int64_t from, int64_t to)
{
    size_t lo = off[thread], hi = off[thread + 1];

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (starts[mid] < from)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < off[thread + 1] && starts[lo] < to;
}

/* A controller row whose requests are in the file (rows of its thread
 * between it and the thread's next controller row: CSV default mode, or
 * 5.x "Generate parent sample" rows before their children) is only a
 * container.  One without them (JMeter before 5.0 in "Generate parent
 * sample" mode keeps the parent alone) stands for its N requests: their own
 * times are not in the file, so they are spread over its part of the
 * thread's time as JMeter's timers place them (think time before each
 * sampler), and the last M of them failed as the row did. */
static void resolve_tcs(struct an_store *st, const uint32_t *rank)
{
    size_t nt = jtl_strtab_count(&st->threads), i, j, nnew = 0, cap = 0;
    size_t *off = jtl_xcalloc(nt + 2, sizeof(*off));
    int64_t *starts = jtl_big_alloc((st->n + 1) * sizeof(*starts));
    struct an_rec *add = NULL;

    for (i = 0; i < st->n; i++)
        off[st->rec[i].thread + 1]++;
    for (i = 0; i < nt; i++)
        off[i + 1] += off[i];
    {
        size_t *pos = jtl_xmalloc((nt + 1) * sizeof(*pos));
        memcpy(pos, off, (nt + 1) * sizeof(*pos));
        for (i = 0; i < st->n; i++)
            starts[pos[st->rec[i].thread]++] = st->rec[i].start;
        free(pos);
    }
    qsort(st->tc, st->ntc, sizeof(*st->tc), cmp_tc);
    for (i = 0; i < st->ntc; i++) {
        const struct an_tc *t = &st->tc[i];
        bool next = i + 1 < st->ntc && st->tc[i + 1].thread == t->thread;
        bool prev = i > 0 && st->tc[i - 1].thread == t->thread;
        int64_t end = next ? st->tc[i + 1].start : INT64_MAX, span;
        st->transactions++;
        st->in_transactions += t->n;
        if (has_request(starts, off, t->thread, t->start, end))
            continue;
        /* its part of the thread's time: up to the next row, or as long
         * as the one before it */
        span = next   ? end - t->start
               : prev ? t->start - st->tc[i - 1].start
                      : (int64_t)t->elapsed;
        if (span < (int64_t)t->elapsed)
            span = t->elapsed;
        st->tc_standing++;
        st->tc_standing_requests += t->n;
        /* the failed requests had the row's code (JMeter gives a
         * controller its first failing child's); the others' codes are
         * not in the file */
        if (t->code != AN_CODE_OTHER && t->m) {
            struct an_code_count *c = an_store_code_slot(st, t->code);
            c->n += t->m;
            c->throttled |= t->cls == AN_THR;
        }
        for (j = 0; j < t->n && st->n + nnew < UINT32_MAX - 1; j++) {
            struct an_rec *r;
            unsigned cls = j >= t->n - t->m ? t->cls : AN_ACC;
            if (nnew == cap)
                jtl_xgrow((void **)&add, &cap, nnew + 1, sizeof(*add));
            r = &add[nnew++];
            /* JMeter runs a sampler's timers (the think time) before it:
             * request j ends about (j + 1) / n of the way */
            r->start = t->start + span * (int64_t)(j + 1) / (int64_t)t->n -
                       (int64_t)(t->elapsed / t->n);
            if (r->start < t->start)
                r->start = t->start;
            r->ec = (t->elapsed / t->n) << 2 | cls;
            r->label = t->label;
            r->thread = t->thread;
            an_rec_set_ext(st, r, cls == AN_ACC ? AN_CODE_OTHER : t->code, NAN,
                           t->bytes / t->n);
        }
    }
    if (nnew) {
        /* merge the rows' requests into the sorted records */
        struct an_rec *out = jtl_big_alloc((st->n + nnew + 1) * sizeof(*out));
        size_t a = 0, b = 0, o = 0;
        cmp_new_rank = rank;
        qsort(add, nnew, sizeof(*add), cmp_new);
        while (a < st->n || b < nnew) {
            if (b == nnew || (a < st->n && cmp_new(&st->rec[a], &add[b]) <= 0))
                out[o++] = st->rec[a++];
            else
                out[o++] = add[b++];
        }
        cmp_new_rank = NULL;
        jtl_big_free(st->rec);
        st->rec = out;
        st->n += nnew;
    }
    free(add);
    free(off);
    jtl_big_free(starts);
}

static const uint32_t *tie_label_rank, *tie_code_rank;
static const struct an_ext *tie_ext;

/* Everything but (start, thread) of two records: for a full tie, order by
 * content, label by name.  Records equal here are interchangeable. */
static int cmp_tie(const void *pa, const void *pb)
{
    const struct an_rec *a = pa, *b = pb;
    const struct an_ext *ea = &tie_ext[a->ext], *eb = &tie_ext[b->ext];
    uint32_t fa, fb;

    if (a->ec != b->ec)
        return a->ec < b->ec ? -1 : 1;
    if (a->label != b->label)
        return tie_label_rank[a->label] < tie_label_rank[b->label] ? -1 : 1;
    if (ea->bytes != eb->bytes)
        return ea->bytes < eb->bytes ? -1 : 1;
    memcpy(&fa, &ea->ra, sizeof(fa)); /* bits: NAN compares too */
    memcpy(&fb, &eb->ra, sizeof(fb));
    if (fa != fb)
        return fa < fb ? -1 : 1;
    if (ea->code != eb->code)
        return tie_code_rank[ea->code] < tie_code_rank[eb->code] ? -1 : 1;
    return 0;
}

/* Records of one thread that start in the same millisecond (a 0 ms
 * response, then the next request) come out of the merge in arrival order,
 * and with several decoding threads arrival order changes from run to run:
 * the analysis would too.  Order each such run by content instead. */
static void settle_ties(struct an_store *st)
{
    uint32_t *lrank = NULL, *crank = NULL;
    size_t i = 0, j;

    while (i < st->n) {
        for (j = i + 1; j < st->n && st->rec[j].start == st->rec[i].start &&
                        st->rec[j].thread == st->rec[i].thread;
             j++)
            ;
        if (j - i > 1) {
            if (!lrank) {
                /* code ids by name; AN_CODE_OTHER after them all */
                size_t nc = jtl_strtab_count(&st->codes);
                lrank = name_ranks(&st->labels);
                crank = jtl_xmalloc(0x10000u * sizeof(*crank));
                memset(crank, 0xFF, 0x10000u * sizeof(*crank));
                {
                    uint32_t *r = name_ranks(&st->codes);
                    memcpy(crank, r, nc * sizeof(*crank));
                    free(r);
                }
            }
            tie_label_rank = lrank;
            tie_code_rank = crank;
            tie_ext = st->ext;
            qsort(st->rec + i, j - i, sizeof(*st->rec), cmp_tie);
            tie_label_rank = tie_code_rank = NULL;
            tie_ext = NULL;
        }
        i = j;
    }
    free(lrank);
    free(crank);
}

/* Endpoints, not ids: every label becomes its endpoint template (labels
 * without an id stay as they are), the records follow, and each template
 * counts the labels it stands for. */
static void group_labels(struct an_store *st)
{
    size_t nl = jtl_strtab_count(&st->labels), i;
    uint32_t *to = jtl_xmalloc((nl + 1) * sizeof(*to));
    struct jtl_strtab tpl;
    struct jtl_buf b;

    jtl_strtab_init(&tpl);
    jtl_buf_init(&b, 0);
    for (i = 0; i < nl; i++) {
        const char *p = jtl_strtab_str(&st->labels, (uint32_t)i);
        size_t len = jtl_strtab_len(&st->labels, (uint32_t)i);
        if (st->opts->group_labels && jtl_label_template(p, len, &b))
            to[i] = jtl_strtab_intern(&tpl, b.p, b.len);
        else
            to[i] = jtl_strtab_intern(&tpl, p, len);
    }
    jtl_buf_release(&b);
    st->label_raws =
        jtl_xcalloc(jtl_strtab_count(&tpl) + 1, sizeof(*st->label_raws));
    for (i = 0; i < nl; i++)
        st->label_raws[to[i]]++;
    for (i = 0; i < st->n; i++)
        st->rec[i].label = to[st->rec[i].label];
    jtl_strtab_release(&st->labels);
    st->labels = tpl;
    /* the intern cache pointed into the old table */
    memset(st->lcache, 0, sizeof(*st->lcache));
    free(to);
}

static void build_groups(struct an_store *st)
{
    size_t nt = jtl_strtab_count(&st->threads), i;

    st->group_of = jtl_xmalloc((nt + 1) * sizeof(*st->group_of));
    for (i = 0; i < nt; i++) {
        struct jtl_str name = an_thread_name(st, (uint32_t)i);
        const char *s = name.p;
        size_t len = name.len, cut = len;
        /* JMeter names threads "<group name> <group>-<thread>". */
        while (cut > 0 && s[cut - 1] != ' ')
            cut--;
        if (cut > 1)
            len = cut - 1;
        st->group_of[i] = jtl_strtab_intern(&st->groups, s, len);
    }
}

/* Chunks sorted by several threads: each takes the next chunk. */
struct sort_job {
    struct an_store *st;
    const uint32_t *rank;
    unsigned tbits;
    size_t next;
    pthread_mutex_t mu;
};

static void *sort_worker(void *arg)
{
    struct sort_job *j = arg;
    struct an_rec *spare = NULL;
    size_t(*hist)[RSIZE] = jtl_xmalloc(RPASS_MAX * sizeof(*hist));

    for (;;) {
        size_t i;
        pthread_mutex_lock(&j->mu);
        i = j->next++;
        pthread_mutex_unlock(&j->mu);
        if (i >= j->st->nchunks)
            break;
        chunk_sort(&j->st->chunks[i], &spare, j->rank, j->tbits, hist);
    }
    free(hist);
    chunk_free(spare);
    return NULL;
}

void an_store_sort(struct an_store *st, unsigned cpus)
{
    uint32_t *rank;
    struct sort_job job;
    pthread_t tid[8];
    unsigned k, started = 0;

    if (st->sorted)
        return;
    rank = thread_ranks(st);
    job.st = st;
    job.rank = rank;
    job.tbits = bits_for(jtl_strtab_count(&st->threads));
    job.next = 0;
    pthread_mutex_init(&job.mu, NULL);
    /* the other threads help; this one sorts too, so a failed start only
     * costs time */
    for (k = 1; k < cpus && k <= 8 && k < st->nchunks; k++)
        if (pthread_create(&tid[started], NULL, sort_worker, &job) == 0)
            started++;
    sort_worker(&job);
    for (k = 0; k < started; k++)
        pthread_join(tid[k], NULL);
    pthread_mutex_destroy(&job.mu);
    merge_chunks(st, rank, cpus);
    if (st->ntc)
        resolve_tcs(st, rank);
    free(rank);
    group_labels(st);
    settle_ties(st);
    build_groups(st);
    st->sorted = true;
}
