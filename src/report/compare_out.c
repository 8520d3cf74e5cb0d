/* SPDX-License-Identifier: MIT
 * compare_out.c - a comparison (compare.h) as text, Markdown, CSV, JSON and
 * JUnit XML (writers.h).  Labels come from the JTL: escaped for each
 * format. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jtl/base/buf.h"
#include "jtl/report/escape.h"
#include "jtl/report/json.h"
#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"
#include "stats_fmt.h"
#include "textfmt.h"

static const char *pv(char *out, size_t cap, double p)
{
    if (p != p)
        snprintf(out, cap, "-");
    else
        snprintf(out, cap, "%.2g", p);
    return out;
}

/* The text and Markdown table (one grid, two styles). */
static void table(struct jtl_grid *g, const struct jtl_cmp_result *r)
{
    enum jtl_cmp_metric m = r->metric;
    char a[64], b[64], c[64], d[64], e[64];
    size_t i;

    jtl_grid_cells(g, "Label");
    jtl_grid_cells(g, "Samples");
    jtl_grid_cells(g, "Error %");
    jtl_grid_cellf(g, "%s before", jtl_cmp_metric_name(m));
    jtl_grid_cellf(g, "%s now", jtl_cmp_metric_name(m));
    jtl_grid_cells(g, "Change");
    jtl_grid_cells(g, "Mean change");
    jtl_grid_cells(g, "p-value");
    jtl_grid_cells(g, "Verdict");
    for (i = 0; i < r->n; i++) {
        const struct jtl_cmp_label *l = &r->labels[i];
        jtl_grid_cell(g, l->name, strlen(l->name));
        snprintf(a, sizeof(a), "%s -> %s",
                 jtl_rfmt_figure(b, sizeof(b), l->base.v[0], "-"),
                 jtl_rfmt_figure(c, sizeof(c), l->cur.v[0], "-"));
        jtl_grid_cells(g, a);
        snprintf(
            a, sizeof(a), "%s -> %s",
            jtl_rfmt_figure(b, sizeof(b), l->base.v[JTL_CMP_ERROR_PCT], "-"),
            jtl_rfmt_figure(c, sizeof(c), l->cur.v[JTL_CMP_ERROR_PCT], "-"));
        jtl_grid_cells(g, a);
        jtl_grid_cells(g, jtl_rfmt_figure(d, sizeof(d), l->base.v[m], "-"));
        jtl_grid_cells(g, jtl_rfmt_figure(e, sizeof(e), l->cur.v[m], "-"));
        jtl_grid_cells(g, jtl_rfmt_change(a, sizeof(a), l->delta_pct[m], "-"));
        jtl_grid_cells(
            g, jtl_rfmt_change(a, sizeof(a), l->delta_pct[JTL_CMP_MEAN], "-"));
        jtl_grid_cells(g, pv(a, sizeof(a), l->p_value));
        jtl_grid_cells(g, jtl_cmp_change_name(l->change));
    }
}

static void summary(struct jtl_buf *b, const struct jtl_cmp_result *r)
{
    jtl_buf_printf(b,
                   "%zu slower, %zu faster, %zu the same, %zu not "
                   "comparable",
                   r->nslower, r->nfaster, r->nsame, r->nnot);
    if (r->nrules)
        jtl_buf_printf(b, "; %zu of %zu --fail-if fired", r->nfired, r->nrules);
}

/* The table in STYLE: the label left, the figures right. */
static void print_table(FILE *fp, const struct jtl_cmp_result *r,
                        enum jtl_grid_style style)
{
    struct jtl_grid g;
    size_t c;

    jtl_grid_init(&g, 9, style);
    for (c = 1; c <= 7; c++)
        g.right[c] = true;
    table(&g, r);
    jtl_grid_print(&g, fp);
    jtl_grid_release(&g);
}

/* Terminal text: no control character from a label. */
static void put_plain(FILE *fp, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

enum jtl_err jtl_report_compare_text(FILE *fp, const struct jtl_cmp_result *r,
                                     const struct jtl_run_info *info,
                                     struct jtl_diag *diag)
{
    struct jtl_buf b;
    size_t i;

    (void)info;
    jtl_buf_init(&b, 0);
    summary(&b, r);
    fprintf(fp, "Comparison: %s\n\n", b.p);
    print_table(fp, r, JTL_GRID_TEXT);
    fputs("\nWhy\n", fp);
    for (i = 0; i < r->n; i++) {
        const struct jtl_cmp_label *l = &r->labels[i];
        fputs("  ", fp);
        put_plain(fp, l->name);
        fputs(": ", fp);
        put_plain(fp, l->why ? l->why : "");
        fputc('\n', fp);
    }
    if (r->thr_change) {
        fputs("\nThrottling: ", fp);
        put_plain(fp, r->thr_change);
        fputc('\n', fp);
    }
    for (i = 0; i < r->nrules; i++) {
        const struct jtl_cmp_fired *f = &r->rules[i];
        fprintf(fp, "%s--fail-if '", i ? "" : "\n");
        put_plain(fp, f->rule->text);
        fprintf(fp, "': %s: ",
                f->error   ? "ERROR"
                : f->fired ? "FIRED"
                           : "held");
        put_plain(fp, f->message ? f->message : "");
        fputc('\n', fp);
    }
    fputs("\nMethod: ", fp);
    put_plain(fp, r->method);
    fputs(".\n", fp);
    jtl_buf_release(&b);
    return jtl_write_status(fp, diag);
}

enum jtl_err jtl_report_compare_md(FILE *fp, const struct jtl_cmp_result *r,
                                   const struct jtl_run_info *info,
                                   struct jtl_diag *diag)
{
    struct jtl_buf b;
    size_t i;

    (void)info;
    jtl_buf_init(&b, 0);
    summary(&b, r);
    fprintf(fp, "**Comparison: %s**\n\n", b.p);
    print_table(fp, r, JTL_GRID_MD);
    b.len = 0;
    if (r->thr_change) {
        jtl_buf_adds(&b, "\n**Throttling:** ");
        jtl_md_escape(&b, r->thr_change, strlen(r->thr_change), 0);
        jtl_buf_adds(&b, "\n");
    }
    jtl_buf_adds(&b, "\n");
    for (i = 0; i < r->n; i++) {
        jtl_buf_adds(&b, "- ");
        jtl_md_escape(&b, r->labels[i].name, strlen(r->labels[i].name), 80);
        jtl_buf_adds(&b, ": ");
        jtl_md_escape(&b, r->labels[i].why ? r->labels[i].why : "",
                      r->labels[i].why ? strlen(r->labels[i].why) : 0, 0);
        jtl_buf_adds(&b, "\n");
    }
    jtl_buf_adds(&b, "\n_");
    jtl_md_escape(&b, r->method, strlen(r->method), 0);
    jtl_buf_adds(&b, "._\n");
    fwrite(b.p, 1, b.len, fp);
    jtl_buf_release(&b);
    return jtl_write_status(fp, diag);
}

/* CSV: one row per label, every figure of both sides and the changes. */
static void csv_field(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

enum jtl_err jtl_report_compare_csv(FILE *fp, const struct jtl_cmp_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag)
{
    size_t i, k;
    char n[64];

    (void)info;
    fputs("label", fp);
    for (k = 0; k < JTL_CMP_NMETRICS; k++)
        fprintf(fp, ",baseline_%s,current_%s,delta_%s,delta_pct_%s",
                jtl_cmp_metric_name(k), jtl_cmp_metric_name(k),
                jtl_cmp_metric_name(k), jtl_cmp_metric_name(k));
    fputs(",change,p_value\n", fp);
    for (i = 0; i < r->n; i++) {
        const struct jtl_cmp_label *l = &r->labels[i];
        csv_field(fp, l->name);
        for (k = 0; k < JTL_CMP_NMETRICS; k++) {
            double v[4] = {l->base.v[k], l->cur.v[k], l->delta[k],
                           l->delta_pct[k]};
            size_t j;
            for (j = 0; j < 4; j++) {
                jtl_rs_short_num(n, sizeof(n), v[j]);
                fprintf(fp, ",%s", n);
            }
        }
        jtl_rs_short_num(n, sizeof(n), l->p_value);
        fprintf(fp, ",%s,%s\n", jtl_cmp_change_name(l->change), n);
    }
    return jtl_write_status(fp, diag);
}

static void figs(struct jtl_json *j, const char *key, const double *v)
{
    size_t k;

    jtl_json_key(j, key);
    jtl_json_obj_begin(j);
    for (k = 0; k < JTL_CMP_NMETRICS; k++) {
        jtl_json_key(j, jtl_cmp_metric_name(k));
        jtl_json_num(j, v[k]);
    }
    jtl_json_obj_end(j);
}

static void thr_json(struct jtl_json *j, const char *key,
                     const struct jtl_cmp_thr *t)
{
    jtl_json_key(j, key);
    if (!t->known) {
        jtl_json_null(j);
        return;
    }
    jtl_json_obj_begin(j);
    jtl_json_key(j, "verdict");
    jtl_json_str(j, jtl_throttle_verdict_name(t->verdict));
    jtl_json_key(j, "mechanism");
    jtl_json_str(j, jtl_throttle_mechanism_name(t->mechanism));
    jtl_json_key(j, "limit_per_s");
    jtl_json_num(j, t->limit_per_s);
    jtl_json_key(j, "throttled_pct");
    jtl_json_num(j, t->throttled_pct);
    jtl_json_key(j, "retry_after_s");
    jtl_json_num(j, t->retry_after_s);
    jtl_json_obj_end(j);
}

enum jtl_err jtl_report_compare_json(FILE *fp, const struct jtl_cmp_result *r,
                                     const struct jtl_run_info *info,
                                     struct jtl_diag *diag)
{
    struct jtl_json j;
    size_t i;

    (void)info;
    jtl_json_init_file(&j, fp, 2);
    jtl_json_obj_begin(&j);
    jtl_json_key(&j, "labels");
    jtl_json_arr_begin(&j);
    for (i = 0; i < r->n; i++) {
        const struct jtl_cmp_label *l = &r->labels[i];
        jtl_json_obj_begin(&j);
        jtl_json_key(&j, "name");
        jtl_json_str(&j, l->name);
        jtl_json_key(&j, "by_template");
        jtl_json_bool(&j, l->by_template);
        if (l->in_base)
            figs(&j, "baseline", l->base.v);
        else {
            jtl_json_key(&j, "baseline");
            jtl_json_null(&j);
        }
        if (l->in_cur)
            figs(&j, "current", l->cur.v);
        else {
            jtl_json_key(&j, "current");
            jtl_json_null(&j);
        }
        figs(&j, "delta", l->delta);
        figs(&j, "delta_pct", l->delta_pct);
        jtl_json_key(&j, "change");
        jtl_json_str(&j, jtl_cmp_change_name(l->change));
        jtl_json_key(&j, "p_value");
        jtl_json_num(&j, l->p_value);
        jtl_json_key(&j, "why");
        jtl_json_str(&j, l->why);
        jtl_json_obj_end(&j);
    }
    jtl_json_arr_end(&j);
    jtl_json_key(&j, "throttle");
    jtl_json_obj_begin(&j);
    thr_json(&j, "baseline", &r->thr_base);
    thr_json(&j, "current", &r->thr_cur);
    jtl_json_key(&j, "change");
    jtl_json_str(&j, r->thr_change);
    jtl_json_obj_end(&j);
    jtl_json_key(&j, "failed");
    jtl_json_arr_begin(&j);
    for (i = 0; i < r->nrules; i++)
        if (r->rules[i].fired || r->rules[i].error)
            jtl_json_str(&j, r->rules[i].rule->text);
    jtl_json_arr_end(&j);
    jtl_json_key(&j, "fail_if");
    jtl_json_arr_begin(&j);
    for (i = 0; i < r->nrules; i++) {
        const struct jtl_cmp_fired *f = &r->rules[i];
        jtl_json_obj_begin(&j);
        jtl_json_key(&j, "rule");
        jtl_json_str(&j, f->rule->text);
        jtl_json_key(&j, "status");
        jtl_json_str(&j, f->error ? "error" : f->fired ? "fired" : "held");
        jtl_json_key(&j, "baseline");
        jtl_json_num(&j, f->base);
        jtl_json_key(&j, "current");
        jtl_json_num(&j, f->cur);
        jtl_json_key(&j, "message");
        jtl_json_str(&j, f->message);
        jtl_json_obj_end(&j);
    }
    jtl_json_arr_end(&j);
    jtl_json_key(&j, "metric");
    jtl_json_str(&j, jtl_cmp_metric_name(r->metric));
    jtl_json_key(&j, "min_change_pct");
    jtl_json_num(&j, 100 * r->min_change);
    jtl_json_key(&j, "alpha");
    jtl_json_num(&j, r->alpha);
    jtl_json_key(&j, "method");
    jtl_json_str(&j, r->method);
    jtl_json_obj_end(&j);
    jtl_json_end(&j);
    return jtl_write_status(fp, diag);
}

enum jtl_err jtl_report_compare_junit(FILE *fp, const struct jtl_cmp_result *r,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag)
{
    struct jtl_buf b;
    size_t i, nf = 0, ne = 0;

    (void)info;
    for (i = 0; i < r->nrules; i++) {
        nf += r->rules[i].fired && !r->rules[i].error;
        ne += r->rules[i].error;
    }
    jtl_buf_init(&b, 0);
    jtl_buf_printf(&b,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<testsuite name=\"jtlscope compare\" tests=\"%zu\" "
                   "failures=\"%zu\" errors=\"%zu\" skipped=\"0\" "
                   "time=\"0\">\n",
                   r->nrules, nf, ne);
    for (i = 0; i < r->nrules; i++) {
        const struct jtl_cmp_fired *f = &r->rules[i];
        const char *tag = f->error ? "error" : "failure";
        jtl_buf_adds(&b, "  <testcase name=\"");
        jtl_html_escape(&b, f->rule->text, strlen(f->rule->text));
        jtl_buf_adds(&b, "\" classname=\"compare\" time=\"0\"");
        if (!f->fired && !f->error) {
            jtl_buf_adds(&b, "/>\n");
            continue;
        }
        jtl_buf_printf(&b, ">\n    <%s message=\"", tag);
        jtl_html_escape(&b, f->message ? f->message : "",
                        f->message ? strlen(f->message) : 0);
        jtl_buf_printf(&b, "\" type=\"fail-if\">");
        jtl_html_escape(&b, f->message ? f->message : "",
                        f->message ? strlen(f->message) : 0);
        jtl_buf_printf(&b, "</%s>\n  </testcase>\n", tag);
    }
    jtl_buf_adds(&b, "</testsuite>\n");
    fwrite(b.p, 1, b.len, fp);
    jtl_buf_release(&b);
    return jtl_write_status(fp, diag);
}
