/* SPDX-License-Identifier: MIT
 * stats_json.c - the stats result as JMeter's statistics.json (an
 * object keyed by label plus "Total", JMeter's field names and order) with
 * our extra keys inside each object, so scripts written for statistics.json
 * keep working. */
#include <math.h>
#include <string.h>

#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"
#include "stats_fmt.h"

static void num(struct jtl_json *j, const char *key, double v)
{
    jtl_json_key(j, key);
    jtl_rs_json_num(j, v, false);
}

static void count(struct jtl_json *j, const char *key, uint64_t v)
{
    jtl_json_key(j, key);
    jtl_json_int(j, (int64_t)v);
}

static void row_object(struct jtl_json *j, const struct jtl_stats_result *r,
                       const struct jtl_stats_row *row)
{
    static const char *const pkeys[] = {"pct1ResTime", "pct2ResTime",
                                        "pct3ResTime"};
    char name[48];
    size_t i;

    jtl_json_obj_begin(j);
    jtl_json_key(j, "transaction");
    jtl_json_strn(j, row->label, row->label_len);
    count(j, "sampleCount", row->samples);
    count(j, "errorCount", row->errors);
    jtl_json_key(j, "errorPct");
    /* JMeter stores errorPct as a float; print it like Float.toString */
    jtl_rs_json_num(j, row->error_pct, r->jmeter_compat);
    num(j, "meanResTime", row->mean);
    num(j, "medianResTime", row->median);
    num(j, "minResTime", row->min);
    num(j, "maxResTime", row->max);
    for (i = 0; i < 3; i++)
        num(j, pkeys[i], i < r->npct ? row->pct[i] : NAN);
    num(j, "throughput", row->throughput);
    num(j, "receivedKBytesPerSec", row->received_kbps);
    num(j, "sentKBytesPerSec", row->sent_kbps);

    /* extras */
    num(j, "stdevResTime", row->stdev);
    if (r->label_groups && !row->is_total)
        count(j, "labels", row->labels);
    jtl_json_key(j, "codes");
    jtl_json_obj_begin(j);
    for (i = 0; i < row->ncodes; i++) {
        jtl_json_keyn(j, row->codes[i].code, row->codes[i].len);
        jtl_json_int(j, (int64_t)row->codes[i].count);
    }
    jtl_json_obj_end(j);
    jtl_json_key(j, "percentiles");
    jtl_json_obj_begin(j);
    for (i = 0; i < r->npct; i++) {
        jtl_rs_pct_name(name, sizeof(name), r->pct_list[i]);
        num(j, name, row->pct[i]);
    }
    jtl_json_obj_end(j);
    jtl_json_key(j, "apdex");
    jtl_json_obj_begin(j);
    num(j, "score", row->apdex);
    count(j, "satisfied", row->apdex_satisfied);
    count(j, "tolerated", row->apdex_tolerated);
    count(j, "total", row->apdex_total);
    jtl_json_key(j, "T");
    jtl_json_int(j, r->apdex_t);
    jtl_json_key(j, "F");
    jtl_json_int(j, r->apdex_f);
    jtl_json_obj_end(j);
    num(j, "latencyMean", row->latency_mean);
    num(j, "connectMean", row->connect_mean);
    count(j, "receivedBytes", row->bytes);
    count(j, "sentBytes", row->sent_bytes);
    jtl_json_key(j, "firstStart");
    jtl_json_int(j, row->first_start);
    jtl_json_key(j, "lastEnd");
    jtl_json_int(j, row->last_end);
    jtl_json_key(j, "isController");
    jtl_json_bool(j, row->is_controller);
    jtl_json_key(j, "topErrors");
    jtl_json_arr_begin(j);
    for (i = 0; i < row->ntop_errors; i++) {
        jtl_json_obj_begin(j);
        jtl_json_key(j, "error");
        jtl_json_strn(j, row->top_errors[i].key, row->top_errors[i].len);
        count(j, "count", row->top_errors[i].count);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
}

static void meta(struct jtl_json *j, const struct jtl_stats_result *r,
                 const struct jtl_run_info *info)
{
    char method[160];
    size_t i;

    jtl_json_key(j, "errors");
    jtl_json_arr_begin(j);
    for (i = 0; i < r->nerrors; i++) {
        jtl_json_obj_begin(j);
        jtl_json_key(j, "type");
        jtl_json_strn(j, r->errors[i].key, r->errors[i].len);
        count(j, "count", r->errors[i].count);
        num(j, "pctErrors", r->errors[i].pct_errors);
        num(j, "pctAllSamples", r->errors[i].pct_samples);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);

    jtl_json_key(j, "_meta");
    jtl_json_obj_begin(j);
    jtl_json_key(j, "tool");
    jtl_json_str(j, "jtlscope");
    jtl_stats_method_text(r, method, sizeof(method));
    jtl_json_key(j, "percentileMethod");
    jtl_json_str(j, method);
    jtl_json_key(j, "percentileEstimator");
    jtl_json_str(j, r->method == JTL_PCT_LEGACY ? "legacy" : "exact");
    jtl_json_key(j, "percentileWindow");
    jtl_json_int(j, r->window);
    jtl_json_key(j, "percentiles");
    jtl_json_arr_begin(j);
    for (i = 0; i < r->npct; i++)
        jtl_rs_json_num(j, r->pct_list[i], false);
    jtl_json_arr_end(j);
    jtl_json_key(j, "jmeterCompat");
    jtl_json_bool(j, r->jmeter_compat);
    jtl_json_key(j, "subresultsCounted");
    jtl_json_bool(j, r->subresults);
    jtl_json_key(j, "firstStart");
    jtl_json_int(j, r->first_start);
    jtl_json_key(j, "lastEnd");
    jtl_json_int(j, r->last_end);
    count(j, "samplesCounted", r->samples_counted);
    count(j, "transactionControllerSamples", r->tc_parents);
    count(j, "emptyControllers", r->empty_controllers);
    count(j, "subresultsSkipped", r->subresults_skipped);
    count(j, "labelsFolded", r->labels_folded);
    if (r->label_groups) {
        /* --group-labels auto: rows are endpoint templates */
        count(j, "labelsGrouped", r->labels_grouped);
        count(j, "labelGroups", r->label_groups);
    }
    count(j, "errorKeysFolded", r->keys_folded);
    if (info) {
        count(j, "filtered", info->filtered);
        count(j, "skippedRecords", info->skipped);
        jtl_json_key(j, "damaged");
        jtl_json_bool(j, info->any_damage);
        jtl_json_key(j, "files");
        jtl_json_arr_begin(j);
        for (i = 0; i < info->nfiles; i++) {
            const struct jtl_file_info *f = &info->files[i];
            jtl_json_obj_begin(j);
            jtl_json_key(j, "name");
            jtl_json_str(j, f->name);
            count(j, "records", f->counts.records);
            count(j, "samples", f->counts.samples);
            count(j, "skipped", f->counts.skipped);
            jtl_json_key(j, "gzip");
            jtl_json_bool(j, f->gzip);
            jtl_json_key(j, "truncated");
            jtl_json_bool(j, f->counts.truncated);
            jtl_json_key(j, "failed");
            jtl_json_bool(j, f->failed);
            if (f->duplicate_of >= 0) {
                jtl_json_key(j, "duplicateOf");
                jtl_json_int(j, f->duplicate_of);
            }
            if (f->error[0]) {
                jtl_json_key(j, "error");
                jtl_json_str(j, f->error);
            }
            jtl_json_obj_end(j);
        }
        jtl_json_arr_end(j);
    }
    jtl_json_obj_end(j);
}

enum jtl_err jtl_report_stats_json(FILE *fp, const struct jtl_stats_result *r,
                                   const struct jtl_run_info *info,
                                   struct jtl_diag *diag)
{
    struct jtl_json j;
    size_t i;

    jtl_json_init_file(&j, fp, 2);
    jtl_json_obj_begin(&j);
    jtl_json_key(&j, "Total");
    row_object(&j, r, &r->total);
    meta(&j, r, info);
    jtl_json_obj_end(&j);
    for (i = 0; i < r->nrows; i++) {
        const struct jtl_stats_row *row = &r->rows[i];
        /* A label literally called "Total" would be a duplicate key; give
         * it a distinct key ("transaction" keeps the real label). */
        if (row->label_len == 5 && memcmp(row->label, "Total", 5) == 0)
            jtl_json_key(&j, "Total (label)");
        else
            jtl_json_keyn(&j, row->label, row->label_len);
        row_object(&j, r, row);
        jtl_json_obj_end(&j);
    }
    jtl_json_obj_end(&j);
    jtl_json_end(&j);
    return jtl_write_status(fp, diag);
}
