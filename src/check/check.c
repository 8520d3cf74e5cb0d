/* SPDX-License-Identifier: MIT
 * check.c - evaluating the criteria (check.h): the whole run's values from
 * the statistics rows (exact histograms for any percentile), the throttling
 * analysis' scopes, and the windows slid over window.c's series. */
#include "jtl/check/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/labels.h"
#include "jtl/io/timefmt.h"
#include "jtl/stats/hist.h"

const char *jtl_check_status_name(enum jtl_check_status s)
{
    return s == JTL_CHECK_PASS   ? "pass"
           : s == JTL_CHECK_FAIL ? "fail"
                                 : "error";
}

const char *jtl_check_format(char *out, size_t cap,
                             const struct jtl_criterion *c, double v,
                             enum jtl_verdict verdict)
{
    if (c->subject == JTL_CRIT_VERDICT) {
        snprintf(out, cap, "%s", jtl_throttle_verdict_name(verdict));
        return out;
    }
    if (v != v) {
        snprintf(out, cap, "-");
        return out;
    }
    switch (jtl_criterion_unit(c)) {
    case JTL_UNIT_MS:
        snprintf(out, cap, "%.*f ms",
                 v == floor(v)  ? 0
                 : fabs(v) < 10 ? 2
                                : 1,
                 v);
        break;
    case JTL_UNIT_PCT:
        snprintf(out, cap, "%.2f %%", v);
        break;
    case JTL_UNIT_PER_S:
        snprintf(out, cap, "%.1f/s", v);
        break;
    case JTL_UNIT_KB_S:
        snprintf(out, cap, "%.1f KB/s", v);
        break;
    case JTL_UNIT_NONE:
        snprintf(out, cap, "%.3f", v);
        break;
    }
    return out;
}

/* ---- the result ---------------------------------------------------------- */

static struct jtl_check_item *item_new(struct jtl_check_result *r,
                                       const struct jtl_criterion *c,
                                       const char *label, size_t len)
{
    struct jtl_check_item *it;

    r->items = jtl_xrealloc(r->items, (r->n + 1) * sizeof(*r->items));
    it = &r->items[r->n++];
    memset(it, 0, sizeof(*it));
    it->crit = c;
    it->label = jtl_xstrndup(label, len);
    it->value = NAN;
    it->labels = 1;
    return it;
}

static void item_error(struct jtl_check_item *it, const char *fmt, ...)
    JTL_PRINTF(2, 3);

static void item_error(struct jtl_check_item *it, const char *fmt, ...)
{
    va_list ap;
    struct jtl_buf b;

    jtl_buf_init(&b, 0);
    va_start(ap, fmt);
    jtl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    it->status = JTL_CHECK_ERROR;
    it->value = NAN;
    it->message = jtl_buf_detach(&b, NULL);
}

/* The throttling verdict V in a sentence. */
static const char *verdict_words(enum jtl_verdict v)
{
    switch (v) {
    case JTL_VERDICT_THRESHOLD:
        return "the throttling is threshold-based";
    case JTL_VERDICT_RANDOM:
        return "the throttling is random";
    case JTL_VERDICT_INCONCLUSIVE:
        return "the throttling is neither clearly threshold-based nor random";
    case JTL_VERDICT_NONE:
        break;
    }
    return "no throttling";
}

/* The item's verdict on its value, and its sentence. */
static void item_judge(struct jtl_check_item *it, const char *tz)
{
    const struct jtl_criterion *c = it->crit;
    char v[64], t[64], a[64], b[64];
    bool holds;

    if (c->subject == JTL_CRIT_VERDICT)
        holds = it->verdict == c->verdict;
    else
        holds = jtl_crit_holds(c->op, it->value, c->value);
    it->status = holds ? JTL_CHECK_FAIL : JTL_CHECK_PASS;
    if (c->subject == JTL_CRIT_VERDICT) {
        /* "random == random" says nothing: the verdict in words */
        it->message = jtl_xstrdupf("%s (fails when the verdict is %s)",
                                   verdict_words(it->verdict),
                                   jtl_throttle_verdict_name(c->verdict));
        return;
    }
    jtl_check_format(v, sizeof(v), c, it->value, it->verdict);
    jtl_check_format(t, sizeof(t), c, c->value, c->verdict);
    if (it->win_start) {
        jtl_clock_format(it->win_start, tz, JTL_CLOCK_TIME, a, sizeof(a));
        jtl_clock_format(it->win_end, tz, JTL_CLOCK_TIME, b, sizeof(b));
        if (holds)
            it->message = jtl_xstrdupf("%s %s %s from %s to %s (a %g s window)",
                                       v, jtl_crit_op_text(c->op), t, a, b,
                                       (double)c->window / 1000);
        else
            it->message = jtl_xstrdupf(
                "%s in the worst %g s window, from %s to %s (fails when %s %s)",
                v, (double)c->window / 1000, a, b, jtl_crit_op_text(c->op), t);
    } else if (holds) {
        it->message = jtl_xstrdupf("%s %s %s", v, jtl_crit_op_text(c->op), t);
    } else {
        it->message = jtl_xstrdupf("%s (fails when %s %s)", v,
                                   jtl_crit_op_text(c->op), t);
    }
}

/* ---- the whole run: statistics rows -------------------------------------- */

/* Samples of ROW with code C (rcNNN) or in its class (rcNxx). */
static uint64_t rc_count(const struct jtl_criterion *c,
                         const struct jtl_stats_row *row)
{
    uint64_t n = 0;
    size_t i;

    for (i = 0; i < row->ncodes; i++) {
        const struct jtl_code_count *cc = &row->codes[i];
        if (cc->len != 3 || cc->code[0] < '1' || cc->code[0] > '9')
            continue;
        if (c->rc_cls ? cc->code[0] - '0' == c->rc : atoi(cc->code) == c->rc)
            n += cc->count;
    }
    return n;
}

/* The criterion's measure over ROWS[N] together (one row: its own figures,
 * as statistics.json has them). */
static double rows_value(const struct jtl_criterion *c,
                         const struct jtl_stats_row *const *rows, size_t n,
                         enum jtl_pct_method method, uint64_t *samples)
{
    uint64_t s = 0, err = 0, rc = 0, ap_n = 0;
    double sum = 0, ap = 0, lat = 0, lat_w = 0, con = 0, con_w = 0, max = NAN;
    double bytes = 0;
    int64_t t0 = INT64_MAX, t1 = INT64_MIN;
    struct jtl_hist merged;
    const struct jtl_hist *h = NULL;
    double v = NAN;
    size_t i;

    for (i = 0; i < n; i++) {
        const struct jtl_stats_row *r = rows[i];
        s += r->samples;
        err += r->errors;
        if (r->mean == r->mean)
            sum += r->mean * (double)r->samples;
        if (!(max >= r->max))
            max = r->max;
        if (r->latency_mean == r->latency_mean) {
            lat += r->latency_mean * (double)r->samples;
            lat_w += (double)r->samples;
        }
        if (r->connect_mean == r->connect_mean) {
            con += r->connect_mean * (double)r->samples;
            con_w += (double)r->samples;
        }
        ap += (double)r->apdex_satisfied + (double)r->apdex_tolerated / 2;
        ap_n += r->apdex_total;
        bytes += (double)r->bytes;
        if (r->first_start < t0)
            t0 = r->first_start;
        if (r->last_end > t1)
            t1 = r->last_end;
        if (c->subject == JTL_CRIT_RC)
            rc += rc_count(c, r);
    }
    *samples = s;
    if (s == 0)
        return NAN;
    if (c->subject == JTL_CRIT_PCT || c->subject == JTL_CRIT_STDEV_RT) {
        if (n == 1) {
            h = rows[0]->hist;
        } else {
            jtl_hist_init(&merged);
            for (i = 0; i < n; i++)
                if (rows[i]->hist)
                    jtl_hist_merge(&merged, rows[i]->hist);
            h = &merged;
        }
    }
    switch (c->subject) {
    case JTL_CRIT_AVG_RT:
        v = n == 1 ? rows[0]->mean : sum / (double)s;
        break;
    case JTL_CRIT_MAX_RT:
        v = max;
        break;
    case JTL_CRIT_PCT:
        v = h ? jtl_hist_percentile(h, c->pct, method) : NAN;
        break;
    case JTL_CRIT_STDEV_RT:
        v = jtl_hist_stdev(h);
        break;
    case JTL_CRIT_AVG_LT:
        v = lat_w > 0 ? lat / lat_w : NAN;
        break;
    case JTL_CRIT_AVG_CT:
        v = con_w > 0 ? con / con_w : NAN;
        break;
    case JTL_CRIT_FAIL:
        v = n == 1 ? rows[0]->error_pct : 100.0 * (double)err / (double)s;
        break;
    case JTL_CRIT_RC:
        v = 100.0 * (double)rc / (double)s;
        break;
    case JTL_CRIT_HITS:
        v = n == 1    ? rows[0]->throughput
            : t1 > t0 ? (double)s / ((double)(t1 - t0) / 1000.0)
                      : NAN;
        break;
    case JTL_CRIT_BYTES:
        v = n == 1    ? rows[0]->received_kbps
            : t1 > t0 ? bytes / 1024.0 / ((double)(t1 - t0) / 1000.0)
                      : NAN;
        break;
    case JTL_CRIT_APDEX:
        v = n == 1 ? rows[0]->apdex : ap_n ? ap / (double)ap_n : NAN;
        break;
    case JTL_CRIT_THROTTLED:
    case JTL_CRIT_LIMIT:
    case JTL_CRIT_VERDICT:
        break;
    }
    if (h == &merged)
        jtl_hist_release(&merged);
    return v;
}

static bool needs_field(const struct jtl_criterion *c, double v)
{
    return v != v &&
           (c->subject == JTL_CRIT_AVG_LT || c->subject == JTL_CRIT_AVG_CT);
}

static void stats_item(struct jtl_check_result *r,
                       const struct jtl_criterion *c,
                       const struct jtl_stats_result *st, const char *name,
                       const struct jtl_stats_row *const *rows, size_t n,
                       const char *tz)
{
    struct jtl_check_item *it = item_new(r, c, name, strlen(name));

    it->labels = (double)n;
    it->value = rows_value(c, rows, n, st->method, &it->samples);
    if (it->samples == 0)
        item_error(it, "no sample of '%s' to measure", name);
    else if (needs_field(c, it->value))
        item_error(it, "the input has no %s column",
                   c->subject == JTL_CRIT_AVG_LT ? "Latency" : "Connect");
    else
        item_judge(it, tz);
}

/* ---- the throttling analysis --------------------------------------------- */

static void throttle_item(struct jtl_check_result *r,
                          const struct jtl_criterion *c,
                          const struct jtl_throttle_scope *sc, const char *name,
                          const char *tz)
{
    struct jtl_check_item *it = item_new(r, c, name, strlen(name));
    const struct jtl_throttle_limit *l = &sc->limit;

    it->samples = sc->samples;
    it->labels = (double)(sc->labels ? sc->labels : 1);
    it->verdict = sc->verdict;
    switch (c->subject) {
    case JTL_CRIT_THROTTLED:
        it->value = sc->samples
                        ? 100.0 * (double)sc->throttled / (double)sc->samples
                        : NAN;
        break;
    case JTL_CRIT_LIMIT:
        if (sc->verdict != JTL_VERDICT_THRESHOLD) {
            item_error(it, "no limit was found for '%s': the throttling is %s",
                       name, jtl_throttle_verdict_name(sc->verdict));
            return;
        }
        if (l->rate_per_s == l->rate_per_s)
            it->value = l->rate_per_s;
        else if (l->per_window == l->per_window && l->window_s > 0)
            it->value = l->per_window / l->window_s;
        if (it->value != it->value) {
            if (l->concurrency == l->concurrency)
                item_error(it,
                           "the limit of '%s' is a concurrency limit (%g "
                           "requests in flight), not a rate",
                           name, l->concurrency);
            else
                item_error(it,
                           "the limit of '%s' could not be estimated as "
                           "a rate",
                           name);
            return;
        }
        break;
    case JTL_CRIT_VERDICT:
        it->value = 0;
        break;
    default:
        break;
    }
    if (it->samples == 0)
        item_error(it, "no request of '%s' was analysed", name);
    else
        item_judge(it, tz);
}

/* The label scopes of the analysis whose name is NAME, or whose name is
 * NAME's endpoint template (labels grouped by --group-labels auto). */
static const struct jtl_throttle_scope *
scope_named(const struct jtl_throttle_result *th, const char *name)
{
    struct jtl_buf b;
    const struct jtl_throttle_scope *found = NULL;
    size_t i;

    for (i = 0; i < th->nscopes && !found; i++)
        if (th->scopes[i].kind == JTL_SCOPE_LABEL &&
            strcmp(th->scopes[i].name, name) == 0)
            found = &th->scopes[i];
    jtl_buf_init(&b, 0);
    if (!found && jtl_label_template(name, strlen(name), &b))
        for (i = 0; i < th->nscopes && !found; i++)
            if (th->scopes[i].kind == JTL_SCOPE_LABEL &&
                strcmp(th->scopes[i].name, b.p) == 0)
                found = &th->scopes[i];
    jtl_buf_release(&b);
    return found;
}

static void eval_throttle(struct jtl_check_result *r,
                          const struct jtl_criterion *c,
                          const struct jtl_check_opts *o,
                          const struct jtl_throttle_result *th, const char *tz)
{
    const struct jtl_throttle_scope *sc;
    size_t i, k = 0;

    if (!th) {
        item_error(item_new(r, c, c->label ? c->label : "Total",
                            strlen(c->label ? c->label : "Total")),
                   "the throttling analysis did not run");
        return;
    }
    switch (c->scope) {
    case JTL_CRIT_TOTAL:
        throttle_item(r, c, &th->run, "Total", tz);
        for (i = 0; o->each_label && i < th->nscopes; i++)
            if (th->scopes[i].kind == JTL_SCOPE_LABEL)
                throttle_item(r, c, &th->scopes[i], th->scopes[i].name, tz);
        return;
    case JTL_CRIT_LABEL:
    case JTL_CRIT_TEMPLATE:
        sc = scope_named(th, c->label);
        if (sc)
            throttle_item(r, c, sc, c->label, tz);
        else
            item_error(item_new(r, c, c->label, strlen(c->label)),
                       "no request with the label '%s' was analysed", c->label);
        return;
    case JTL_CRIT_REGEX:
        for (i = 0; i < th->nscopes; i++)
            if (th->scopes[i].kind == JTL_SCOPE_LABEL &&
                jtl_regex_match(c->re, th->scopes[i].name,
                                strlen(th->scopes[i].name))) {
                throttle_item(r, c, &th->scopes[i], th->scopes[i].name, tz);
                k++;
            }
        if (k == 0)
            item_error(item_new(r, c, c->label, strlen(c->label)),
                       "no label analysed matches /%s/", c->label);
        return;
    }
}

static const struct jtl_stats_row *find_row(const struct jtl_stats_result *st,
                                            const char *label)
{
    size_t i;

    for (i = 0; i < st->nrows; i++)
        if (strcmp(st->rows[i].label, label) == 0)
            return &st->rows[i];
    return NULL;
}

static void eval_stats(struct jtl_check_result *r,
                       const struct jtl_criterion *c,
                       const struct jtl_check_opts *o,
                       const struct jtl_stats_result *st, const char *tz)
{
    const struct jtl_stats_row **rows;
    struct jtl_buf b;
    size_t i, k = 0;

    rows = jtl_xcalloc(st->nrows + 1, sizeof(*rows));
    jtl_buf_init(&b, 0);
    switch (c->scope) {
    case JTL_CRIT_TOTAL:
        rows[0] = &st->total;
        stats_item(r, c, st, "Total", rows, 1, tz);
        for (i = 0; o->each_label && i < st->nrows; i++) {
            rows[0] = &st->rows[i];
            stats_item(r, c, st, st->rows[i].label, rows, 1, tz);
        }
        break;
    case JTL_CRIT_LABEL:
        for (i = 0; i < st->nrows && !k; i++)
            if (strcmp(st->rows[i].label, c->label) == 0)
                rows[k++] = &st->rows[i];
        if (k) {
            stats_item(r, c, st, c->label, rows, 1, tz);
        } else if (jtl_label_template(c->label, strlen(c->label), &b) &&
                   find_row(st, b.p)) {
            /* the statistics grouped it (--group-labels auto) */
            item_error(item_new(r, c, c->label, strlen(c->label)),
                       "no row of its own for the label '%s': it is in the "
                       "endpoint '%s' (name that, or --group-labels off)",
                       c->label, b.p);
        } else {
            item_error(item_new(r, c, c->label, strlen(c->label)),
                       "no sample with the label '%s'", c->label);
        }
        break;
    case JTL_CRIT_TEMPLATE:
        /* the labels of the endpoint together (or its row, when the
         * statistics grouped them already) */
        for (i = 0; i < st->nrows; i++) {
            const struct jtl_stats_row *row = &st->rows[i];
            if (strcmp(row->label, c->label) == 0 ||
                (jtl_label_template(row->label, row->label_len, &b) &&
                 strcmp(b.p, c->label) == 0))
                rows[k++] = row;
        }
        if (k)
            stats_item(r, c, st, c->label, rows, k, tz);
        else
            item_error(item_new(r, c, c->label, strlen(c->label)),
                       "no sample with a label of the endpoint '%s'", c->label);
        break;
    case JTL_CRIT_REGEX:
        for (i = 0; i < st->nrows; i++)
            if (jtl_regex_match(c->re, st->rows[i].label,
                                strlen(st->rows[i].label))) {
                rows[0] = &st->rows[i];
                stats_item(r, c, st, st->rows[i].label, rows, 1, tz);
                k++;
            }
        if (k == 0)
            item_error(item_new(r, c, c->label, strlen(c->label)),
                       "no label matches /%s/", c->label);
        break;
    }
    jtl_buf_release(&b);
    free(rows);
}

/* ---- windows ------------------------------------------------------------- */

/* The window sliding over a series: the sums of its buckets, and for the
 * percentiles, maximum and spread the multiset of its elapsed values as a
 * count per distinct value of the series and per block of about
 * sqrt(distinct values) of them: a value comes or goes in two additions,
 * a rank is found by walking the blocks, then one block, from the end
 * nearer to it.  Seconds come and go far more often than a window asks
 * for a rank (every second's values, once per window). */
__extension__ typedef unsigned __int128 u128;

struct slide {
    struct jtl_win_bucket t; /* the window's sums (vals unused) */
    uint32_t *dict;          /* the series' distinct values, ascending */
    size_t k;
    uint64_t *at;  /* [k]: how many of each value */
    uint64_t *blk; /* [nblk]: how many in each block of 2^shift values */
    size_t nblk;
    unsigned shift;
    bool spread; /* keep s1 and s2 (stdev-rt) */
    uint64_t cnt;
    /* sum and sum of squares of the values, exact: the spread does not
     * drift as the window slides, nor depend on the order values came in
     * (read in blocks by threads or alone) */
    u128 s1, s2;
};

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

    return (x > y) - (x < y);
}

/* Place of V in the dictionary: one step with the bitmap SEEN and the
 * counts BEFORE each of its words, else a binary search. */
static uint32_t dict_place(const struct slide *sl, const uint64_t *seen,
                           const uint32_t *before, uint32_t v)
{
    size_t lo = 0, hi = sl->k;

    if (seen)
        return before[v / 64] +
               (uint32_t)__builtin_popcountll(seen[v / 64] &
                                              (((uint64_t)1 << (v % 64)) - 1));
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sl->dict[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (uint32_t)lo;
}

/* The dictionary of S's distinct values, and S's tables packed into
 * (place in the dictionary, count) pairs: S's values are read once here
 * and then only slid over (window_item is the series' last reader). */
static void slide_init(struct slide *sl, struct jtl_win_series *s, bool vals)
{
    size_t i, n = 0, k = 0;
    uint32_t j, max = 0;
    uint64_t *seen = NULL;
    uint32_t *before = NULL;

    memset(sl, 0, sizeof(*sl));
    if (!vals)
        return;
    for (i = 0; i < s->n; i++)
        if (s->b[i].vals)
            n += s->b[i].vals->n;
    sl->dict = jtl_xmalloc((n + 1) * sizeof(*sl->dict));
    for (i = 0; i < s->n; i++)
        if (s->b[i].vals && s->b[i].vals->n && s->b[i].vals->max > max)
            max = s->b[i].vals->max;
    if (max < (1u << 26)) {
        /* milliseconds below 18 hours: a bitmap of the values seen, read
         * in order (linear, no sort) */
        seen = jtl_xcalloc(max / 64 + 1, sizeof(*seen));
        before = jtl_xmalloc((max / 64 + 1) * sizeof(*before));
        for (i = 0; i < s->n; i++)
            for (j = 0; s->b[i].vals && j < s->b[i].vals->cap; j++) {
                uint32_t v = s->b[i].vals->p[j].v;
                if (s->b[i].vals->p[j].c)
                    seen[v / 64] |= (uint64_t)1 << (v % 64);
            }
        for (i = 0; i <= max / 64; i++) {
            uint64_t w = seen[i];
            before[i] = (uint32_t)k;
            while (w) {
                int b = __builtin_ctzll(w);
                sl->dict[k++] = (uint32_t)(i * 64 + (size_t)b);
                w &= w - 1;
            }
        }
        n = k;
    } else {
        for (i = 0; i < s->n; i++)
            for (j = 0; s->b[i].vals && j < s->b[i].vals->cap; j++)
                if (s->b[i].vals->p[j].c)
                    sl->dict[k++] = s->b[i].vals->p[j].v;
        qsort(sl->dict, k, sizeof(*sl->dict), cmp_u32);
        for (i = 0, n = 0; i < k; i++)
            if (n == 0 || sl->dict[n - 1] != sl->dict[i])
                sl->dict[n++] = sl->dict[i];
    }
    sl->k = n;
    sl->at = jtl_xcalloc(n + 1, sizeof(*sl->at));
    for (sl->shift = 4; ((size_t)1 << (2 * sl->shift)) < n; sl->shift++)
        ;
    sl->nblk = (n >> sl->shift) + 1;
    sl->blk = jtl_xcalloc(sl->nblk, sizeof(*sl->blk));
    for (i = 0; i < s->n; i++) {
        struct jtl_win_vals *t = s->b[i].vals;
        uint32_t used = 0;
        for (j = 0; t && j < t->cap; j++)
            if (t->p[j].c) {
                t->p[used].v = dict_place(sl, seen, before, t->p[j].v);
                t->p[used++].c = t->p[j].c;
            }
        if (t)
            t->n = t->cap = used; /* packed: no longer a table */
    }
    free(seen);
    free(before);
}

static void slide_release(struct slide *sl)
{
    free(sl->dict);
    free(sl->at);
    free(sl->blk);
}

/* Add (SIGN 1) or remove (-1) bucket B, packed by slide_init. */
static void slide_move(struct slide *sl, const struct jtl_win_bucket *b,
                       int sign)
{
    struct jtl_win_bucket *t = &sl->t;
    uint32_t j;

#define MOVE(f) t->f = sign > 0 ? t->f + b->f : t->f - b->f
    MOVE(n);
    MOVE(err);
    MOVE(match);
    MOVE(timed);
    MOVE(sum);
    MOVE(lat_n);
    MOVE(lat_sum);
    MOVE(con_n);
    MOVE(con_sum);
    MOVE(bytes);
    MOVE(sat);
    MOVE(tol);
#undef MOVE
    if (!sl->at || !b->vals)
        return;
    for (j = 0; j < b->vals->n; j++) {
        uint32_t at = b->vals->p[j].v;
        uint64_t c = b->vals->p[j].c;
        if (sign > 0) {
            sl->at[at] += c;
            sl->blk[at >> sl->shift] += c;
            sl->cnt += c;
        } else {
            sl->at[at] -= c;
            sl->blk[at >> sl->shift] -= c;
            sl->cnt -= c;
        }
        if (sl->spread) {
            u128 d = sl->dict[at];
            sl->s1 = sign > 0 ? sl->s1 + d * c : sl->s1 - d * c;
            sl->s2 = sign > 0 ? sl->s2 + d * d * c : sl->s2 - d * d * c;
        }
    }
}

/* The R-th smallest value in the window (1 <= R <= cnt). */
static double slide_rank(const struct slide *sl, uint64_t r)
{
    size_t b, x, end;
    uint64_t q;

    if (r <= sl->cnt / 2) { /* from the smallest */
        for (b = 0; b < sl->nblk && sl->blk[b] < r; b++)
            r -= sl->blk[b];
        for (x = b << sl->shift; x < sl->k; x++) {
            if (sl->at[x] >= r)
                return (double)sl->dict[x];
            r -= sl->at[x];
        }
        return NAN;
    }
    q = sl->cnt - r + 1; /* the Q-th largest */
    for (b = sl->nblk; b-- > 0 && sl->blk[b] < q;)
        q -= sl->blk[b];
    if (b >= sl->nblk)
        return NAN;
    end = (b + 1) << sl->shift;
    for (x = end < sl->k ? end : sl->k; x-- > b << sl->shift;) {
        if (sl->at[x] >= q)
            return (double)sl->dict[x];
        q -= sl->at[x];
    }
    return NAN;
}

static double slide_pct(const struct slide *sl, double p,
                        enum jtl_pct_method method)
{
    double pos, lo;

    if (sl->cnt == 0)
        return NAN;
    if (method == JTL_PCT_EXACT)
        return slide_rank(sl, jtl_pct_exact_rank(p, sl->cnt));
    pos = jtl_pct_legacy_pos(p, sl->cnt);
    if (pos < 1)
        return slide_rank(sl, 1);
    if (pos >= (double)sl->cnt)
        return slide_rank(sl, sl->cnt);
    lo = slide_rank(sl, (uint64_t)floor(pos));
    return lo +
           (pos - floor(pos)) * (slide_rank(sl, (uint64_t)floor(pos) + 1) - lo);
}

/* The measure over the window now in SL, W seconds long. */
static double slide_value(const struct jtl_criterion *c, const struct slide *sl,
                          size_t w, enum jtl_pct_method method)
{
    const struct jtl_win_bucket *t = &sl->t;
    long double mean, var;

    switch (c->subject) {
    case JTL_CRIT_AVG_RT:
        return t->timed ? t->sum / (double)t->timed : NAN;
    case JTL_CRIT_MAX_RT:
        return sl->cnt ? slide_rank(sl, sl->cnt) : NAN;
    case JTL_CRIT_PCT:
        return slide_pct(sl, c->pct, method);
    case JTL_CRIT_STDEV_RT:
        if (!sl->cnt)
            return NAN;
        mean = (long double)sl->s1 / (long double)sl->cnt;
        var = (long double)sl->s2 / (long double)sl->cnt - mean * mean;
        return sqrt((double)(var > 0 ? var : 0));
    case JTL_CRIT_AVG_LT:
        return t->lat_n ? t->lat_sum / (double)t->lat_n : NAN;
    case JTL_CRIT_AVG_CT:
        return t->con_n ? t->con_sum / (double)t->con_n : NAN;
    case JTL_CRIT_FAIL:
        return t->n ? 100.0 * (double)t->err / (double)t->n : NAN;
    case JTL_CRIT_RC:
        return t->n ? 100.0 * (double)t->match / (double)t->n : NAN;
    case JTL_CRIT_HITS:
        return (double)t->n / (double)w; /* an idle window: 0/s */
    case JTL_CRIT_BYTES:
        return (double)t->bytes / 1024.0 / (double)w;
    case JTL_CRIT_APDEX:
        return t->timed
                   ? ((double)t->sat + (double)t->tol / 2) / (double)t->timed
                   : NAN;
    default:
        break;
    }
    return NAN;
}

/* Is A a worse value than B for the criterion (farther past its bound)? */
static bool worse(enum jtl_crit_op op, double a, double b)
{
    if (b != b)
        return a == a;
    return op == JTL_OP_LT || op == JTL_OP_LE ? a < b : a > b;
}

static void window_item(struct jtl_check_result *r,
                        const struct jtl_criterion *c, struct jtl_win_series *s,
                        const char *name, enum jtl_pct_method method,
                        const char *tz)
{
    struct jtl_check_item *it = item_new(r, c, name, strlen(name));
    size_t w = (size_t)((c->window + 999) / 1000), i, bad = SIZE_MAX,
           best = SIZE_MAX;
    double bad_v = NAN, best_v = NAN;
    uint64_t n, bad_n = 0, best_n = 0;
    struct slide sl;

    if (s->too_long) {
        char a[64], b[64];
        jtl_clock_format(s->lo * 1000, tz, JTL_CLOCK_DATETIME, a, sizeof(a));
        jtl_clock_format(s->hi * 1000, tz, JTL_CLOCK_DATETIME, b, sizeof(b));
        item_error(it,
                   "'%s' has samples from %s to %s (%.1f days); a "
                   "windowed criterion covers %d days at most (a timestamp "
                   "out of place? --from and --to keep a part)",
                   name, a, b, (double)(s->hi - s->lo) / 86400,
                   JTL_WIN_MAX_SPAN / 86400);
        return;
    }
    if (s->n < w) {
        item_error(it, "'%s' ran for %zu s, shorter than the %g s window", name,
                   s->n, (double)c->window / 1000);
        return;
    }
    slide_init(&sl, s,
               c->subject == JTL_CRIT_PCT || c->subject == JTL_CRIT_MAX_RT ||
                   c->subject == JTL_CRIT_STDEV_RT);
    sl.spread = c->subject == JTL_CRIT_STDEV_RT;
    for (i = 0; i < w; i++)
        slide_move(&sl, &s->b[i], 1);
    for (i = 0; i + w <= s->n; i++) {
        double v;
        if (i > 0) {
            /* the same samples as the window before (idle seconds): the
             * same value, and an equal value never replaces an earlier
             * window */
            if (!s->b[i - 1].n && !s->b[i + w - 1].n)
                continue;
            slide_move(&sl, &s->b[i - 1], -1);
            slide_move(&sl, &s->b[i + w - 1], 1);
        }
        v = slide_value(c, &sl, w, method);
        n = sl.t.n;
        if (v != v)
            continue;
        if (jtl_crit_holds(c->op, v, c->value)) {
            if (bad == SIZE_MAX || worse(c->op, v, bad_v)) {
                bad = i;
                bad_v = v;
                bad_n = n;
            }
        } else if (best == SIZE_MAX || worse(c->op, v, best_v)) {
            /* the passing window closest to the bound */
            best = i;
            best_v = v;
            best_n = n;
        }
    }
    slide_release(&sl);
    if (bad == SIZE_MAX && best == SIZE_MAX) {
        item_error(it, "no %g s window of '%s' has a value to measure",
                   (double)c->window / 1000, name);
        return;
    }
    i = bad != SIZE_MAX ? bad : best;
    it->value = bad != SIZE_MAX ? bad_v : best_v;
    it->samples = bad != SIZE_MAX ? bad_n : best_n;
    it->win_start = (s->base + (int64_t)i) * 1000;
    it->win_end = it->win_start + (int64_t)w * 1000;
    item_judge(it, tz);
}

static void eval_window(struct jtl_check_result *r,
                        const struct jtl_criterion *c,
                        struct jtl_check_win *win, enum jtl_pct_method method,
                        const char *tz)
{
    struct jtl_win_crit *wc = NULL;
    size_t i;

    for (i = 0; win && i < win->n; i++)
        if (win->c[i].c == c)
            wc = &win->c[i];
    if (!wc) {
        item_error(item_new(r, c, "Total", 5),
                   "the per-second series of this window were not kept");
        return;
    }
    if (wc->too_many) {
        item_error(item_new(r, c, c->label ? c->label : "Total",
                            strlen(c->label ? c->label : "Total")),
                   "more than %u labels for one window: name fewer",
                   JTL_WIN_MAX_SERIES);
        return;
    }
    if (wc->ns == 0) {
        const char *what = c->label ? c->label : "Total";
        item_error(item_new(r, c, what, strlen(what)),
                   c->scope == JTL_CRIT_REGEX ? "no label matches /%s/"
                                              : "no sample with the label "
                                                "'%s'",
                   what);
        return;
    }
    for (i = 0; i < wc->ns; i++) {
        struct jtl_win_series *s = &wc->s[i];
        window_item(r, c, s, s->label[0] ? s->label : "Total", method, tz);
    }
}

/* ---- the run ------------------------------------------------------------- */

void jtl_check_run(const struct jtl_criterion *crit, size_t n,
                   const struct jtl_check_opts *opts,
                   const struct jtl_stats_result *st,
                   const struct jtl_throttle_result *th,
                   struct jtl_check_win *win, struct jtl_check_result *out)
{
    size_t i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < n; i++) {
        const struct jtl_criterion *c = &crit[i];
        if (c->subject == JTL_CRIT_THROTTLED || c->subject == JTL_CRIT_LIMIT ||
            c->subject == JTL_CRIT_VERDICT)
            eval_throttle(out, c, opts, th, opts->tz);
        else if (c->window > 0)
            eval_window(out, c, win, st->method, opts->tz);
        else
            eval_stats(out, c, opts, st, opts->tz);
    }
    for (i = 0; i < out->n; i++) {
        struct jtl_check_item *it = &out->items[i];
        out->npass += it->status == JTL_CHECK_PASS;
        out->nfail += it->status == JTL_CHECK_FAIL;
        out->nerror += it->status == JTL_CHECK_ERROR;
    }
    out->passed = out->nfail == 0 && (out->nerror == 0 || opts->allow_missing);
}

void jtl_check_release(struct jtl_check_result *r)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        free(r->items[i].label);
        free(r->items[i].message);
    }
    free(r->items);
    memset(r, 0, sizeof(*r));
}
