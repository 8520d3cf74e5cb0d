/* SPDX-License-Identifier: MIT
 * statsjson.h - reading a statistics.json: the one JMeter's HTML dashboard
 * writes (content/js/.../statistics.json: an object keyed by label plus
 * "Total", each with transaction, sampleCount, errorCount, errorPct,
 * meanResTime, medianResTime, minResTime, maxResTime, pct1ResTime,
 * pct2ResTime, pct3ResTime, throughput, receivedKBytesPerSec,
 * sentKBytesPerSec) or the one jtlscope writes (the same, and in the
 * Total's "_meta" the percentiles pct1..3 stand for).  So that a run kept
 * only as a dashboard can be compared.
 * Ownership: jtl_statsjson_read() fills a struct jtl_statsjson that
 * jtl_statsjson_release() frees. */
#ifndef JTL_STATSJSON_H
#define JTL_STATSJSON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/error.h"

struct jtl_statsjson_row {
    char *label; /* "Total" for the Total */
    uint64_t samples, errors;
    double error_pct, mean, median, min, max;
    /* the percentiles it has: pct1ResTime .. pct3ResTime for P[0..2] of
     * the file's list, and jtlscope's "percentiles" {"90": v, ...} */
    double p[16], pv[16];
    size_t np;
    double throughput, received_kbps, sent_kbps;
};

struct jtl_statsjson {
    struct jtl_statsjson_row total;
    struct jtl_statsjson_row *rows; /* the labels, in file order */
    size_t n;
    double pct_list[3]; /* what pct1..3 are: _meta, else 90, 95, 99 */
    bool from_jtlscope; /* written by jtlscope (it has a _meta) */
};

/* Whether the first bytes of a file (P[0..N)) look like a statistics.json
 * rather than a JTL: a JSON object. */
bool jtl_statsjson_sniff(const char *p, size_t n);
/* "jansson 2.14": the JSON library's name and version (--version). */
const char *jtl_statsjson_library(void);
/* Read PATH; on error the diag names the file and, for bad JSON, the line
 * and column. */
enum jtl_err jtl_statsjson_read(const char *path, struct jtl_statsjson *out,
                                struct jtl_diag *diag);
void jtl_statsjson_release(struct jtl_statsjson *s);
/* Percentile P of ROW (the median for 50), NaN when the file lacks it. */
double jtl_statsjson_pct(const struct jtl_statsjson_row *row, double p);

#endif /* JTL_STATSJSON_H */
