/* SPDX-License-Identifier: MIT
 * charts.c - the report's charts: which data goes into which chart,
 * with readable defaults (titles, units, legends, time from the start of
 * the test, the Okabe-Ito palette, 1000x500 pixels).
 *
 * This file only lays out results computed elsewhere (timeline.h,
 * stats.h, throttle.h).  The little arithmetic it does is presentation:
 * per-second series are averaged over groups of whole seconds so a chart
 * never holds more than JTL_REPORT_MAX_POINTS points (a 10-hour run stays a
 * few tens of KB of .dat), and the per-second counts are grouped by offered
 * rate for the 429-share chart.  Nothing here looks at a sample. */
#include "jtl/report/report.h"

#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"
#include "jtl/report/plot.h"
#include "jtl/report/spawn.h"
#include "jtl/stats/hist.h"
#include "textfmt.h"

/* ---- helpers ------------------------------------------------------------- */

/* The time axis: seconds, minutes or hours since the start of the test. */
struct taxis {
    int64_t zero_ms;
    double div;  /* seconds per axis unit */
    double xmax; /* end of the test on the axis */
    const char *xlabel;
};

static void taxis_init(struct taxis *ax, const struct jtl_report_input *in,
                       const struct jtl_run_info *run)
{
    int64_t zero = 0, end = 0;
    double span;

    if (in->throttle && in->throttle->last_end > in->throttle->first_ts) {
        /* throttle's times (first 429, ramp-up end, bursts) count from its
         * first_ts, so markers land where they belong */
        zero = in->throttle->first_ts;
        end = in->throttle->last_end;
    } else if (in->stats && in->stats->last_end > in->stats->first_start) {
        zero = in->stats->first_start;
        end = in->stats->last_end;
    } else if (run) {
        zero = run->first_ts;
        end = run->last_end;
    }
    span = (double)(end - zero) / 1000.0;
    ax->zero_ms = zero;
    ax->xmax = NAN;
    if (span <= 900) {
        ax->div = 1;
        ax->xlabel = "time since start of test (s)";
    } else if (span <= 36000) {
        ax->div = 60;
        ax->xlabel = "time since start of test (min)";
    } else {
        ax->div = 3600;
        ax->xlabel = "time since start of test (h)";
    }
    if (span > 0)
        ax->xmax = span / ax->div;
}

/* The x of an instant.  Intervals are aligned to whole seconds (or
 * minutes) of the clock, so the first one usually starts before the first
 * sample: it is drawn from 0, never left of the axis (where it would be
 * clipped, with its values, or leave a chart with no point in range). */
static double tx(const struct taxis *ax, double epoch_ms)
{
    double x = (epoch_ms - (double)ax->zero_ms) / 1000.0 / ax->div;

    return x < 0 ? 0 : x;
}

/* The x of the middle of the part of [START_MS, END_MS) inside the test:
 * where the values of an interval belong on a line chart (the first and
 * last intervals overhang the test; their middle would fall off the axis). */
static double tmid(const struct taxis *ax, double start_ms, double end_ms)
{
    double lo = tx(ax, start_ms), hi = tx(ax, end_ms);

    if (isfinite(ax->xmax) && hi > ax->xmax)
        hi = ax->xmax;
    if (hi < lo)
        hi = lo;
    return (lo + hi) / 2;
}

/* The smallest "nice" whole number of seconds >= S. */
static size_t nice_seconds(size_t s)
{
    static const size_t steps[] = {1,    2,    5,     10,    15,    20,   30,
                                   60,   120,  300,   600,   900,   1200, 1800,
                                   3600, 7200, 10800, 21600, 43200, 86400};
    size_t i;

    for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
        if (steps[i] >= s)
            return steps[i];
    return s;
}

/* 1, 2 or 5 times a power of ten, >= V (V > 0). */
static double nice_step(double v)
{
    double p = pow(10, floor(log10(v)));

    if (v <= p)
        return p;
    if (v <= 2 * p)
        return 2 * p;
    if (v <= 5 * p)
        return 5 * p;
    return 10 * p;
}

/* A table under construction; the arrays are freed with the chart set. */
struct tbl {
    struct jtl_plot_table t;
    double *v;
    const char **heads;
    const char **text;
};

static void tbl_init(struct tbl *b, size_t nrows, size_t ncols, bool text)
{
    memset(b, 0, sizeof(*b));
    b->v = jtl_xcalloc(nrows * ncols + 1, sizeof(double));
    b->heads = jtl_xcalloc(ncols + 1, sizeof(char *));
    if (text)
        b->text = jtl_xcalloc(nrows + 1, sizeof(char *));
    b->t.nrows = nrows;
    b->t.ncols = ncols;
    b->t.has_text = text;
    b->t.values = b->v;
    b->t.headers = b->heads;
    b->t.text = b->text;
}

static void tbl_free(struct tbl *b)
{
    free(b->v);
    free(b->heads);
    free(b->text);
    memset(b, 0, sizeof(*b));
}

#define V(b, r, c) ((b)->v[(r) * (b)->t.ncols + (c)])

/* Owned strings the charts refer to (numbers in titles and notes). */
struct strs {
    char s[24][128];
    size_t n;
};

static const char *strs_fmt(struct strs *ss, const char *fmt, ...)
    JTL_PRINTF(2, 3);

static const char *strs_fmt(struct strs *ss, const char *fmt, ...)
{
    va_list ap;
    char *p;

    if (ss->n == sizeof(ss->s) / sizeof(ss->s[0]))
        return "";
    p = ss->s[ss->n++];
    va_start(ap, fmt);
    vsnprintf(p, sizeof(ss->s[0]), fmt, ap);
    va_end(ap);
    return p;
}

/* Everything one chart needs until it is written. */
struct build {
    const struct jtl_report_input *in;
    const char *dir;
    struct jtl_report_charts *out;
    struct taxis ax;
    struct strs strs;
    struct jtl_diag *diag;
};

/* "refused (HTTP 429, 503)": the codes the analysis counted as refusals
 * (429 without it), for legends. */
static const char *refused_head(struct build *bd)
{
    char codes[128];

    return strs_fmt(&bd->strs, "refused (HTTP %s)",
                    jtl_rfmt_codes(codes, sizeof(codes), bd->in->throttle));
}

/* Charts keep their number whether or not the others exist, so
 * chart-05-response-codes.png always means the same chart. */
enum jtl_err jtl_report_chart_add(struct jtl_report_charts *charts,
                                  const char *dir, struct jtl_plot_chart *c,
                                  int number, const char *stem,
                                  const char *title, const char *caption,
                                  struct jtl_diag *diag)
{
    struct jtl_report_chart *rc;
    enum jtl_err err;

    if (charts->n == JTL_REPORT_MAX_CHARTS)
        return JTL_OK;
    rc = &charts->list[charts->n];
    memset(rc, 0, sizeof(*rc));
    snprintf(rc->name, sizeof(rc->name), "chart-%02d-%s", number, stem);
    c->name = rc->name;
    c->title = title;
    err = jtl_plot_write(c, dir, diag);
    if (err)
        return err;
    rc->title = title;
    rc->caption = caption;
    rc->width = JTL_PLOT_WIDTH;
    rc->height = c->height > 0 ? c->height : JTL_PLOT_HEIGHT;
    rc->spec = jtl_plot_spec_json(c, NULL);
    charts->n++;
    return JTL_OK;
}

void jtl_report_charts_release(struct jtl_report_charts *charts)
{
    size_t i;

    for (i = 0; charts && i < charts->n; i++) {
        free(charts->list[i].spec);
        charts->list[i].spec = NULL;
    }
}

static enum jtl_err emit(struct build *bd, struct jtl_plot_chart *c, int number,
                         const char *stem, const char *title,
                         const char *caption)
{
    return jtl_report_chart_add(bd->out, bd->dir, c, number, stem, title,
                                caption, bd->diag);
}

static double limit_rate(const struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_limit *l = &sc->limit;

    if (isfinite(l->rate_per_s) && l->rate_per_s > 0)
        return l->rate_per_s;
    if (isfinite(l->per_window) && isfinite(l->window_s) && l->window_s > 0)
        return l->per_window / l->window_s;
    if (isfinite(l->saturated_accepted_per_s) &&
        l->saturated_accepted_per_s > 0)
        return l->saturated_accepted_per_s;
    return NAN;
}

/* ---- 1: requests per second ---------------------------------------------- */

static enum jtl_err chart_throughput(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    const struct jtl_throttle_result *th = bd->in->throttle;
    struct jtl_plot_chart c;
    struct jtl_plot_series s[5];
    struct jtl_plot_marker m[2];
    size_t k, ngroups, g, ns = 0, nm = 0;
    bool threads = false, any_429 = false, any_err = false;
    struct tbl b;
    enum jtl_err err;
    double rate, top = 0, top_threads = 0;

    if (!tl || tl->nsec == 0 || !tl->sec_hits)
        return JTL_OK;
    k = nice_seconds((tl->nsec + JTL_REPORT_MAX_POINTS - 1) /
                     JTL_REPORT_MAX_POINTS);
    ngroups = (tl->nsec + k - 1) / k;
    /* one more row where the last group ends: steps need a next x to
     * draw the last step's width */
    tbl_init(&b, ngroups + 1, 5, false);
    b.heads[0] = bd->ax.xlabel;
    b.heads[1] = "accepted";
    b.heads[2] = refused_head(bd);
    b.heads[3] = "other errors";
    b.heads[4] = "active threads";
    for (g = 0; g < ngroups; g++) {
        size_t i0 = g * k, i1 = i0 + k < tl->nsec ? i0 + k : tl->nsec, i;
        double acc = 0, t429 = 0, err_ = 0, thr = 0, n = (double)(i1 - i0);

        for (i = i0; i < i1; i++) {
            acc += tl->sec_accepted ? tl->sec_accepted[i] : 0;
            t429 += tl->sec_429 ? tl->sec_429[i] : 0;
            err_ += tl->sec_errors ? tl->sec_errors[i] : 0;
            if (tl->sec_threads_max && tl->sec_threads_max[i] > thr)
                thr = tl->sec_threads_max[i];
        }
        if (thr > 0)
            threads = true;
        any_429 |= t429 > 0;
        any_err |= err_ > 0;
        /* x: the start of the group's seconds (drawn as steps) */
        V(&b, g, 0) = tx(&bd->ax, (double)tl->sec_t0 + 1000.0 * (double)i0);
        V(&b, g, 1) = acc / n;
        V(&b, g, 2) = t429 / n;
        V(&b, g, 3) = err_ / n;
        V(&b, g, 4) = thr > 0 ? thr : NAN;
        if ((acc + t429 + err_) / n > top)
            top = (acc + t429 + err_) / n;
        if (thr > top_threads)
            top_threads = thr;
    }
    V(&b, ngroups, 0) =
        tx(&bd->ax, (double)tl->sec_t0 + 1000.0 * (double)tl->nsec);
    for (g = 1; g < 5; g++)
        V(&b, ngroups, g) = V(&b, ngroups - 1, g);
    jtl_plot_chart_init(&c);
    c.xlabel = bd->ax.xlabel;
    c.ylabel =
        k == 1 ? "requests per second"
               : strs_fmt(&bd->strs, "requests per second (mean of %zu s)", k);
    c.tables = &b.t;
    c.ntables = 1;
    c.ymin = 0;
    c.xmin = 0;
    c.xmax = bd->ax.xmax;
    /* Stacked areas from the plain columns: the top edge is the offered
     * load, the green band what the server accepted. */
    /* a band nobody had (no other errors, no 429) is left out */
    if (any_err)
        s[ns++] = (struct jtl_plot_series){.style = JTL_PLOT_FILL,
                                           .xcol = 1,
                                           .ycol = 2,
                                           .ysum = {3, 4},
                                           .titlecol = 4,
                                           .color = JTL_PLOT_PURPLE};
    if (any_429)
        s[ns++] = (struct jtl_plot_series){.style = JTL_PLOT_FILL,
                                           .xcol = 1,
                                           .ycol = 2,
                                           .ysum = {3, 0},
                                           .titlecol = 3,
                                           .color = JTL_PLOT_VERMILLION};
    s[ns++] = (struct jtl_plot_series){
        .style = JTL_PLOT_FILL, .xcol = 1, .ycol = 2, .color = JTL_PLOT_GREEN};
    if (threads) {
        s[ns++] = (struct jtl_plot_series){.style = JTL_PLOT_STEPS,
                                           .xcol = 1,
                                           .ycol = 5,
                                           .y2 = true,
                                           .color = JTL_PLOT_BLUE,
                                           .width = 2};
        c.y2label = "active threads";
        c.y2min = 0;
    }
    if (th && th->run.throttled > 0) {
        rate = limit_rate(&th->run);
        if (isfinite(rate) && th->run.verdict == JTL_VERDICT_THRESHOLD) {
            const char *e = strs_fmt(&bd->strs, "%.4g", rate);
            s[ns++] = (struct jtl_plot_series){
                .style = JTL_PLOT_LINES,
                .expr = e,
                .color = JTL_PLOT_BLACK,
                .width = 1.5,
                .dashed = true,
                .title = strs_fmt(&bd->strs, "limit found: %.1f req/s", rate)};
        }
    }
    if (th && isfinite(th->run.rampup_end_s) && th->run.rampup_end_s > 0)
        m[nm++] = (struct jtl_plot_marker){th->run.rampup_end_s / bd->ax.div,
                                           "ramp-up end"};
    if (th && isfinite(th->run.first_429_s))
        m[nm++] = (struct jtl_plot_marker){th->run.first_429_s / bd->ax.div,
                                           "first refusal"};
    c.series = s;
    c.nseries = ns;
    c.markers = m;
    c.nmarkers = nm;
    if (nm && top > 0) {
        /* head room above the bars and the threads for the markers'
         * words, which would otherwise sit on the threads line */
        c.ymax = top * 1.18;
        if (threads)
            c.y2max = top_threads * 1.18;
    }
    err = emit(bd, &c, 1, "throughput",
               "Requests per second: accepted, refused and other errors",
               "Stacked: the green band is what the server accepted, "
               "vermillion the refused requests, purple other failures; the "
               "top edge is the load offered.  The blue steps are the active "
               "threads (right axis); dashed lines mark the end of the "
               "ramp-up, the first refusal and the limit found.");
    tbl_free(&b);
    return err;
}

/* ---- 2: 429 share vs offered rate ---------------------------------------- */

#define SHARE_BINS 24

static enum jtl_err chart_share(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    const struct jtl_throttle_result *th = bd->in->throttle;
    double hits[SHARE_BINS + 1] = {0}, t429[SHARE_BINS + 1] = {0};
    double secs[SHARE_BINS + 1] = {0};
    struct jtl_plot_series s[2];
    struct jtl_plot_chart c;
    size_t i, nb = 0, ns = 0, row;
    uint32_t maxh = 0;
    double w, rate;
    struct tbl b;
    enum jtl_err err;

    if (!tl || !th || th->run.throttled == 0 || tl->nsec < 3 || !tl->sec_hits ||
        !tl->sec_429)
        return JTL_OK;
    for (i = 0; i < tl->nsec; i++)
        if (tl->sec_hits[i] > maxh)
            maxh = tl->sec_hits[i];
    if (maxh == 0)
        return JTL_OK;
    w = nice_step((double)maxh / SHARE_BINS);
    if (w < 1)
        w = 1;
    for (i = 0; i < tl->nsec; i++) {
        size_t k;
        if (tl->sec_hits[i] == 0)
            continue;
        k = (size_t)((double)tl->sec_hits[i] / w);
        if (k > SHARE_BINS)
            k = SHARE_BINS;
        hits[k] += tl->sec_hits[i];
        t429[k] += tl->sec_429[i];
        secs[k] += 1;
    }
    for (i = 0; i <= SHARE_BINS; i++)
        nb += secs[i] > 0;
    tbl_init(&b, nb, 4, false);
    b.heads[0] = "offered requests per second (bin mean)";
    b.heads[1] = "refused share (%)";
    b.heads[2] = "seconds in bin";
    b.heads[3] = "requests in bin";
    for (i = 0, row = 0; i <= SHARE_BINS; i++) {
        if (secs[i] == 0)
            continue;
        V(&b, row, 0) = hits[i] / secs[i];
        V(&b, row, 1) = 100.0 * t429[i] / hits[i];
        V(&b, row, 2) = secs[i];
        V(&b, row, 3) = hits[i];
        row++;
    }
    jtl_plot_chart_init(&c);
    c.xlabel = "offered requests per second (all requests started in that "
               "second)";
    c.ylabel = "refused share (%)";
    c.tables = &b.t;
    c.ntables = 1;
    c.xmin = 0;
    c.ymin = 0;
    c.ymax = 100;
    s[ns++] = (struct jtl_plot_series){.style = JTL_PLOT_LINESPOINTS,
                                       .xcol = 1,
                                       .ycol = 2,
                                       .color = JTL_PLOT_VERMILLION,
                                       .title = "observed (seconds grouped "
                                                "by offered rate)"};
    rate = limit_rate(&th->run);
    if (th->run.verdict == JTL_VERDICT_THRESHOLD && isfinite(rate)) {
        /* share = 1 - R/x above the limit R, 0 below it */
        const char *e = strs_fmt(&bd->strs, "(x > %.4g ? 100*(1 - %.4g/x) : 0)",
                                 rate, rate);
        s[ns++] = (struct jtl_plot_series){
            .style = JTL_PLOT_LINES,
            .expr = e,
            .color = JTL_PLOT_BLUE,
            .width = 2,
            .dashed = true,
            .title =
                strs_fmt(&bd->strs, "threshold model: limit %.1f req/s", rate)};
    } else if (th->run.verdict == JTL_VERDICT_RANDOM && th->run.samples) {
        double p = 100.0 * (double)th->run.throttled / (double)th->run.samples;
        s[ns++] = (struct jtl_plot_series){
            .style = JTL_PLOT_LINES,
            .expr = strs_fmt(&bd->strs, "%.4g", p),
            .color = JTL_PLOT_BLUE,
            .width = 2,
            .dashed = true,
            .title =
                strs_fmt(&bd->strs, "random model: %.1f %% at any rate", p)};
    }
    c.series = s;
    c.nseries = ns;
    err = emit(bd, &c, 2, "429-share",
               "Share of refused requests vs offered rate",
               "Each point groups the seconds of the test by how many "
               "requests were sent in them.  A rate limit refuses none "
               "below the limit and a share growing as 1 - limit/rate above "
               "it; random shedding gives the same share at every rate.");
    tbl_free(&b);
    return err;
}

/* ---- 3: window envelope -------------------------------------------------- */

static enum jtl_err chart_envelope(struct build *bd)
{
    const struct jtl_throttle_result *th = bd->in->throttle;
    const struct jtl_throttle_limit *l;
    struct jtl_plot_series s[2];
    struct jtl_plot_chart c;
    double ws[JTL_THROTTLE_ENVELOPE_POINTS + 3];
    double ms[JTL_THROTTLE_ENVELOPE_POINTS + 3];
    size_t i, n = 0, ns = 0;
    struct tbl b;
    enum jtl_err err;
    double dur;

    /* only a threshold has an envelope worth drawing */
    if (!th || th->run.throttled == 0 ||
        th->run.verdict != JTL_VERDICT_THRESHOLD)
        return JTL_OK;
    l = &th->run.limit;
    dur = th->run.duration_s;
    /* The grid the analysis fitted when it provides it, else the three
     * maxima every result has. */
    for (i = 0; i < l->nenvelope && i < JTL_THROTTLE_ENVELOPE_POINTS; i++)
        if (isfinite(l->envelope_w_s[i]) && isfinite(l->envelope_max[i])) {
            ws[n] = l->envelope_w_s[i];
            ms[n++] = l->envelope_max[i];
        }
    if (n < 2) {
        const double w3[3] = {1, 10, 60};
        const double m3[3] = {l->max_accepted_1s, l->max_accepted_10s,
                              l->max_accepted_60s};
        for (n = 0, i = 0; i < 3; i++)
            if (isfinite(m3[i]) && (!isfinite(dur) || w3[i] <= dur)) {
                ws[n] = w3[i];
                ms[n++] = m3[i];
            }
    }
    if (n < 2)
        return JTL_OK;
    tbl_init(&b, n, 2, false);
    b.heads[0] = "window W (s)";
    b.heads[1] = "most accepted requests in any window of W";
    for (i = 0; i < n; i++) {
        V(&b, i, 0) = ws[i];
        V(&b, i, 1) = ms[i];
    }
    jtl_plot_chart_init(&c);
    c.xlabel = "window length W (s)";
    c.ylabel = "accepted requests";
    c.tables = &b.t;
    c.ntables = 1;
    c.xmin = 0;
    c.ymin = 0;
    s[ns++] = (struct jtl_plot_series){.style = JTL_PLOT_POINTS,
                                       .xcol = 1,
                                       .ycol = 2,
                                       .color = JTL_PLOT_GREEN,
                                       .title = "observed maximum"};
    if (isfinite(l->envelope_rate_per_s) && isfinite(l->envelope_burst)) {
        s[ns++] = (struct jtl_plot_series){
            .style = JTL_PLOT_LINES,
            .expr = strs_fmt(&bd->strs, "%.4g + %.4g*x", l->envelope_burst,
                             l->envelope_rate_per_s),
            .color = JTL_PLOT_BLUE,
            .width = 2,
            .dashed = true,
            .title = strs_fmt(&bd->strs, "fit b + r*W: b = %.1f, r = %.2f/s",
                              l->envelope_burst, l->envelope_rate_per_s)};
    }
    c.series = s;
    c.nseries = ns;
    err = emit(bd, &c, 3, "window-envelope",
               "Most accepted requests in any window of W seconds",
               "For a token bucket (rate r, burst b) no window of length W "
               "can hold more than b + r*W accepted requests, so the points "
               "lie on a straight line whose slope is the sustained rate.");
    tbl_free(&b);
    return err;
}

/* ---- 4: Retry-After ------------------------------------------------------ */

static enum jtl_err chart_retry(struct build *bd)
{
    const struct jtl_throttle_result *th = bd->in->throttle;
    const struct jtl_throttle_retry *r;
    struct jtl_plot_series s[1];
    struct jtl_plot_chart c;
    struct tbl b;
    size_t i;
    enum jtl_err err;

    if (!th || th->run.retry.nvalues == 0 || !th->run.retry.values)
        return JTL_OK;
    r = &th->run.retry;
    tbl_init(&b, r->nvalues, 2, false);
    b.heads[0] = "Retry-After (s)";
    b.heads[1] = "refused requests";
    for (i = 0; i < r->nvalues; i++) {
        V(&b, i, 0) = r->values[i].seconds;
        V(&b, i, 1) = (double)r->values[i].count;
    }
    jtl_plot_chart_init(&c);
    c.xlabel = "Retry-After (s)";
    c.ylabel = "refused requests";
    c.tables = &b.t;
    c.ntables = 1;
    c.ymin = 0;
    {
        /* bars 60 % of the closest gap between values (1 s for one) */
        double gap = 1;
        for (i = 1; i < r->nvalues; i++)
            if (r->values[i].seconds - r->values[i - 1].seconds < gap)
                gap = r->values[i].seconds - r->values[i - 1].seconds;
        c.boxwidth = gap > 0 ? 0.6 * gap : 0.6;
        c.xmin = r->values[0].seconds - 1 < 0 ? 0 : r->values[0].seconds - 1;
        c.xmax = r->values[r->nvalues - 1].seconds + 1;
    }
    s[0] = (struct jtl_plot_series){.style = JTL_PLOT_BOXES,
                                    .xcol = 1,
                                    .ycol = 2,
                                    .color = JTL_PLOT_ORANGE,
                                    .title = ""};
    c.series = s;
    c.nseries = 1;
    err = emit(bd, &c, 4, "retry-after", "Retry-After values of the refusals",
               r->dynamic
                   ? "The values count down to common reset instants: the "
                     "limiter resets at fixed times (a fixed window)."
                   : "A single constant value is typical of a rate limiter "
                     "that returns a fixed back-off.");
    tbl_free(&b);
    return err;
}

/* ---- 10: the wait before the next request after a 429 ---------------------
 */

/* Whether the client honoured Retry-After, as a picture: the cumulative
 * share of 429s against the time the same thread waited before its next
 * request, with the Retry-After the server asked for as a vertical line.
 * A client that backs off puts the curve right of the line; one that
 * retries at once puts it against the y axis. */
static enum jtl_err chart_retry_wait(struct build *bd)
{
    const struct jtl_throttle_result *th = bd->in->throttle;
    const struct jtl_throttle_retry *r;
    struct jtl_plot_series s[1];
    struct jtl_plot_marker mk[1];
    struct jtl_plot_chart c;
    struct tbl b;
    double ra = NAN, xmax;
    uint64_t best = 0;
    size_t i, k;
    enum jtl_err err;

    if (!th || !th->run.retry.wait_q) /* NULL when no 429 had a next request */
        return JTL_OK;
    r = &th->run.retry;
    for (i = 0; i < r->nvalues; i++)
        if (r->values[i].count > best) {
            best = r->values[i].count;
            ra = r->values[i].seconds;
        }
    tbl_init(&b, JTL_THROTTLE_WAIT_Q, 2, false);
    b.heads[0] = "wait before the next request (s)";
    b.heads[1] = "share of refusals (%)";
    for (k = 0; k < JTL_THROTTLE_WAIT_Q; k++) {
        V(&b, k, 0) = r->wait_q[k];
        V(&b, k, 1) = (double)k;
    }
    jtl_plot_chart_init(&c);
    c.xlabel = "wait from the refusal to the next request of the same "
               "thread (s)";
    c.ylabel = "refusals followed by at most this wait (%)";
    c.tables = &b.t;
    c.ntables = 1;
    c.xmin = 0;
    c.ymin = 0;
    c.ymax = 100;
    /* the 95th percentile keeps one stray long pause from squashing the
     * curve; the Retry-After line stays in view */
    xmax = r->wait_q[95] * 1.1;
    if (isfinite(ra) && ra * 1.5 > xmax)
        xmax = ra * 1.5;
    c.xmax = xmax > 0 ? xmax : 1;
    /* Waits of a few ms against a Retry-After of seconds: on a linear
     * axis the curve is a line squeezed against the left edge.  A log
     * axis shows both (a wait of 0 is drawn at its left end). */
    {
        double lo = r->wait_q[5] > 0 ? r->wait_q[5] : r->wait_q[50];
        if (lo > 0 && xmax / lo > 20) {
            c.xlog = true;
            c.xmin = lo / 2 > 0.001 ? lo / 2 : 0.001;
            for (k = 0; k < JTL_THROTTLE_WAIT_Q; k++)
                if (V(&b, k, 0) < c.xmin)
                    V(&b, k, 0) = c.xmin;
            c.xlabel = "wait from the refusal to the next request of the "
                       "same thread (s, log scale)";
        }
    }
    s[0] = (struct jtl_plot_series){.style = JTL_PLOT_LINES,
                                    .xcol = 1,
                                    .ycol = 2,
                                    .color = JTL_PLOT_VERMILLION,
                                    .title = ""};
    c.series = s;
    c.nseries = 1;
    if (isfinite(ra)) {
        mk[0].x = ra;
        mk[0].text = strs_fmt(&bd->strs, "Retry-After %g s", ra);
        c.markers = mk;
        c.nmarkers = 1;
    }
    if (r->pairs)
        c.note =
            strs_fmt(&bd->strs,
                     "%llu of %llu (%.0f %%) sooner than "
                     "Retry-After",
                     (unsigned long long)r->early, (unsigned long long)r->pairs,
                     100.0 * (double)r->early / (double)r->pairs);
    err = emit(bd, &c, 10, "retry-wait",
               "Wait before the next request after a refusal",
               isfinite(ra) ? "Left of the dashed line: the thread sent its "
                              "next request before the Retry-After the "
                              "server asked for had passed."
                            : "No Retry-After was recorded: the curve shows "
                              "how soon threads sent again after a "
                              "refusal.");
    tbl_free(&b);
    return err;
}

/* ---- 5: response codes over time ----------------------------------------- */

#define MAX_CODE_SERIES 8

static enum jtl_plot_color code_color(const char *code, size_t idx)
{
    static const enum jtl_plot_color rest[] = {
        JTL_PLOT_SKYBLUE, JTL_PLOT_ORANGE, JTL_PLOT_PURPLE, JTL_PLOT_BLUE,
        JTL_PLOT_BLACK,   JTL_PLOT_YELLOW, JTL_PLOT_GREY};

    if (strcmp(code, "200") == 0)
        return JTL_PLOT_GREEN;
    if (strcmp(code, "429") == 0)
        return JTL_PLOT_VERMILLION;
    return rest[idx % (sizeof(rest) / sizeof(rest[0]))];
}

static enum jtl_err chart_codes(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    size_t pick[MAX_CODE_SERIES], npick = 0, i, j, r, nother = 0;
    struct jtl_plot_series s[MAX_CODE_SERIES + 1];
    struct jtl_plot_chart c;
    double sec;
    struct tbl b;
    enum jtl_err err;

    if (!tl || tl->ncodes == 0 || tl->nbuckets == 0 || tl->interval_ms <= 0)
        return JTL_OK;
    /* the busiest codes get their own line, in code order */
    for (i = 0; i < tl->ncodes; i++) {
        size_t rank = 0;
        for (j = 0; j < tl->ncodes; j++)
            if (tl->codes[j].total > tl->codes[i].total ||
                (tl->codes[j].total == tl->codes[i].total && j < i))
                rank++;
        if (rank < MAX_CODE_SERIES - (tl->ncodes > MAX_CODE_SERIES))
            pick[npick++] = i;
        else
            nother++;
    }
    tbl_init(&b, tl->nbuckets, 1 + npick + (nother > 0), false);
    b.heads[0] = bd->ax.xlabel;
    for (j = 0; j < npick; j++)
        b.heads[1 + j] =
            tl->codes[pick[j]].len ? tl->codes[pick[j]].code : "(empty code)";
    if (nother)
        b.heads[1 + npick] = "other codes";
    sec = (double)tl->interval_ms / 1000.0;
    for (r = 0; r < tl->nbuckets; r++) {
        double other = 0,
               start = (double)tl->t0 + (double)tl->interval_ms * (double)r;
        V(&b, r, 0) = tmid(&bd->ax, start, start + (double)tl->interval_ms);
        for (j = 0; j < npick; j++)
            V(&b, r, 1 + j) = (double)tl->codes[pick[j]].counts[r] / sec;
        if (nother) {
            for (i = 0; i < tl->ncodes; i++) {
                bool picked = false;
                for (j = 0; j < npick; j++)
                    picked |= pick[j] == i;
                if (!picked)
                    other += (double)tl->codes[i].counts[r];
            }
            V(&b, r, 1 + npick) = other / sec;
        }
    }
    for (j = 0; j < npick + (nother > 0); j++)
        s[j] = (struct jtl_plot_series){
            .style = tl->nbuckets < 3 ? JTL_PLOT_LINESPOINTS : JTL_PLOT_LINES,
            .xcol = 1,
            .ycol = (unsigned)(2 + j),
            .color = j < npick ? code_color(tl->codes[pick[j]].code, j)
                               : JTL_PLOT_GREY};
    jtl_plot_chart_init(&c);
    c.xlabel = bd->ax.xlabel;
    c.ylabel = tl->interval_ms == 1000
                   ? "responses per second"
                   : strs_fmt(&bd->strs,
                              "responses per second (mean over %.0f s)", sec);
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = npick + (nother > 0);
    c.xmin = 0;
    c.xmax = bd->ax.xmax;
    c.ymin = 0;
    err = emit(bd, &c, 5, "response-codes", "Response codes per second",
               "One line per response code, by the time each response "
               "ended.");
    tbl_free(&b);
    return err;
}

/* ---- 6: response-time percentiles over time ------------------------------ */

static enum jtl_err chart_percentiles(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    static const enum jtl_plot_color colors[] = {
        JTL_PLOT_GREEN,      JTL_PLOT_SKYBLUE, JTL_PLOT_ORANGE,
        JTL_PLOT_VERMILLION, JTL_PLOT_PURPLE,  JTL_PLOT_BLUE};
    struct jtl_plot_series s[8];
    struct jtl_plot_chart c;
    size_t np, r, k, ncols;
    bool any = false;
    struct tbl b;
    enum jtl_err err;
    char(*heads)[24];

    if (!tl || tl->nbuckets == 0 || !tl->rt_median)
        return JTL_OK;
    np = tl->npct < 5 ? tl->npct : 5;
    ncols = 2 + np;
    heads = jtl_xcalloc(ncols, sizeof(*heads));
    tbl_init(&b, tl->nbuckets, ncols, false);
    b.heads[0] = bd->ax.xlabel;
    b.heads[1] = "median";
    for (k = 0; k < np; k++) {
        snprintf(heads[k], sizeof(heads[k]), "p%g", tl->pct_list[k]);
        b.heads[2 + k] = heads[k];
    }
    for (r = 0; r < tl->nbuckets; r++) {
        double start = (double)tl->t0 + (double)tl->interval_ms * (double)r;
        V(&b, r, 0) = tmid(&bd->ax, start, start + (double)tl->interval_ms);
        V(&b, r, 1) = tl->rt_median[r];
        any |= !isnan(tl->rt_median[r]);
        for (k = 0; k < np; k++)
            V(&b, r, 2 + k) = tl->rt_pct[k] ? tl->rt_pct[k][r] : NAN;
    }
    err = JTL_OK;
    if (any) {
        /* a run of one or two intervals: points, or there is no line */
        for (k = 0; k < 1 + np; k++)
            s[k] = (struct jtl_plot_series){.style = tl->nbuckets < 3
                                                         ? JTL_PLOT_LINESPOINTS
                                                         : JTL_PLOT_LINES,
                                            .xcol = 1,
                                            .ycol = (unsigned)(2 + k),
                                            .color = colors[k % 6]};
        jtl_plot_chart_init(&c);
        c.xlabel = bd->ax.xlabel;
        c.ylabel = "response time (ms)";
        c.tables = &b.t;
        c.ntables = 1;
        c.series = s;
        c.nseries = 1 + np;
        c.xmin = 0;
        c.xmax = bd->ax.xmax;
        c.ymin = 0;
        err = emit(bd, &c, 6, "response-time-percentiles",
                   "Response-time percentiles over time",
                   "Exact percentiles of the successful responses that ended "
                   "in each interval.");
    }
    tbl_free(&b);
    free(heads);
    return err;
}

/* ---- 7: active threads --------------------------------------------------- */

#define MAX_GROUP_SERIES 8

static enum jtl_err chart_threads(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    static const enum jtl_plot_color colors[] = {
        JTL_PLOT_BLUE,    JTL_PLOT_ORANGE,     JTL_PLOT_GREEN, JTL_PLOT_PURPLE,
        JTL_PLOT_SKYBLUE, JTL_PLOT_VERMILLION, JTL_PLOT_BLACK, JTL_PLOT_GREY};
    struct jtl_plot_series s[MAX_GROUP_SERIES];
    struct jtl_plot_chart c;
    size_t ng, r, k;
    bool groups, any = false;
    struct tbl b;
    enum jtl_err err = JTL_OK;

    if (!tl || tl->nbuckets == 0)
        return JTL_OK;
    groups = tl->ngroups > 1 && tl->groups;
    ng = groups
             ? (tl->ngroups < MAX_GROUP_SERIES ? tl->ngroups : MAX_GROUP_SERIES)
             : 1;
    if (!groups && !tl->threads_all_mean)
        return JTL_OK;
    /* + a closing row at the end of the last interval (steps) */
    tbl_init(&b, tl->nbuckets + 1, 1 + ng, false);
    b.heads[0] = bd->ax.xlabel;
    for (k = 0; k < ng; k++)
        b.heads[1 + k] = groups ? tl->groups[k].name : "active threads";
    for (r = 0; r < tl->nbuckets; r++) {
        V(&b, r, 0) =
            tx(&bd->ax, (double)tl->t0 + (double)tl->interval_ms * (double)r);
        for (k = 0; k < ng; k++) {
            double v = groups ? tl->groups[k].mean_threads[r]
                              : tl->threads_all_mean[r];
            V(&b, r, 1 + k) = v;
            any |= !isnan(v);
        }
    }
    V(&b, tl->nbuckets, 0) =
        tx(&bd->ax,
           (double)tl->t0 + (double)tl->interval_ms * (double)tl->nbuckets);
    for (k = 0; k < ng; k++)
        V(&b, tl->nbuckets, 1 + k) = V(&b, tl->nbuckets - 1, 1 + k);
    if (any) {
        for (k = 0; k < ng; k++)
            s[k] = (struct jtl_plot_series){.style = JTL_PLOT_STEPS,
                                            .xcol = 1,
                                            .ycol = (unsigned)(2 + k),
                                            .color = colors[k]};
        jtl_plot_chart_init(&c);
        c.xlabel = bd->ax.xlabel;
        c.ylabel = "active threads";
        c.tables = &b.t;
        c.ntables = 1;
        c.series = s;
        c.nseries = ng;
        c.xmin = 0;
        c.xmax = bd->ax.xmax;
        c.ymin = 0;
        err = emit(bd, &c, 7, "active-threads", "Active threads over time",
                   groups ? "Mean number of active threads per thread group "
                            "in each interval (from the JTL's grpThreads)."
                          : "Mean number of active threads in each interval "
                            "(from the JTL's allThreads).");
    }
    tbl_free(&b);
    return err;
}

/* ---- 8: response-time distribution --------------------------------------- */

#define RT_BINS 60

static enum jtl_err chart_distribution(struct build *bd)
{
    const struct jtl_stats_result *st = bd->in->stats;
    const struct jtl_hist *h;
    struct jtl_hist_iter it;
    double counts[RT_BINS] = {0}, w, hi;
    uint64_t above = 0, c_;
    struct jtl_plot_series s[1];
    struct jtl_plot_chart c;
    int64_t v;
    size_t i, nb;
    struct tbl b;
    enum jtl_err err;

    if (!st || !st->total.hist || st->total.hist->n == 0)
        return JTL_OK;
    h = st->total.hist;
    /* the 99.5th percentile bounds the axis, so one slow outlier does not
     * squash the distribution into a single bar */
    hi = jtl_hist_percentile(h, 99.5, JTL_PCT_EXACT);
    if (!isfinite(hi) || hi < 1)
        hi = (double)(h->max > 0 ? h->max : 1);
    w = nice_step((hi + 1) / RT_BINS);
    if (w < 1)
        w = 1;
    nb = (size_t)ceil((hi + 1) / w);
    if (nb > RT_BINS)
        nb = RT_BINS;
    if (nb == 0)
        nb = 1;
    jtl_hist_iter_init(&it, h);
    while (jtl_hist_iter_next(&it, &v, &c_)) {
        double k = floor((double)(v < 0 ? 0 : v) / w);
        if (k >= (double)nb)
            above += c_;
        else
            counts[(size_t)k] += (double)c_;
    }
    tbl_init(&b, nb, 2, false);
    b.heads[0] = "response time (ms, bin centre)";
    b.heads[1] = "samples";
    for (i = 0; i < nb; i++) {
        V(&b, i, 0) = ((double)i + 0.5) * w;
        V(&b, i, 1) = counts[i];
    }
    s[0] = (struct jtl_plot_series){.style = JTL_PLOT_BOXES,
                                    .xcol = 1,
                                    .ycol = 2,
                                    .color = JTL_PLOT_SKYBLUE,
                                    .title = ""};
    jtl_plot_chart_init(&c);
    c.xlabel = strs_fmt(&bd->strs, "response time (ms), bins of %g ms", w);
    c.ylabel = "samples";
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = 1;
    c.xmin = 0;
    c.xmax = (double)nb * w;
    c.ymin = 0;
    c.boxwidth = 0.85 * w;
    if (above)
        c.note = strs_fmt(&bd->strs,
                          "%llu sample%s of %g ms or more not shown (the "
                          "slowest: %lld ms)",
                          (unsigned long long)above, above == 1 ? "" : "s",
                          (double)nb * w, (long long)h->max);
    err = emit(bd, &c, 8, "response-time-distribution",
               "Response-time distribution",
               "How many samples took how long (all samples of the Total "
               "row, exact counts).");
    tbl_free(&b);
    return err;
}

/* ---- 9: throughput per label --------------------------------------------- */

static const struct jtl_throttle_scope *
label_scope(const struct jtl_throttle_result *th, const char *label)
{
    size_t i;

    if (!th)
        return NULL;
    for (i = 0; i < th->nscopes; i++)
        if (th->scopes[i].kind == JTL_SCOPE_LABEL && th->scopes[i].name &&
            strcmp(th->scopes[i].name, label) == 0)
            return &th->scopes[i];
    return NULL;
}

struct lab {
    const struct jtl_stats_row *row;
};

static int lab_cmp(const void *a, const void *b)
{
    const struct jtl_stats_row *x = ((const struct lab *)a)->row;
    const struct jtl_stats_row *y = ((const struct lab *)b)->row;

    double tx_ = isfinite(x->throughput) ? x->throughput : 0;
    double ty = isfinite(y->throughput) ? y->throughput : 0;

    /* ascending by the bar's length, the label's requests per second: the
     * busiest ends up at the top of the chart, and the bars shorten down */
    if (tx_ != ty)
        return tx_ < ty ? -1 : 1;
    if (x->samples != y->samples)
        return x->samples < y->samples ? -1 : 1;
    return strcmp(y->label, x->label);
}

static enum jtl_err chart_labels(struct build *bd)
{
    const struct jtl_stats_result *st = bd->in->stats;
    const struct jtl_throttle_result *th = bd->in->throttle;
    struct jtl_plot_series s[3];
    struct jtl_plot_chart c;
    struct lab *labs;
    size_t i, n = 0, first;
    struct tbl b;
    enum jtl_err err;

    if (!st || st->nrows == 0)
        return JTL_OK;
    labs = jtl_xcalloc(st->nrows, sizeof(*labs));
    for (i = 0; i < st->nrows; i++)
        if (!st->rows[i].is_controller && st->rows[i].samples > 0)
            labs[n++].row = &st->rows[i];
    if (n == 0) {
        free(labs);
        return JTL_OK;
    }
    qsort(labs, n, sizeof(*labs), lab_cmp);
    first = n > JTL_REPORT_MAX_BARS ? n - JTL_REPORT_MAX_BARS : 0;
    tbl_init(&b, n - first, 3, true);
    b.heads[0] = "label";
    b.heads[1] = "accepted";
    b.heads[2] = refused_head(bd);
    b.heads[3] = "other errors";
    for (i = first; i < n; i++) {
        const struct jtl_stats_row *row = labs[i].row;
        const struct jtl_throttle_scope *sc =
            label_scope(bd->in->throttle, row->label);
        double per = isfinite(row->throughput)
                         ? row->throughput / (double)row->samples
                         : 0;
        double acc, thr, oth;
        size_t r = i - first;

        if (sc && sc->samples == row->samples) {
            acc = (double)sc->accepted;
            thr = (double)sc->throttled;
            oth = (double)sc->errors;
        } else {
            size_t k;
            thr = 0;
            for (k = 0; th && k < th->nthrottle_codes; k++) {
                char code[16];
                snprintf(code, sizeof(code), "%d", th->throttle_codes[k]);
                thr += (double)jtl_stats_code_count(row, code);
            }
            if (!th)
                thr = (double)jtl_stats_code_count(row, "429");
            oth = (double)row->errors > thr ? (double)row->errors - thr : 0;
            acc = (double)row->samples - thr - oth;
        }
        b.text[r] = row->label;
        V(&b, r, 0) = acc * per;
        V(&b, r, 1) = thr * per;
        V(&b, r, 2) = oth * per;
    }
    s[0] = (struct jtl_plot_series){.style = JTL_PLOT_HBARS,
                                    .ycol = 2,
                                    .ysum = {3, 4},
                                    .titlecol = 4,
                                    .color = JTL_PLOT_PURPLE};
    s[1] = (struct jtl_plot_series){.style = JTL_PLOT_HBARS,
                                    .ycol = 2,
                                    .ysum = {3, 0},
                                    .titlecol = 3,
                                    .color = JTL_PLOT_VERMILLION};
    s[2] = (struct jtl_plot_series){
        .style = JTL_PLOT_HBARS, .ycol = 2, .color = JTL_PLOT_GREEN};
    jtl_plot_chart_init(&c);
    c.xlabel = "requests per second (over the time span of each label)";
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = 3;
    c.xmin = 0;
    c.height = (int)(190 + 30 * (n - first));
    if (c.height < 320)
        c.height = 320;
    if (first)
        c.note =
            strs_fmt(&bd->strs, "the %zu busiest of %zu labels", n - first, n);
    err = emit(bd, &c, 9, "labels", "Throughput per label",
               "Requests per second of each label, split into accepted, "
               "refused and other errors; the busiest labels first.");
    tbl_free(&b);
    free(labs);
    return err;
}

/* ---- 11-16: the charts of JMeter's dashboard ---------------------------- */

/* The colours of several series of one kind, in order. */
static const enum jtl_plot_color series_colors[] = {
    JTL_PLOT_BLUE,   JTL_PLOT_ORANGE,  JTL_PLOT_GREEN, JTL_PLOT_VERMILLION,
    JTL_PLOT_PURPLE, JTL_PLOT_SKYBLUE, JTL_PLOT_BLACK, JTL_PLOT_YELLOW};
#define MAX_LABEL_SERIES 8

/* The busiest labels of the timeline (most samples; TC rows too, as the
 * dashboard shows them), at most MAX_LABEL_SERIES, in label order. */
static size_t busiest_labels(const struct jtl_timeline *tl, size_t *pick)
{
    size_t n = 0, i, j, r;

    for (i = 0; i < tl->nlabels; i++) {
        uint64_t ti = 0, tj;
        size_t rank = 0;
        for (r = 0; r < tl->nbuckets; r++)
            ti += tl->labels[i].success[r] + tl->labels[i].failure[r];
        for (j = 0; j < tl->nlabels; j++) {
            if (j == i)
                continue;
            tj = 0;
            for (r = 0; r < tl->nbuckets; r++)
                tj += tl->labels[j].success[r] + tl->labels[j].failure[r];
            if (tj > ti || (tj == ti && j < i))
                rank++;
        }
        if (rank < MAX_LABEL_SERIES)
            pick[n++] = i;
    }
    return n;
}

/* Lines over time, one per column of B after x (the row at each
 * interval's middle), with colours in order.  Points when the run has one
 * or two intervals. */
static void line_series(struct jtl_plot_series *s, size_t n, size_t nbuckets)
{
    size_t k;

    for (k = 0; k < n; k++)
        s[k] = (struct jtl_plot_series){
            .style = nbuckets < 3 ? JTL_PLOT_LINESPOINTS : JTL_PLOT_LINES,
            .xcol = 1,
            .ycol = (unsigned)(2 + k),
            .color = series_colors[k % (sizeof(series_colors) /
                                        sizeof(series_colors[0]))]};
}

static double bucket_mid(const struct build *bd, const struct jtl_timeline *tl,
                         size_t r)
{
    double start = (double)tl->t0 + (double)tl->interval_ms * (double)r;
    return tmid(&bd->ax, start, start + (double)tl->interval_ms);
}

/* 11: mean response time of each label over time (ResponseTimesOverTime) */
static enum jtl_err chart_rt_labels(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    struct jtl_plot_series s[MAX_LABEL_SERIES];
    size_t pick[MAX_LABEL_SERIES], n, k, r;
    struct jtl_plot_chart c;
    struct tbl b;
    enum jtl_err err;

    if (!tl || tl->nbuckets == 0 || tl->nlabels == 0 || !tl->labels)
        return JTL_OK;
    n = busiest_labels(tl, pick);
    tbl_init(&b, tl->nbuckets, 1 + n, false);
    b.heads[0] = bd->ax.xlabel;
    for (k = 0; k < n; k++)
        b.heads[1 + k] = tl->labels[pick[k]].label; /* data, not script */
    for (r = 0; r < tl->nbuckets; r++) {
        V(&b, r, 0) = bucket_mid(bd, tl, r);
        for (k = 0; k < n; k++)
            V(&b, r, 1 + k) = tl->labels[pick[k]].rt_mean[r];
    }
    line_series(s, n, tl->nbuckets);
    jtl_plot_chart_init(&c);
    c.xlabel = bd->ax.xlabel;
    c.ylabel = "mean response time (ms)";
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = n;
    c.xmin = 0;
    c.xmax = bd->ax.xmax;
    c.ymin = 0;
    if (tl->nlabels > n)
        c.note = strs_fmt(&bd->strs, "the %zu busiest of %zu labels", n,
                          tl->nlabels);
    err = emit(bd, &c, 11, "response-times-per-label",
               "Response time per label over time",
               "Mean response time of each label in each interval, by the "
               "time the responses ended: a label that slows down while the "
               "others hold is the one to look at.");
    tbl_free(&b);
    return err;
}

/* 12: latency and connect time over time, beside the response time */
static enum jtl_err chart_latency(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    struct jtl_plot_series s[3];
    struct jtl_plot_chart c;
    bool lat = false, con = false;
    size_t r;
    struct tbl b;
    enum jtl_err err;

    if (!tl || tl->nbuckets == 0 || !tl->rt_mean || !tl->latency_mean)
        return JTL_OK;
    for (r = 0; r < tl->nbuckets; r++) {
        lat |= isfinite(tl->latency_mean[r]);
        con |= tl->connect_mean && isfinite(tl->connect_mean[r]);
    }
    if (!lat)
        return JTL_OK;
    tbl_init(&b, tl->nbuckets, 4, false);
    b.heads[0] = bd->ax.xlabel;
    b.heads[1] = "response time";
    b.heads[2] = "latency (to the first byte)";
    b.heads[3] = "connect time";
    for (r = 0; r < tl->nbuckets; r++) {
        V(&b, r, 0) = bucket_mid(bd, tl, r);
        V(&b, r, 1) = tl->rt_mean[r];
        V(&b, r, 2) = tl->latency_mean[r];
        V(&b, r, 3) = con ? tl->connect_mean[r] : NAN;
    }
    line_series(s, con ? 3 : 2, tl->nbuckets);
    s[0].color = JTL_PLOT_GREY;
    s[0].dashed = true; /* under the latency where they are equal */
    s[1].color = JTL_PLOT_BLUE;
    if (con)
        s[2].color = JTL_PLOT_ORANGE;
    jtl_plot_chart_init(&c);
    c.xlabel = bd->ax.xlabel;
    c.ylabel = "mean time (ms)";
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = con ? 3 : 2;
    c.xmin = 0;
    c.xmax = bd->ax.xmax;
    c.ymin = 0;
    err = emit(bd, &c, 12, "latency-connect",
               "Latency and connect time over time",
               "Mean time to the first byte (latency) and to open the "
               "connection, under the whole response time: when latency "
               "follows the response time the server is slow to answer; a "
               "growing connect time points at the network or a full accept "
               "queue.");
    tbl_free(&b);
    return err;
}

/* 13: bytes received and sent per second */
static enum jtl_err chart_bytes(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    struct jtl_plot_series s[2];
    struct jtl_plot_chart c;
    double sec;
    bool sent = false, recv = false;
    size_t r;
    struct tbl b;
    enum jtl_err err;

    if (!tl || tl->nbuckets == 0 || !tl->bytes_received || !tl->bytes_sent ||
        tl->interval_ms <= 0)
        return JTL_OK;
    for (r = 0; r < tl->nbuckets; r++) {
        recv |= tl->bytes_received[r] > 0;
        sent |= tl->bytes_sent[r] > 0;
    }
    if (!recv && !sent)
        return JTL_OK;
    sec = (double)tl->interval_ms / 1000.0;
    tbl_init(&b, tl->nbuckets, 3, false);
    b.heads[0] = bd->ax.xlabel;
    b.heads[1] = "received";
    b.heads[2] = "sent";
    for (r = 0; r < tl->nbuckets; r++) {
        V(&b, r, 0) = bucket_mid(bd, tl, r);
        V(&b, r, 1) = (double)tl->bytes_received[r] / 1024.0 / sec;
        V(&b, r, 2) = (double)tl->bytes_sent[r] / 1024.0 / sec;
    }
    line_series(s, 2, tl->nbuckets);
    s[0].color = JTL_PLOT_GREEN;
    s[1].color = JTL_PLOT_PURPLE;
    if (!recv) /* only sent: its line first */
        s[0] = s[1];
    jtl_plot_chart_init(&c);
    c.xlabel = bd->ax.xlabel;
    c.ylabel = "KB per second";
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = recv && sent ? 2 : 1; /* a series never recorded: no line */
    c.xmin = 0;
    c.xmax = bd->ax.xmax;
    c.ymin = 0;
    err = emit(bd, &c, 13, "bytes-throughput", "Bytes throughput over time",
               sent ? "Kilobytes (1024 bytes) per second received from and "
                      "sent to the server: a flat top while requests grow "
                      "points at a bandwidth limit."
                    : "Kilobytes (1024 bytes) per second received from and "
                      "sent to the server (the JTL records no bytes sent: "
                      "sentBytes was not saved).");
    tbl_free(&b);
    return err;
}

/* 14: mean response time against the active threads, one point per
 * interval (the dashboard's Time vs Threads, from the intervals) */
static enum jtl_err chart_rt_threads(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    struct jtl_plot_series s[1];
    struct jtl_plot_chart c;
    size_t r, n = 0;
    struct tbl b;
    enum jtl_err err;

    if (!tl || tl->nbuckets == 0 || !tl->threads_all_mean || !tl->rt_mean)
        return JTL_OK;
    for (r = 0; r < tl->nbuckets; r++)
        n += isfinite(tl->threads_all_mean[r]) && isfinite(tl->rt_mean[r]);
    if (n == 0)
        return JTL_OK;
    tbl_init(&b, n, 2, false);
    b.heads[0] = "active threads (mean over the interval)";
    b.heads[1] = "mean response time";
    for (r = 0, n = 0; r < tl->nbuckets; r++)
        if (isfinite(tl->threads_all_mean[r]) && isfinite(tl->rt_mean[r])) {
            V(&b, n, 0) = tl->threads_all_mean[r];
            V(&b, n, 1) = tl->rt_mean[r];
            n++;
        }
    s[0] = (struct jtl_plot_series){
        .style = JTL_PLOT_POINTS, .xcol = 1, .ycol = 2, .color = JTL_PLOT_BLUE};
    jtl_plot_chart_init(&c);
    c.xlabel = "active threads";
    c.ylabel = "mean response time (ms)";
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = 1;
    c.xmin = 0;
    c.ymin = 0;
    err = emit(bd, &c, 14, "response-time-vs-threads",
               "Response time vs active threads",
               "One point per interval: the mean response time at the mean "
               "number of active threads.  Flat while threads grow is a "
               "server keeping up; a rise from some thread count on is where "
               "it stops keeping up.");
    tbl_free(&b);
    return err;
}

/* 15: hits per second (by start) and transactions per second (by end) */
static enum jtl_err chart_hits_tps(struct build *bd)
{
    const struct jtl_timeline *tl = bd->in->timeline;
    struct jtl_plot_series s[3];
    struct jtl_plot_chart c;
    double sec;
    bool fail = false;
    size_t r;
    struct tbl b;
    enum jtl_err err;

    if (!tl || tl->nbuckets == 0 || !tl->hits || !tl->tx_success ||
        !tl->tx_failure || tl->interval_ms <= 0)
        return JTL_OK;
    sec = (double)tl->interval_ms / 1000.0;
    for (r = 0; r < tl->nbuckets; r++)
        fail |= tl->tx_failure[r] > 0;
    tbl_init(&b, tl->nbuckets, 4, false);
    b.heads[0] = bd->ax.xlabel;
    b.heads[1] = "hits (requests started)";
    b.heads[2] = "transactions (ended)";
    b.heads[3] = "failed transactions";
    for (r = 0; r < tl->nbuckets; r++) {
        V(&b, r, 0) = bucket_mid(bd, tl, r);
        V(&b, r, 1) = (double)tl->hits[r] / sec;
        V(&b, r, 2) = (double)(tl->tx_success[r] + tl->tx_failure[r]) / sec;
        V(&b, r, 3) = (double)tl->tx_failure[r] / sec;
    }
    line_series(s, fail ? 3 : 2, tl->nbuckets);
    s[0].color = JTL_PLOT_BLUE;
    s[1].color = JTL_PLOT_GREEN;
    if (fail)
        s[2].color = JTL_PLOT_VERMILLION;
    jtl_plot_chart_init(&c);
    c.xlabel = bd->ax.xlabel;
    c.ylabel = tl->interval_ms == 1000
                   ? "per second"
                   : strs_fmt(&bd->strs, "per second (mean over %.0f s)", sec);
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = fail ? 3 : 2;
    c.xmin = 0;
    c.xmax = bd->ax.xmax;
    c.ymin = 0;
    err = emit(bd, &c, 15, "hits-vs-transactions",
               "Hits vs transactions per second",
               "Requests started per second against transactions ended per "
               "second (Transaction Controllers count as transactions): "
               "transactions lagging the hits mean responses are piling "
               "up.");
    tbl_free(&b);
    return err;
}

/* 16: the response-time percentiles curve (ResponseTimePercentiles) */
static enum jtl_err chart_pct_curve(struct build *bd)
{
    const struct jtl_stats_result *st = bd->in->stats;
    static const double fine[] = {99.1, 99.2, 99.3, 99.4, 99.5,
                                  99.6, 99.7, 99.8, 99.9, 99.99};
    struct jtl_plot_series s[1 + MAX_LABEL_SERIES];
    const struct jtl_stats_row *rows[1 + MAX_LABEL_SERIES];
    struct jtl_plot_chart c;
    double p[100 + 10 + 1];
    size_t np = 0, nr = 0, i, k;
    struct tbl b;
    enum jtl_err err;

    if (!st || !st->total.hist || st->total.hist->n == 0)
        return JTL_OK;
    for (i = 0; i <= 99; i++)
        p[np++] = (double)i;
    for (i = 0; i < sizeof(fine) / sizeof(fine[0]); i++)
        p[np++] = fine[i];
    p[np++] = 100;
    rows[nr++] = &st->total;
    /* and the busiest labels (rows come sorted by label; pick by samples) */
    for (k = 0; k < st->nrows && nr < 6; k++) {
        const struct jtl_stats_row *best = NULL;
        for (i = 0; i < st->nrows; i++) {
            const struct jtl_stats_row *row = &st->rows[i];
            size_t j;
            bool taken = false;
            for (j = 1; j < nr; j++)
                taken |= rows[j] == row;
            if (taken || !row->hist || row->hist->n == 0 || row->is_controller)
                continue;
            if (!best || row->samples > best->samples)
                best = row;
        }
        if (!best)
            break;
        rows[nr++] = best;
    }
    if (nr == 2 && rows[1]->samples == rows[0]->samples)
        nr = 1; /* one label: its curve is the Total's */
    tbl_init(&b, np, 1 + nr, false);
    b.heads[0] = "percentile";
    for (k = 0; k < nr; k++)
        b.heads[1 + k] = k ? rows[k]->label : "Total";
    for (i = 0; i < np; i++) {
        V(&b, i, 0) = p[i];
        for (k = 0; k < nr; k++)
            V(&b, i, 1 + k) =
                jtl_hist_percentile(rows[k]->hist, p[i], JTL_PCT_EXACT);
    }
    line_series(s, nr, np);
    s[0].color = JTL_PLOT_BLACK;
    for (k = 1; k < nr; k++)
        s[k].color = series_colors[(k - 1) % (sizeof(series_colors) /
                                              sizeof(series_colors[0]))];
    jtl_plot_chart_init(&c);
    c.xlabel = "percentile (%)";
    c.ylabel = "response time (ms)";
    c.tables = &b.t;
    c.ntables = 1;
    c.series = s;
    c.nseries = nr;
    c.xmin = 0;
    c.xmax = 100;
    c.ymin = 0;
    err = emit(bd, &c, 16, "response-time-percentiles-curve",
               "Response-time percentiles",
               "The response time under which each share of the samples "
               "finished (exact; finer above the 99th): a curve that shoots "
               "up at the right is a slow tail that the mean hides.");
    tbl_free(&b);
    return err;
}

/* ---- driver -------------------------------------------------------------- */

enum jtl_err jtl_report_charts_write(const struct jtl_report_input *in,
                                     const struct jtl_run_info *run,
                                     const char *dir,
                                     struct jtl_report_charts *out,
                                     struct jtl_diag *diag)
{
    static enum jtl_err (*const builders[])(struct build *) = {
        /* the order of the page; numbers stay as they were given */
        chart_throughput,  chart_share,      chart_envelope,
        chart_retry,       chart_retry_wait, chart_codes,
        chart_percentiles, chart_threads,    chart_distribution,
        chart_labels,      chart_rt_labels,  chart_latency,
        chart_bytes,       chart_rt_threads, chart_hits_tps,
        chart_pct_curve,
    };
    struct build *bd = jtl_xcalloc(1, sizeof(*bd));
    enum jtl_err err = JTL_OK;
    size_t i;

    memset(out, 0, sizeof(*out));
    bd->in = in;
    bd->dir = dir;
    bd->out = out;
    bd->diag = diag;
    taxis_init(&bd->ax, in, run);
    for (i = 0; i < sizeof(builders) / sizeof(builders[0]) && !err; i++) {
        bd->strs.n = 0;
        err = builders[i](bd);
    }
    free(bd);
    return err;
}

/* Two gnuplot processes at a time (the machine this runs on has two cores
 * to share; a report draws about ten charts of some 50 ms each). */
#define RENDER_THREADS 2

struct render_job {
    struct jtl_report_charts *charts;
    const char *dir, *prog;
    int timeout_ms;
    size_t first;         /* this thread renders first, first + N, ... */
    struct jtl_diag diag; /* first failure of this thread */
    bool failed;
};

static void *render_some(void *arg)
{
    struct render_job *job = arg;
    size_t i;

    for (i = job->first; i < job->charts->n; i += RENDER_THREADS) {
        struct jtl_diag d;

        memset(&d, 0, sizeof(d));
        if (jtl_plot_render(job->prog, job->dir, job->charts->list[i].name,
                            job->timeout_ms, &d) == JTL_OK) {
            job->charts->list[i].rendered = true;
        } else if (!job->failed) {
            job->failed = true;
            job->diag = d;
        }
    }
    return NULL;
}

enum jtl_err jtl_report_charts_render(struct jtl_report_charts *charts,
                                      const char *dir, const char *gnuplot,
                                      int timeout_ms, struct jtl_diag *diag)
{
    const char *prog = gnuplot ? gnuplot : "gnuplot";
    struct render_job jobs[RENDER_THREADS];
    pthread_t tid[RENDER_THREADS];
    bool started[RENDER_THREADS] = {false};
    size_t t;

    (void)diag;
    if (!jtl_spawn_find(prog, NULL, 0)) {
        charts->gnuplot_missing = true;
        return JTL_OK;
    }
    for (t = 0; t < RENDER_THREADS; t++) {
        memset(&jobs[t], 0, sizeof(jobs[t]));
        jobs[t].charts = charts;
        jobs[t].dir = dir;
        jobs[t].prog = prog;
        jobs[t].timeout_ms = timeout_ms;
        jobs[t].first = t;
        /* each thread writes only its own charts' `rendered` flags */
        started[t] =
            t > 0 && pthread_create(&tid[t], NULL, render_some, &jobs[t]) == 0;
    }
    render_some(&jobs[0]);
    for (t = 1; t < RENDER_THREADS; t++) {
        if (started[t])
            pthread_join(tid[t], NULL);
        else
            render_some(&jobs[t]); /* no thread: do its share here */
    }
    for (t = 0; t < RENDER_THREADS; t++)
        if (jobs[t].failed && !charts->render_failed) {
            charts->render_failed = true;
            snprintf(charts->render_error, sizeof(charts->render_error),
                     "%s%s%s", jobs[t].diag.where,
                     jobs[t].diag.where[0] ? ": " : "", jobs[t].diag.msg);
        }
    return JTL_OK;
}
