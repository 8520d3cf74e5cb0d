/* SPDX-License-Identifier: MIT
 * writers.h - every writer of a result, in one shape:
 *
 *     enum jtl_err jtl_report_<what>_<format>(FILE *fp, const <result> *r,
 *                                            const struct jtl_run_info *info,
 *                                            struct jtl_diag *diag);
 *
 * They only format: every figure comes from R (and the inputs from INFO,
 * which may be NULL).  They return JTL_OK, or JTL_ERR_IO when a write to FP
 * failed (the caller closes FP and names the file).  Every string from a
 * JTL is untrusted and escaped for the format.
 * Ownership: nothing is kept. */
#ifndef JTL_WRITERS_H
#define JTL_WRITERS_H
#include <stdio.h>

#include "jtl/base/error.h"
#include "jtl/check/check.h"
#include "jtl/check/compare.h"
#include "jtl/read/runinfo.h"
#include "jtl/report/json.h"
#include "jtl/stats/stats.h"
#include "jtl/stats/timeline.h"
#include "jtl/throttle/throttle.h"

/* ---- statistics (stats.h) ------------------------------------------------
 * json: an object keyed by label plus "Total" (Total first, then labels
 * sorted), each with JMeter's keys transaction, sampleCount, errorCount,
 * errorPct, meanResTime, medianResTime, minResTime, maxResTime,
 * pct1ResTime, pct2ResTime, pct3ResTime (the first three percentiles of the
 * list), throughput, receivedKBytesPerSec, sentKBytesPerSec, then extras:
 * "codes" {"200": n, ...}, "percentiles" {"90": v, ...}, "apdex" {...},
 * "isController", "topErrors" [...].  The Total object also carries
 * "errors" (the errors table) and "_meta" (method, inputs, time range,
 * counts).  Doubles are printed as Java's Double.toString would.
 * csv: one row per label plus Total, full precision.  table: aligned
 * terminal tables.  md: the tables as GitHub Markdown. */
enum jtl_err jtl_report_stats_json(FILE *fp, const struct jtl_stats_result *r,
                                   const struct jtl_run_info *info,
                                   struct jtl_diag *diag);
enum jtl_err jtl_report_stats_csv(FILE *fp, const struct jtl_stats_result *r,
                                  const struct jtl_run_info *info,
                                  struct jtl_diag *diag);
enum jtl_err jtl_report_stats_table(FILE *fp, const struct jtl_stats_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag);
enum jtl_err jtl_report_stats_md(FILE *fp, const struct jtl_stats_result *r,
                                 const struct jtl_run_info *info,
                                 struct jtl_diag *diag);

/* ---- the per-interval series (timeline.h) --------------------------------
 * table / md: one row per bucket: time, hits/s, samples, errors,
 * response-time mean/median/percentiles, threads, KB/s, then one column
 * per code; csv: the same columns, full precision; json: {"intervalMs",
 * "t0", "buckets": [...], "codes", "labels", "threadGroups", "perSecond"}. */
enum jtl_err jtl_report_timeline_table(FILE *fp, const struct jtl_timeline *tl,
                                       const struct jtl_run_info *info,
                                       struct jtl_diag *diag);
enum jtl_err jtl_report_timeline_md(FILE *fp, const struct jtl_timeline *tl,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag);
enum jtl_err jtl_report_timeline_csv(FILE *fp, const struct jtl_timeline *tl,
                                     const struct jtl_run_info *info,
                                     struct jtl_diag *diag);
enum jtl_err jtl_report_timeline_json(FILE *fp, const struct jtl_timeline *tl,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag);

/* ---- the throttle analysis (throttle.h) ----------------------------------
 * json: the object scripts rely on (README "throttle.json"); text: the
 * terminal report; md: the same as Markdown. */
enum jtl_err jtl_report_throttle_json(FILE *fp,
                                      const struct jtl_throttle_result *r,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag);
enum jtl_err jtl_report_throttle_text(FILE *fp,
                                      const struct jtl_throttle_result *r,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag);
enum jtl_err jtl_report_throttle_md(FILE *fp,
                                    const struct jtl_throttle_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag);
/* The same JSON object as one value of J, to embed it in another document. */
void jtl_report_throttle_json_value(struct jtl_json *j,
                                    const struct jtl_throttle_result *r);

/* ---- pass/fail criteria (check.h) -----------------------------------------
 * text: the verdict, then one line per criterion and label: PASS, FAIL or
 * ERROR and the sentence with the measured value.  md: the same as a table.
 * json: {"passed", "passes", "failures", "errors", "criteria": [{
 * "criterion", "name", "label", "labels", "status", "value", "threshold",
 * "op", "unit", "samples", "window": {"start", "end", "length_s"} | null,
 * "message"}]}.  junit: one <testsuite>, one <testcase> per criterion and
 * label (classname: the label), <failure> when it failed, <error> when it
 * could not be evaluated (Jenkins' junit-10.xsd). */
enum jtl_err jtl_report_check_text(FILE *fp, const struct jtl_check_result *r,
                                   const struct jtl_run_info *info,
                                   struct jtl_diag *diag);
enum jtl_err jtl_report_check_md(FILE *fp, const struct jtl_check_result *r,
                                 const struct jtl_run_info *info,
                                 struct jtl_diag *diag);
enum jtl_err jtl_report_check_json(FILE *fp, const struct jtl_check_result *r,
                                   const struct jtl_run_info *info,
                                   struct jtl_diag *diag);
enum jtl_err jtl_report_check_junit(FILE *fp, const struct jtl_check_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag);
/* The JSON object as one value of J. */
void jtl_report_check_json_obj(struct jtl_json *j,
                               const struct jtl_check_result *r);
/* The Markdown into OUT (summary.md embeds it). */
void jtl_report_check_md_buf(struct jtl_buf *out,
                             const struct jtl_check_result *r);

/* ---- a comparison (compare.h) --------------------------------------------
 * text and md: the verdicts table, why each, the throttling's change, the
 * --fail-if rules and the method.  csv: one row per label, both sides'
 * figures and the changes.  json: {"labels": [{"name", "baseline",
 * "current", "delta", "delta_pct", "change", "p_value", "why"}],
 * "throttle": {"baseline", "current", "change"}, "failed": [...],
 * "fail_if": [...], "metric", "min_change_pct", "alpha", "method"}.
 * junit: one test case per --fail-if rule. */
enum jtl_err jtl_report_compare_text(FILE *fp, const struct jtl_cmp_result *r,
                                     const struct jtl_run_info *info,
                                     struct jtl_diag *diag);
enum jtl_err jtl_report_compare_md(FILE *fp, const struct jtl_cmp_result *r,
                                   const struct jtl_run_info *info,
                                   struct jtl_diag *diag);
enum jtl_err jtl_report_compare_csv(FILE *fp, const struct jtl_cmp_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag);
enum jtl_err jtl_report_compare_json(FILE *fp, const struct jtl_cmp_result *r,
                                     const struct jtl_run_info *info,
                                     struct jtl_diag *diag);
enum jtl_err jtl_report_compare_junit(FILE *fp, const struct jtl_cmp_result *r,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag);

#endif /* JTL_WRITERS_H */
