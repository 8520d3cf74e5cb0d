/* SPDX-License-Identifier: MIT
 * stats_csv.c - the stats result as one CSV table (Total first, then
 * labels by name) with full-precision numbers, for spreadsheets and
 * scripts.  Column names follow statistics.json. */
#include <math.h>
#include <string.h>

#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"
#include "stats_fmt.h"

/* RFC 4180: quote when the field holds a delimiter, quote or line break;
 * a leading = + - @ is prefixed with ' so spreadsheets do not run it as a
 * formula (labels are untrusted). */
static void field(FILE *fp, const char *s, size_t len)
{
    bool quote = false;
    size_t i;

    for (i = 0; i < len; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\n' || s[i] == '\r')
            quote = true;
    if (len && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@'))
        quote = true;
    if (!quote) {
        fwrite(s, 1, len, fp);
        return;
    }
    fputc('"', fp);
    if (len && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@'))
        fputc('\'', fp);
    for (i = 0; i < len; i++) {
        if (s[i] == '"')
            fputc('"', fp);
        fputc(s[i], fp);
    }
    fputc('"', fp);
}

static void numf(FILE *fp, double v)
{
    char s[48];

    jtl_rs_short_num(s, sizeof(s), v);
    fprintf(fp, ",%s", s);
}

enum jtl_err jtl_report_stats_csv(FILE *fp, const struct jtl_stats_result *r,
                                  const struct jtl_run_info *info,
                                  struct jtl_diag *diag)
{
    char name[48];
    size_t i, k;

    (void)info;
    fputs("transaction,sampleCount,errorCount,errorPct,meanResTime,"
          "medianResTime,minResTime,maxResTime",
          fp);
    for (k = 0; k < r->npct; k++) {
        jtl_rs_pct_name(name, sizeof(name), r->pct_list[k]);
        fprintf(fp, ",pct%sResTime", name);
    }
    fputs(",throughput,receivedKBytesPerSec,sentKBytesPerSec,apdex,"
          "apdexSatisfied,apdexTolerated,apdexTotal,isController,codes,"
          "stdevResTime\n",
          fp);
    for (i = 0; i <= r->nrows; i++) {
        const struct jtl_stats_row *row = i ? &r->rows[i - 1] : &r->total;
        struct jtl_buf codes;
        field(fp, row->label, row->label_len);
        fprintf(fp, ",%llu,%llu", (unsigned long long)row->samples,
                (unsigned long long)row->errors);
        numf(fp, row->error_pct);
        numf(fp, row->mean);
        numf(fp, row->median);
        numf(fp, row->min);
        numf(fp, row->max);
        for (k = 0; k < r->npct; k++)
            numf(fp, row->pct[k]);
        numf(fp, row->throughput);
        numf(fp, row->received_kbps);
        numf(fp, row->sent_kbps);
        numf(fp, row->apdex);
        fprintf(fp, ",%llu,%llu,%llu,%s,",
                (unsigned long long)row->apdex_satisfied,
                (unsigned long long)row->apdex_tolerated,
                (unsigned long long)row->apdex_total,
                row->is_controller ? "true" : "false");
        /* "200:730 429:1709" */
        jtl_buf_init(&codes, (size_t)1 << 24);
        for (k = 0; k < row->ncodes; k++) {
            if (k)
                jtl_buf_addc(&codes, ' ');
            jtl_buf_add(&codes, row->codes[k].code, row->codes[k].len);
            jtl_buf_printf(&codes, ":%llu",
                           (unsigned long long)row->codes[k].count);
        }
        field(fp, codes.p ? codes.p : "", codes.len);
        jtl_buf_release(&codes);
        numf(fp, row->stdev);
        fputc('\n', fp);
    }
    return jtl_write_status(fp, diag);
}
