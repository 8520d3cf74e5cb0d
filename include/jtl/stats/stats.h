/* SPDX-License-Identifier: MIT
 * stats.h - per-label and Total statistics (the `stats` table and JMeter's
 * statistics.json), APDEX, the errors table and the top-5 errors by sampler.
 * Ownership: struct jtl_stats_result is produced by jtl_agg_finish() and
 * owned by the struct jtl_agg (see agg.h); every pointer in it (labels,
 * codes, error keys, histograms) stays valid until jtl_agg_free().  Readers
 * (reporters) treat it as read-only.
 *
 * What counts where (JMeter's dashboard semantics, reference §0, §1a, §1b):
 *  - A Transaction Controller parent ("TC") is a sample whose responseMessage
 *    starts with "Number of samples in transaction" (JTL_SAMPLE_TC_PARENT).
 *    An EMPTY controller ("... : 0") is ignored everywhere.
 *  - Per-label rows include TC parents (a TC label gets its own row);
 *    the Total row EXCLUDES them (so Total = sum of the non-TC rows).
 *  - Errors are samples with success=false; the HTTP code is ignored.
 *  - APDEX: satisfied = success && elapsed <= T, tolerated = success &&
 *    T < elapsed <= F, everything else (including failures) frustrated;
 *    apdex = (satisfied + tolerated / 2) / total.  The APDEX of the Total
 *    row INCLUDES TC parents (as JMeter's APDEX table does).
 *  - Errors table and top-5: TC parents excluded.  Error key =
 *    responseCode + "/" + responseMessage (just the code when the message is
 *    empty); when the code is a success code (numeric 200..399), or is empty
 *    while failureMessage is not, the key is the failureMessage, or
 *    "Assertion failed" when that is empty too.
 *  - XML sub-samples (depth > 0) are not counted unless --subresults.
 *  - Rates: throughput = n / (lastEnd - firstStart) * 1000 per second,
 *    received/sent KB/s = bytes / ((lastEnd - firstStart) / 1000) / 1024,
 *    with firstStart = min(timeStamp), lastEnd = max(timeStamp + elapsed)
 *    over the row's own samples.  A zero span gives NaN (JSON null). */
#ifndef JTL_STATS_H
#define JTL_STATS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/stats/hist.h"

#define JTL_STATS_MAX_PCT 16   /* percentiles in the configurable list */
#define JTL_STATS_TOP_ERRORS 5 /* the top-5 errors by sampler */
#define JTL_STATS_JMETER_WINDOW                                                \
    20000 /* jmeter.reportgenerator.statistic_window */

/* One response code and how many samples carried it. */
struct jtl_code_count {
    const char *code; /* responseCode as written ("" when empty), NUL-ended */
    size_t len;
    uint64_t count;
};

/* One error type (see the key rules above) and its count. */
struct jtl_error_count {
    const char *key; /* NUL-terminated, untrusted bytes: escape on output */
    size_t len;
    uint64_t count;
};

struct jtl_stats_row {
    const char *label; /* "Total" for the Total row; NUL-terminated */
    size_t label_len;
    bool is_total;
    bool is_controller; /* the label's samples are TC parents */
    /* Labels the row stands for: 1, more for an endpoint template
     * (--group-labels auto: "PUT /flows/{id}" for 500 labels with an id). */
    uint64_t labels;

    uint64_t samples; /* JSON sampleCount */
    uint64_t errors;  /* errorCount: success=false */
    double error_pct; /* errorPct, 0..100 (float precision in compat) */
    double mean;      /* meanResTime, over all samples of the row */
    double stdev;     /* population standard deviation, all samples */
    double min, max;  /* minResTime, maxResTime */
    double median;    /* medianResTime */
    double pct[JTL_STATS_MAX_PCT]; /* for result->pct_list[i]; pct1..3 */
    double throughput;             /* samples per second */
    double received_kbps, sent_kbps;
    int64_t first_start; /* min timeStamp, epoch ms */
    int64_t last_end;    /* max timeStamp + elapsed */
    uint64_t bytes, sent_bytes;
    double latency_mean; /* NaN when the input has no Latency column */
    double connect_mean; /* NaN when the input has no Connect column */

    /* APDEX with the result's T/F.  For the Total row the counts include
     * TC parents (JMeter's APDEX table), so apdex_total may differ from
     * samples. */
    double apdex;
    uint64_t apdex_satisfied, apdex_tolerated, apdex_total;

    /* Per responseCode counts, sorted by code (byte order). */
    const struct jtl_code_count *codes;
    size_t ncodes;

    /* Top errors of this row, by count descending then key; at most
     * JTL_STATS_TOP_ERRORS.  Empty for TC rows (JMeter's default
     * exclude_tc_from_top5_errors_by_sampler=true).  The top-5 table lists
     * the Total row and the rows with errors > 0 && !is_controller. */
    const struct jtl_error_count *top_errors;
    size_t ntop_errors;

    /* Exact elapsed histogram of the row over the whole run (also in
     * --jmeter-compat, where the percentiles above come from the window);
     * for percentile curves and response-time distributions. */
    const struct jtl_hist *hist;
};

/* A row of the errors table. */
struct jtl_stats_error {
    const char *key;
    size_t len;
    uint64_t count;
    double pct_errors;  /* count * 100 / result->errors_total */
    double pct_samples; /* count * 100 / result->errors_base */
};

struct jtl_stats_result {
    struct jtl_stats_row total; /* "Total" */
    struct jtl_stats_row *rows; /* one per label, sorted by label bytes */
    size_t nrows;

    double pct_list[JTL_STATS_MAX_PCT]; /* the percentiles asked for */
    size_t npct; /* >= 1; statistics.json uses the first 3 */
    enum jtl_pct_method method;
    uint32_t window; /* 0 = every sample; else last N values */
    bool jmeter_compat;
    bool subresults;          /* sub-samples were counted */
    int64_t apdex_t, apdex_f; /* ms */

    /* Errors table: sorted by count descending, then key. */
    struct jtl_stats_error *errors;
    size_t nerrors;
    uint64_t errors_total; /* failed non-TC samples */
    uint64_t errors_base;  /* non-TC samples ("% in all samples") */

    /* Whole run, over every counted sample (TC parents included). */
    int64_t first_start, last_end;
    uint64_t samples_counted;    /* every sample that reached a row */
    uint64_t tc_parents;         /* of which TC parents */
    uint64_t empty_controllers;  /* ignored */
    uint64_t subresults_skipped; /* depth > 0 and not --subresults */
    /* Labels grouped into endpoint templates (--group-labels auto): the
     * labels read, and the rows they became; both 0 when none was. */
    uint64_t labels_grouped, label_groups;
    uint64_t labels_folded; /* samples put in the "(other labels)" row
                               because the label cap was reached */
    uint64_t keys_folded;   /* errors folded into "(other errors)" */
};

/* Write into OUT (always NUL-terminated) the sentence that states the
 * percentile method, e.g. "exact nearest-rank over all 2439 samples" or
 * "JMeter LEGACY estimator over the last 20000 values per label". */
void jtl_stats_method_text(const struct jtl_stats_result *r, char *out,
                           size_t cap);

/* The row of LABEL (exact bytes), the Total row for "Total" only when no
 * label is called "Total", or NULL. */
const struct jtl_stats_row *jtl_stats_find(const struct jtl_stats_result *r,
                                           const char *label, size_t len);

/* The count of response code CODE in ROW (0 when absent). */
uint64_t jtl_stats_code_count(const struct jtl_stats_row *row,
                              const char *code);

/* Parse a percentile list such as "90,95,99" or "50,99.9" into OUT (up to
 * JTL_STATS_MAX_PCT values in (0, 100]).  Returns the count, or -1 on a bad
 * list. */
int jtl_stats_parse_pct_list(const char *s, double *out);
/* Parse APDEX thresholds "T,F" in ms (0 <= T <= F); false on anything else. */
bool jtl_stats_parse_apdex(const char *s, int64_t *t, int64_t *f);

#endif /* JTL_STATS_H */
