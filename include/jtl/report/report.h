/* SPDX-License-Identifier: MIT
 * report.h - `jtlscope report`: everything about one run written into a
 * folder: index.html (one self-contained file), PNG and SVG charts with
 * their gnuplot .gp/.dat, statistics.json, throttle.json and summary.md.
 *
 * Reporters only FORMAT the results of the aggregation (stats.h,
 * timeline.h) and of the 429 analysis (throttle.h); they take const
 * pointers and never change them.  Every string from a JTL is untrusted:
 * HTML-escaped in HTML, JSON-escaped in JSON, Markdown-escaped in Markdown,
 * kept out of gnuplot scripts (plot.h) and never used to build a path.
 *
 * Ownership: struct jtl_report_input only borrows; struct jtl_report_charts
 * owns its array (jtl_report_charts_release). */
#ifndef JTL_REPORT_H
#define JTL_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jtl/base/error.h"
#include "jtl/read/read.h"
#include "jtl/stats/stats.h"
#include "jtl/throttle/throttle.h"
#include "jtl/stats/timeline.h"

/* What the reporters read.  Any pointer but RUN may be NULL (that part is
 * then left out with a note). */
struct jtl_report_input {
    const struct jtl_stats_result *stats;
    const struct jtl_timeline *timeline;
    const struct jtl_throttle_result *throttle;
    const struct jtl_run_info *run; /* files, samples, skipped records */
    const char *title;              /* --title, or NULL (user text) */
    int64_t generated_at;           /* epoch s (SOURCE_DATE_EPOCH) */
};

struct jtl_report_opts {
    const char *dir;          /* -o DIR: created when missing */
    const char *gnuplot;      /* --gnuplot PATH, NULL = "gnuplot" in PATH */
    const char *template_dir; /* --template-dir, NULL = built in */
    bool render;              /* false: --no-render, scripts only */
    bool quiet;               /* no warnings on stderr */
    int timeout_ms;           /* per gnuplot run; 0 = 60 s */
    /* Writers for the JSON files, so statistics.json is byte for byte what
     * `jtlscope stats --format json` prints; NULL leaves the file out. */
    enum jtl_err (*write_stats_json)(const struct jtl_report_input *in,
                                     FILE *fp, struct jtl_diag *diag);
    enum jtl_err (*write_throttle_json)(const struct jtl_report_input *in,
                                        FILE *fp, struct jtl_diag *diag);
};

/* ---- charts (report_charts.c) ------------------------------------------ */

#define JTL_REPORT_MAX_CHARTS 16

struct jtl_report_chart {
    char name[48];       /* file stem: "chart-01-throughput" */
    const char *title;   /* static text */
    const char *caption; /* static text: how to read it */
    int width, height;   /* pixels */
    bool rendered;       /* PNG and SVG exist */
};

struct jtl_report_charts {
    struct jtl_report_chart list[JTL_REPORT_MAX_CHARTS];
    size_t n;
    bool gnuplot_missing; /* charts not rendered: gnuplot not found */
    bool render_skipped;  /* --no-render */
    bool render_failed;   /* gnuplot ran but failed on some chart */
    char render_error[320];
};

/* Write <name>.dat and <name>.gp into DIR for every chart the input has
 * data for, and fill OUT (in order).  Series are bounded: per-second data
 * is coarsened to at most JTL_REPORT_MAX_POINTS points, labels to the
 * JTL_REPORT_MAX_BARS busiest. */
#define JTL_REPORT_MAX_POINTS 1500
#define JTL_REPORT_MAX_BARS 25
enum jtl_err jtl_report_charts_write(const struct jtl_report_input *in,
                                     const char *dir,
                                     struct jtl_report_charts *out,
                                     struct jtl_diag *diag);
/* Render every chart of CHARTS in DIR with GNUPLOT (two at a time).  A
 * missing gnuplot sets charts->gnuplot_missing and returns JTL_OK; a
 * failing gnuplot sets render_failed and render_error and returns JTL_OK
 * too (the report is still written, without those images). */
enum jtl_err jtl_report_charts_render(struct jtl_report_charts *charts,
                                      const char *dir, const char *gnuplot,
                                      int timeout_ms, struct jtl_diag *diag);

/* ---- writers ------------------------------------------------------------- */

/* index.html.  DIR holds the rendered charts (read and inlined as base64
 * data: URIs); TEMPLATE_DIR overrides the built-in templates.  Template
 * errors are JTL_ERR_TEMPLATE with "report.html:LINE". */
enum jtl_err jtl_report_html(const struct jtl_report_input *in,
                             const struct jtl_report_charts *charts,
                             const char *dir, const char *template_dir,
                             FILE *fp, struct jtl_diag *diag);
/* summary.md: a short Markdown summary to paste into a ticket. */
enum jtl_err jtl_report_md(const struct jtl_report_input *in,
                           const struct jtl_report_charts *charts, FILE *fp,
                           struct jtl_diag *diag);

/* Everything, into OPTS->dir: built in DIR/.jtlscope-tmp-XXXXXX and moved
 * into DIR only when complete, so a failed run leaves no half report. */
enum jtl_err jtl_report_write(const struct jtl_report_input *in,
                              const struct jtl_report_opts *opts,
                              struct jtl_diag *diag);

#endif /* JTL_REPORT_H */
