/* SPDX-License-Identifier: MIT
 * agg.h - the aggregation sink: every sample that passed the filters goes
 * through jtl_agg_add(), which updates the per-label statistics, the exact
 * histograms and the timeline.  jtl_agg_finish() then produces the read-only
 * results for the reporters (stats.h, timeline.h).
 * Ownership: struct jtl_agg is opaque; jtl_agg_new() / jtl_agg_free().
 * Labels, codes and error keys are interned (struct jtl_strtab), so samples
 * stay borrowed.  Results returned by jtl_agg_stats() / jtl_agg_timeline()
 * are owned by the agg and valid until jtl_agg_free().
 *
 * Memory does not grow with the number of rows: per label an exact
 * histogram (bounded by distinct values, hist.h), per-code and per-error-key
 * counters (capped: JTL_AGG_MAX_LABELS, JTL_AGG_MAX_KEYS, JTL_AGG_MAX_CODES,
 * the excess folded into "(other ...)" rows and counted in the result) and a
 * timeline bounded by the duration (timeline.h).  Only --jmeter-compat keeps
 * raw values: a ring of the last `window` elapsed values per label and Total
 * (JMeter's statistic_window), as JMeter does.
 *
 * Threads: an agg is used by one thread at a time.  jtl_agg_fork() makes an
 * empty child with the same options for a worker; jtl_agg_join() merges the
 * child into its parent (counts add, histograms merge, extremes combine) and
 * frees it.  Not available in --jmeter-compat (the window depends on file
 * order): jtl_agg_sink() then leaves fork/join NULL. */
#ifndef JTL_AGG_H
#define JTL_AGG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/io/sample.h"
#include "jtl/stats/hist.h"
#include "jtl/stats/stats.h"
#include "jtl/stats/timeline.h"

#define JTL_AGG_MAX_LABELS 100000u /* further labels -> "(other labels)" */
#define JTL_AGG_MAX_KEYS 10000u    /* distinct error keys */
#define JTL_AGG_MAX_CODES 4096u    /* distinct response codes */
#define JTL_AGG_KEY_MAX 1024u      /* bytes of an error key kept */
#define JTL_AGG_MAX_REFUSAL_CODES 16

struct jtl_agg_opts {
    double pct_list[JTL_STATS_MAX_PCT]; /* default 90, 95, 99 */
    size_t npct;
    enum jtl_pct_method method; /* default JTL_PCT_EXACT */
    /* JMeter dashboard mode: LEGACY over the last JTL_STATS_JMETER_WINDOW
     * values (per label and Total, file order), incremental mean, errorPct
     * rounded to a 32-bit float.  Sets method and window. */
    bool jmeter_compat;
    /* Percentile window, used only with jmeter_compat (0 there means
     * JTL_STATS_JMETER_WINDOW); jtl_agg_new() also forces method LEGACY.
     * Without compat every value counts (exact histograms). */
    uint32_t window;
    bool subresults;          /* count XML sub-samples (depth > 0) */
    int64_t apdex_t, apdex_f; /* ms, default 500 / 1500 */
    int64_t granularity_ms;   /* 0 = automatic */
    bool timeline;            /* build the timeline (default true) */
    /* Labels that differ only in ids make one row per endpoint template
     * (jtl_label_template(); default false: JMeter's rows).  Not with
     * jmeter_compat (its windows follow each label's file order). */
    bool group_labels;
    /* The codes the per-second series count as refused (the throttling
     * charts): 429 by default; `report` passes the analysis' codes. */
    int refusal_codes[JTL_AGG_MAX_REFUSAL_CODES];
    size_t nrefusal_codes;
};

/* Defaults as documented above. */
void jtl_agg_opts_init(struct jtl_agg_opts *o);

struct jtl_agg; /* opaque */

struct jtl_agg *jtl_agg_new(const struct jtl_agg_opts *opts);
void jtl_agg_free(struct jtl_agg *agg); /* NULL is a no-op */

/* The sink function (a jtl_sample_fn): CTX is the struct jtl_agg.  Never
 * fails; returns 0.  No allocation per sample once a label is known. */
int jtl_agg_add(const struct jtl_sample *s, void *ctx);

/* A fresh child agg for a worker thread (NULL in --jmeter-compat). */
void *jtl_agg_fork(void *ctx);
/* Merge CHILD into CTX and free CHILD. */
void jtl_agg_join(void *ctx, void *child);

/* Fill SINK for jtl_read_run(): add = jtl_agg_add, ctx = AGG, and
 * fork/join unless --jmeter-compat. */
void jtl_agg_sink(struct jtl_agg *agg, struct jtl_sink *sink);

/* Compute the results.  Call once, after the last sample; jtl_agg_add() must
 * not be called afterwards. */
void jtl_agg_finish(struct jtl_agg *agg);

/* Results of jtl_agg_finish() (NULL before it). */
const struct jtl_stats_result *jtl_agg_stats(const struct jtl_agg *agg);
const struct jtl_timeline *jtl_agg_timeline(const struct jtl_agg *agg);

/* Partial states (state.h).  SAVE writes everything AGG has counted
 * (before jtl_agg_finish); LOAD makes a child of LIKE (its options)
 * holding what was saved, for jtl_agg_join(LIKE, child), or NULL when the
 * input is damaged or LIKE is in --jmeter-compat. */
struct jtl_bw;
struct jtl_br;
void jtl_agg_save(const struct jtl_agg *agg, struct jtl_bw *w);
struct jtl_agg *jtl_agg_load(const struct jtl_agg *like, struct jtl_br *r);

/* Heap bytes held by the agg (for memory figures in benchmarks). */
size_t jtl_agg_bytes(const struct jtl_agg *agg);

#endif /* JTL_AGG_H */
