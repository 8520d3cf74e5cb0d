/* SPDX-License-Identifier: MIT
 * threads.c - the test's threads as they ran: a thread (a name on one load
 * generator) is active from the start of its first request to the end of
 * its last.  Counted this way the active threads add up across
 * generators (each engine's grpThreads/allThreads counts only its own),
 * the ramp-up ends when the last thread starts (JMeter records its thread
 * counts when a sample ENDS, so they lag), and a file without thread-count
 * columns still has them. */
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/xalloc.h"

struct event {
    int64_t t;
    int d; /* +1 a thread starts, -1 it ends */
};

static int cmp_event(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;

    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    /* at one instant, starts before ends: a thread that ends as another
     * starts overlapped it */
    return b->d - a->d;
}

void an_threads_build(const struct an_store *st, struct an_threads *out)
{
    size_t nt = jtl_strtab_count(&st->threads),
           ng = jtl_strtab_count(&st->gens);
    int64_t *first = jtl_xmalloc((nt + 1) * sizeof(*first));
    int64_t *last = jtl_xmalloc((nt + 1) * sizeof(*last));
    struct event *ev;
    size_t i, k = 0, nev = 0;
    int active = 0;

    memset(out, 0, sizeof(*out));
    out->rampup_end = out->max_active_t = INT64_MIN;
    for (i = 0; i < nt; i++) {
        first[i] = INT64_MAX;
        last[i] = INT64_MIN;
    }
    for (i = 0; i < st->n; i++) {
        const struct an_rec *r = &st->rec[i];
        if (r->start < first[r->thread])
            first[r->thread] = r->start;
        if (an_end(r) > last[r->thread])
            last[r->thread] = an_end(r);
    }
    out->ngens = ng;
    out->gen_threads = jtl_xcalloc(ng + 1, sizeof(*out->gen_threads));
    ev = jtl_xmalloc((2 * nt + 1) * sizeof(*ev));
    for (i = 0; i < nt; i++) {
        if (first[i] == INT64_MAX)
            continue;
        out->n++;
        out->gen_threads[an_thread_gen(st, (uint32_t)i)]++;
        if (first[i] > out->rampup_end)
            out->rampup_end = first[i];
        ev[nev].t = first[i];
        ev[nev++].d = 1;
        ev[nev].t = last[i];
        ev[nev++].d = -1;
    }
    qsort(ev, nev, sizeof(*ev), cmp_event);
    out->at_t = jtl_xmalloc((nev + 1) * sizeof(*out->at_t));
    out->at_n = jtl_xmalloc((nev + 1) * sizeof(*out->at_n));
    for (i = 0; i < nev; i++) {
        active += ev[i].d;
        /* one step per instant: the count after every change at t */
        if (k && out->at_t[k - 1] == ev[i].t)
            k--;
        out->at_t[k] = ev[i].t;
        out->at_n[k] = (uint32_t)(active > 0 ? active : 0);
        if ((uint32_t)active > out->max_active) {
            out->max_active = (uint32_t)active;
            out->max_active_t = ev[i].t;
        }
        k++;
    }
    out->nat = k;
    free(ev);
    free(first);
    free(last);
}

uint32_t an_threads_active(const struct an_threads *t, int64_t when)
{
    size_t lo = 0, hi = t->nat;

    /* the last step at or before WHEN */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->at_t[mid] <= when)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? t->at_n[lo - 1] : 0;
}

void an_threads_release(struct an_threads *t)
{
    if (!t)
        return;
    free(t->at_t);
    free(t->at_n);
    free(t->gen_threads);
    memset(t, 0, sizeof(*t));
}
