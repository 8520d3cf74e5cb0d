/* SPDX-License-Identifier: MIT
 * compare.c - a run against a baseline (compare.h): labels matched by name,
 * then by endpoint template; each figure's change; a verdict that needs a
 * change both larger than min_change and beyond the noise a Mann-Whitney U
 * test of the two exact distributions measures; the throttling before and
 * after; the --fail-if rules. */
#include "jtl/check/compare.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jtl/base/buf.h"
#include "jtl/base/strtab.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/labels.h"

#define MIN_SAMPLES 20 /* fewer on a side: no verdict */

static const char *const metric_names[JTL_CMP_NMETRICS] = {
    "samples", "error_pct", "mean",       "p50",          "p90",
    "p95",     "p99",       "throughput", "received_kbps"};

const char *jtl_cmp_metric_name(enum jtl_cmp_metric m)
{
    return m < JTL_CMP_NMETRICS ? metric_names[m] : "?";
}

const char *jtl_cmp_change_name(enum jtl_cmp_change c)
{
    switch (c) {
    case JTL_CMP_SAME:
        return "same";
    case JTL_CMP_SLOWER:
        return "slower";
    case JTL_CMP_FASTER:
        return "faster";
    case JTL_CMP_NOT_COMPARABLE:
        break;
    }
    return "not-comparable";
}

void jtl_cmp_opts_init(struct jtl_cmp_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->min_change = 0.05;
    o->alpha = 0.01;
    o->metric = JTL_CMP_P95;
}

/* ---- the test ------------------------------------------------------------ */

double jtl_mann_whitney(const struct jtl_hist *b, const struct jtl_hist *c,
                        int *dir)
{
    struct jtl_hist_iter ib, ic;
    int64_t vb = 0, vc = 0;
    uint64_t nb = 0, nc = 0;
    bool hb, hc;
    double n1, n2, n, below = 0, rc = 0, ties = 0, u, mu, var, z;

    *dir = 0;
    if (!b || !c || b->n == 0 || c->n == 0)
        return NAN;
    n1 = (double)b->n;
    n2 = (double)c->n;
    n = n1 + n2;
    jtl_hist_iter_init(&ib, b);
    jtl_hist_iter_init(&ic, c);
    hb = jtl_hist_iter_next(&ib, &vb, &nb);
    hc = jtl_hist_iter_next(&ic, &vc, &nc);
    /* one walk over the union of the values: each tie group takes the
     * mean of the ranks it spans */
    while (hb || hc) {
        int64_t v = !hc || (hb && vb < vc) ? vb : vc;
        double a = hb && vb == v ? (double)nb : 0;
        double k = hc && vc == v ? (double)nc : 0;
        double t = a + k, mid = below + (t + 1) / 2;
        rc += k * mid;
        ties += t * t * t - t;
        below += t;
        if (hb && vb == v)
            hb = jtl_hist_iter_next(&ib, &vb, &nb);
        if (hc && vc == v)
            hc = jtl_hist_iter_next(&ic, &vc, &nc);
    }
    u = rc - n2 * (n2 + 1) / 2; /* the current side's U */
    mu = n1 * n2 / 2;
    var = n1 * n2 / 12 * ((n + 1) - ties / (n * (n - 1)));
    if (!(var > 0))
        return 1; /* every value equal: no difference */
    *dir = u > mu ? 1 : u < mu ? -1 : 0;
    /* continuity correction towards the mean */
    z = (fabs(u - mu) - 0.5) / sqrt(var);
    if (z < 0)
        z = 0;
    return erfc(z / sqrt(2.0));
}

/* ---- each side's figures ------------------------------------------------- */

/* Percentile P of ROW: from the percentiles asked for, else the histogram. */
static double row_pct(const struct jtl_stats_result *st,
                      const struct jtl_stats_row *row, double p)
{
    size_t i;

    if (p == 50)
        return row->median;
    for (i = 0; i < st->npct; i++)
        if (st->pct_list[i] == p)
            return row->pct[i];
    return row->hist ? jtl_hist_percentile(row->hist, p, st->method) : NAN;
}

/* A float as JMeter prints it (Float.toString: the shortest digits that
 * read back as the same float), read back as a double: --jmeter-compat's
 * errorPct is a float, and a statistics.json holds its digits. */
static double float_digits(double v)
{
    float f = (float)v;
    char s[32];
    int prec;

    if (v != v)
        return v;
    for (prec = 1; prec <= 9; prec++) {
        snprintf(s, sizeof(s), "%.*g", prec, (double)f);
        if ((float)strtod(s, NULL) == f)
            break;
    }
    return strtod(s, NULL);
}

static void fig_of_row(struct jtl_cmp_fig *f, const struct jtl_stats_result *st,
                       const struct jtl_stats_row *row)
{
    f->v[JTL_CMP_SAMPLES] = (double)row->samples;
    f->v[JTL_CMP_ERROR_PCT] =
        st->jmeter_compat ? float_digits(row->error_pct) : row->error_pct;
    f->v[JTL_CMP_MEAN] = row->mean;
    f->v[JTL_CMP_P50] = row->median;
    f->v[JTL_CMP_P90] = row_pct(st, row, 90);
    f->v[JTL_CMP_P95] = row_pct(st, row, 95);
    f->v[JTL_CMP_P99] = row_pct(st, row, 99);
    f->v[JTL_CMP_THROUGHPUT] = row->throughput;
    f->v[JTL_CMP_RECEIVED] = row->received_kbps;
    f->min = row->min;
    f->max = row->max;
    f->labels = row->labels ? row->labels : 1;
    if (row->hist) {
        f->hist = jtl_xcalloc(1, sizeof(*f->hist));
        jtl_hist_init(f->hist);
        jtl_hist_merge(f->hist, row->hist);
    }
}

static void fig_of_json(struct jtl_cmp_fig *f,
                        const struct jtl_statsjson_row *row)
{
    f->v[JTL_CMP_SAMPLES] = (double)row->samples;
    f->v[JTL_CMP_ERROR_PCT] = row->error_pct;
    f->v[JTL_CMP_MEAN] = row->mean;
    f->v[JTL_CMP_P50] = jtl_statsjson_pct(row, 50);
    f->v[JTL_CMP_P90] = jtl_statsjson_pct(row, 90);
    f->v[JTL_CMP_P95] = jtl_statsjson_pct(row, 95);
    f->v[JTL_CMP_P99] = jtl_statsjson_pct(row, 99);
    f->v[JTL_CMP_THROUGHPUT] = row->throughput;
    f->v[JTL_CMP_RECEIVED] = row->received_kbps;
    f->min = row->min;
    f->max = row->max;
    f->labels = 1;
}

/* F += G: labels of one endpoint together (the percentiles again from the
 * merged histograms; without them, unknown). */
static void fig_merge(struct jtl_cmp_fig *f, const struct jtl_cmp_fig *g,
                      enum jtl_pct_method method)
{
    double n1 = f->v[JTL_CMP_SAMPLES], n2 = g->v[JTL_CMP_SAMPLES], n = n1 + n2;

    if (n > 0) {
        f->v[JTL_CMP_ERROR_PCT] =
            (f->v[JTL_CMP_ERROR_PCT] * n1 + g->v[JTL_CMP_ERROR_PCT] * n2) / n;
        f->v[JTL_CMP_MEAN] =
            (f->v[JTL_CMP_MEAN] * n1 + g->v[JTL_CMP_MEAN] * n2) / n;
    }
    f->v[JTL_CMP_SAMPLES] = n;
    f->v[JTL_CMP_THROUGHPUT] += g->v[JTL_CMP_THROUGHPUT];
    f->v[JTL_CMP_RECEIVED] += g->v[JTL_CMP_RECEIVED];
    f->min = fmin(f->min, g->min);
    f->max = fmax(f->max, g->max);
    f->labels += g->labels;
    if (f->hist && g->hist) {
        jtl_hist_merge(f->hist, g->hist);
        f->v[JTL_CMP_P50] = jtl_hist_percentile(f->hist, 50, method);
        f->v[JTL_CMP_P90] = jtl_hist_percentile(f->hist, 90, method);
        f->v[JTL_CMP_P95] = jtl_hist_percentile(f->hist, 95, method);
        f->v[JTL_CMP_P99] = jtl_hist_percentile(f->hist, 99, method);
    } else {
        if (f->hist) {
            jtl_hist_release(f->hist);
            free(f->hist);
            f->hist = NULL;
        }
        f->v[JTL_CMP_P50] = f->v[JTL_CMP_P90] = NAN;
        f->v[JTL_CMP_P95] = f->v[JTL_CMP_P99] = NAN;
    }
}

static void fig_release(struct jtl_cmp_fig *f)
{
    if (f->hist) {
        jtl_hist_release(f->hist);
        free(f->hist);
        f->hist = NULL;
    }
}

/* A side's labels: name, template (or NULL), figures. */
struct entry {
    char *name;
    char *tpl;
    struct jtl_cmp_fig fig;
    bool used;
};

static void fig_nan(struct jtl_cmp_fig *f)
{
    size_t k;

    memset(f, 0, sizeof(*f));
    for (k = 0; k < JTL_CMP_NMETRICS; k++)
        f->v[k] = NAN;
    f->min = f->max = NAN;
}

static struct entry *side_entries(const struct jtl_cmp_side *s, size_t *n,
                                  struct jtl_cmp_fig *total)
{
    struct entry *e;
    struct jtl_buf b;
    size_t i, k = 0;

    fig_nan(total);
    jtl_buf_init(&b, 0);
    if (s->stats) {
        e = jtl_xcalloc(s->stats->nrows + 1, sizeof(*e));
        fig_of_row(total, s->stats, &s->stats->total);
        for (i = 0; i < s->stats->nrows; i++) {
            const struct jtl_stats_row *r = &s->stats->rows[i];
            fig_nan(&e[k].fig);
            e[k].name = jtl_xstrndup(r->label, r->label_len);
            fig_of_row(&e[k].fig, s->stats, r);
            if (jtl_label_template(r->label, r->label_len, &b))
                e[k].tpl = jtl_xstrdup(b.p);
            k++;
        }
    } else {
        e = jtl_xcalloc(s->json->n + 1, sizeof(*e));
        fig_of_json(total, &s->json->total);
        for (i = 0; i < s->json->n; i++) {
            const struct jtl_statsjson_row *r = &s->json->rows[i];
            fig_nan(&e[k].fig);
            e[k].name = jtl_xstrdup(r->label);
            fig_of_json(&e[k].fig, r);
            if (jtl_label_template(r->label, strlen(r->label), &b))
                e[k].tpl = jtl_xstrdup(b.p);
            k++;
        }
    }
    jtl_buf_release(&b);
    *n = k;
    return e;
}

static void entries_free(struct entry *e, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        free(e[i].name);
        free(e[i].tpl);
        fig_release(&e[i].fig);
    }
    free(e);
}

/* ---- a label's verdict ----------------------------------------------------*/

static void judge(struct jtl_cmp_label *l, const struct jtl_cmp_opts *o,
                  const struct jtl_cmp_side *base,
                  const struct jtl_cmp_side *cur)
{
    enum jtl_cmp_metric m = o->metric;
    const char *mn = jtl_cmp_metric_name(m);
    double nb = l->base.v[JTL_CMP_SAMPLES], nc = l->cur.v[JTL_CMP_SAMPLES];
    double rel;
    size_t k;
    int dir = 0;

    for (k = 0; k < JTL_CMP_NMETRICS; k++) {
        l->delta[k] = l->cur.v[k] - l->base.v[k];
        l->delta_pct[k] = l->base.v[k] != 0 ? 100.0 * l->delta[k] / l->base.v[k]
                                            : (l->delta[k] == 0 ? 0 : NAN);
    }
    rel = l->delta_pct[m] / 100;
    l->p_value = NAN;
    if (!l->in_base || !l->in_cur) {
        l->change = JTL_CMP_NOT_COMPARABLE;
        l->why =
            jtl_xstrdupf("only in the %s", l->in_base ? base->name : cur->name);
        return;
    }
    /* without a test, a change within min_change is still "same"; a larger
     * one cannot be told from noise */
    if (!l->base.hist || !l->cur.hist) {
        bool small = rel == rel && fabs(rel) <= o->min_change;
        l->change = small ? JTL_CMP_SAME : JTL_CMP_NOT_COMPARABLE;
        l->why = jtl_xstrdupf(
            "%s %+.1f %%%s; deltas only: a statistics.json holds no "
            "distribution to test",
            mn, l->delta_pct[m],
            small ? ", within the change that counts" : "");
        return;
    }
    if (nb < MIN_SAMPLES || nc < MIN_SAMPLES) {
        bool small = rel == rel && fabs(rel) <= o->min_change;
        l->change = small ? JTL_CMP_SAME : JTL_CMP_NOT_COMPARABLE;
        l->why = jtl_xstrdupf("%s %+.1f %%%s; too few samples (%.0f and %.0f; "
                              "%d needed on each side) for a test",
                              mn, l->delta_pct[m],
                              small ? ", within the change that counts"
                                    : ", which cannot be told from noise",
                              nb, nc, MIN_SAMPLES);
        return;
    }
    l->p_value = jtl_mann_whitney(l->base.hist, l->cur.hist, &dir);
    if (rel == rel && l->p_value < o->alpha && rel > o->min_change && dir > 0)
        l->change = JTL_CMP_SLOWER;
    else if (rel == rel && l->p_value < o->alpha && rel < -o->min_change &&
             dir < 0)
        l->change = JTL_CMP_FASTER;
    else
        l->change = JTL_CMP_SAME;
    if (l->change == JTL_CMP_SAME && fabs(rel) > o->min_change)
        l->why = jtl_xstrdupf(
            "%s %+.1f %% (%.0f to %.0f ms), within the noise: the "
            "distributions do not differ enough (Mann-Whitney p = %.2g)",
            mn, 100 * rel, l->base.v[m], l->cur.v[m], l->p_value);
    else if (l->change == JTL_CMP_SAME)
        l->why = jtl_xstrdupf("%s %+.1f %% (%.0f to %.0f ms), under the %.0f "
                              "%% that counts (Mann-Whitney p = %.2g)",
                              mn, 100 * rel, l->base.v[m], l->cur.v[m],
                              100 * o->min_change, l->p_value);
    else
        l->why =
            jtl_xstrdupf("%s %+.1f %% (%.0f to %.0f ms); the "
                         "distributions differ (Mann-Whitney p = %.2g)",
                         mn, 100 * rel, l->base.v[m], l->cur.v[m], l->p_value);
}

/* ---- the throttling ------------------------------------------------------ */

static void thr_of(struct jtl_cmp_thr *t, const struct jtl_throttle_result *r)
{
    const struct jtl_throttle_scope *sc;
    const struct jtl_throttle_limit *l;
    uint64_t best = 0;
    size_t i;

    memset(t, 0, sizeof(*t));
    t->limit_per_s = t->throttled_pct = t->retry_after_s = NAN;
    if (!r)
        return;
    sc = &r->run;
    l = &sc->limit;
    t->known = true;
    t->verdict = sc->verdict;
    t->mechanism = sc->mechanism;
    if (sc->verdict == JTL_VERDICT_THRESHOLD)
        t->limit_per_s = l->rate_per_s == l->rate_per_s ? l->rate_per_s
                         : l->per_window == l->per_window && l->window_s > 0
                             ? l->per_window / l->window_s
                             : NAN;
    t->throttled_pct =
        sc->samples ? 100.0 * (double)sc->throttled / (double)sc->samples : NAN;
    for (i = 0; i < sc->retry.nvalues; i++)
        if (sc->retry.values[i].count > best) {
            best = sc->retry.values[i].count;
            t->retry_after_s = sc->retry.values[i].seconds;
        }
}

static const char *verdict_words(enum jtl_verdict v)
{
    switch (v) {
    case JTL_VERDICT_THRESHOLD:
        return "threshold-based";
    case JTL_VERDICT_RANDOM:
        return "random";
    case JTL_VERDICT_INCONCLUSIVE:
        return "inconclusive";
    case JTL_VERDICT_NONE:
        break;
    }
    return "no throttling";
}

static char *thr_sentence(const struct jtl_cmp_thr *b,
                          const struct jtl_cmp_thr *c)
{
    struct jtl_buf s;

    if (!b->known && !c->known)
        return NULL;
    jtl_buf_init(&s, 0);
    if (!b->known || !c->known) {
        jtl_buf_printf(&s, "the throttling was analysed on one side only");
    } else if (b->verdict != c->verdict) {
        jtl_buf_printf(&s, "%s before, %s now", verdict_words(b->verdict),
                       verdict_words(c->verdict));
        if (b->limit_per_s == b->limit_per_s)
            jtl_buf_printf(&s, " (the limit was %.1f requests/s)",
                           b->limit_per_s);
        if (c->limit_per_s == c->limit_per_s)
            jtl_buf_printf(&s, " (the limit is %.1f requests/s)",
                           c->limit_per_s);
    } else if (b->verdict == JTL_VERDICT_THRESHOLD &&
               b->limit_per_s == b->limit_per_s &&
               c->limit_per_s == c->limit_per_s) {
        if (fabs(c->limit_per_s / b->limit_per_s - 1) > 0.10)
            jtl_buf_printf(&s, "the limit moved from %.1f to %.1f requests/s",
                           b->limit_per_s, c->limit_per_s);
        else
            jtl_buf_printf(&s,
                           "the limit held at about %.1f requests/s "
                           "(%.1f before)",
                           c->limit_per_s, b->limit_per_s);
    } else {
        jtl_buf_printf(&s, "%s before and now", verdict_words(c->verdict));
    }
    if (b->known && c->known && (b->throttled_pct > 0 || c->throttled_pct > 0))
        jtl_buf_printf(&s,
                       "; refused %.1f %% of the requests before, %.1f %% "
                       "now",
                       b->throttled_pct, c->throttled_pct);
    if (b->retry_after_s == b->retry_after_s &&
        c->retry_after_s == c->retry_after_s &&
        b->retry_after_s != c->retry_after_s)
        jtl_buf_printf(&s, "; Retry-After %g s before, %g s now",
                       b->retry_after_s, c->retry_after_s);
    return jtl_buf_detach(&s, NULL);
}

/* ---- --fail-if ------------------------------------------------------------*/

bool jtl_fail_if_parse(const char *text, struct jtl_fail_if *out, size_t *col,
                       char *msg, size_t cap)
{
    static const struct {
        const char *name;
        enum jtl_cmp_metric m;
        int kind; /* 0 a figure, 1 limit, 2 throttled */
    } subjects[] = {
        {"samples", JTL_CMP_SAMPLES, 0},
        {"fail", JTL_CMP_ERROR_PCT, 0},
        {"error", JTL_CMP_ERROR_PCT, 0},
        {"avg-rt", JTL_CMP_MEAN, 0},
        {"mean", JTL_CMP_MEAN, 0},
        {"p50", JTL_CMP_P50, 0},
        {"median", JTL_CMP_P50, 0},
        {"p90", JTL_CMP_P90, 0},
        {"p95", JTL_CMP_P95, 0},
        {"p99", JTL_CMP_P99, 0},
        {"hits", JTL_CMP_THROUGHPUT, 0},
        {"throughput", JTL_CMP_THROUGHPUT, 0},
        {"bytes", JTL_CMP_RECEIVED, 0},
        {"limit", JTL_CMP_SAMPLES, 1},
        {"throttled", JTL_CMP_SAMPLES, 2},
    };
    size_t b = 0, n = strlen(text), e, k, w;
    char *end;

    memset(out, 0, sizeof(*out));
    while (b < n && isspace((unsigned char)text[b]))
        b++;
    while (n > b && isspace((unsigned char)text[n - 1]))
        n--;
    e = b;
    while (e < n && !isspace((unsigned char)text[e]))
        e++;
    w = e - b;
    if (w == 6 && strncasecmp(text + b, "slower", 6) == 0) {
        out->slower = true;
        k = e;
        while (k < n && isspace((unsigned char)text[k]))
            k++;
        if (k < n) {
            if (n - k < 3 || strncasecmp(text + k, "of ", 3) != 0) {
                *col = k + 1;
                snprintf(msg, cap, "'slower' takes 'of LABEL' or nothing");
                return false;
            }
            k += 3;
            while (k < n && isspace((unsigned char)text[k]))
                k++;
            out->label = jtl_xstrndup(text + k, n - k);
        }
        out->text = jtl_xstrndup(text + b, n - b);
        return true;
    }
    for (k = 0; k < sizeof(subjects) / sizeof(subjects[0]); k++)
        if (strlen(subjects[k].name) == w &&
            strncasecmp(text + b, subjects[k].name, w) == 0)
            break;
    if (k == sizeof(subjects) / sizeof(subjects[0])) {
        *col = b + 1;
        snprintf(msg, cap,
                 "unknown figure '%.*s' (samples, fail, avg-rt, p50, p90, "
                 "p95, p99, hits, bytes, limit, throttled, or 'slower')",
                 (int)w, text + b);
        return false;
    }
    out->metric = subjects[k].m;
    out->is_limit = subjects[k].kind == 1;
    out->is_throttled = subjects[k].kind == 2;
    /* the change is the last word: +10% or -1 */
    {
        size_t t = n;
        while (t > e && !isspace((unsigned char)text[t - 1]))
            t--;
        if (t <= e || (text[t] != '+' && text[t] != '-')) {
            *col = (t > e ? t : n) + 1;
            snprintf(msg, cap,
                     "the change is missing: +N or -N, with %% "
                     "for a share of the baseline");
            return false;
        }
        out->amount = strtod(text + t, &end);
        if (end == text + t || !isfinite(out->amount) || out->amount == 0) {
            *col = t + 1;
            snprintf(msg, cap,
                     "the change is a signed number, such as +10%% "
                     "or -1");
            return false;
        }
        if (*end == '%') {
            out->relative = true;
            end++;
        }
        if ((size_t)(end - text) != n) {
            *col = (size_t)(end - text) + 1;
            snprintf(msg, cap, "unexpected '%.*s' after the change",
                     (int)(n - (size_t)(end - text)), end);
            return false;
        }
        k = e;
        while (k < t && isspace((unsigned char)text[k]))
            k++;
        if (k < t) {
            size_t le = t;
            if (t - k < 3 || strncasecmp(text + k, "of ", 3) != 0) {
                *col = k + 1;
                snprintf(msg, cap, "expected 'of LABEL' or the change");
                return false;
            }
            k += 3;
            while (le > k && isspace((unsigned char)text[le - 1]))
                le--;
            while (k < le && isspace((unsigned char)text[k]))
                k++;
            if (k == le) {
                *col = k + 1;
                snprintf(msg, cap, "'of' is followed by no label");
                return false;
            }
            out->label = jtl_xstrndup(text + k, le - k);
        }
    }
    out->text = jtl_xstrndup(text + b, n - b);
    return true;
}

void jtl_fail_if_release(struct jtl_fail_if *f)
{
    free(f->text);
    free(f->label);
    memset(f, 0, sizeof(*f));
}

static const struct jtl_cmp_label *label_named(const struct jtl_cmp_result *r,
                                               const char *name)
{
    struct jtl_buf b;
    const struct jtl_cmp_label *found = NULL;
    size_t i;

    if (!name)
        return &r->labels[0];
    for (i = 0; i < r->n && !found; i++)
        if (strcmp(r->labels[i].name, name) == 0)
            found = &r->labels[i];
    jtl_buf_init(&b, 0);
    if (!found && jtl_label_template(name, strlen(name), &b))
        for (i = 0; i < r->n && !found; i++)
            if (strcmp(r->labels[i].name, b.p) == 0)
                found = &r->labels[i];
    jtl_buf_release(&b);
    return found;
}

static void eval_rule(struct jtl_cmp_result *r, const struct jtl_fail_if *f,
                      struct jtl_cmp_fired *out)
{
    const struct jtl_cmp_label *l;
    double b, c, d;
    size_t i, k = 0;

    memset(out, 0, sizeof(*out));
    out->rule = f;
    out->base = out->cur = NAN;
    if (f->slower) {
        for (i = 0; i < r->n; i++)
            if (r->labels[i].change == JTL_CMP_SLOWER &&
                (!f->label || strcmp(r->labels[i].name, f->label) == 0))
                k++;
        out->fired = k > 0;
        out->message =
            k ? jtl_xstrdupf("%zu label%s slower", k, k == 1 ? " is" : "s are")
              : jtl_xstrdupf("no label is slower");
        return;
    }
    if (f->is_limit || f->is_throttled) {
        b = f->is_limit ? r->thr_base.limit_per_s : r->thr_base.throttled_pct;
        c = f->is_limit ? r->thr_cur.limit_per_s : r->thr_cur.throttled_pct;
    } else {
        l = label_named(r, f->label);
        if (!l || !l->in_base || !l->in_cur) {
            out->error = true;
            out->message = jtl_xstrdupf("no label '%s' on both sides",
                                        f->label ? f->label : "Total");
            return;
        }
        b = l->base.v[f->metric];
        c = l->cur.v[f->metric];
    }
    out->base = b;
    out->cur = c;
    if (b != b || c != c) {
        out->error = true;
        out->message = jtl_xstrdupf("%s is not known on both sides", f->text);
        return;
    }
    d = f->relative ? (b != 0 ? 100 * (c - b) / b : NAN) : c - b;
    out->fired = f->amount > 0 ? d > f->amount : d < f->amount;
    out->message = jtl_xstrdupf("%g to %g: %+.2f%s (fires beyond %+g%s)", b, c,
                                d, f->relative ? " %" : "", f->amount,
                                f->relative ? " %" : "");
}

/* ---- the run ------------------------------------------------------------- */

/* The distribution as 103 points: every percentile 0..100, and 99.5, 99.9
 * for the tail. */
static void cdf_of(struct jtl_cmp_cdf *c, const struct jtl_hist *h,
                   enum jtl_pct_method method)
{
    size_t i;

    c->n = 0;
    if (!h || h->n == 0)
        return;
    for (i = 0; i <= 100; i++) {
        c->pct[c->n] = (double)i;
        c->ms[c->n++] = jtl_hist_percentile(h, (double)i, method);
        if (i == 99) {
            c->pct[c->n] = 99.5;
            c->ms[c->n++] = jtl_hist_percentile(h, 99.5, method);
            c->pct[c->n] = 99.9;
            c->ms[c->n++] = jtl_hist_percentile(h, 99.9, method);
        }
    }
}

static int cmp_label(const void *a, const void *b)
{
    return strcmp(((const struct jtl_cmp_label *)a)->name,
                  ((const struct jtl_cmp_label *)b)->name);
}

static struct jtl_cmp_label *add_label(struct jtl_cmp_result *r,
                                       const char *name)
{
    struct jtl_cmp_label *l;

    r->labels = jtl_xrealloc(r->labels, (r->n + 1) * sizeof(*r->labels));
    l = &r->labels[r->n++];
    memset(l, 0, sizeof(*l));
    l->name = jtl_xstrdup(name);
    fig_nan(&l->base);
    fig_nan(&l->cur);
    return l;
}

void jtl_compare_run(const struct jtl_cmp_side *base,
                     const struct jtl_cmp_side *cur,
                     const struct jtl_cmp_opts *opts,
                     struct jtl_cmp_result *out)
{
    struct entry *eb, *ec;
    size_t nb, nc, i, j;
    struct jtl_cmp_label *l;
    enum jtl_pct_method mb = base->stats ? base->stats->method : JTL_PCT_EXACT;
    enum jtl_pct_method mc = cur->stats ? cur->stats->method : JTL_PCT_EXACT;

    memset(out, 0, sizeof(*out));
    out->min_change = opts->min_change;
    out->alpha = opts->alpha;
    out->metric = opts->metric;
    l = add_label(out, "Total");
    eb = side_entries(base, &nb, &l->base);
    ec = side_entries(cur, &nc, &l->cur);
    l->in_base = l->in_cur = true;
    /* by name */
    for (i = 0; i < nb; i++)
        for (j = 0; j < nc; j++)
            if (!ec[j].used && strcmp(eb[i].name, ec[j].name) == 0) {
                struct jtl_cmp_label *x = add_label(out, eb[i].name);
                x->base = eb[i].fig;
                x->cur = ec[j].fig;
                memset(&eb[i].fig, 0, sizeof(eb[i].fig));
                memset(&ec[j].fig, 0, sizeof(ec[j].fig));
                x->in_base = x->in_cur = true;
                eb[i].used = ec[j].used = true;
                break;
            }
    /* by endpoint template: the labels of one endpoint on each side */
    for (i = 0; i < nb; i++) {
        struct jtl_cmp_label *x = NULL;
        const char *tpl = eb[i].tpl;
        if (eb[i].used || !tpl)
            continue;
        for (j = 0; j < nc && !x; j++)
            if (!ec[j].used && ec[j].tpl && strcmp(ec[j].tpl, tpl) == 0)
                x = add_label(out, tpl);
        if (!x)
            continue;
        x->by_template = x->in_base = x->in_cur = true;
        x->base.v[JTL_CMP_SAMPLES] = x->cur.v[JTL_CMP_SAMPLES] = 0;
        for (j = i; j < nb; j++)
            if (!eb[j].used && eb[j].tpl && strcmp(eb[j].tpl, tpl) == 0) {
                if (x->base.v[JTL_CMP_SAMPLES] == 0)
                    x->base = eb[j].fig,
                    memset(&eb[j].fig, 0, sizeof(eb[j].fig));
                else
                    fig_merge(&x->base, &eb[j].fig, mb);
                eb[j].used = true;
            }
        for (j = 0; j < nc; j++)
            if (!ec[j].used && ec[j].tpl && strcmp(ec[j].tpl, tpl) == 0) {
                if (x->cur.v[JTL_CMP_SAMPLES] == 0)
                    x->cur = ec[j].fig,
                    memset(&ec[j].fig, 0, sizeof(ec[j].fig));
                else
                    fig_merge(&x->cur, &ec[j].fig, mc);
                ec[j].used = true;
            }
    }
    /* on one side only */
    for (i = 0; i < nb; i++)
        if (!eb[i].used) {
            struct jtl_cmp_label *x = add_label(out, eb[i].name);
            x->base = eb[i].fig;
            memset(&eb[i].fig, 0, sizeof(eb[i].fig));
            x->in_base = true;
        }
    for (j = 0; j < nc; j++)
        if (!ec[j].used) {
            struct jtl_cmp_label *x = add_label(out, ec[j].name);
            x->cur = ec[j].fig;
            memset(&ec[j].fig, 0, sizeof(ec[j].fig));
            x->in_cur = true;
        }
    entries_free(eb, nb);
    entries_free(ec, nc);
    if (out->n > 2)
        qsort(out->labels + 1, out->n - 1, sizeof(*out->labels), cmp_label);
    cdf_of(&out->cdf_base, out->labels[0].base.hist, mb);
    cdf_of(&out->cdf_cur, out->labels[0].cur.hist, mc);
    for (i = 0; i < out->n; i++) {
        struct jtl_cmp_label *x = &out->labels[i];
        judge(x, opts, base, cur);
        out->nslower += x->change == JTL_CMP_SLOWER;
        out->nfaster += x->change == JTL_CMP_FASTER;
        out->nsame += x->change == JTL_CMP_SAME;
        out->nnot += x->change == JTL_CMP_NOT_COMPARABLE;
        /* the distributions were for the test only */
        fig_release(&x->base);
        fig_release(&x->cur);
    }
    thr_of(&out->thr_base, base->throttle);
    thr_of(&out->thr_cur, cur->throttle);
    out->thr_change = thr_sentence(&out->thr_base, &out->thr_cur);
    out->method = jtl_xstrdupf(
        "a label is slower or faster when its %s changed by more than %.0f %% "
        "and the two distributions differ beyond noise (Mann-Whitney U test "
        "on the exact histograms, two-sided, p < %g)%s",
        jtl_cmp_metric_name(opts->metric), 100 * opts->min_change, opts->alpha,
        base->json || cur->json ? "; a statistics.json side gives deltas only"
                                : "");
    out->rules = jtl_xcalloc(opts->nrules + 1, sizeof(*out->rules));
    out->nrules = opts->nrules;
    for (i = 0; i < opts->nrules; i++) {
        eval_rule(out, &opts->rules[i], &out->rules[i]);
        out->nfired += out->rules[i].fired || out->rules[i].error;
    }
}

void jtl_compare_release(struct jtl_cmp_result *r)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        free(r->labels[i].name);
        free(r->labels[i].why);
        fig_release(&r->labels[i].base);
        fig_release(&r->labels[i].cur);
    }
    free(r->labels);
    for (i = 0; i < r->nrules; i++)
        free(r->rules[i].message);
    free(r->rules);
    free(r->thr_change);
    free(r->method);
    memset(r, 0, sizeof(*r));
}
