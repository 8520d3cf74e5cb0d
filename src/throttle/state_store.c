/* SPDX-License-Identifier: MIT
 * state_store.c - the analysis' record store in a partial state (state.h):
 * its string tables, response-code counts, Transaction Controller rows,
 * advertised limits and every record, before the sort.  A loaded store is
 * joined like a reading thread's (an_store_join), so the analysis of
 * states equals the analysis of their files read together.
 *
 * Records are written field by field with variable-length integers and
 * the start as a step from the previous record's (JTL rows come nearly in
 * time order: one or two bytes).  A block of the state may end after any
 * record (bin.h's flush points): the state is written and read a block at
 * a time. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/bin.h"
#include "jtl/base/xalloc.h"

static void save_distinct(const struct an_distinct *d, struct jtl_bw *w)
{
    size_t i;

    jtl_bw_uv(w, d->n);
    for (i = 0; i < d->n; i++) {
        jtl_bw_f64(w, d->v[i].seconds);
        jtl_bw_uv(w, d->v[i].count);
    }
}

static bool load_distinct(struct an_distinct *d, struct jtl_br *r)
{
    size_t n = jtl_br_count(r, 9, 0), i;

    for (i = 0; i < n && !r->bad; i++) {
        double x = jtl_br_f64(r);
        uint64_t c = jtl_br_uv(r);
        if (x != x || c == 0)
            return false;
        an_distinct_add(d, x, c);
    }
    return !r->bad;
}

void an_store_save(const struct an_store *st, struct jtl_bw *w)
{
    size_t nc = jtl_strtab_count(&st->codes), i, j;
    int64_t prev = 0;

    jtl_strtab_save(&st->labels, w);
    jtl_strtab_save(&st->gens, w);
    jtl_strtab_save(&st->threads, w);
    jtl_strtab_save(&st->codes, w);
    for (i = 0; i < nc; i++) {
        const struct an_code_count *c =
            i < st->code_init ? &st->code_n[i] : NULL;
        jtl_bw_uv(w, c ? c->n : 0);
        jtl_bw_uv(w, c ? c->with_ra : 0);
        jtl_bw_u8(w, c && c->throttled ? 1 : 0);
    }
    jtl_bw_uv(w, st->code_other);
    jtl_bw_uv(w, st->excluded);
    jtl_bw_uv(w, st->unusable);
    jtl_bw_uv(w, st->dropped);
    jtl_bw_uv(w, st->transactions);
    jtl_bw_uv(w, st->in_transactions);
    jtl_bw_u8(w, st->ra_sources);
    jtl_bw_u8(w, (st->has_bytes ? 1u : 0u) | (st->has_headers ? 2u : 0u) |
                     (st->has_thread ? 4u : 0u) | (st->has_hostname ? 8u : 0u));
    jtl_bw_u8(w, st->adv ? 1 : 0);
    if (st->adv) {
        jtl_bw_uv(w, st->adv->responses);
        jtl_bw_u8(w, st->adv->families);
        save_distinct(&st->adv->limit, w);
        save_distinct(&st->adv->window_s, w);
        save_distinct(&st->adv->remaining, w);
        save_distinct(&st->adv->reset_s, w);
    }
    jtl_bw_uv(w, st->ntc);
    for (i = 0; i < st->ntc; i++) {
        const struct an_tc *t = &st->tc[i];
        jtl_bw_i64(w, t->start);
        jtl_bw_uv(w, t->elapsed);
        jtl_bw_uv(w, t->thread);
        jtl_bw_uv(w, t->label);
        jtl_bw_uv(w, t->bytes);
        jtl_bw_uv(w, t->n);
        jtl_bw_uv(w, t->m);
        jtl_bw_uv(w, t->code);
        jtl_bw_u8(w, t->cls);
    }
    jtl_bw_uv(w, st->n);
    for (i = 0; i < st->nchunks; i++) {
        const struct an_chunk *c = &st->chunks[i];
        for (j = 0; j < c->n; j++) {
            const struct an_rec *r = &c->rec[j];
            const struct an_ext *e = an_ext_of(st, r);
            uint32_t ra;
            jtl_bw_sv(w, r->start - prev);
            prev = r->start;
            jtl_bw_uv(w, r->ec);
            jtl_bw_uv(w, r->label);
            jtl_bw_uv(w, r->thread);
            jtl_bw_uv(w, e->bytes);
            jtl_bw_uv(w, e->code);
            /* no generator: the thread's key holds it */
            /* the float's bits: NAN for most records */
            memcpy(&ra, &e->ra, 4);
            jtl_bw_u32(w, ra);
            jtl_bw_flush_point(w); /* a block may end here */
        }
    }
}

/* Thread keys are (generator id, name length, name): check them, as the
 * analysis reads the generator and the name out of the key. */
static bool threads_ok(const struct an_store *st)
{
    size_t n = jtl_strtab_count(&st->threads), ng = jtl_strtab_count(&st->gens);
    size_t i;

    for (i = 0; i < n; i++) {
        const char *k = jtl_strtab_str(&st->threads, (uint32_t)i);
        size_t len = jtl_strtab_len(&st->threads, (uint32_t)i);
        uint32_t g, nl;
        if (len < 8)
            return false;
        memcpy(&g, k, 4);
        memcpy(&nl, k + 4, 4);
        if (nl != len - 8 || g >= ng || g >= AN_GENS_MAX)
            return false;
    }
    return true;
}

bool an_store_load(struct an_store *st, struct jtl_br *r)
{
    size_t nl, nt, nc, n, i;
    unsigned flags;
    int64_t prev = 0;

    if (!jtl_strtab_load(&st->labels, r, 0) ||
        !jtl_strtab_load(&st->gens, r, AN_GENS_MAX) ||
        !jtl_strtab_load(&st->threads, r, 0) ||
        !jtl_strtab_load(&st->codes, r, 0) || !threads_ok(st))
        return false;
    nl = jtl_strtab_count(&st->labels);
    nt = jtl_strtab_count(&st->threads);
    nc = jtl_strtab_count(&st->codes);
    if (jtl_br_left(r) / 3 < nc)
        return false;
    for (i = 0; i < nc && !r->bad; i++) {
        uint64_t cn = jtl_br_uv(r), cra = jtl_br_uv(r);
        unsigned thr = jtl_br_u8(r);
        struct an_code_count *c;
        if (i >= AN_CODES_MAX) {
            if (cn || cra || thr)
                return false;
            continue;
        }
        if (thr > 1 || cra > cn)
            return false;
        c = an_store_code_slot(st, (uint32_t)i);
        c->n = cn;
        c->with_ra = cra;
        c->throttled = thr;
    }
    st->code_other = jtl_br_uv(r);
    st->excluded = jtl_br_uv(r);
    st->unusable = jtl_br_uv(r);
    st->dropped = jtl_br_uv(r);
    st->transactions = jtl_br_uv(r);
    st->in_transactions = jtl_br_uv(r);
    st->ra_sources = jtl_br_u8(r);
    flags = jtl_br_u8(r);
    if (st->ra_sources > 7 || flags > 15)
        return false;
    st->has_bytes = flags & 1u;
    st->has_headers = (flags & 2u) != 0;
    st->has_thread = (flags & 4u) != 0;
    st->has_hostname = (flags & 8u) != 0;
    switch (jtl_br_u8(r)) {
    case 0:
        break;
    case 1:
        st->adv = jtl_xcalloc(1, sizeof(*st->adv));
        st->adv->responses = jtl_br_uv(r);
        st->adv->families = jtl_br_u8(r);
        if (st->adv->families > 3 || !load_distinct(&st->adv->limit, r) ||
            !load_distinct(&st->adv->window_s, r) ||
            !load_distinct(&st->adv->remaining, r) ||
            !load_distinct(&st->adv->reset_s, r))
            return false;
        break;
    default:
        return false;
    }
    n = jtl_br_count(r, 16, 0);
    if (n) {
        st->tc = jtl_xcalloc(n, sizeof(*st->tc));
        st->captc = n;
    }
    for (i = 0; i < n && !r->bad; i++) {
        struct an_tc *t = &st->tc[st->ntc++];
        uint64_t elapsed, code, cls;
        t->start = jtl_br_i64(r);
        if (t->start < 0 || t->start > JTL_TS_MAX)
            return false;
        elapsed = jtl_br_below(r, (uint64_t)AN_ELAPSED_MAX + 1);
        t->thread = (uint32_t)jtl_br_below(r, nt);
        t->label = (uint32_t)jtl_br_below(r, nl);
        t->bytes = (uint32_t)jtl_br_below(r, (uint64_t)UINT32_MAX + 1);
        t->n = (uint32_t)jtl_br_below(r, (uint64_t)UINT32_MAX + 1);
        t->m = (uint32_t)jtl_br_below(r, (uint64_t)t->n + 1);
        code = jtl_br_uv(r);
        cls = jtl_br_u8(r);
        if (t->n == 0 || (code >= nc && code != AN_CODE_OTHER) ||
            code > AN_CODE_OTHER ||
            (code != AN_CODE_OTHER && code >= AN_CODES_MAX) || cls > AN_NOHTTP)
            return false;
        t->elapsed = (uint32_t)elapsed;
        t->code = (uint16_t)code;
        t->cls = (uint8_t)cls;
    }
    n = jtl_br_count(r, 10, UINT32_MAX - 2);
    for (i = 0; i < n && !r->bad; i++) {
        struct an_rec *rec;
        uint64_t code;
        uint32_t ra, bytes;
        float raf;
        int64_t step;
        jtl_br_boundary(r); /* where the writer may have ended a block */
        rec = an_store_push(st);
        step = jtl_br_sv(r);
        if ((step > 0 && prev > INT64_MAX - step) ||
            (step < 0 && prev < INT64_MIN - step)) {
            r->bad = true;
            break;
        }
        rec->start = prev + step;
        prev = rec->start;
        /* the decoders' range (sample.h): end times cannot overflow */
        if (rec->start < 0 || rec->start > JTL_TS_MAX) {
            r->bad = true;
            break;
        }
        rec->ec = (uint32_t)jtl_br_below(r, (uint64_t)UINT32_MAX + 1);
        rec->label = (uint32_t)jtl_br_below(r, nl);
        rec->thread = (uint32_t)jtl_br_below(r, nt);
        bytes = (uint32_t)jtl_br_below(r, (uint64_t)UINT32_MAX + 1);
        code = jtl_br_uv(r);
        ra = jtl_br_u32(r);
        if (r->bad || (code >= nc && code != AN_CODE_OTHER) ||
            code > AN_CODE_OTHER ||
            (code != AN_CODE_OTHER && code >= AN_CODES_MAX)) {
            r->bad = true;
            break;
        }
        memcpy(&raf, &ra, 4);
        /* a Retry-After only on a throttled record, in the range the
         * header parser gives (0 to 1e9 s) */
        if (raf == raf &&
            (an_cls(rec) != AN_THR || !(raf >= 0) || raf > 1e9f)) {
            r->bad = true;
            break;
        }
        /* an earlier writer kept the size of every request */
        an_rec_set_ext(st, rec, (uint16_t)code, raf, bytes);
    }
    return !r->bad;
}
