/* SPDX-License-Identifier: MIT
 * report_internal.h - number and text formatting shared by the HTML and
 * Markdown writers of `jtlscope report`, so both say the same thing the
 * same way.  Everything writes into a caller buffer (always NUL-ended);
 * an undetermined number (NaN) is written as an en dash. */
#ifndef JTL_REPORT_INTERNAL_H
#define JTL_REPORT_INTERNAL_H
#include <stddef.h>
#include <stdint.h>

#include "jtl/report/report.h"

#define JTL_DASH "\xE2\x80\x93" /* U+2013, for "not determined" */

/* "%.*f" in the C locale, JTL_DASH for NaN/inf. */
const char *jtl_rfmt_num(char *out, size_t cap, double v, int decimals);
const char *jtl_rfmt_u64(char *out, size_t cap, uint64_t v);
/* A figure of `compare`: a whole number as is, else one decimal; NONE
 * for NaN ("-" on a terminal, JTL_DASH on a page). */
const char *jtl_rfmt_figure(char *out, size_t cap, double v, const char *none);
/* A change of `compare`: "+12.3 %"; NONE for NaN. */
const char *jtl_rfmt_change(char *out, size_t cap, double v, const char *none);
/* "12.34 %" (decimals 2) */
const char *jtl_rfmt_pct(char *out, size_t cap, double v);
/* "2024-05-01 12:00:00.123 UTC", in the zone TZ (NULL: UTC) */
const char *jtl_rfmt_time(char *out, size_t cap, int64_t epoch_ms,
                          const char *tz);
/* "12:00:00.123 UTC (+4.4 s)": the clock time and the offset from T0 */
const char *jtl_rfmt_when(char *out, size_t cap, int64_t epoch_ms, int64_t t0,
                          const char *tz);
/* The verdict as a headline: "threshold-based rate limit of about 30.0
 * requests/s, burst 5; confidence high". */
const char *jtl_rfmt_headline(char *out, size_t cap,
                              const struct jtl_throttle_scope *sc);
/* The codes analysed as refusals, "429, 503" ("429" without TH). */
const char *jtl_rfmt_codes(char *out, size_t cap,
                           const struct jtl_throttle_result *th);
/* The chart of the report called NAME ("chart-01-throughput"), NULL when
 * it was not made (CHARTS may be NULL). */
const struct jtl_report_chart *
jtl_rfmt_chart(const struct jtl_report_charts *charts, const char *name);
/* "26.3 s", "12 min 05 s", "3 h 04 min" */
const char *jtl_rfmt_duration(char *out, size_t cap, double seconds);

/* "Threshold-based throttling", "Random throttling", "No throttling",
 * "Inconclusive" */
const char *jtl_rfmt_verdict_word(enum jtl_verdict v);
/* "rate limit (token or leaky bucket)", ... */
const char *jtl_rfmt_mechanism(enum jtl_mechanism m);
/* One line for a limit: "30.0 req/s, burst 5", "60 per 5 s window
 * (aligned)", "5 requests in flight", or JTL_DASH. */
const char *jtl_rfmt_limit(char *out, size_t cap, enum jtl_mechanism m,
                           const struct jtl_throttle_limit *l);

/* The report title: --title, else "Load test NAME" for one file or
 * "Load test (N files)".  May hold user text (escape it on output). */
const char *jtl_rfmt_title(char *out, size_t cap,
                           const struct jtl_report_input *in,
                           const struct jtl_run_info *run);

#endif /* JTL_REPORT_INTERNAL_H */
