/* SPDX-License-Identifier: MIT
 * compare_html.c - `compare -o DIR`: a self-contained comparison page
 * like the report (templates/compare.html): the verdicts, why, the
 * throttling before and after, the --fail-if rules, and the charts that
 * matter with both runs on them: requests per second and p95 over time
 * (aligned at each run's start), the response-time distributions, and each
 * label's change against the change that counts. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/report/outfile.h"
#include "jtl/report/plot.h"
#include "jtl/report/writers.h"
#include "page.h"
#include "textfmt.h"

#ifndef JTL_VERSION
#define JTL_VERSION "0.0.0"
#endif

#define MAX_BARS 30 /* labels in the change chart: the largest changes */

/* The series over time of one run: x seconds since its first bucket,
 * requests per second (hits) and the p95 of its successful samples. */
static double *over_time(const struct jtl_timeline *tl, size_t *rows)
{
    size_t i, k95 = SIZE_MAX, step;
    double *v, g;

    *rows = 0;
    if (!tl || tl->nbuckets == 0 || tl->interval_ms <= 0)
        return NULL;
    for (i = 0; i < tl->npct; i++)
        if (tl->pct_list[i] == 95)
            k95 = i;
    step = (tl->nbuckets + JTL_REPORT_MAX_POINTS - 1) / JTL_REPORT_MAX_POINTS;
    g = (double)tl->interval_ms / 1000.0;
    v = jtl_xcalloc(3 * (tl->nbuckets / step + 2), sizeof(*v));
    for (i = 0; i < tl->nbuckets; i += step) {
        double *r = &v[3 * *rows];
        r[0] = (double)i * g;
        r[1] = (double)tl->hits[i] / g;
        r[2] = k95 != SIZE_MAX && tl->rt_pct[k95] ? tl->rt_pct[k95][i] : NAN;
        (*rows)++;
    }
    return v;
}

static enum jtl_err chart_time(const struct jtl_compare_page *in,
                               struct jtl_report_charts *charts,
                               const char *dir, struct jtl_diag *diag)
{
    static const char *const heads[2][3] = {
        {"time since the start of the run (s)", "baseline requests/s",
         "baseline p95 (ms)"},
        {"time since the start of the run (s)", "current requests/s",
         "current p95 (ms)"}};
    struct jtl_plot_table t[2];
    struct jtl_plot_series s[2];
    struct jtl_plot_chart c;
    double *v[2];
    size_t rows[2], k, nt = 0;
    enum jtl_err err = JTL_OK;
    int pass;

    for (k = 0; k < 2; k++)
        v[k] = over_time(in->tl[k], &rows[k]);
    if (!v[0] || !v[1]) {
        free(v[0]);
        free(v[1]);
        return JTL_OK;
    }
    for (k = 0; k < 2; k++) {
        memset(&t[k], 0, sizeof(t[k]));
        t[k].nrows = rows[k];
        t[k].ncols = 3;
        t[k].headers = heads[k];
        t[k].values = v[k];
        nt++;
    }
    for (pass = 0; pass < 2 && !err; pass++) {
        jtl_plot_chart_init(&c);
        c.xlabel = "time since the start of the run (s)";
        c.ylabel = pass ? "p95 of successful samples (ms)"
                        : "requests per "
                          "second";
        c.tables = t;
        c.ntables = nt;
        c.ymin = 0;
        for (k = 0; k < 2; k++) {
            memset(&s[k], 0, sizeof(s[k]));
            s[k].style = JTL_PLOT_LINES;
            s[k].block = (unsigned)k;
            s[k].xcol = 1;
            s[k].ycol = pass ? 3 : 2;
            s[k].color = k ? JTL_PLOT_VERMILLION : JTL_PLOT_BLUE;
            s[k].title = k ? "current" : "baseline";
        }
        c.series = s;
        c.nseries = 2;
        c.key_inside = true;
        err = pass ? jtl_report_chart_add(
                         charts, dir, &c, 2, "p95", "p95 over time, both runs",
                         "The p95 of the successful samples per interval, "
                         "each run from its own start: a regression shows "
                         "as the orange line above the blue one.",
                         diag)
                   : jtl_report_chart_add(
                         charts, dir, &c, 1, "throughput",
                         "Requests per second, both runs",
                         "The load each run offered, from its own start: "
                         "compare like with like (a slower run under more "
                         "load is not the same finding).",
                         diag);
    }
    free(v[0]);
    free(v[1]);
    return err;
}

static enum jtl_err chart_cdf(const struct jtl_compare_page *in,
                              struct jtl_report_charts *charts, const char *dir,
                              struct jtl_diag *diag)
{
    static const char *const heads[2][2] = {{"percentile", "baseline (ms)"},
                                            {"percentile", "current (ms)"}};
    const struct jtl_cmp_cdf *cd[2] = {&in->cmp->cdf_base, &in->cmp->cdf_cur};
    struct jtl_plot_table t[2];
    struct jtl_plot_series s[2];
    struct jtl_plot_chart c;
    double *v[2];
    size_t k, i;
    enum jtl_err err;

    if (!cd[0]->n || !cd[1]->n)
        return JTL_OK;
    for (k = 0; k < 2; k++) {
        v[k] = jtl_xcalloc(2 * cd[k]->n, sizeof(*v[k]));
        for (i = 0; i < cd[k]->n; i++) {
            v[k][2 * i] = cd[k]->ms[i];
            v[k][2 * i + 1] = cd[k]->pct[i];
        }
        memset(&t[k], 0, sizeof(t[k]));
        t[k].nrows = cd[k]->n;
        t[k].ncols = 2;
        t[k].headers = heads[k];
        t[k].values = v[k];
        memset(&s[k], 0, sizeof(s[k]));
        s[k].style = JTL_PLOT_STEPS;
        s[k].block = (unsigned)k;
        s[k].xcol = 1;
        s[k].ycol = 2;
        s[k].color = k ? JTL_PLOT_VERMILLION : JTL_PLOT_BLUE;
        s[k].title = k ? "current" : "baseline";
    }
    jtl_plot_chart_init(&c);
    c.xlabel = "response time (ms)";
    c.ylabel = "samples at or below (%)";
    c.tables = t;
    c.ntables = 2;
    c.series = s;
    c.nseries = 2;
    c.ymin = 0;
    c.ymax = 100;
    c.xmin = 0;
    c.key_inside = true;
    err = jtl_report_chart_add(
        charts, dir, &c, 3, "distribution",
        "Response-time distribution of all samples, both runs",
        "Cumulative: the curve to the right is the slower run; where "
        "the curves part shows which samples changed (all of them, "
        "or only the tail).",
        diag);
    free(v[0]);
    free(v[1]);
    return err;
}

struct bar {
    const struct jtl_cmp_label *l;
};

static enum jtl_cmp_metric sort_metric;

static int by_abs_change(const void *a, const void *b)
{
    double x = fabs(((const struct bar *)a)->l->delta_pct[sort_metric]);
    double y = fabs(((const struct bar *)b)->l->delta_pct[sort_metric]);

    if (x != x)
        x = -1;
    if (y != y)
        y = -1;
    return (x < y) - (x > y);
}

static enum jtl_err chart_labels(const struct jtl_compare_page *in,
                                 struct jtl_report_charts *charts,
                                 const char *dir, struct jtl_diag *diag)
{
    static const char *heads[3] = {"label", "change (%)", "band"};
    const struct jtl_cmp_result *r = in->cmp;
    enum jtl_cmp_metric m = r->metric;
    struct jtl_plot_table t;
    struct jtl_plot_series s[3];
    struct jtl_plot_chart c;
    struct bar *bars = jtl_xcalloc(r->n + 1, sizeof(*bars));
    const char **text;
    double *v;
    size_t i, n = 0;
    enum jtl_err err;
    char note[160];

    for (i = 1; i < r->n; i++)
        if (r->labels[i].in_base && r->labels[i].in_cur &&
            r->labels[i].delta_pct[m] == r->labels[i].delta_pct[m])
            bars[n++].l = &r->labels[i];
    if (n == 0) {
        free(bars);
        return JTL_OK;
    }
    sort_metric = m;
    qsort(bars, n, sizeof(*bars), by_abs_change);
    if (n > MAX_BARS)
        n = MAX_BARS;
    text = jtl_xcalloc(n, sizeof(*text));
    v = jtl_xcalloc(2 * n, sizeof(*v));
    /* the largest change on top: gnuplot draws the first row at the bottom */
    for (i = 0; i < n; i++) {
        const struct jtl_cmp_label *l = bars[n - 1 - i].l;
        text[i] = l->name;
        v[2 * i] = l->delta_pct[m];
        v[2 * i + 1] = 0;
    }
    memset(&t, 0, sizeof(t));
    t.nrows = n;
    t.ncols = 2;
    t.headers = heads;
    t.has_text = true;
    t.text = text;
    t.values = v;
    memset(s, 0, sizeof(s));
    s[0].style = JTL_PLOT_HBARS;
    s[0].ycol = 2;
    s[0].color = JTL_PLOT_ORANGE;
    s[0].title = "";
    jtl_plot_chart_init(&c);
    c.xlabel = "change of each label (%)";
    c.tables = &t;
    c.ntables = 1;
    c.series = s;
    c.nseries = 1;
    {
        struct jtl_plot_marker mk[2] = {{-100 * r->min_change, "-"},
                                        {100 * r->min_change, "+"}};
        c.markers = mk;
        c.nmarkers = 2;
        c.height = (int)(190 + 30 * n);
        if (c.height < 320)
            c.height = 320;
        snprintf(note, sizeof(note),
                 "dashed lines: the %.0f %% a change must pass to count",
                 100 * r->min_change);
        c.note = note;
        err = jtl_report_chart_add(
            charts, dir, &c, 4, "label-change", "Change of each label",
            "The change of each label's figure (the p95 unless "
            "--metric); the dashed lines mark --min-change.  A bar "
            "past them is slower or faster only where the test also "
            "says the distributions differ (the table).",
            diag);
    }
    free(text);
    free(v);
    free(bars);
    return err;
}

/* ---- the page ------------------------------------------------------------ */

static void build(struct mrec *m, const struct jtl_compare_page *in)
{
    const struct jtl_cmp_result *r = in->cmp;
    struct mlist *rows = model_list(m, "rows");
    struct mlist *rules = model_list(m, "rules");
    enum jtl_cmp_metric k = r->metric;
    char a[64], b[64];
    size_t i;

    model_str(m, "version", JTL_VERSION);
    model_str(m, "title", in->title ? in->title : "Comparison");
    model_fmt(m, "subtitle", "baseline %s \xC2\xB7 current %s",
              in->names[0] ? in->names[0] : "",
              in->names[1] ? in->names[1] : "");
    model_fmt(m, "summary",
              "%zu slower, %zu faster, %zu the same, %zu not comparable",
              r->nslower, r->nfaster, r->nsame, r->nnot);
    model_str(m, "verdict_class", r->nslower ? "fail" : "pass");
    model_str(m, "metric", jtl_cmp_metric_name(k));
    for (i = 0; i < r->n; i++) {
        const struct jtl_cmp_label *l = &r->labels[i];
        struct mrec *x = model_add(rows);
        model_str(x, "name", l->name);
        model_fmt(
            x, "samples", "%s \xE2\x86\x92 %s",
            jtl_rfmt_figure(a, sizeof(a), l->base.v[JTL_CMP_SAMPLES], JTL_DASH),
            jtl_rfmt_figure(b, sizeof(b), l->cur.v[JTL_CMP_SAMPLES], JTL_DASH));
        model_fmt(x, "errors", "%s \xE2\x86\x92 %s",
                  jtl_rfmt_figure(a, sizeof(a), l->base.v[JTL_CMP_ERROR_PCT],
                                  JTL_DASH),
                  jtl_rfmt_figure(b, sizeof(b), l->cur.v[JTL_CMP_ERROR_PCT],
                                  JTL_DASH));
        model_str(x, "before",
                  jtl_rfmt_figure(a, sizeof(a), l->base.v[k], JTL_DASH));
        model_str(x, "now",
                  jtl_rfmt_figure(a, sizeof(a), l->cur.v[k], JTL_DASH));
        model_str(x, "change",
                  jtl_rfmt_change(a, sizeof(a), l->delta_pct[k], JTL_DASH));
        if (l->p_value == l->p_value)
            model_fmt(x, "p", "%.2g", l->p_value);
        else
            model_str(x, "p", "–");
        model_str(x, "verdict", jtl_cmp_change_name(l->change));
        model_str(x, "why", l->why ? l->why : "");
    }
    model_flag(m, "has_throttle", r->thr_change != NULL);
    model_str(m, "throttle", r->thr_change ? r->thr_change : "");
    for (i = 0; i < r->nrules; i++) {
        const struct jtl_cmp_fired *f = &r->rules[i];
        struct mrec *x = model_add(rules);
        model_str(x, "rule", f->rule->text);
        model_str(x, "status",
                  f->error   ? "ERROR"
                  : f->fired ? "FIRED"
                             : "held");
        model_str(x, "status_class", f->error || f->fired ? "fail" : "pass");
        model_str(x, "message", f->message ? f->message : "");
    }
    model_flag(m, "has_rules", r->nrules > 0);
    model_str(m, "method", r->method);
}

static enum jtl_err write_index(FILE *fp, const struct jtl_compare_page *in,
                                const struct jtl_report_charts *charts,
                                const char *dir, const char *template_dir,
                                struct jtl_diag *diag)
{
    struct mrec model;
    struct jtl_tpl *tpl = NULL;
    char *html = NULL, *css = NULL;
    size_t hlen = 0, clen = 0;
    enum jtl_err err;

    memset(&model, 0, sizeof(model));
    err = page_template(template_dir, "compare.html", &html, &hlen, diag);
    if (!err)
        err = page_template(template_dir, "report.css", &css, &clen, diag);
    if (!err)
        err = jtl_tpl_parse("compare.html", html, hlen, &tpl, diag);
    if (err)
        goto out;
    model_take(&model, "css", css, clen);
    css = NULL;
    build(&model, in);
    err = page_charts(&model, charts, dir, true, diag);
    if (!err)
        err = jtl_tpl_render(tpl, fp, NULL, model_lookup, &model, diag);
out:
    jtl_tpl_free(tpl);
    model_free(&model);
    free(html);
    free(css);
    return err;
}

static enum jtl_err write_file(const char *tmp, const char *dir,
                               const char *name,
                               const struct jtl_compare_page *in,
                               const struct jtl_report_charts *charts,
                               const char *template_dir, struct jtl_diag *diag)
{
    FILE *fp;
    enum jtl_err err = page_file_open(tmp, name, &fp, diag);

    if (err)
        return err;
    if (strcmp(name, "compare.json") == 0)
        err = jtl_report_compare_json(fp, in->cmp, NULL, diag);
    else if (strcmp(name, "summary.md") == 0)
        err = jtl_report_compare_md(fp, in->cmp, NULL, diag);
    else
        err = write_index(fp, in, charts, tmp, template_dir, diag);
    return page_file_close(fp, dir, name, err, diag);
}

enum jtl_err jtl_compare_write(const struct jtl_compare_page *in,
                               const struct jtl_report_opts *opts,
                               struct jtl_report_charts *charts,
                               struct jtl_diag *diag)
{
    char *tmp = NULL;
    bool created = false;
    enum jtl_err err;

    memset(charts, 0, sizeof(*charts));
    err = page_dir_open(opts->dir, &tmp, &created, diag);
    if (!err)
        err =
            write_file(tmp, opts->dir, "compare.json", in, charts, NULL, diag);
    if (!err)
        err = write_file(tmp, opts->dir, "summary.md", in, charts, NULL, diag);
    if (!err)
        err = chart_time(in, charts, tmp, diag);
    if (!err)
        err = chart_cdf(in, charts, tmp, diag);
    if (!err)
        err = chart_labels(in, charts, tmp, diag);
    if (err)
        goto out;
    if (!opts->render)
        charts->render_skipped = true;
    else if (charts->n)
        jtl_report_charts_render(charts, tmp, opts->gnuplot, opts->timeout_ms,
                                 diag);
    err = write_file(tmp, opts->dir, "index.html", in, charts,
                     opts->template_dir, diag);
    if (!err)
        err = page_dir_commit(opts->dir, tmp, diag);
out:
    page_dir_close(opts->dir, tmp, created, err);
    jtl_report_charts_release(charts);
    return err;
}
