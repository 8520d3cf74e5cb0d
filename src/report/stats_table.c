/* SPDX-License-Identifier: MIT
 * stats_table.c - the stats result as aligned terminal tables (and,
 * through the same code, Markdown): statistics, APDEX, response codes,
 * errors and the top-5 errors by sampler.  Total first, labels by name,
 * fixed precision, so the output is byte-stable. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/strtab.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/timefmt.h"
#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"
#include "jtl/stats/agg.h"
#include "stats_fmt.h"

static void heading(FILE *fp, enum jtl_grid_style st, const char *title)
{
    if (st == JTL_GRID_MD)
        fprintf(fp, "\n## %s\n\n", title);
    else
        fprintf(fp, "\n%s\n", title);
}

static void cell_fixed(struct jtl_grid *g, double v, int dec)
{
    char s[64];

    jtl_rs_fixed(s, sizeof(s), v, dec);
    jtl_grid_cells(g, s);
}

static void stats_grid(FILE *fp, enum jtl_grid_style st,
                       const struct jtl_run_info *info,
                       const struct jtl_stats_result *r)
{
    struct jtl_grid g;
    char name[48];
    size_t i, k, ncols = 12 + r->npct;

    jtl_grid_init(&g, ncols, st);
    jtl_grid_view(&g, info, 0);
    for (k = 1; k < ncols; k++)
        g.right[k] = true;
    /* on a narrow terminal these go first, the rates of bytes first;
     * the samples, errors, mean and throughput stay */
    g.drop[ncols - 1] = 20; /* Sent KB/s */
    g.drop[ncols - 2] = 19; /* Received KB/s */
    g.drop[5] = 18;         /* Std. Dev. */
    g.drop[6] = 17;         /* Min */
    g.drop[8] = 16;         /* Median */
    for (k = 0; k + 1 < r->npct; k++)
        g.drop[9 + k] = (unsigned char)(15 - (k < 8 ? k : 8));
    g.drop[3] = 5; /* Error % (FAIL stays) */
    g.drop[7] = 4; /* Max */
    if (r->npct)
        g.drop[9 + r->npct - 1] = 3; /* the highest percentile, last */
    jtl_grid_cells(&g, "Label");
    jtl_grid_cells(&g, "#Samples");
    jtl_grid_cells(&g, "FAIL");
    jtl_grid_cells(&g, "Error %");
    jtl_grid_cells(&g, "Average");
    jtl_grid_cells(&g, "Std. Dev.");
    jtl_grid_cells(&g, "Min");
    jtl_grid_cells(&g, "Max");
    jtl_grid_cells(&g, "Median");
    for (k = 0; k < r->npct; k++) {
        jtl_rs_pct_name(name, sizeof(name), r->pct_list[k]);
        jtl_grid_cellf(&g, "%sth pct", name);
    }
    jtl_grid_cells(&g, "Transactions/s");
    jtl_grid_cells(&g, "Received KB/s");
    jtl_grid_cells(&g, "Sent KB/s");
    for (i = 0; i <= r->nrows; i++) {
        const struct jtl_stats_row *row = i ? &r->rows[i - 1] : &r->total;
        jtl_grid_label(&g, row);
        jtl_grid_count(&g, row->samples);
        jtl_grid_count(&g, row->errors);
        cell_fixed(&g, row->error_pct, 2);
        cell_fixed(&g, row->mean, 2);
        cell_fixed(&g, row->stdev, 2);
        cell_fixed(&g, row->min, 0);
        cell_fixed(&g, row->max, 0);
        cell_fixed(&g, row->median, 2);
        for (k = 0; k < r->npct; k++)
            cell_fixed(&g, row->pct[k], 2);
        cell_fixed(&g, row->throughput, 2);
        cell_fixed(&g, row->received_kbps, 2);
        cell_fixed(&g, row->sent_kbps, 2);
    }
    jtl_grid_print(&g, fp);
    jtl_grid_release(&g);
}

static void apdex_grid(FILE *fp, enum jtl_grid_style st,
                       const struct jtl_run_info *info,
                       const struct jtl_stats_result *r)
{
    struct jtl_grid g;
    size_t i;

    jtl_grid_init(&g, 6, st);
    jtl_grid_view(&g, info, 5);
    g.right[0] = g.right[1] = g.right[2] = g.right[3] = g.right[4] = true;
    jtl_grid_cells(&g, "Apdex");
    jtl_grid_cells(&g, "Satisfied");
    jtl_grid_cells(&g, "Tolerated");
    jtl_grid_cells(&g, "T (ms)");
    jtl_grid_cells(&g, "F (ms)");
    jtl_grid_cells(&g, "Label");
    for (i = 0; i <= r->nrows; i++) {
        const struct jtl_stats_row *row = i ? &r->rows[i - 1] : &r->total;
        cell_fixed(&g, row->apdex, 3);
        jtl_grid_count(&g, row->apdex_satisfied);
        jtl_grid_count(&g, row->apdex_tolerated);
        jtl_grid_cellf(&g, "%lld", (long long)r->apdex_t);
        jtl_grid_cellf(&g, "%lld", (long long)r->apdex_f);
        jtl_grid_label(&g, row);
    }
    jtl_grid_print(&g, fp);
    jtl_grid_release(&g);
}

struct codename {
    const char *s;
    size_t len;
};

static int cmp_codename(const void *x, const void *y)
{
    const struct codename *a = x, *b = y;

    return jtl_bytes_cmp(a->s, a->len, b->s, b->len);
}

/* One column per distinct code (the union over all rows). */
static void codes_grid(FILE *fp, enum jtl_grid_style st,
                       const struct jtl_run_info *info,
                       const struct jtl_stats_result *r)
{
    struct codename *cn = NULL;
    size_t ncn = 0, cap = 0, i, k, u;
    struct jtl_grid g;

    for (i = 0; i <= r->nrows; i++) {
        const struct jtl_stats_row *row = i ? &r->rows[i - 1] : &r->total;
        for (k = 0; k < row->ncodes; k++) {
            jtl_xgrow((void **)&cn, &cap, ncn + 1, sizeof(*cn));
            cn[ncn].s = row->codes[k].code;
            cn[ncn++].len = row->codes[k].len;
        }
    }
    if (ncn)
        qsort(cn, ncn, sizeof(*cn), cmp_codename);
    for (i = 0, u = 0; i < ncn; i++)
        if (u == 0 || cmp_codename(&cn[u - 1], &cn[i]) != 0)
            cn[u++] = cn[i];
    ncn = u;
    if (ncn > 62)
        ncn = 62; /* the grid's column limit; JSON/CSV carry them all */
    jtl_grid_init(&g, ncn + 1, st);
    jtl_grid_view(&g, info, 0);
    for (k = 1; k <= ncn; k++) {
        g.right[k] = true;
        /* the rarest codes last: the list is sorted, so drop from the
         * right */
        g.drop[k] = (unsigned char)(k < 200 ? k : 200);
    }
    jtl_grid_cells(&g, "Label");
    for (k = 0; k < ncn; k++) {
        if (cn[k].len)
            jtl_grid_cell(&g, cn[k].s, cn[k].len);
        else
            jtl_grid_cells(&g, "(empty)");
    }
    for (i = 0; i <= r->nrows; i++) {
        const struct jtl_stats_row *row = i ? &r->rows[i - 1] : &r->total;
        jtl_grid_label(&g, row);
        for (k = 0; k < ncn; k++) {
            uint64_t n = 0;
            size_t m;
            for (m = 0; m < row->ncodes; m++)
                if (row->codes[m].len == cn[k].len &&
                    memcmp(row->codes[m].code, cn[k].s, cn[k].len) == 0)
                    n = row->codes[m].count;
            jtl_grid_count(&g, n);
        }
    }
    jtl_grid_print(&g, fp);
    jtl_grid_release(&g);
    free(cn);
}

static void errors_grid(FILE *fp, enum jtl_grid_style st,
                        const struct jtl_run_info *info,
                        const struct jtl_stats_result *r)
{
    struct jtl_grid g;
    size_t i;

    jtl_grid_init(&g, 4, st);
    jtl_grid_view(&g, info, 0);
    g.right[1] = g.right[2] = g.right[3] = true;
    jtl_grid_cells(&g, "Type of error");
    jtl_grid_cells(&g, "Number of errors");
    jtl_grid_cells(&g, "% in errors");
    jtl_grid_cells(&g, "% in all samples");
    for (i = 0; i < r->nerrors; i++) {
        jtl_grid_cell(&g, r->errors[i].key, r->errors[i].len);
        jtl_grid_count(&g, r->errors[i].count);
        cell_fixed(&g, r->errors[i].pct_errors, 2);
        cell_fixed(&g, r->errors[i].pct_samples, 2);
    }
    jtl_grid_print(&g, fp);
    jtl_grid_release(&g);
}

static void top5_grid(FILE *fp, enum jtl_grid_style st,
                      const struct jtl_run_info *info,
                      const struct jtl_stats_result *r)
{
    struct jtl_grid g;
    size_t i, k, ntop = r->total.ntop_errors;

    for (i = 0; i < r->nrows; i++)
        if (r->rows[i].ntop_errors > ntop)
            ntop = r->rows[i].ntop_errors;
    jtl_grid_init(&g, 3 + 2 * ntop, st);
    jtl_grid_view(&g, info, 0);
    g.right[1] = g.right[2] = true;
    jtl_grid_cells(&g, "Sample");
    jtl_grid_cells(&g, "#Samples");
    jtl_grid_cells(&g, "#Errors");
    for (k = 0; k < ntop; k++) {
        g.right[4 + 2 * k] = true;
        /* the least frequent errors first */
        g.drop[3 + 2 * k] = g.drop[4 + 2 * k] = (unsigned char)(10 + k);
        jtl_grid_cellf(&g, "Error %zu", k + 1);
        jtl_grid_cells(&g, "#Errors");
    }
    for (i = 0; i <= r->nrows; i++) {
        const struct jtl_stats_row *row = i ? &r->rows[i - 1] : &r->total;
        if (i && (row->errors == 0 || row->is_controller))
            continue;
        jtl_grid_label(&g, row);
        jtl_grid_count(&g, i ? row->samples : r->errors_base);
        jtl_grid_count(&g, i ? row->errors : r->errors_total);
        for (k = 0; k < ntop; k++) {
            if (k < row->ntop_errors) {
                jtl_grid_cell(&g, row->top_errors[k].key,
                              row->top_errors[k].len);
                jtl_grid_count(&g, row->top_errors[k].count);
            } else {
                jtl_grid_cells(&g, "");
                jtl_grid_cells(&g, "");
            }
        }
    }
    jtl_grid_print(&g, fp);
    jtl_grid_release(&g);
}

static void tables(FILE *fp, enum jtl_grid_style st,
                   const struct jtl_stats_result *r,
                   const struct jtl_run_info *info)
{
    char method[160], t0[64], t1[64];
    const char *tz = info ? info->tz : NULL;

    jtl_stats_method_text(r, method, sizeof(method));
    jtl_clock_format(r->first_start, tz, JTL_CLOCK_DATETIME, t0, sizeof(t0));
    jtl_clock_format(r->last_end, tz, JTL_CLOCK_DATETIME, t1, sizeof(t1));
    if (st == JTL_GRID_MD)
        fputs("# jtlscope statistics\n\n", fp);
    fprintf(fp, "%sInput: ", st == JTL_GRID_MD ? "- " : "");
    jtl_rs_inputs(fp, info);
    fprintf(fp, "\n%sSamples: %llu counted", st == JTL_GRID_MD ? "- " : "",
            (unsigned long long)r->samples_counted);
    if (r->tc_parents)
        fprintf(fp, " (%llu transaction-controller samples, not in Total)",
                (unsigned long long)r->tc_parents);
    if (r->subresults_skipped)
        fprintf(fp, ", %llu sub-samples not counted (--subresults)",
                (unsigned long long)r->subresults_skipped);
    if (info && info->filtered)
        fprintf(fp, ", %llu filtered out", (unsigned long long)info->filtered);
    if (info && info->skipped)
        fprintf(fp, ", %llu malformed records skipped",
                (unsigned long long)info->skipped);
    if (r->samples_counted == 0) {
        /* no time span and no percentile to speak of */
        fprintf(fp, "\n%sTime: no sample counted\n",
                st == JTL_GRID_MD ? "- " : "");
    } else {
        fprintf(fp, "\n%sTime: %s to %s (%.3f s)\n",
                st == JTL_GRID_MD ? "- " : "", t0, t1,
                (double)(r->last_end - r->first_start) / 1000.0);
        fprintf(fp, "%sPercentiles: %s\n", st == JTL_GRID_MD ? "- " : "",
                method);
    }
    if (r->labels_folded)
        fprintf(fp,
                "%sNote: more than %u labels; %llu samples counted "
                "under \"(other labels)\"\n",
                st == JTL_GRID_MD ? "- " : "", (unsigned)JTL_AGG_MAX_LABELS,
                (unsigned long long)r->labels_folded);
    heading(fp, st, "Statistics (ms)");
    stats_grid(fp, st, info, r);
    heading(fp, st, "APDEX");
    apdex_grid(fp, st, info, r);
    heading(fp, st, "Response codes");
    codes_grid(fp, st, info, r);
    heading(fp, st, "Errors");
    if (r->nerrors)
        errors_grid(fp, st, info, r);
    else
        fputs("(no errors)\n", fp);
    heading(fp, st, "Top 5 errors by sampler");
    if (r->nerrors)
        top5_grid(fp, st, info, r);
    else
        fputs("(no errors)\n", fp);
}

enum jtl_err jtl_report_stats_table(FILE *fp, const struct jtl_stats_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag)
{
    tables(fp, JTL_GRID_TEXT, r, info);
    return jtl_write_status(fp, diag);
}

enum jtl_err jtl_report_stats_md(FILE *fp, const struct jtl_stats_result *r,
                                 const struct jtl_run_info *info,
                                 struct jtl_diag *diag)
{
    tables(fp, JTL_GRID_MD, r, info);
    return jtl_write_status(fp, diag);
}
