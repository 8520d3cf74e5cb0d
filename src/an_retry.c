/* SPDX-License-Identifier: MIT
 * an_retry.c - Retry-After: the values, whether they count down to common
 * reset instants (a window edge) or stay constant, and whether each thread
 * waited that long before its next request (reference §5.5). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "an_internal.h"
#include "jtl/xalloc.h"

/* Retry-After is whole seconds rounded up by the server and timestamps are
 * client-side ms: half a second of tolerance. */
#define SLACK_MS 500

void an_next_release(struct an_next *nx)
{
    if (!nx)
        return;
    free(nx->thr);
    free(nx->next);
    free(nx->early);
    memset(nx, 0, sizeof(*nx));
}

void an_next_build(const struct an_store *st, struct an_next *nx)
{
    size_t nt = jtl_strtab_count(&st->threads), i, cap = 0, capn = 0;
    int64_t *pend = jtl_xmalloc((nt + 1) * sizeof(*pend));
    int64_t *acc_end = jtl_xmalloc((nt + 1) * sizeof(*acc_end));
    struct an_gtab gaps = {0};

    memset(nx, 0, sizeof(*nx));
    nx->early = jtl_xcalloc(st->n / 8 + 1, 1);
    for (i = 0; i <= nt; i++)
        pend[i] = acc_end[i] = -1;
    for (i = 0; i < st->n; i++) {
        const struct an_rec *r = &st->rec[i];
        uint32_t th = r->thread;
        if (pend[th] >= 0) {
            size_t k = (size_t)pend[th];
            const struct an_rec *p = &st->rec[nx->thr[k]];
            nx->next[k] = (uint32_t)i;
            if (p->ra == p->ra &&
                r->start < an_end(p) + (int64_t)(p->ra * 1000) - SLACK_MS)
                nx->early[i / 8] |= (uint8_t)(1u << (i % 8));
            pend[th] = -1;
        }
        if (acc_end[th] >= 0) {
            int64_t gap = r->start - acc_end[th];
            an_gtab_add(&gaps, gap < 0 ? 0 : (uint64_t)gap, 0);
            acc_end[th] = -1;
        }
        if (an_cls(r) == AN_THR) {
            if (nx->n == cap) {
                jtl_xgrow((void **)&nx->thr, &cap, nx->n + 1,
                          sizeof(*nx->thr));
                jtl_xgrow((void **)&nx->next, &capn, nx->n + 1,
                          sizeof(*nx->next));
            }
            nx->thr[nx->n] = (uint32_t)i;
            nx->next[nx->n] = UINT32_MAX;
            pend[th] = (int64_t)nx->n;
            nx->n++;
        } else if (an_cls(r) == AN_ACC) {
            acc_end[th] = an_end(r);
        }
    }
    /* think time: median gap from an accepted response to the thread's
     * next request */
    nx->think_ms = NAN;
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

static uint32_t next_of(const struct an_next *nx, uint32_t rec)
{
    size_t lo = 0, hi = nx->n;

    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (nx->thr[mid] < rec)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nx->n && nx->thr[lo] == rec ? nx->next[lo] : UINT32_MAX;
}

static bool is_early(const struct an_next *nx, uint32_t i)
{
    return (nx->early[i / 8] >> (i % 8)) & 1u;
}

struct ra_ev {
    int64_t start, reset;
    double ra;
    size_t cluster;
};

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

void an_retry(const struct an_store *st, const struct an_view *view,
              const struct an_next *nx, double duration_s,
              struct jtl_throttle_retry *out)
{
    struct ra_ev *ev = NULL;
    double *ratios = NULL, *gapv = NULL;
    size_t nev = 0, capev = 0, nr = 0, capr = 0, ng = 0, capg = 0, i;
    uint64_t early_thr = 0, comp_thr = 0, total = 0, first = 0, first_thr = 0;

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
    for (i = 0; i < view->n; i++) {
        uint32_t ri = an_view_index(view, i), nj;
        const struct an_rec *r = &st->rec[ri];
        unsigned c = an_cls(r);

        if (c == AN_NOHTTP)
            continue;
        total++;
        if (!is_early(nx, ri)) {
            first++;
            first_thr += c == AN_THR;
        }
        if (c != AN_THR)
            continue;
        nj = next_of(nx, ri);
        if (nj != UINT32_MAX) {
            if (ng == capg)
                jtl_xgrow((void **)&gapv, &capg, ng + 1, sizeof(*gapv));
            gapv[ng++] = (double)(st->rec[nj].start - an_end(r)) / 1000.0;
        }
        if (r->ra != r->ra) {
            out->missing++;
            continue;
        }
        out->count++;
        if (nev == capev)
            jtl_xgrow((void **)&ev, &capev, nev + 1, sizeof(*ev));
        ev[nev].start = r->start;
        ev[nev].ra = r->ra;
        ev[nev].reset = an_end(r) + (int64_t)((double)r->ra * 1000 + 0.5);
        nev++;
        if (nj != UINT32_MAX) {
            const struct an_rec *q = &st->rec[nj];
            double gap = (double)(q->start - an_end(r));
            bool ok = gap >= (double)r->ra * 1000 - SLACK_MS;
            out->pairs++;
            if (ok) {
                out->compliant++;
                comp_thr += an_cls(q) == AN_THR;
            } else {
                out->early++;
                early_thr += an_cls(q) == AN_THR;
            }
            if (r->ra > 0) {
                if (nr == capr)
                    jtl_xgrow((void **)&ratios, &capr, nr + 1,
                              sizeof(*ratios));
                ratios[nr++] = gap / 1000.0 / (double)r->ra;
            }
        }
    }
    out->median_gap_s = an_median(gapv, ng);
    if (nev) {
        double *vals = jtl_xmalloc(nev * sizeof(*vals));
        size_t k = 0;
        for (i = 0; i < nev; i++)
            vals[i] = ev[i].ra;
        qsort(vals, nev, sizeof(*vals), an_cmp_double);
        out->values = jtl_xmalloc(nev * sizeof(*out->values));
        for (i = 0; i < nev; i++) {
            if (k && out->values[k - 1].seconds == vals[i]) {
                out->values[k - 1].count++;
            } else {
                out->values[k].seconds = vals[i];
                out->values[k].count = 1;
                k++;
            }
        }
        out->nvalues = k;
        free(vals);
        dynamic_ra(ev, nev, out);
    }
    if (out->pairs) {
        out->compliance = (double)out->compliant / (double)out->pairs;
        an_wilson((double)out->compliant, (double)out->pairs,
                  &out->compliance_lo, &out->compliance_hi);
        out->median_gap_ratio = an_median(ratios, nr);
        if (out->early)
            out->p429_after_early = (double)early_thr / (double)out->early;
        if (out->compliant)
            out->p429_after_compliant =
                (double)comp_thr / (double)out->compliant;
        out->amplification =
            total ? (double)out->early / (double)total : NAN;
        out->first_attempts = first;
        out->first_attempt_throttled = first_thr;
        out->first_attempt_429_share =
            first ? (double)first_thr / (double)first : NAN;
        out->first_attempt_rate_per_s =
            duration_s > 0 ? (double)first / duration_s : NAN;
    }
    free(ev);
    free(ratios);
    free(gapv);
}
