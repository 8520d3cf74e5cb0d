/* SPDX-License-Identifier: MIT
 * stats_timeline.c - the per-interval series (`stats --timeline`) as
 * a table, Markdown, CSV or JSON. */
#include <math.h>
#include <string.h>

#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"
#include "stats_fmt.h"

static double per_s(uint64_t n, int64_t interval_ms)
{
    return (double)n * 1000.0 / (double)interval_ms;
}

static void grid_series(FILE *fp, const struct jtl_timeline *tl,
                        enum jtl_grid_style st)
{
    struct jtl_grid g;
    char name[48], t[40];
    size_t i, k, ncodes = tl->ncodes > 40 ? 40 : tl->ncodes;
    size_t ncols = 11 + tl->npct + ncodes;

    if (st == JTL_GRID_MD)
        fputs("# jtlscope timeline\n\n", fp);
    fprintf(fp,
            "%sInterval: %lld ms%s%s; times are bucket starts (UTC); "
            "hits by start time, everything else by end time\n\n",
            st == JTL_GRID_MD ? "- " : "", (long long)tl->interval_ms,
            tl->interval_auto ? " (automatic)" : "",
            tl->interval_coarsened ? " (coarsened to bound memory)" : "");
    jtl_grid_init(&g, ncols, st);
    for (k = 1; k < ncols; k++)
        g.right[k] = true;
    jtl_grid_cells(&g, "Time");
    jtl_grid_cells(&g, "Hits/s");
    jtl_grid_cells(&g, "Samples");
    jtl_grid_cells(&g, "Errors");
    jtl_grid_cells(&g, "Mean");
    jtl_grid_cells(&g, "Median");
    for (k = 0; k < tl->npct; k++) {
        jtl_rs_pct_name(name, sizeof(name), tl->pct_list[k]);
        jtl_grid_cellf(&g, "%sth", name);
    }
    jtl_grid_cells(&g, "Max");
    jtl_grid_cells(&g, "Threads");
    jtl_grid_cells(&g, "Recv KB/s");
    jtl_grid_cells(&g, "Sent KB/s");
    jtl_grid_cells(&g, "Latency");
    for (k = 0; k < ncodes; k++) {
        if (tl->codes[k].len)
            jtl_grid_cell(&g, tl->codes[k].code, tl->codes[k].len);
        else
            jtl_grid_cells(&g, "(empty)");
    }
    for (i = 0; i < tl->nbuckets; i++) {
        jtl_rs_time(t, sizeof(t), tl->t0 + (int64_t)i * tl->interval_ms);
        jtl_grid_cells(&g, t);
        jtl_grid_cellf(&g, "%.2f", per_s(tl->hits[i], tl->interval_ms));
        jtl_grid_cellf(&g, "%llu", (unsigned long long)tl->samples[i]);
        jtl_grid_cellf(&g, "%llu", (unsigned long long)tl->errors[i]);
        jtl_rs_fixed(t, sizeof(t), tl->rt_mean[i], 1);
        jtl_grid_cells(&g, t);
        jtl_rs_fixed(t, sizeof(t), tl->rt_median[i], 1);
        jtl_grid_cells(&g, t);
        for (k = 0; k < tl->npct; k++) {
            jtl_rs_fixed(t, sizeof(t), tl->rt_pct[k][i], 1);
            jtl_grid_cells(&g, t);
        }
        jtl_rs_fixed(t, sizeof(t), tl->rt_max[i], 0);
        jtl_grid_cells(&g, t);
        jtl_rs_fixed(t, sizeof(t), tl->threads_all_mean[i], 1);
        jtl_grid_cells(&g, t);
        jtl_grid_cellf(&g, "%.2f",
                       per_s(tl->bytes_received[i], tl->interval_ms) / 1024);
        jtl_grid_cellf(&g, "%.2f",
                       per_s(tl->bytes_sent[i], tl->interval_ms) / 1024);
        jtl_rs_fixed(t, sizeof(t), tl->latency_mean[i], 1);
        jtl_grid_cells(&g, t);
        for (k = 0; k < ncodes; k++)
            jtl_grid_cellf(&g, "%llu",
                           (unsigned long long)tl->codes[k].counts[i]);
    }
    jtl_grid_print(&g, fp);
    jtl_grid_release(&g);
}

static void csv_name(FILE *fp, const char *s, size_t len)
{
    size_t i;

    fputs("\"code ", fp);
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
}

static void csv_series(FILE *fp, const struct jtl_timeline *tl)
{
    char name[48], v[48];
    size_t i, k;

    fputs("time,hits,samples,errors,txSuccess,txFailure,rtMean,rtMin,rtMax,"
          "rtMedian",
          fp);
    for (k = 0; k < tl->npct; k++) {
        jtl_rs_pct_name(name, sizeof(name), tl->pct_list[k]);
        fprintf(fp, ",rtPct%s", name);
    }
    fputs(",latencyMean,connectMean,threadsMean,threadsMax,bytesReceived,"
          "bytesSent",
          fp);
    for (k = 0; k < tl->ncodes; k++) {
        /* code names are untrusted: one quoted field "code <name>" */
        fputc(',', fp);
        csv_name(fp, tl->codes[k].code, tl->codes[k].len);
    }
    fputc('\n', fp);
    for (i = 0; i < tl->nbuckets; i++) {
        double d[] = {tl->rt_mean[i], tl->rt_min[i], tl->rt_max[i],
                      tl->rt_median[i]};
        fprintf(fp, "%lld,%llu,%llu,%llu,%llu,%llu",
                (long long)(tl->t0 + (int64_t)i * tl->interval_ms),
                (unsigned long long)tl->hits[i],
                (unsigned long long)tl->samples[i],
                (unsigned long long)tl->errors[i],
                (unsigned long long)tl->tx_success[i],
                (unsigned long long)tl->tx_failure[i]);
        for (k = 0; k < 4; k++) {
            jtl_rs_short_num(v, sizeof(v), d[k]);
            fprintf(fp, ",%s", v);
        }
        for (k = 0; k < tl->npct; k++) {
            jtl_rs_short_num(v, sizeof(v), tl->rt_pct[k][i]);
            fprintf(fp, ",%s", v);
        }
        jtl_rs_short_num(v, sizeof(v), tl->latency_mean[i]);
        fprintf(fp, ",%s", v);
        jtl_rs_short_num(v, sizeof(v), tl->connect_mean[i]);
        fprintf(fp, ",%s", v);
        jtl_rs_short_num(v, sizeof(v), tl->threads_all_mean[i]);
        fprintf(fp, ",%s,%u,%llu,%llu", v, tl->threads_all_max[i],
                (unsigned long long)tl->bytes_received[i],
                (unsigned long long)tl->bytes_sent[i]);
        for (k = 0; k < tl->ncodes; k++)
            fprintf(fp, ",%llu", (unsigned long long)tl->codes[k].counts[i]);
        fputc('\n', fp);
    }
}

static void json_u64_arr(struct jtl_json *j, const char *key, const uint64_t *v,
                         size_t n)
{
    size_t i;

    jtl_json_key(j, key);
    jtl_json_arr_begin(j);
    for (i = 0; i < n; i++)
        jtl_json_int(j, (int64_t)v[i]);
    jtl_json_arr_end(j);
}

static void json_u32_arr(struct jtl_json *j, const char *key, const uint32_t *v,
                         size_t n)
{
    size_t i;

    jtl_json_key(j, key);
    jtl_json_arr_begin(j);
    for (i = 0; i < n; i++)
        jtl_json_int(j, v[i]);
    jtl_json_arr_end(j);
}

static void json_dbl_arr(struct jtl_json *j, const char *key, const double *v,
                         size_t n)
{
    size_t i;

    jtl_json_key(j, key);
    jtl_json_arr_begin(j);
    for (i = 0; i < n; i++)
        jtl_rs_json_num(j, v[i], false);
    jtl_json_arr_end(j);
}

static void json_series(FILE *fp, const struct jtl_timeline *tl)
{
    struct jtl_json j;
    char name[48];
    size_t i, k, n = tl->nbuckets;

    /* compact: the arrays are long */
    jtl_json_init_file(&j, fp, 0);
    jtl_json_obj_begin(&j);
    jtl_json_key(&j, "intervalMs");
    jtl_json_int(&j, tl->interval_ms);
    jtl_json_key(&j, "intervalAuto");
    jtl_json_bool(&j, tl->interval_auto);
    jtl_json_key(&j, "intervalCoarsened");
    jtl_json_bool(&j, tl->interval_coarsened);
    jtl_json_key(&j, "t0");
    jtl_json_int(&j, tl->t0);
    jtl_json_key(&j, "nbuckets");
    jtl_json_int(&j, (int64_t)n);
    json_u64_arr(&j, "hits", tl->hits, n);
    json_u64_arr(&j, "samples", tl->samples, n);
    json_u64_arr(&j, "errors", tl->errors, n);
    json_u64_arr(&j, "txSuccess", tl->tx_success, n);
    json_u64_arr(&j, "txFailure", tl->tx_failure, n);
    json_u64_arr(&j, "bytesReceived", tl->bytes_received, n);
    json_u64_arr(&j, "bytesSent", tl->bytes_sent, n);
    json_dbl_arr(&j, "rtMean", tl->rt_mean, n);
    json_dbl_arr(&j, "rtMin", tl->rt_min, n);
    json_dbl_arr(&j, "rtMax", tl->rt_max, n);
    json_dbl_arr(&j, "rtMedian", tl->rt_median, n);
    jtl_json_key(&j, "rtPercentiles");
    jtl_json_obj_begin(&j);
    for (k = 0; k < tl->npct; k++) {
        jtl_rs_pct_name(name, sizeof(name), tl->pct_list[k]);
        json_dbl_arr(&j, name, tl->rt_pct[k], n);
    }
    jtl_json_obj_end(&j);
    json_dbl_arr(&j, "latencyMean", tl->latency_mean, n);
    json_dbl_arr(&j, "connectMean", tl->connect_mean, n);
    json_dbl_arr(&j, "threadsMean", tl->threads_all_mean, n);
    json_u32_arr(&j, "threadsMax", tl->threads_all_max, n);
    jtl_json_key(&j, "codes");
    jtl_json_obj_begin(&j);
    for (k = 0; k < tl->ncodes; k++) {
        jtl_json_keyn(&j, tl->codes[k].code, tl->codes[k].len);
        jtl_json_arr_begin(&j);
        for (i = 0; i < n; i++)
            jtl_json_int(&j, (int64_t)tl->codes[k].counts[i]);
        jtl_json_arr_end(&j);
    }
    jtl_json_obj_end(&j);
    jtl_json_key(&j, "labels");
    jtl_json_arr_begin(&j);
    for (k = 0; k < tl->nlabels; k++) {
        const struct jtl_timeline_label *l = &tl->labels[k];
        jtl_json_obj_begin(&j);
        jtl_json_key(&j, "label");
        jtl_json_strn(&j, l->label, l->len);
        jtl_json_key(&j, "isController");
        jtl_json_bool(&j, l->is_controller);
        json_u64_arr(&j, "success", l->success, n);
        json_u64_arr(&j, "failure", l->failure, n);
        json_dbl_arr(&j, "rtMean", l->rt_mean, n);
        jtl_json_obj_end(&j);
    }
    jtl_json_arr_end(&j);
    jtl_json_key(&j, "threadGroups");
    jtl_json_arr_begin(&j);
    for (k = 0; k < tl->ngroups; k++) {
        jtl_json_obj_begin(&j);
        jtl_json_key(&j, "name");
        jtl_json_strn(&j, tl->groups[k].name, tl->groups[k].len);
        json_dbl_arr(&j, "meanThreads", tl->groups[k].mean_threads, n);
        jtl_json_obj_end(&j);
    }
    jtl_json_arr_end(&j);
    jtl_json_key(&j, "perSecond");
    jtl_json_obj_begin(&j);
    jtl_json_key(&j, "t0");
    jtl_json_int(&j, tl->sec_t0);
    jtl_json_key(&j, "truncated");
    jtl_json_bool(&j, tl->sec_truncated);
    json_u32_arr(&j, "hits", tl->sec_hits, tl->nsec);
    json_u32_arr(&j, "accepted", tl->sec_accepted, tl->nsec);
    json_u32_arr(&j, "code429", tl->sec_429, tl->nsec);
    json_u32_arr(&j, "otherErrors", tl->sec_errors, tl->nsec);
    json_u32_arr(&j, "threadsMax", tl->sec_threads_max, tl->nsec);
    jtl_json_obj_end(&j);
    jtl_json_obj_end(&j);
    jtl_json_end(&j);
}

enum jtl_err jtl_report_timeline_table(FILE *fp, const struct jtl_timeline *tl,
                                       const struct jtl_run_info *info,
                                       struct jtl_diag *diag)
{
    (void)info;
    grid_series(fp, tl, JTL_GRID_TEXT);
    return jtl_write_status(fp, diag);
}

enum jtl_err jtl_report_timeline_md(FILE *fp, const struct jtl_timeline *tl,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag)
{
    (void)info;
    grid_series(fp, tl, JTL_GRID_MD);
    return jtl_write_status(fp, diag);
}

enum jtl_err jtl_report_timeline_csv(FILE *fp, const struct jtl_timeline *tl,
                                     const struct jtl_run_info *info,
                                     struct jtl_diag *diag)
{
    (void)info;
    csv_series(fp, tl);
    return jtl_write_status(fp, diag);
}

enum jtl_err jtl_report_timeline_json(FILE *fp, const struct jtl_timeline *tl,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag)
{
    (void)info;
    json_series(fp, tl);
    return jtl_write_status(fp, diag);
}
