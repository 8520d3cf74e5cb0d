/* SPDX-License-Identifier: MIT
 * timeline.c - per-interval series and the per-second throttling series
 * (see timeline.h for what each series counts).
 *
 * Layout: every series is a "column", an array over the same bucket slots;
 * slot i holds logical bucket lo + i (bucket = floor(time / g)).  Columns
 * come in groups: fixed global ones, then one per response code, three per
 * label (success, failure, elapsed sum) and two per thread group, created on
 * first sight.  Growing the covered range reallocates all columns with slack
 * on the growing side (amortised doubling); samples arrive in completion
 * order, so the range grows at both ends.
 *
 * Bounded memory: the timeline must not grow with rows, only with the
 * duration, and even that is capped.  When the span would exceed
 * JTL_TIMELINE_MAX_BUCKETS, when columns x span exceed CELL_BUDGET, or when
 * the per-bucket histograms exceed HIST_BUDGET, the working interval g is
 * coarsened by merging adjacent buckets (sums add, maxima combine,
 * histograms merge).  Coarsening follows a ladder in which every step
 * divides the next, so two accumulators (threads) always meet at a common
 * interval and the automatic final interval is a multiple of g. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/bin.h"
#include "jtl/base/xalloc.h"
#include "timeline_internal.h"

#define CELL_BUDGET (2u * 1000 * 1000) /* columns x buckets (8 B each) */
/* Bytes of per-bucket histograms.  Each reading thread has its own
 * timeline, so this is paid once per thread: 16 MB keeps the report of
 * any run, with --memory's default, within 256 MB (64 MB made it 343 MB at
 * 100 M rows).  It holds 1 s intervals of 20 labels for about an hour,
 * and a whole day at the automatic interval (300 buckets at most);
 * beyond, the interval is coarsened and the output says so. */
#define HIST_BUDGET ((size_t)16 << 20)
#define MIN_BUCKETS_AFTER_COARSEN 32

enum {
    C_HITS,
    C_SAMPLES,
    C_ERRORS,
    C_TXS,
    C_TXF,
    C_BR,
    C_BS,
    C_RT_SUM,
    C_LAT_SUM,
    C_LAT_N,
    C_CON_SUM,
    C_CON_N,
    C_THR_SUM,
    C_THR_N,
    C_THR_MAX,
    C_NGLOBAL
};

#define NONE UINT32_MAX
#define OTHER_CODE (UINT32_MAX - 1)
#define OTHER_GROUP (UINT32_MAX - 1)

struct entity {
    uint32_t id;  /* the agg's id (or OTHER_*) */
    uint32_t col; /* first column */
};

#define TL_MAX_REFUSAL 16

struct jtl_tl {
    int64_t g; /* working interval, ms */
    bool auto_g;
    bool coarsened; /* user interval had to be coarsened */
    unsigned step;  /* ladder position */
    /* bucket slots */
    int64_t lo; /* logical bucket of slot 0 */
    size_t cap; /* slots */
    bool any;
    int64_t first, last; /* logical range with data */
    int64_t tmin, tmax;  /* ms extents: min start, max end */
    /* columns */
    uint64_t **cols;
    size_t ncols, capcols;
    struct jtl_hist *hists; /* [cap] successful non-TC elapsed */
    size_t hist_bytes;
    /* entity -> column maps, by agg id */
    uint32_t *code_col, *label_col, *group_col;
    size_t ncode_col, nlabel_col, ngroup_col;
    struct entity *codes, *labels, *groups;
    size_t ncodes, nlabels, ngroups, capcodes, caplabels, capgroups;
    uint32_t other_code_col, other_group_col;
    /* per-second series */
    bool sany, struncated;
    int64_t slo, sfirst, slast;
    size_t scap;
    uint32_t *s_hits, *s_ok, *s_429, *s_err, *s_thr;
    int refusal[TL_MAX_REFUSAL]; /* codes counted in s_429 */
    size_t nrefusal;
};

/* Auto ladder in seconds: every entry divides the next. */
static const int64_t auto_ladder[] = {1,    2,    10,   20,    60,    120,  600,
                                      1200, 3600, 7200, 21600, 43200, 86400};
#define AUTO_LADDER_N (sizeof(auto_ladder) / sizeof(auto_ladder[0]))

static int64_t floordiv(int64_t a, int64_t b)
{
    int64_t q = a / b;

    if ((a % b != 0) && ((a < 0) != (b < 0)))
        q--;
    return q;
}

struct jtl_tl *jtl_tl_new(int64_t granularity_ms, const int *codes, size_t n)
{
    struct jtl_tl *t = jtl_xcalloc(1, sizeof(*t));
    size_t i;

    for (i = 0; i < n && i < TL_MAX_REFUSAL; i++)
        t->refusal[t->nrefusal++] = codes[i];
    if (t->nrefusal == 0)
        t->refusal[t->nrefusal++] = 429;
    t->auto_g = granularity_ms <= 0;
    t->g = t->auto_g ? 1000 : granularity_ms;
    t->other_code_col = NONE;
    t->other_group_col = NONE;
    t->ncols = C_NGLOBAL;
    t->capcols = 64;
    t->cols = jtl_xcalloc(t->capcols, sizeof(*t->cols));
    return t;
}

void jtl_tl_free(struct jtl_tl *t)
{
    size_t i;

    if (!t)
        return;
    for (i = 0; i < t->ncols; i++)
        free(t->cols[i]);
    free(t->cols);
    if (t->hists)
        for (i = 0; i < t->cap; i++)
            jtl_hist_release(&t->hists[i]);
    free(t->hists);
    free(t->code_col);
    free(t->label_col);
    free(t->group_col);
    free(t->codes);
    free(t->labels);
    free(t->groups);
    free(t->s_hits);
    free(t->s_ok);
    free(t->s_429);
    free(t->s_err);
    free(t->s_thr);
    free(t);
}

static bool col_is_max(size_t c)
{
    return c == C_THR_MAX;
}

/* Reallocate every column to cover logical buckets [nlo, nlo + ncap). */
static void relayout(struct jtl_tl *t, int64_t nlo, size_t ncap)
{
    size_t c, i;
    int64_t shift = t->lo - nlo; /* old slot i -> new slot i + shift */
    struct jtl_hist *nh;

    for (c = 0; c < t->ncols; c++) {
        uint64_t *n = jtl_xcalloc(ncap, sizeof(*n));
        if (t->cols[c])
            for (i = 0; i < t->cap; i++)
                n[(int64_t)i + shift] = t->cols[c][i];
        free(t->cols[c]);
        t->cols[c] = n;
    }
    nh = jtl_xcalloc(ncap, sizeof(*nh));
    if (t->hists)
        for (i = 0; i < t->cap; i++)
            nh[(int64_t)i + shift] = t->hists[i]; /* moves ownership */
    free(t->hists);
    t->hists = nh;
    t->lo = nlo;
    t->cap = ncap;
}

/* Make slots exist for logical buckets [a, b]. */
static void make_room(struct jtl_tl *t, int64_t a, int64_t b)
{
    int64_t nlo, nhi, span;

    if (t->cap && a >= t->lo && b < t->lo + (int64_t)t->cap)
        return;
    if (!t->cap) {
        relayout(t, a - 4, (size_t)(b - a + 1 + 8));
        return;
    }
    nlo = a < t->lo ? a : t->lo;
    nhi = b > t->lo + (int64_t)t->cap - 1 ? b : t->lo + (int64_t)t->cap - 1;
    span = nhi - nlo + 1;
    /* slack on the side that grew, as much as the current span */
    if (a < t->lo)
        nlo -= span / 2 + 4;
    if (b > t->lo + (int64_t)t->cap - 1)
        nhi += span / 2 + 4;
    relayout(t, nlo, (size_t)(nhi - nlo + 1));
}

static int64_t next_factor(struct jtl_tl *t)
{
    if (t->auto_g && t->step + 1 < AUTO_LADDER_N)
        return auto_ladder[t->step + 1] / auto_ladder[t->step];
    if (t->auto_g)
        return 2;
    /* user interval: g, 2g, 10g, 20g, 100g, ... */
    return t->step % 2 == 0 ? 2 : 5;
}

/* Merge adjacent buckets: g *= F. */
static void coarsen_by(struct jtl_tl *t, int64_t f)
{
    int64_t nlo, nhi;
    size_t ncap, c, i;
    struct jtl_hist *nh;

    if (f <= 1)
        return;
    if (t->cap) {
        nlo = floordiv(t->lo, f);
        nhi = floordiv(t->lo + (int64_t)t->cap - 1, f);
        ncap = (size_t)(nhi - nlo + 1);
        for (c = 0; c < t->ncols; c++) {
            uint64_t *n = jtl_xcalloc(ncap, sizeof(*n));
            for (i = 0; i < t->cap; i++) {
                size_t j = (size_t)(floordiv(t->lo + (int64_t)i, f) - nlo);
                if (col_is_max(c))
                    n[j] = n[j] > t->cols[c][i] ? n[j] : t->cols[c][i];
                else
                    n[j] += t->cols[c][i];
            }
            free(t->cols[c]);
            t->cols[c] = n;
        }
        nh = jtl_xcalloc(ncap, sizeof(*nh));
        t->hist_bytes = 0;
        for (i = 0; i < t->cap; i++) {
            size_t j = (size_t)(floordiv(t->lo + (int64_t)i, f) - nlo);
            jtl_hist_merge(&nh[j], &t->hists[i]);
            jtl_hist_release(&t->hists[i]);
        }
        for (i = 0; i < ncap; i++)
            t->hist_bytes += jtl_hist_bytes(&nh[i]);
        free(t->hists);
        t->hists = nh;
        t->lo = nlo;
        t->cap = ncap;
    }
    if (t->any) {
        t->first = floordiv(t->first, f);
        t->last = floordiv(t->last, f);
    }
    t->g *= f;
}

static void coarsen_step(struct jtl_tl *t)
{
    int64_t f = next_factor(t);

    coarsen_by(t, f);
    t->step++;
    if (!t->auto_g)
        t->coarsened = true;
}

static bool over_budget(const struct jtl_tl *t, int64_t first, int64_t last,
                        size_t ncols)
{
    uint64_t span = (uint64_t)(last - first + 1);

    if (span > JTL_TIMELINE_MAX_BUCKETS)
        return true;
    if (span > MIN_BUCKETS_AFTER_COARSEN &&
        (uint64_t)ncols * span > CELL_BUDGET)
        return true;
    if (span > MIN_BUCKETS_AFTER_COARSEN && t->hist_bytes > HIST_BUDGET)
        return true;
    return false;
}

static void enforce_budget(struct jtl_tl *t)
{
    while (t->any && over_budget(t, t->first, t->last, t->ncols))
        coarsen_step(t);
}

static uint32_t add_columns(struct jtl_tl *t, size_t n)
{
    uint32_t first = (uint32_t)t->ncols;
    size_t i;

    jtl_xgrow((void **)&t->cols, &t->capcols, t->ncols + n, sizeof(*t->cols));
    for (i = 0; i < n; i++)
        t->cols[t->ncols + i] =
            t->cap ? jtl_xcalloc(t->cap, sizeof(uint64_t)) : NULL;
    t->ncols += n;
    return first;
}

static uint32_t other_col(struct jtl_tl *t, struct entity **ents, size_t *nents,
                          size_t *capents, uint32_t *col, uint32_t other_id,
                          size_t width);

/* Column of entity ID in the map (created on first use); CAP_ENT limits the
 * number of entities, the rest share the OTHER column. */
static uint32_t entity_col(struct jtl_tl *t, uint32_t **map, size_t *nmap,
                           struct entity **ents, size_t *nents, size_t *capents,
                           uint32_t id, size_t width, size_t cap_ent,
                           uint32_t *other_col_p, uint32_t other_id)
{
    size_t i;

    if (id < *nmap && (*map)[id] != NONE)
        return (*map)[id];
    if (id >= *nmap) {
        size_t n = *nmap, need = (size_t)id + 1;
        size_t ncap = n ? n : 16;
        while (ncap < need)
            ncap *= 2;
        *map = jtl_xrealloc(*map, ncap * sizeof(**map));
        for (i = n; i < ncap; i++)
            (*map)[i] = NONE;
        *nmap = ncap;
    }
    if (cap_ent && *nents >= cap_ent) {
        (*map)[id] =
            other_col(t, ents, nents, capents, other_col_p, other_id, width);
        return (*map)[id];
    }
    jtl_xgrow((void **)ents, capents, *nents + 1, sizeof(**ents));
    (*ents)[*nents].id = id;
    (*ents)[*nents].col = add_columns(t, width);
    (*map)[id] = (*ents)[*nents].col;
    return (*ents)[(*nents)++].col;
}

/* The shared OTHER column, created on first use (merging a child that
 * already folded some entities). */
static uint32_t other_col(struct jtl_tl *t, struct entity **ents, size_t *nents,
                          size_t *capents, uint32_t *col, uint32_t other_id,
                          size_t width)
{
    if (*col == NONE) {
        *col = add_columns(t, width);
        jtl_xgrow((void **)ents, capents, *nents + 1, sizeof(**ents));
        (*ents)[*nents].id = other_id;
        (*ents)[*nents].col = *col;
        (*nents)++;
    }
    return *col;
}

static uint32_t code_col(struct jtl_tl *t, uint32_t id)
{
    return entity_col(t, &t->code_col, &t->ncode_col, &t->codes, &t->ncodes,
                      &t->capcodes, id, 1, JTL_TIMELINE_MAX_CODES,
                      &t->other_code_col, OTHER_CODE);
}

static uint32_t label_col(struct jtl_tl *t, uint32_t id)
{
    uint32_t dummy = NONE;

    return entity_col(t, &t->label_col, &t->nlabel_col, &t->labels, &t->nlabels,
                      &t->caplabels, id, 3, 0, &dummy, NONE);
}

static uint32_t group_col(struct jtl_tl *t, uint32_t id)
{
    return entity_col(t, &t->group_col, &t->ngroup_col, &t->groups, &t->ngroups,
                      &t->capgroups, id, 2, JTL_TIMELINE_MAX_GROUPS,
                      &t->other_group_col, OTHER_GROUP);
}

/* ------------------------------------------------------------------ */
/* Per-second series.                                                  */

static void sec_relayout(struct jtl_tl *t, int64_t nlo, size_t ncap)
{
    uint32_t **arrs[] = {&t->s_hits, &t->s_ok, &t->s_429, &t->s_err, &t->s_thr};
    int64_t shift = t->slo - nlo;
    size_t a, i;

    for (a = 0; a < sizeof(arrs) / sizeof(arrs[0]); a++) {
        uint32_t *n = jtl_xcalloc(ncap, sizeof(*n));
        if (*arrs[a])
            for (i = 0; i < t->scap; i++)
                n[(int64_t)i + shift] = (*arrs[a])[i];
        free(*arrs[a]);
        *arrs[a] = n;
    }
    t->slo = nlo;
    t->scap = ncap;
}

/* Slot of second SEC, or -1 when it would push the series past its cap. */
static int64_t sec_slot(struct jtl_tl *t, int64_t sec)
{
    int64_t a, b, nlo, nhi, span, hi;

    if (!t->sany) {
        t->sany = true;
        t->sfirst = t->slast = sec;
        sec_relayout(t, sec - 8, 64);
        return sec - t->slo;
    }
    a = sec < t->sfirst ? sec : t->sfirst;
    b = sec > t->slast ? sec : t->slast;
    if (b - a + 1 > (int64_t)JTL_TIMELINE_MAX_SECONDS) {
        t->struncated = true;
        return -1;
    }
    t->sfirst = a;
    t->slast = b;
    hi = t->slo + (int64_t)t->scap - 1;
    if (sec < t->slo || sec > hi) {
        span = hi - t->slo + 1;
        nlo = sec < t->slo ? sec - span / 2 - 8 : t->slo;
        nhi = sec > hi ? sec + span / 2 + 8 : hi;
        /* never allocate far beyond what the cap allows */
        if (nlo < b - (int64_t)JTL_TIMELINE_MAX_SECONDS)
            nlo = b - (int64_t)JTL_TIMELINE_MAX_SECONDS;
        if (nhi > a + (int64_t)JTL_TIMELINE_MAX_SECONDS)
            nhi = a + (int64_t)JTL_TIMELINE_MAX_SECONDS;
        if (nlo > t->slo)
            nlo = t->slo;
        if (nhi < hi)
            nhi = hi;
        sec_relayout(t, nlo, (size_t)(nhi - nlo + 1));
    }
    return sec - t->slo;
}

/* One of the refusal codes (three digits, as JMeter writes them). */
static bool code_is_refusal(const struct jtl_tl *t, struct jtl_str c)
{
    int v;
    size_t i;

    if (c.len != 3 || c.p[0] < '1' || c.p[0] > '9' || c.p[1] < '0' ||
        c.p[1] > '9' || c.p[2] < '0' || c.p[2] > '9')
        return false;
    v = (c.p[0] - '0') * 100 + (c.p[1] - '0') * 10 + (c.p[2] - '0');
    for (i = 0; i < t->nrefusal; i++)
        if (t->refusal[i] == v)
            return true;
    return false;
}

/* ------------------------------------------------------------------ */

void jtl_tl_add(struct jtl_tl *t, const struct jtl_sample *s, uint32_t label,
                uint32_t code, uint32_t group, bool tc)
{
    int64_t start, end, ks, ke, a, b;
    size_t is, ie;
    uint32_t lc, cc = NONE, gc = NONE;
    size_t need_cols;

    if (!JTL_HAS(s, JTL_F_TIMESTAMP))
        return;
    start = s->timestamp;
    end = s->timestamp + s->elapsed;

    /* Per-second series first: independent of the interval. */
    if (!tc) {
        int64_t slot = sec_slot(t, floordiv(start, 1000));
        if (slot >= 0) {
            t->s_hits[slot]++;
            if (code_is_refusal(t, s->code))
                t->s_429[slot]++;
            else if (s->success)
                t->s_ok[slot]++;
            else
                t->s_err[slot]++;
            if (JTL_HAS(s, JTL_F_ALL_THREADS) && s->all_threads > 0 &&
                (uint32_t)s->all_threads > t->s_thr[slot])
                t->s_thr[slot] = (uint32_t)s->all_threads;
        }
    }

    /* Columns for new entities, before sizing the range. */
    need_cols = t->ncols;
    lc = label_col(t, label);
    if (!tc)
        cc = code_col(t, code);
    if (group != NONE && JTL_HAS(s, JTL_F_GRP_THREADS))
        gc = group_col(t, group);
    if (t->ncols != need_cols && t->any)
        enforce_budget(t);

    for (;;) {
        ks = floordiv(start, t->g);
        ke = floordiv(end, t->g);
        a = ks < ke ? ks : ke;
        b = ks > ke ? ks : ke;
        if (t->any) {
            a = a < t->first ? a : t->first;
            b = b > t->last ? b : t->last;
        }
        if (!over_budget(t, a, b, t->ncols))
            break;
        coarsen_step(t);
    }
    make_room(t, a, b);
    if (!t->any || start < t->tmin)
        t->tmin = start;
    if (!t->any || end > t->tmax)
        t->tmax = end;
    t->any = true;
    t->first = a;
    t->last = b;

    is = (size_t)(ks - t->lo);
    ie = (size_t)(ke - t->lo);
    if (s->success)
        t->cols[lc][ie]++;
    else
        t->cols[lc + 1][ie]++;
    t->cols[lc + 2][ie] += (uint64_t)s->elapsed;
    if (s->success)
        t->cols[C_TXS][ie]++;
    else
        t->cols[C_TXF][ie]++;
    if (JTL_HAS(s, JTL_F_ALL_THREADS)) {
        t->cols[C_THR_SUM][ie] += (uint64_t)s->all_threads;
        t->cols[C_THR_N][ie]++;
        if (s->all_threads > 0 &&
            (uint64_t)s->all_threads > t->cols[C_THR_MAX][ie])
            t->cols[C_THR_MAX][ie] = (uint64_t)s->all_threads;
    }
    if (gc != NONE) {
        t->cols[gc][ie] += (uint64_t)s->grp_threads;
        t->cols[gc + 1][ie]++;
    }
    if (tc)
        return;
    t->cols[C_HITS][is]++;
    t->cols[cc][ie]++;
    t->cols[C_SAMPLES][ie]++;
    if (!s->success)
        t->cols[C_ERRORS][ie]++;
    t->cols[C_BR][ie] += (uint64_t)s->bytes;
    t->cols[C_BS][ie] += (uint64_t)s->sent_bytes;
    t->cols[C_RT_SUM][ie] += (uint64_t)s->elapsed;
    if (JTL_HAS(s, JTL_F_LATENCY)) {
        t->cols[C_LAT_SUM][ie] += (uint64_t)s->latency;
        t->cols[C_LAT_N][ie]++;
    }
    if (JTL_HAS(s, JTL_F_CONNECT)) {
        t->cols[C_CON_SUM][ie] += (uint64_t)s->connect;
        t->cols[C_CON_N][ie]++;
    }
    if (s->success && JTL_HAS(s, JTL_F_ELAPSED)) {
        size_t before = jtl_hist_bytes(&t->hists[ie]);
        jtl_hist_add(&t->hists[ie], s->elapsed, 1);
        t->hist_bytes += jtl_hist_bytes(&t->hists[ie]) - before;
        if (t->hist_bytes > HIST_BUDGET)
            enforce_budget(t);
    }
}

/* ------------------------------------------------------------------ */

static void add_col(struct jtl_tl *dst, uint32_t dc, const struct jtl_tl *src,
                    uint32_t sc, bool max)
{
    size_t i;
    int64_t shift = src->lo - dst->lo;

    for (i = (size_t)(src->first - src->lo); i <= (size_t)(src->last - src->lo);
         i++) {
        uint64_t v = src->cols[sc][i];
        size_t j;
        if (!v)
            continue;
        j = (size_t)((int64_t)i + shift);
        if (max)
            dst->cols[dc][j] = dst->cols[dc][j] > v ? dst->cols[dc][j] : v;
        else
            dst->cols[dc][j] += v;
    }
}

bool jtl_tl_empty(const struct jtl_tl *t)
{
    return !t->any && !t->sany && t->ncodes == 0 && t->nlabels == 0 &&
           t->ngroups == 0;
}

void jtl_tl_merge(struct jtl_tl *dst, struct jtl_tl *src,
                  const uint32_t *label_map, const uint32_t *code_map,
                  const uint32_t *group_map)
{
    size_t c, i;

    /* Per-second series: add second by second. */
    if (src->sany) {
        for (i = 0; i < src->scap; i++) {
            int64_t sec = src->slo + (int64_t)i;
            int64_t slot;
            if (sec < src->sfirst || sec > src->slast || !src->s_hits[i])
                continue;
            slot = sec_slot(dst, sec);
            if (slot < 0)
                continue;
            dst->s_hits[slot] += src->s_hits[i];
            dst->s_ok[slot] += src->s_ok[i];
            dst->s_429[slot] += src->s_429[i];
            dst->s_err[slot] += src->s_err[i];
            if (src->s_thr[i] > dst->s_thr[slot])
                dst->s_thr[slot] = src->s_thr[i];
        }
        dst->struncated = dst->struncated || src->struncated;
    }
    if (!src->any)
        return;
    /* Bring both to the same interval (same ladder: they meet). */
    while (dst->g < src->g)
        coarsen_step(dst);
    while (src->g < dst->g)
        coarsen_step(src);
    dst->coarsened = dst->coarsened || src->coarsened;

    /* Entities first (they add columns), then the range. */
    for (i = 0; i < src->ncodes; i++) {
        uint32_t id = src->codes[i].id;
        if (id != OTHER_CODE && code_map)
            id = code_map[id];
        if (id == OTHER_CODE)
            other_col(dst, &dst->codes, &dst->ncodes, &dst->capcodes,
                      &dst->other_code_col, OTHER_CODE, 1);
        else
            code_col(dst, id);
    }
    for (i = 0; i < src->nlabels; i++)
        label_col(dst,
                  label_map ? label_map[src->labels[i].id] : src->labels[i].id);
    for (i = 0; i < src->ngroups; i++) {
        uint32_t id = src->groups[i].id;
        if (id != OTHER_GROUP && group_map)
            id = group_map[id];
        if (id == OTHER_GROUP)
            other_col(dst, &dst->groups, &dst->ngroups, &dst->capgroups,
                      &dst->other_group_col, OTHER_GROUP, 2);
        else
            group_col(dst, id);
    }
    {
        int64_t a = src->first, b = src->last;
        if (dst->any) {
            a = a < dst->first ? a : dst->first;
            b = b > dst->last ? b : dst->last;
        }
        make_room(dst, a, b);
        dst->first = a;
        dst->last = b;
        if (!dst->any || src->tmin < dst->tmin)
            dst->tmin = src->tmin;
        if (!dst->any || src->tmax > dst->tmax)
            dst->tmax = src->tmax;
        dst->any = true;
    }
    for (c = 0; c < C_NGLOBAL; c++)
        add_col(dst, (uint32_t)c, src, (uint32_t)c, col_is_max(c));
    for (i = 0; i < src->ncodes; i++) {
        uint32_t id = src->codes[i].id, dc;
        if (id == OTHER_CODE)
            dc = other_col(dst, &dst->codes, &dst->ncodes, &dst->capcodes,
                           &dst->other_code_col, OTHER_CODE, 1);
        else
            dc = code_col(dst, code_map ? code_map[id] : id);
        add_col(dst, dc, src, src->codes[i].col, false);
    }
    for (i = 0; i < src->nlabels; i++) {
        uint32_t id = src->labels[i].id;
        uint32_t dc = label_col(dst, label_map ? label_map[id] : id);
        for (c = 0; c < 3; c++)
            add_col(dst, dc + (uint32_t)c, src,
                    src->labels[i].col + (uint32_t)c, false);
    }
    for (i = 0; i < src->ngroups; i++) {
        uint32_t id = src->groups[i].id, dc;
        if (id == OTHER_GROUP)
            dc = other_col(dst, &dst->groups, &dst->ngroups, &dst->capgroups,
                           &dst->other_group_col, OTHER_GROUP, 2);
        else
            dc = group_col(dst, group_map ? group_map[id] : id);
        for (c = 0; c < 2; c++)
            add_col(dst, dc + (uint32_t)c, src,
                    src->groups[i].col + (uint32_t)c, false);
    }
    dst->hist_bytes = 0;
    for (i = (size_t)(src->first - src->lo); i <= (size_t)(src->last - src->lo);
         i++) {
        size_t j = (size_t)(src->lo + (int64_t)i - dst->lo);
        jtl_hist_merge(&dst->hists[j], &src->hists[i]);
    }
    for (i = 0; i < dst->cap; i++)
        dst->hist_bytes += jtl_hist_bytes(&dst->hists[i]);
    enforce_budget(dst);
}

/* ------------------------------------------------------------------ */

int64_t jtl_timeline_auto_interval(int64_t span_ms, int64_t base_ms)
{
    static const int64_t nice_s[] = {
        1,   2,   5,    10,   15,   20,   30,    60,    120,   300,
        600, 900, 1200, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
    size_t i;
    int64_t g;

    if (base_ms <= 0)
        base_ms = 1000;
    if (span_ms < 0)
        span_ms = 0;
    for (i = 0; i < sizeof(nice_s) / sizeof(nice_s[0]); i++) {
        g = nice_s[i] * 1000;
        if (g < base_ms || g % base_ms)
            continue;
        if ((span_ms + g - 1) / g <= 300)
            return g;
    }
    g = base_ms > 86400000 ? base_ms : 86400000;
    while ((span_ms + g - 1) / g > 300)
        g *= 2;
    return g;
}

struct named {
    const char *s;
    size_t len;
    size_t idx;
};

static int cmp_named(const void *x, const void *y)
{
    const struct named *a = x, *b = y;

    return jtl_bytes_cmp(a->s, a->len, b->s, b->len);
}

static struct named *sorted_names(const struct entity *e, size_t n,
                                  const struct jtl_strtab *tab,
                                  uint32_t other_id, const char *other)
{
    struct named *v = jtl_xcalloc(n ? n : 1, sizeof(*v));
    size_t i;

    for (i = 0; i < n; i++) {
        if (e[i].id == other_id) {
            v[i].s = other;
            v[i].len = strlen(other);
        } else {
            v[i].s = jtl_strtab_str(tab, e[i].id);
            v[i].len = jtl_strtab_len(tab, e[i].id);
        }
        v[i].idx = i;
    }
    qsort(v, n, sizeof(*v), cmp_named);
    return v;
}

static uint64_t *copy_col(const struct jtl_tl *t, uint32_t c, size_t off,
                          size_t nb)
{
    uint64_t *v = jtl_xcalloc(nb ? nb : 1, sizeof(*v));

    memcpy(v, t->cols[c] + off, nb * sizeof(*v));
    return v;
}

static double *ratio_col(const struct jtl_tl *t, uint32_t num, uint32_t den,
                         size_t off, size_t nb)
{
    double *v = jtl_xcalloc(nb ? nb : 1, sizeof(*v));
    size_t i;

    for (i = 0; i < nb; i++) {
        uint64_t d = t->cols[den][off + i];
        v[i] = d ? (double)(int64_t)t->cols[num][off + i] / (double)d : NAN;
    }
    return v;
}

void jtl_tl_finish(struct jtl_tl *t, const struct jtl_tl_names *names,
                   struct jtl_timeline *out)
{
    size_t nb, off, i, k;
    struct named *nv;
    double p[JTL_STATS_MAX_PCT + 3];

    memset(out, 0, sizeof(*out));
    out->interval_auto = t->auto_g;
    if (t->any && t->auto_g) {
        int64_t want = jtl_timeline_auto_interval(t->tmax - t->tmin, t->g);
        coarsen_by(t, want / t->g);
    }
    out->interval_ms = t->g;
    out->interval_coarsened = t->coarsened;
    out->npct = names->npct;
    for (k = 0; k < names->npct; k++)
        out->pct_list[k] = names->pct_list[k];

    /* per-second series */
    if (t->sany) {
        size_t so = (size_t)(t->sfirst - t->slo);
        size_t ns = (size_t)(t->slast - t->sfirst + 1);
        uint32_t **dst[] = {&out->sec_hits, &out->sec_accepted, &out->sec_429,
                            &out->sec_errors, &out->sec_threads_max};
        uint32_t *src[] = {t->s_hits, t->s_ok, t->s_429, t->s_err, t->s_thr};
        out->sec_t0 = t->sfirst * 1000;
        out->nsec = ns;
        for (k = 0; k < 5; k++) {
            *dst[k] = jtl_xcalloc(ns, sizeof(uint32_t));
            memcpy(*dst[k], src[k] + so, ns * sizeof(uint32_t));
        }
    }
    out->sec_truncated = t->struncated;

    if (!t->any)
        return;
    nb = (size_t)(t->last - t->first + 1);
    off = (size_t)(t->first - t->lo);
    out->t0 = t->first * t->g;
    out->nbuckets = nb;
    out->hits = copy_col(t, C_HITS, off, nb);
    out->samples = copy_col(t, C_SAMPLES, off, nb);
    out->errors = copy_col(t, C_ERRORS, off, nb);
    out->tx_success = copy_col(t, C_TXS, off, nb);
    out->tx_failure = copy_col(t, C_TXF, off, nb);
    out->bytes_received = copy_col(t, C_BR, off, nb);
    out->bytes_sent = copy_col(t, C_BS, off, nb);
    out->rt_mean = ratio_col(t, C_RT_SUM, C_SAMPLES, off, nb);
    out->latency_mean = ratio_col(t, C_LAT_SUM, C_LAT_N, off, nb);
    out->connect_mean = ratio_col(t, C_CON_SUM, C_CON_N, off, nb);
    out->threads_all_mean = ratio_col(t, C_THR_SUM, C_THR_N, off, nb);
    out->threads_all_max = jtl_xcalloc(nb, sizeof(uint32_t));
    for (i = 0; i < nb; i++)
        out->threads_all_max[i] = (uint32_t)t->cols[C_THR_MAX][off + i];

    /* percentiles of each bucket: min, max, median, then the list */
    out->rt_min = jtl_xcalloc(nb, sizeof(double));
    out->rt_max = jtl_xcalloc(nb, sizeof(double));
    out->rt_median = jtl_xcalloc(nb, sizeof(double));
    for (k = 0; k < names->npct; k++)
        out->rt_pct[k] = jtl_xcalloc(nb, sizeof(double));
    p[0] = 50;
    for (k = 0; k < names->npct; k++)
        p[k + 1] = names->pct_list[k];
    for (i = 0; i < nb; i++) {
        const struct jtl_hist *h = &t->hists[off + i];
        double o[JTL_STATS_MAX_PCT + 1];
        jtl_hist_percentiles(h, p, names->npct + 1, names->method, o);
        out->rt_min[i] = h->n ? (double)h->min : NAN;
        out->rt_max[i] = h->n ? (double)h->max : NAN;
        out->rt_median[i] = o[0];
        for (k = 0; k < names->npct; k++)
            out->rt_pct[k][i] = o[k + 1];
    }
    out->rt_hist = t->hists + off;

    nv = sorted_names(t->codes, t->ncodes, names->codes, OTHER_CODE, "(other)");
    out->ncodes = t->ncodes;
    out->codes = jtl_xcalloc(t->ncodes ? t->ncodes : 1, sizeof(*out->codes));
    for (i = 0; i < t->ncodes; i++) {
        struct jtl_timeline_code *c = &out->codes[i];
        c->code = nv[i].s;
        c->len = nv[i].len;
        c->counts = copy_col(t, t->codes[nv[i].idx].col, off, nb);
        for (k = 0; k < nb; k++)
            c->total += c->counts[k];
    }
    free(nv);

    nv = sorted_names(t->labels, t->nlabels, names->labels, NONE, "");
    out->nlabels = t->nlabels;
    out->labels =
        jtl_xcalloc(t->nlabels ? t->nlabels : 1, sizeof(*out->labels));
    for (i = 0; i < t->nlabels; i++) {
        struct jtl_timeline_label *l = &out->labels[i];
        uint32_t col = t->labels[nv[i].idx].col;
        uint32_t id = t->labels[nv[i].idx].id;
        l->label = nv[i].s;
        l->len = nv[i].len;
        l->is_controller = names->label_is_tc && id < names->nlabel_is_tc &&
                           names->label_is_tc[id];
        l->success = copy_col(t, col, off, nb);
        l->failure = copy_col(t, col + 1, off, nb);
        l->rt_mean = jtl_xcalloc(nb ? nb : 1, sizeof(double));
        for (k = 0; k < nb; k++) {
            uint64_t n = l->success[k] + l->failure[k];
            l->rt_mean[k] =
                n ? (double)(int64_t)t->cols[col + 2][off + k] / (double)n
                  : NAN;
        }
    }
    free(nv);

    nv = sorted_names(t->groups, t->ngroups, names->groups, OTHER_GROUP,
                      "(other)");
    out->ngroups = t->ngroups;
    out->groups =
        jtl_xcalloc(t->ngroups ? t->ngroups : 1, sizeof(*out->groups));
    for (i = 0; i < t->ngroups; i++) {
        struct jtl_timeline_group *g = &out->groups[i];
        uint32_t col = t->groups[nv[i].idx].col;
        g->name = nv[i].s;
        g->len = nv[i].len;
        g->mean_threads = ratio_col(t, col, col + 1, off, nb);
    }
    free(nv);
}

void jtl_timeline_release(struct jtl_timeline *tl)
{
    size_t i;

    if (!tl)
        return;
    free(tl->hits);
    free(tl->samples);
    free(tl->errors);
    free(tl->tx_success);
    free(tl->tx_failure);
    free(tl->bytes_received);
    free(tl->bytes_sent);
    free(tl->rt_mean);
    free(tl->latency_mean);
    free(tl->connect_mean);
    free(tl->threads_all_mean);
    free(tl->threads_all_max);
    free(tl->rt_min);
    free(tl->rt_max);
    free(tl->rt_median);
    for (i = 0; i < JTL_STATS_MAX_PCT; i++)
        free(tl->rt_pct[i]);
    for (i = 0; i < tl->ncodes; i++)
        free(tl->codes[i].counts);
    free(tl->codes);
    for (i = 0; i < tl->nlabels; i++) {
        free(tl->labels[i].success);
        free(tl->labels[i].failure);
        free(tl->labels[i].rt_mean);
    }
    free(tl->labels);
    for (i = 0; i < tl->ngroups; i++)
        free(tl->groups[i].mean_threads);
    free(tl->groups);
    free(tl->sec_hits);
    free(tl->sec_accepted);
    free(tl->sec_429);
    free(tl->sec_errors);
    free(tl->sec_threads_max);
    memset(tl, 0, sizeof(*tl));
}

size_t jtl_tl_bytes(const struct jtl_tl *t)
{
    return t->ncols * t->cap * sizeof(uint64_t) +
           t->cap * sizeof(struct jtl_hist) + t->hist_bytes +
           t->scap * 5 * sizeof(uint32_t);
}

/* ------------------------------------------------------------------ */
/* Partial states                                                      */

#define ID_OTHER_SAVED 0 /* ids are saved + 1; 0 is the "(other)" entity */

static void save_cols(const struct jtl_tl *t, struct jtl_bw *w, uint32_t col,
                      size_t width)
{
    size_t c, i;

    for (c = 0; c < width; c++)
        for (i = (size_t)(t->first - t->lo); i <= (size_t)(t->last - t->lo);
             i++)
            jtl_bw_uv(w, t->cols[col + c][i]);
}

static void save_ents(const struct jtl_tl *t, struct jtl_bw *w,
                      const struct entity *e, size_t n, size_t width,
                      uint32_t other)
{
    size_t i;

    jtl_bw_uv(w, n);
    for (i = 0; i < n; i++) {
        jtl_bw_uv(w, e[i].id == other ? ID_OTHER_SAVED : (uint64_t)e[i].id + 1);
        save_cols(t, w, e[i].col, width);
    }
}

void jtl_tl_save(const struct jtl_tl *t, struct jtl_bw *w)
{
    uint32_t *arrs[5];
    size_t a, i;

    jtl_bw_u8(w, (t->coarsened ? 1u : 0u) | (t->any ? 2u : 0u) |
                     (t->sany ? 4u : 0u) | (t->struncated ? 8u : 0u));
    jtl_bw_uv(w, t->step);
    jtl_bw_i64(w, t->g);
    if (t->any) {
        jtl_bw_i64(w, t->first);
        jtl_bw_i64(w, t->last);
        jtl_bw_i64(w, t->tmin);
        jtl_bw_i64(w, t->tmax);
        save_cols(t, w, 0, C_NGLOBAL);
        save_ents(t, w, t->codes, t->ncodes, 1, OTHER_CODE);
        save_ents(t, w, t->labels, t->nlabels, 3, NONE);
        save_ents(t, w, t->groups, t->ngroups, 2, OTHER_GROUP);
        for (i = (size_t)(t->first - t->lo); i <= (size_t)(t->last - t->lo);
             i++)
            jtl_hist_save(&t->hists[i], w);
    }
    if (t->sany) {
        arrs[0] = t->s_hits;
        arrs[1] = t->s_ok;
        arrs[2] = t->s_429;
        arrs[3] = t->s_err;
        arrs[4] = t->s_thr;
        jtl_bw_i64(w, t->sfirst);
        jtl_bw_i64(w, t->slast);
        for (a = 0; a < 5; a++)
            for (i = (size_t)(t->sfirst - t->slo);
                 i <= (size_t)(t->slast - t->slo); i++)
                jtl_bw_uv(w, arrs[a][i]);
    }
}

static void load_cols(struct jtl_tl *t, struct jtl_br *r, uint32_t col,
                      size_t width, bool max)
{
    size_t c, i;

    for (c = 0; c < width; c++)
        for (i = (size_t)(t->first - t->lo); i <= (size_t)(t->last - t->lo);
             i++) {
            uint64_t v = jtl_br_uv(r);
            uint64_t *cell = &t->cols[col + c][i];
            if (max && (c + col) == C_THR_MAX)
                *cell = *cell > v ? *cell : v;
            else
                *cell += v;
        }
}

/* KIND 0 codes, 1 labels, 2 groups; ids below LIMIT. */
static bool load_ents(struct jtl_tl *t, struct jtl_br *r, int kind,
                      size_t limit)
{
    static const size_t width[3] = {1, 3, 2};
    size_t span = (size_t)(t->last - t->first + 1);
    size_t n = jtl_br_count(r, 1 + width[kind] * span, 0), i;
    bool *seen = jtl_xcalloc(limit + 1, sizeof(*seen));

    for (i = 0; i < n && !r->bad; i++) {
        uint64_t id = jtl_br_below(r, (uint64_t)limit + 1);
        uint32_t col;
        if (r->bad || seen[id] || (kind == 1 && id == ID_OTHER_SAVED)) {
            r->bad = true;
            break;
        }
        seen[id] = true;
        if (kind == 0)
            col = id == ID_OTHER_SAVED
                      ? other_col(t, &t->codes, &t->ncodes, &t->capcodes,
                                  &t->other_code_col, OTHER_CODE, 1)
                      : code_col(t, (uint32_t)(id - 1));
        else if (kind == 1)
            col = label_col(t, (uint32_t)(id - 1));
        else
            col = id == ID_OTHER_SAVED
                      ? other_col(t, &t->groups, &t->ngroups, &t->capgroups,
                                  &t->other_group_col, OTHER_GROUP, 2)
                      : group_col(t, (uint32_t)(id - 1));
        load_cols(t, r, col, width[kind], false);
    }
    free(seen);
    return !r->bad;
}

/* The interval STEP coarsenings give from a fresh T's. */
static bool step_gives(const struct jtl_tl *fresh, unsigned step, int64_t g)
{
    struct jtl_tl probe = *fresh;
    unsigned i;

    for (i = 0; i < step; i++) {
        if (probe.g > INT64_MAX / 10)
            return false;
        probe.g *= next_factor(&probe);
        probe.step++;
    }
    return probe.g == g;
}

struct jtl_tl *jtl_tl_load(struct jtl_br *r, int64_t granularity_ms,
                           const int *codes, size_t ncodes_refusal,
                           size_t nlabels, size_t ncodes, size_t ngroups)
{
    struct jtl_tl *t = jtl_tl_new(granularity_ms, codes, ncodes_refusal);
    unsigned flags = jtl_br_u8(r);
    uint64_t step = jtl_br_uv(r);
    int64_t g = jtl_br_i64(r);
    size_t i;

    if (r->bad || flags > 15 || step > 64 || !step_gives(t, (unsigned)step, g))
        goto bad;
    t->g = g;
    t->step = (unsigned)step;
    t->coarsened = flags & 1u;
    if (flags & 2u) {
        int64_t first = jtl_br_i64(r), last = jtl_br_i64(r);
        t->tmin = jtl_br_i64(r);
        t->tmax = jtl_br_i64(r);
        if (t->tmin < 0 || t->tmax < t->tmin ||
            t->tmax > JTL_TS_MAX + JTL_DURATION_MAX)
            goto bad;
        /* buckets of times the decoders accept (sample.h): no product
         * or end time downstream can overflow */
        if (r->bad || first > last || first < 0 ||
            last > (JTL_TS_MAX + JTL_DURATION_MAX) / t->g + 1 ||
            (uint64_t)(last - first) >= JTL_TIMELINE_MAX_BUCKETS ||
            jtl_br_left(r) / C_NGLOBAL < (uint64_t)(last - first + 1))
            goto bad;
        make_room(t, first, last);
        t->any = true;
        t->first = first;
        t->last = last;
        load_cols(t, r, 0, C_NGLOBAL, true);
        if (!load_ents(t, r, 0, ncodes) || !load_ents(t, r, 1, nlabels) ||
            !load_ents(t, r, 2, ngroups))
            goto bad;
        for (i = (size_t)(first - t->lo); i <= (size_t)(last - t->lo); i++)
            if (!jtl_hist_load(&t->hists[i], r))
                goto bad;
        for (i = 0; i < t->cap; i++)
            t->hist_bytes += jtl_hist_bytes(&t->hists[i]);
    }
    if (flags & 4u) {
        uint32_t **arrs[5] = {&t->s_hits, &t->s_ok, &t->s_429, &t->s_err,
                              &t->s_thr};
        int64_t sfirst = jtl_br_i64(r), slast = jtl_br_i64(r);
        size_t a;
        if (r->bad || sfirst > slast || sfirst < 0 ||
            slast > (JTL_TS_MAX + JTL_DURATION_MAX) / 1000 + 1 ||
            (uint64_t)(slast - sfirst) >= JTL_TIMELINE_MAX_SECONDS ||
            jtl_br_left(r) / 5 < (uint64_t)(slast - sfirst + 1) ||
            sec_slot(t, sfirst) < 0 || sec_slot(t, slast) < 0)
            goto bad;
        for (a = 0; a < 5; a++)
            for (i = (size_t)(sfirst - t->slo); i <= (size_t)(slast - t->slo);
                 i++) {
                uint64_t v = jtl_br_uv(r);
                if (v > UINT32_MAX)
                    r->bad = true;
                (*arrs[a])[i] = (uint32_t)v;
            }
    }
    t->struncated = (flags & 8u) != 0;
    if (r->bad)
        goto bad;
    return t;
bad:
    r->bad = true;
    jtl_tl_free(t);
    return NULL;
}
