/* SPDX-License-Identifier: MIT
 * retry_after.c - Retry-After: the values, whether they count down to common
 * reset instants (a window edge) or stay constant, and whether each thread
 * waited that long before its next request (reference §5.5). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/bigmem.h"
#include "jtl/base/xalloc.h"

/* Retry-After is whole seconds rounded up by the server and timestamps are
 * client-side ms: half a second of tolerance. */
#define SLACK_MS 500

void an_next_release(struct an_next *nx)
{
    if (!nx)
        return;
    jtl_big_free(nx->thr);
    jtl_big_free(nx->gap);
    jtl_big_free(nx->nthr);
    jtl_big_free(nx->early);
    free(nx->succ_q);
    memset(nx, 0, sizeof(*nx));
}

void an_next_build(const struct an_store *st, struct an_next *nx)
{
    size_t nt = jtl_strtab_count(&st->threads), i, nthr = 0;
    int64_t *pend = jtl_xmalloc((nt + 1) * sizeof(*pend));
    int64_t *acc_end = jtl_xmalloc((nt + 1) * sizeof(*acc_end));
    struct an_gtab gaps = {0};

    memset(nx, 0, sizeof(*nx));
    nx->early = jtl_big_calloc(st->n / 8 + 1, 1);
    /* counted first: arrays that grow by doubling would cost up to twice
     * their size, outside the memory budget's view */
    for (i = 0; i < st->n; i++)
        nthr += an_cls(&st->rec[i]) == AN_THR;
    nx->thr = jtl_big_alloc((nthr + 1) * sizeof(*nx->thr));
    nx->gap = jtl_big_alloc((nthr + 1) * sizeof(*nx->gap));
    nx->nthr = jtl_big_alloc(nthr + 1);
    for (i = 0; i <= nt; i++)
        pend[i] = acc_end[i] = -1;
    for (i = 0; i < st->n; i++) {
        const struct an_rec *r = &st->rec[i];
        uint32_t th = r->thread;
        if (pend[th] >= 0) {
            size_t k = (size_t)pend[th];
            const struct an_rec *p = &st->rec[nx->thr[k]];
            float pra = an_ext_of(st, p)->ra;
            nx->gap[k] = r->start - an_end(p);
            nx->nthr[k] = an_cls(r) == AN_THR;
            if (pra == pra &&
                r->start < an_end(p) + (int64_t)(pra * 1000) - SLACK_MS)
                nx->early[i / 8] |= (uint8_t)(1u << (i % 8));
            pend[th] = -1;
        }
        if (acc_end[th] >= 0) {
            int64_t gap = r->start - acc_end[th];
            an_gtab_add(&gaps, gap < 0 ? 0 : (uint64_t)gap, 0);
            acc_end[th] = -1;
        }
        if (an_cls(r) == AN_THR) {
            nx->thr[nx->n] = (uint32_t)i;
            nx->gap[nx->n] = INT64_MIN;
            nx->nthr[nx->n] = 0;
            pend[th] = (int64_t)nx->n;
            nx->n++;
        } else if (an_cls(r) == AN_ACC) {
            acc_end[th] = an_end(r);
        }
    }
    /* think time: median gap from an accepted response to the thread's
     * next request, and its percentiles */
    nx->think_ms = NAN;
    nx->nsucc = gaps.n0;
    if (gaps.n0) {
        size_t k;
        nx->succ_q = jtl_xmalloc(JTL_THROTTLE_WAIT_Q * sizeof(double));
        an_gtab_quantiles(&gaps, nx->succ_q, JTL_THROTTLE_WAIT_Q);
        for (k = 0; k < JTL_THROTTLE_WAIT_Q; k++)
            nx->succ_q[k] /= 1000.0;
    }
    if (gaps.n0) {
        uint64_t want = (gaps.n0 + 1) / 2, cum = 0;
        size_t s;
        for (s = 0; s < gaps.hi; s++) {
            cum += gaps.c[2 * s];
            if (cum >= want) {
                nx->think_ms = an_gtab_value(s);
                break;
            }
        }
    }
    an_gtab_release(&gaps);
    free(pend);
    free(acc_end);
}

static bool is_early(const struct an_next *nx, uint32_t i)
{
    return (nx->early[i / 8] >> (i % 8)) & 1u;
}

static int cmp_reset(const void *pa, const void *pb)
{
    const struct ra_ev *const *a = pa, *const *b = pb;

    return ((*a)->reset > (*b)->reset) - ((*a)->reset < (*b)->reset);
}

/* A window limiter answers "seconds until the window resets": end + RA is
 * then the same instant for every 429 of a window and RA falls within it.
 * A constant RA (or a mix of constants from stacked limits) never falls
 * within a cluster of reset instants. */
static void dynamic_ra(struct ra_ev *ev, size_t n,
                       struct jtl_throttle_retry *out)
{
    struct ra_ev **by = jtl_xmalloc((n + 1) * sizeof(*by));
    double *centers = jtl_xmalloc((n + 1) * sizeof(*centers));
    double *gaps = jtl_xmalloc((n + 1) * sizeof(*gaps));
    size_t i, nc = 0, inc = 0, dec = 0;

    for (i = 0; i < n; i++)
        by[i] = &ev[i];
    qsort(by, n, sizeof(*by), cmp_reset);
    for (i = 0; i < n; i++) {
        if (i == 0 || by[i]->reset - by[i - 1]->reset > 1500)
            centers[nc++] = (double)by[i]->reset / 1000.0;
        by[i]->cluster = nc - 1;
    }
    for (i = 1; i < n; i++) {
        if (ev[i].cluster != ev[i - 1].cluster)
            continue;
        if (ev[i].ra > ev[i - 1].ra)
            inc++;
        else if (ev[i].ra < ev[i - 1].ra)
            dec++;
    }
    out->dynamic = out->nvalues >= 2 && dec >= 3 && inc * 10 <= dec;
    if (out->dynamic && nc >= 3) {
        for (i = 1; i < nc; i++)
            gaps[i - 1] = centers[i] - centers[i - 1];
        out->reset_spacing_s = an_median(gaps, nc - 1);
    }
    free(by);
    free(centers);
    free(gaps);
}

#define DYN_MAX 50000 /* 429s kept per scope for the count-down test */

/* Add one record (index RI in the store, Retry-After RA) to an
 * accumulator.  GAP/NTHR: the thread's next request after this 429
 * (INT64_MIN: none). */
static void acc_add(struct an_retry_acc *a, const struct an_next *nx,
                    uint32_t ri, const struct an_rec *r, float ra, int64_t gap,
                    bool nthr)
{
    unsigned c = an_cls(r);

    if (c == AN_NOHTTP)
        return;
    a->total++;
    if (!is_early(nx, ri)) {
        a->first++;
        a->first_thr += c == AN_THR;
    }
    if (c != AN_THR)
        return;
    if (gap != INT64_MIN)
        an_gtab_add(&a->gaps, gap > 0 ? (uint64_t)gap : 0, 0);
    if (ra != ra) {
        a->missing++;
        return;
    }
    a->count++;
    an_distinct_add(&a->dv, ra, 1);
    if (a->nev < DYN_MAX) {
        if (a->nev == a->capev)
            jtl_xgrow((void **)&a->ev, &a->capev, a->nev + 1, sizeof(*a->ev));
        a->ev[a->nev].start = r->start;
        a->ev[a->nev].ra = ra;
        a->ev[a->nev].reset = an_end(r) + (int64_t)((double)ra * 1000 + 0.5);
        a->nev++;
    }
    if (gap != INT64_MIN) {
        bool ok = (double)gap >= (double)ra * 1000 - SLACK_MS;
        a->pairs++;
        if (ok) {
            a->compliant++;
            a->comp_thr += nthr;
        } else {
            a->early++;
            a->early_thr += nthr;
        }
        if (ra > 0) {
            double ratio = (double)gap / (double)ra; /* thousandths */
            /* a tiny Retry-After ("0.000001") makes a long gap a huge
             * ratio: capped, as the cast would not be defined */
            an_gtab_add(&a->ratios,
                        ratio > 0 ? (uint64_t)(ratio < 1e18 ? ratio : 1e18) : 0,
                        0);
        }
    }
}

/* One sequential sweep over the store fills the run's accumulator and
 * those of every label and thread group: the 429s' next-request facts are
 * read in order, never looked up per scope. */
void an_retry_sweep(const struct an_store *st, const struct an_next *nx,
                    struct an_retry_acc *run, struct an_retry_acc **labels,
                    struct an_retry_acc **groups)
{
    size_t i, kt = 0;

    for (i = 0; i < st->n; i++) {
        const struct an_rec *r = &st->rec[i];
        float ra = an_ext_of(st, r)->ra;
        int64_t gap = INT64_MIN;
        bool nthr = false;
        if (an_cls(r) == AN_THR && kt < nx->n && nx->thr[kt] == i) {
            gap = nx->gap[kt];
            nthr = nx->nthr[kt];
            kt++;
        }
        acc_add(run, nx, (uint32_t)i, r, ra, gap, nthr);
        if (labels && labels[r->label])
            acc_add(labels[r->label], nx, (uint32_t)i, r, ra, gap, nthr);
        if (groups && groups[st->group_of[r->thread]])
            acc_add(groups[st->group_of[r->thread]], nx, (uint32_t)i, r, ra,
                    gap, nthr);
    }
}

void an_retry_acc_release(struct an_retry_acc *a)
{
    if (!a)
        return;
    an_gtab_release(&a->gaps);
    an_gtab_release(&a->ratios);
    free(a->dv.v);
    free(a->dv.slots);
    free(a->ev);
    memset(a, 0, sizeof(*a));
}

/* The scope's Retry-After result from its accumulator (which it uses up:
 * the value table moves into OUT). */
void an_retry_result(const struct an_store *st, const struct an_next *nx,
                     struct an_retry_acc *a, double duration_s,
                     struct jtl_throttle_retry *out)
{
    memset(out, 0, sizeof(*out));
    out->reset_spacing_s = out->compliance = out->compliance_lo = NAN;
    out->compliance_hi = out->median_gap_ratio = out->median_gap_s = NAN;
    out->p429_after_early = out->p429_after_compliant = NAN;
    out->amplification = out->first_attempt_429_share = NAN;
    out->first_attempt_rate_per_s = NAN;
    out->source = st->ra_sources & AN_RA_HEADER ? "header"
                  : st->ra_sources & AN_RA_VAR  ? "variable"
                  : st->ra_sources & AN_RA_BODY ? "body"
                                                : NULL;
    out->count = a->count;
    out->missing = a->missing;
    out->pairs = a->pairs;
    out->compliant = a->compliant;
    out->early = a->early;
    out->waits = a->gaps.n0 + a->gaps.n1;
    if (out->waits) {
        size_t k;
        out->wait_q = jtl_xmalloc(JTL_THROTTLE_WAIT_Q * sizeof(double));
        an_gtab_quantiles(&a->gaps, out->wait_q, JTL_THROTTLE_WAIT_Q);
        for (k = 0; k < JTL_THROTTLE_WAIT_Q; k++)
            out->wait_q[k] /= 1000.0;
        out->median_gap_s = out->wait_q[(JTL_THROTTLE_WAIT_Q - 1) / 2];
    }
    if (nx->succ_q) {
        out->wait_success_q = jtl_xmalloc(JTL_THROTTLE_WAIT_Q * sizeof(double));
        memcpy(out->wait_success_q, nx->succ_q,
               JTL_THROTTLE_WAIT_Q * sizeof(double));
        out->waits_success = nx->nsucc;
    }
    if (out->wait_q && out->wait_success_q && out->waits >= 10 &&
        out->waits_success >= 10) {
        /* A client that reacts to 429 waits longer after one than after a
         * success; the same wait (within a fifth, or 50 ms) is its think
         * time, whatever Retry-After asked. */
        double w = out->median_gap_s;
        double u = out->wait_success_q[(JTL_THROTTLE_WAIT_Q - 1) / 2];
        double tol = fmax(0.05, 0.2 * u);
        out->reaction = w > u + tol   ? "longer"
                        : w < u - tol ? "shorter"
                                      : "none";
    }
    if (a->count) {
        out->values = an_distinct_sorted(&a->dv, &out->nvalues);
        /* the pattern shows in the first windows */
        dynamic_ra(a->ev, a->nev, out);
    }
    if (out->pairs) {
        out->compliance = (double)out->compliant / (double)out->pairs;
        an_wilson((double)out->compliant, (double)out->pairs,
                  &out->compliance_lo, &out->compliance_hi);
        out->median_gap_ratio = an_gtab_median(&a->ratios) / 1000.0;
        if (out->early)
            out->p429_after_early = (double)a->early_thr / (double)out->early;
        if (out->compliant)
            out->p429_after_compliant =
                (double)a->comp_thr / (double)out->compliant;
        out->amplification =
            a->total ? (double)out->early / (double)a->total : NAN;
        out->honoured = out->reaction && strcmp(out->reaction, "longer") == 0 &&
                        out->compliance >= 0.9;
        out->first_attempts = a->first;
        out->first_attempt_throttled = a->first_thr;
        out->first_attempt_429_share =
            a->first ? (double)a->first_thr / (double)a->first : NAN;
        out->first_attempt_rate_per_s =
            duration_s > 0 ? (double)a->first / duration_s : NAN;
    }
}
