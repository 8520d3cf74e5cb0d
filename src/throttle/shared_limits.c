/* SPDX-License-Identifier: MIT
 * shared_limits.c - several labels: one shared limit, a limit per label, or
 * stacked limits (a gateway limit on every call plus a limit of one
 * endpoint behind it).  Reference §8 "Several labels":
 *  1. if the whole run is explained sharply by one limiter, the labels
 *     share it;
 *  2. otherwise look for 429 families (response size within +-3 bytes, or
 *     Retry-After value); one family in every label plus one specific to a
 *     label -> stacked: the shared family is the upstream limiter (its
 *     "accepted" are all calls it let through, including the downstream
 *     429s), the specific one is analysed on its label without the calls
 *     the upstream rejected;
 *  3. otherwise each label has its own limit. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "jtl/base/bigmem.h"
#include "jtl/base/xalloc.h"

#define MAXCL 64
#define MIN_SHARE 0.10
#define MIN_429 20

/* Cluster the distinct values (chains of gaps <= GAP); families are the
 * clusters holding >= 10 % of the 429s of a well-populated label.  Counts
 * come from a second pass over the 429s, so millions of them cost no
 * sort. */
static bool clusters(const struct an_ext *ext, const struct an_work *run,
                     bool by_bytes, double gap, const struct an_work *lw,
                     size_t nl, const uint32_t *lslot, struct an_families *out)
{
    struct an_distinct d = {0};
    struct jtl_throttle_ra_value *v;
    double lo[MAXCL], hi[MAXCL];
    uint64_t *cnt;
    size_t nv, nc = 0, i, k, keep = 0;

    for (i = 0; i < run->view.n; i++) {
        const struct an_rec *r = an_view_at(&run->view, i);
        const struct an_ext *e = &ext[r->ext];
        if (an_cls(r) != AN_THR || (!by_bytes && e->ra != e->ra))
            continue;
        an_distinct_add(&d, by_bytes ? (double)e->bytes : (double)e->ra, 1);
    }
    v = an_distinct_sorted(&d, &nv);
    for (i = 0; i < nv; i++) {
        if (i == 0 || v[i].seconds - v[i - 1].seconds > gap) {
            if (nc == MAXCL) {
                free(v);
                return false; /* too diverse: bodies vary, not limiters */
            }
            lo[nc] = hi[nc] = v[i].seconds;
            nc++;
        } else {
            hi[nc - 1] = v[i].seconds;
        }
    }
    free(v);
    if (nc < 2)
        return false;
    cnt = jtl_xcalloc(nc * (nl + 1), sizeof(*cnt));
    for (i = 0; i < run->view.n; i++) {
        const struct an_rec *r = an_view_at(&run->view, i);
        const struct an_ext *e = &ext[r->ext];
        double x;
        if (an_cls(r) != AN_THR || (!by_bytes && e->ra != e->ra) ||
            lslot[r->label] == UINT32_MAX)
            continue;
        x = by_bytes ? (double)e->bytes : (double)e->ra;
        for (k = 0; k < nc && x > hi[k]; k++)
            ;
        if (k < nc)
            cnt[k * nl + lslot[r->label]]++;
    }
    for (k = 0; k < nc; k++) {
        bool sig = false;
        for (i = 0; i < nl; i++)
            if (lw[i].n1 >= MIN_429 &&
                (double)cnt[k * nl + i] >= MIN_SHARE * (double)lw[i].n1)
                sig = true;
        if (sig && keep < AN_MAXFAM) {
            out->lo[keep] = lo[k];
            out->hi[keep] = hi[k];
            keep++;
        }
    }
    out->n = keep;
    free(cnt);
    return keep >= 2;
}

static bool find_families(struct an_ctx *cx, struct an_work *run,
                          struct an_work *lw, size_t nl,
                          struct an_families *fam)
{
    const struct an_store *st = cx->st;
    size_t nlab = jtl_strtab_count(&st->labels), i;
    uint32_t *lslot = jtl_xmalloc((nlab + 1) * sizeof(*lslot));
    bool ok = false;

    memset(fam, 0, sizeof(*fam));
    for (i = 0; i <= nlab; i++)
        lslot[i] = UINT32_MAX;
    for (i = 0; i < nl; i++)
        lslot[an_view_at(&lw[i].view, 0)->label] = (uint32_t)i;
    /* A Retry-After with one more digit makes the 429 one byte longer:
     * +-3 bytes is one family. */
    if (st->has_bytes)
        ok = clusters(st->ext, run, true, 3, lw, nl, lslot, fam);
    if (ok) {
        fam->by_bytes = true;
    } else if (run->sc->retry.count * 10 >= run->sc->throttled * 9 &&
               run->sc->throttled && !run->sc->retry.dynamic) {
        ok = clusters(st->ext, run, false, 0, lw, nl, lslot, fam);
        fam->by_bytes = false;
    }
    free(lslot);
    if (!ok)
        fam->n = 0;
    return ok;
}

/* Share of each family among the 429s of a view, and typical RA/bytes. */
static void fam_shares(const struct an_ext *ext, const struct an_families *f,
                       const struct an_view *v, double *share, uint64_t *n1)
{
    uint64_t cnt[AN_MAXFAM] = {0}, tot = 0;
    size_t i;

    for (i = 0; i < v->n; i++) {
        const struct an_rec *r = an_view_at(v, i);
        int k;
        if (an_cls(r) != AN_THR)
            continue;
        tot++;
        k = an_family_of(f, &ext[r->ext]);
        if (k >= 0)
            cnt[k]++;
    }
    for (i = 0; i < f->n; i++)
        share[i] = tot ? (double)cnt[i] / (double)tot : 0;
    *n1 = tot;
}

static double fam_typical(const struct an_ext *ext, const struct an_families *f,
                          const struct an_view *v, int k, bool want_ra)
{
    double *x = jtl_big_alloc((v->n + 1) * sizeof(*x)), m;
    size_t i, n = 0;

    for (i = 0; i < v->n; i++) {
        const struct an_rec *r = an_view_at(v, i);
        const struct an_ext *e = &ext[r->ext];
        if (an_cls(r) != AN_THR || an_family_of(f, e) != k)
            continue;
        if (want_ra) {
            if (e->ra == e->ra)
                x[n++] = e->ra;
        } else {
            x[n++] = (double)e->bytes;
        }
    }
    m = an_median(x, n);
    jtl_big_free(x);
    return m;
}

static void set_limiter(struct jtl_throttle_limiter *L, const char *name,
                        const struct an_limiter_res *res, int order,
                        double share, double ra, double bytes)
{
    memset(L, 0, sizeof(*L));
    L->name = jtl_xstrdup(name);
    L->mechanism = res->mech;
    L->limit = res->limit;
    L->order = order;
    L->share = share;
    L->retry_after_s = ra;
    L->bytes = bytes;
}

static void add_label(struct jtl_throttle_limiter *L, const char *label)
{
    L->labels = jtl_xrealloc(L->labels, (L->nlabels + 1) * sizeof(char *));
    L->labels[L->nlabels++] = jtl_xstrdup(label);
}

static void push_limiter(struct jtl_throttle_scope *sc,
                         const struct jtl_throttle_limiter *L)
{
    sc->limiters =
        jtl_xrealloc(sc->limiters, (sc->nlimiters + 1) * sizeof(*sc->limiters));
    an_limiter_copy(&sc->limiters[sc->nlimiters++], L);
}

static void set_scope_str(char **dst, char *s)
{
    free(*dst);
    *dst = s;
}

static bool try_stacked(struct an_ctx *cx, struct an_work *run,
                        struct an_work *lw, size_t nl)
{
    struct an_families fam;
    double share[64][AN_MAXFAM];
    uint64_t n1[64];
    int shared = -1, specific[64];
    size_t i, k, nbig = 0, nspec = 0;
    struct an_outcome oc;
    struct an_tests ts = {0};
    struct an_limiter_res up, own;
    struct jtl_throttle_limiter Lup, *Lown;
    double run_share[AN_MAXFAM];
    uint64_t rn1;

    if (nl > 64 || !find_families(cx, run, lw, nl, &fam))
        return false;
    for (i = 0; i < nl; i++) {
        fam_shares(cx->st->ext, &fam, &lw[i].view, share[i], &n1[i]);
        specific[i] = -1;
        nbig += n1[i] >= MIN_429;
    }
    if (nbig < 2)
        return false;
    /* the family present in every well-populated label */
    for (k = 0; k < fam.n && shared < 0; k++) {
        bool all = true;
        for (i = 0; i < nl; i++)
            if (n1[i] >= MIN_429 && share[i][k] < MIN_SHARE)
                all = false;
        if (all)
            shared = (int)k;
    }
    if (shared < 0)
        return false;
    /* families found in one label only */
    for (i = 0; i < nl; i++) {
        for (k = 0; k < fam.n; k++) {
            size_t j;
            bool only = n1[i] >= MIN_429 && share[i][k] >= MIN_SHARE &&
                        (int)k != shared;
            for (j = 0; j < nl && only; j++)
                if (j != i && share[j][k] >= 0.02)
                    only = false;
            if (only && specific[i] < 0) {
                specific[i] = (int)k;
                nspec++;
            }
        }
    }
    if (nspec == 0)
        return false;

    oc.ext = cx->st->ext;
    oc.fam = &fam;
    oc.family = shared;
    oc.skip_mask = 0;
    oc.code = -1;
    an_limiter_analyze(cx, &run->view, &oc, &ts, &up);
    fam_shares(cx->st->ext, &fam, &run->view, run_share, &rn1);
    set_limiter(&Lup, "upstream limit on every label", &up, 1,
                run_share[shared],
                fam_typical(cx->st->ext, &fam, &run->view, shared, true),
                fam_typical(cx->st->ext, &fam, &run->view, shared, false));
    for (i = 0; i < nl; i++)
        if (share[i][shared] >= MIN_SHARE)
            add_label(&Lup, lw[i].sc->name);
    Lown = jtl_xcalloc(nl, sizeof(*Lown));

    /* run: stacked, headline = the upstream limit */
    run->sc->verdict = JTL_VERDICT_THRESHOLD;
    run->sc->mechanism = JTL_MECH_STACKED;
    run->sc->limit = up.limit;
    set_scope_str(&run->sc->limit_scope, jtl_xstrdup("stacked"));
    push_limiter(run->sc, &Lup);
    for (i = 0; i < nl; i++) {
        struct jtl_throttle_scope *sc = lw[i].sc;
        char name[160];
        if (specific[i] >= 0) {
            oc.family = specific[i];
            oc.skip_mask = 1u << shared;
            an_limiter_analyze(cx, &lw[i].view, &oc, &ts, &own);
            snprintf(name, sizeof(name), "own limit of %s", sc->name);
            set_limiter(
                &Lown[i], name, &own, 2, share[i][specific[i]],
                fam_typical(cx->st->ext, &fam, &lw[i].view, specific[i], true),
                fam_typical(cx->st->ext, &fam, &lw[i].view, specific[i],
                            false));
            add_label(&Lown[i], sc->name);
            push_limiter(run->sc, &Lown[i]);
            sc->verdict = JTL_VERDICT_THRESHOLD;
            sc->mechanism = JTL_MECH_STACKED;
            sc->limit = own.limit;
            set_scope_str(&sc->limit_scope,
                          jtl_xstrdup("own limit behind a shared one"));
            Lup.share = share[i][shared];
            push_limiter(sc, &Lup);
            push_limiter(sc, &Lown[i]);
        } else if (share[i][shared] >= MIN_SHARE) {
            if (sc->verdict != JTL_VERDICT_NONE)
                sc->verdict = up.verdict == JTL_VERDICT_THRESHOLD
                                  ? JTL_VERDICT_THRESHOLD
                                  : sc->verdict;
            sc->mechanism = up.mech;
            sc->limit = up.limit;
            set_scope_str(&sc->limit_scope, jtl_xstrdup("shared"));
            Lup.share = share[i][shared];
            push_limiter(sc, &Lup);
        }
    }
    for (i = 0; i < nl; i++)
        if (Lown[i].name)
            an_limiter_release(&Lown[i]);
    free(Lown);
    an_limiter_release(&Lup);
    free(ts.t);
    return true;
}

static void adopt(struct jtl_throttle_scope *dst,
                  const struct jtl_throttle_scope *src, const char *how)
{
    struct jtl_throttle_limit keep = dst->limit;

    dst->mechanism = src->mechanism;
    dst->limit = src->limit;
    /* the descriptive numbers stay the scope's own */
    dst->limit.max_accepted_1s = keep.max_accepted_1s;
    dst->limit.max_accepted_10s = keep.max_accepted_10s;
    dst->limit.max_accepted_60s = keep.max_accepted_60s;
    dst->limit.saturated_accepted_per_s = keep.saturated_accepted_per_s;
    set_scope_str(&dst->limit_scope, jtl_xstrdup(how));
}

static void share_or_split(struct an_ctx *cx, struct an_work *run,
                           struct an_work *w, size_t n, const char *what)
{
    size_t i, nthr = 0, nwith = 0, nsharp = 0;
    enum jtl_mechanism common = JTL_MECH_NULL;
    bool same = true;
    struct an_work *one = NULL;

    (void)cx;
    for (i = 0; i < n; i++) {
        if (w[i].sc->throttled == 0)
            continue;
        nwith++;
        one = &w[i];
        if (w[i].sc->verdict != JTL_VERDICT_THRESHOLD)
            continue;
        nsharp += w[i].sharp;
        if (nthr++ == 0)
            common = w[i].sc->mechanism;
        else if (w[i].sc->mechanism != common)
            same = false;
    }
    if (nwith == 0)
        return;
    if (run->sc->verdict == JTL_VERDICT_THRESHOLD && run->sharp) {
        /* one limiter explains everything: the scopes share it, and its
         * budget in proportion to their traffic */
        uint64_t total = 0;
        for (i = 0; i < n; i++) {
            struct jtl_throttle_scope *sc = w[i].sc;
            if (sc->throttled == 0 ||
                (w[i].sharp && w[i].sharp_auc > run->sharp_auc + 0.01))
                continue;
            if (sc->verdict == JTL_VERDICT_THRESHOLD ||
                (sc->verdict == JTL_VERDICT_INCONCLUSIVE &&
                 w[i].n1 >= MIN_429)) {
                sc->verdict = JTL_VERDICT_THRESHOLD;
                adopt(sc, run->sc, "shared");
                total += sc->samples;
            }
        }
        for (i = 0; i < n && total; i++)
            if (w[i].sc->limit_scope &&
                strcmp(w[i].sc->limit_scope, "shared") == 0)
                w[i].sc->share = (double)w[i].sc->samples / (double)total;
        if (nwith >= 2)
            set_scope_str(&run->sc->limit_scope,
                          jtl_xstrdupf("shared by all %ss", what));
        return;
    }
    if (nwith == 1 && one->sharp && one->sc->verdict == JTL_VERDICT_THRESHOLD &&
        one->view.n != run->view.n) {
        /* only one label throttled: its own limit is the run's */
        run->sc->verdict = JTL_VERDICT_THRESHOLD;
        adopt(run->sc, one->sc, "");
        set_scope_str(&run->sc->limit_scope,
                      jtl_xstrdupf("%s '%s' only", what, one->sc->name));
        return;
    }
    if (nsharp >= 1 && nwith >= 2) {
        /* a limit per label: the run has no single limit (when no label is
         * explained by a limit of its own either, the run's analysis of
         * the pooled traffic stands: a shared hidden-state limiter) */
        struct jtl_throttle_limit *l = &run->sc->limit;
        run->sc->verdict = JTL_VERDICT_THRESHOLD;
        run->sc->mechanism = same ? common : JTL_MECH_UNKNOWN;
        l->rate_per_s = l->burst = l->window_s = l->per_window = NAN;
        l->concurrency = NAN;
        set_scope_str(&run->sc->limit_scope, jtl_xstrdupf("per %s", what));
    }
}

void an_multi_labels(struct an_ctx *cx, struct an_work *run,
                     struct an_work *labels, size_t n)
{
    if (n < 2)
        return;
    if (run->sc->throttled && try_stacked(cx, run, labels, n))
        return;
    share_or_split(cx, run, labels, n, "label");
}

void an_multi_groups(struct an_ctx *cx, struct an_work *run,
                     struct an_work *groups, size_t n)
{
    if (n < 2)
        return;
    share_or_split(cx, run, groups, n, "thread group");
}
