/* SPDX-License-Identifier: MIT
 * timeline.h - per-interval series for charts (hits, codes, transactions,
 * active threads, response-time percentiles, bytes) and a per-second series
 * of accepted / 429 / other-error samples for the throttling charts.
 * Ownership: struct jtl_timeline is produced by jtl_agg_finish() and owned by
 * the struct jtl_agg (see agg.h); all arrays stay valid until jtl_agg_free().
 * Readers treat it as read-only.
 *
 * Buckets: bucket i covers [t0 + i*interval_ms, t0 + (i+1)*interval_ms),
 * t0 a multiple of interval_ms in epoch ms (JMeter: time - time % gran).
 * Which time picks the bucket follows JMeter's dashboard: HITS use the sample
 * START (timeStamp); every other series uses the END (timeStamp + elapsed).
 * TC parents are excluded from hits, codes, bytes and response-time
 * percentiles, included in the per-label transactions; empty controllers are
 * ignored everywhere.
 *
 * interval_ms: --granularity, or chosen automatically from the duration so a
 * run gives about 100-300 points (1 s minimum, "nice" values 1, 2, 5, 10,
 * 15, 20, 30 s, 1, 2, 5, 10, 15, 20, 30 min, 1 h ...).  Memory is bounded by
 * the duration, not the rows: when a series would exceed its cap (100 000
 * buckets, or a cell budget for the per-label and per-code series) the
 * working interval is coarsened while reading, so interval_ms may be larger
 * than asked (interval_coarsened is then true).
 *
 * Per-second series: always 1 s buckets by START time (when the request
 * reached the server), TC parents excluded, independent of interval_ms;
 * capped at JTL_TIMELINE_MAX_SECONDS seconds from the first second
 * (sec_truncated is set and later seconds are not in the series). */
#ifndef JTL_TIMELINE_H
#define JTL_TIMELINE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jtl/stats/hist.h"
#include "jtl/stats/stats.h"

#define JTL_TIMELINE_MAX_BUCKETS 100000u
#define JTL_TIMELINE_MAX_SECONDS 1000000u /* ~11.6 days */
#define JTL_TIMELINE_MAX_CODES 256u       /* further codes -> "(other)" */
#define JTL_TIMELINE_MAX_GROUPS 256u      /* further groups -> "(other)" */

/* Counts per code per bucket (Codes per second: divide by interval). */
struct jtl_timeline_code {
    const char *code; /* NUL-terminated; "" when the code is empty */
    size_t len;
    uint64_t *counts; /* [nbuckets] */
    uint64_t total;
};

/* Transactions per label per bucket (TC parents included). */
struct jtl_timeline_label {
    const char *label; /* NUL-terminated */
    size_t len;
    bool is_controller;
    uint64_t *success; /* [nbuckets] */
    uint64_t *failure; /* [nbuckets] */
    double *rt_mean;   /* [nbuckets] mean elapsed; NaN in empty buckets */
};

/* Active threads per thread group: the group is threadName cut at its last
 * space ("Thread Group 1-5" -> "Thread Group"). */
struct jtl_timeline_group {
    const char *name; /* NUL-terminated */
    size_t len;
    double *mean_threads; /* [nbuckets] mean grpThreads; NaN when no sample */
};

struct jtl_timeline {
    int64_t interval_ms;
    bool interval_auto;      /* chosen from the duration */
    bool interval_coarsened; /* larger than asked, to respect the caps */
    int64_t t0;              /* start of bucket 0, epoch ms */
    size_t nbuckets;         /* 0 when no sample had a timestamp */

    /* [nbuckets] each */
    uint64_t *hits;           /* samples by start time */
    uint64_t *samples;        /* samples by end time (non-TC) */
    uint64_t *errors;         /* failed samples by end time (non-TC) */
    uint64_t *tx_success;     /* all transactions (TC included): success */
    uint64_t *tx_failure;     /*   and failure (JMeter's Total TPS) */
    uint64_t *bytes_received; /* sum of bytes (non-TC) */
    uint64_t *bytes_sent;
    double *rt_mean;      /* mean elapsed of non-TC samples; NaN if none */
    double *latency_mean; /* NaN when none */
    double *connect_mean;
    double *threads_all_mean; /* mean allThreads; NaN when none */
    uint32_t *threads_all_max;

    /* Response-time percentiles of SUCCESSFUL non-TC samples per bucket
     * (JMeter's "Response Time Percentiles Over Time"), exact, with the
     * stats method: rt_pct[k][i] is pct_list[k] of bucket i; NaN when the
     * bucket has no successful sample. */
    double *rt_min, *rt_max, *rt_median;
    double *rt_pct[JTL_STATS_MAX_PCT];
    double pct_list[JTL_STATS_MAX_PCT];
    size_t npct;
    /* The exact histogram of each bucket ([nbuckets]), for other
     * percentiles. */
    const struct jtl_hist *rt_hist;

    struct jtl_timeline_code *codes; /* sorted by code */
    size_t ncodes;
    struct jtl_timeline_label *labels; /* sorted by label */
    size_t nlabels;
    struct jtl_timeline_group *groups; /* sorted by name */
    size_t ngroups;

    /* Per-second series (see above). */
    int64_t sec_t0; /* epoch ms of second 0 (multiple of 1000) */
    size_t nsec;
    uint32_t *sec_hits;        /* all non-TC samples started in the second */
    uint32_t *sec_accepted;    /* success && not refused */
    uint32_t *sec_429;         /* refused: a refusal code (jtl_agg_opts:
                                  429 unless told), whatever success says */
    uint32_t *sec_errors;      /* !success && not refused */
    uint32_t *sec_threads_max; /* max allThreads seen in the second */
    bool sec_truncated;
};

/* The automatic interval (ms) for a run spanning SPAN_MS that is a multiple
 * of BASE_MS (the working interval): the smallest "nice" value giving at
 * most 300 buckets. */
int64_t jtl_timeline_auto_interval(int64_t span_ms, int64_t base_ms);

#endif /* JTL_TIMELINE_H */
