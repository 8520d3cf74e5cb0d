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
 * holds plain data but for each chart's spec, which the writers free once
 * the page is written (jtl_report_charts_release). */
#ifndef JTL_REPORT_H
#define JTL_REPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jtl/base/error.h"
#include "jtl/check/check.h"
#include "jtl/check/compare.h"
#include "jtl/read/runinfo.h"
#include "jtl/report/plot.h"
#include "jtl/stats/stats.h"
#include "jtl/stats/timeline.h"
#include "jtl/throttle/throttle.h"

struct jtl_report_charts;

/* What the report's writers read (with the struct jtl_run_info of the
 * inputs beside it).  Any result may be NULL (that part is then left out
 * with a note). */
struct jtl_report_input {
    const struct jtl_stats_result *stats;
    const struct jtl_timeline *timeline;
    const struct jtl_throttle_result *throttle;
    /* report --criteria: the pass/fail criteria's result, or NULL */
    const struct jtl_check_result *check;
    const char *title;    /* --title, or NULL (user text) */
    int64_t generated_at; /* epoch s (SOURCE_DATE_EPOCH) */
    /* The charts made for this report and the folder that holds their
     * images (index.html inlines them); NULL when there are none. */
    const struct jtl_report_charts *charts;
    const char *charts_dir;
    const char *template_dir; /* --template-dir, NULL = built in */
    /* index.html is written alone (-o NAME.html): no links to sibling
     * files, no note pointing into a folder */
    bool page_alone;
};

struct jtl_report_opts {
    const char *dir;          /* -o DIR: created when missing; with
                                 page_alone, the file NAME.html */
    bool page_alone;          /* -o NAME.html: the page and nothing else */
    const char *gnuplot;      /* --gnuplot PATH, NULL = "gnuplot" in PATH */
    const char *template_dir; /* --template-dir, NULL = built in */
    bool render;              /* false: --no-render, scripts only */
    int timeout_ms;           /* per gnuplot run; 0 = 60 s */
};

/* ---- charts (charts.c) ------------------------------------------ */

#define JTL_REPORT_MAX_CHARTS 24

struct jtl_report_chart {
    char name[48];       /* file stem: "chart-01-throughput" */
    const char *title;   /* static text */
    const char *caption; /* static text: how to read it */
    int width, height;   /* pixels */
    bool rendered;       /* PNG and SVG exist */
    char *spec;          /* the interactive version (jtl_plot_spec_json),
                            or NULL: the page shows the image alone */
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
                                     const struct jtl_run_info *run,
                                     const char *dir,
                                     struct jtl_report_charts *out,
                                     struct jtl_diag *diag);
/* Add chart C to CHARTS as chart-NN-STEM (TITLE, CAPTION: static text):
 * its .dat and .gp written into DIR, its spec kept for the page.  A full
 * list drops the chart (JTL_OK). */
enum jtl_err jtl_report_chart_add(struct jtl_report_charts *charts,
                                  const char *dir, struct jtl_plot_chart *c,
                                  int number, const char *stem,
                                  const char *title, const char *caption,
                                  struct jtl_diag *diag);
/* Free the charts' specs (the rest is plain data). */
void jtl_report_charts_release(struct jtl_report_charts *charts);

/* Render every chart of CHARTS in DIR with GNUPLOT (two at a time).  A
 * missing gnuplot sets charts->gnuplot_missing and returns JTL_OK; a
 * failing gnuplot sets render_failed and render_error and returns JTL_OK
 * too (the report is still written, without those images). */
enum jtl_err jtl_report_charts_render(struct jtl_report_charts *charts,
                                      const char *dir, const char *gnuplot,
                                      int timeout_ms, struct jtl_diag *diag);

/* ---- compare -o DIR (compare_html.c) ------------------------------------ */

struct jtl_compare_page {
    const struct jtl_cmp_result *cmp;
    const struct jtl_timeline *tl[2]; /* baseline, current; NULL for a
                                         statistics.json side */
    const char *names[2];             /* what each side is (file names) */
    const char *title;                /* --title, or NULL */
};
/* Write OPTS->dir/index.html (self-contained), compare.json, summary.md
 * and the charts (both runs over time, the distributions, each label's
 * change), atomically like a report. */
enum jtl_err jtl_compare_write(const struct jtl_compare_page *in,
                               const struct jtl_report_opts *opts,
                               struct jtl_report_charts *charts,
                               struct jtl_diag *diag);

/* ---- writers (the shape of writers.h) ------------------------------------ */

/* index.html.  IN->charts_dir holds the rendered charts (read and inlined
 * as base64 data: URIs); IN->template_dir overrides the built-in
 * templates.  Template errors are JTL_ERR_TEMPLATE with "report.html:LINE". */
enum jtl_err jtl_report_index_html(FILE *fp, const struct jtl_report_input *in,
                                   const struct jtl_run_info *run,
                                   struct jtl_diag *diag);
/* summary.md: a short Markdown summary to paste into a ticket. */
enum jtl_err jtl_report_summary_md(FILE *fp, const struct jtl_report_input *in,
                                   const struct jtl_run_info *run,
                                   struct jtl_diag *diag);

/* Everything, into OPTS->dir: statistics.json, throttle.json, the charts,
 * summary.md and index.html, built in DIR/.jtlscope-tmp-XXXXXX and moved
 * into DIR only when complete, so a failed run leaves no half report.
 * IN's charts fields are filled here.  CHARTS (caller-owned) says which
 * charts were made and drawn, and why not (gnuplot missing or failing is
 * not an error: the report is written without those images). */
enum jtl_err jtl_report_write(const struct jtl_report_input *in,
                              const struct jtl_run_info *run,
                              const struct jtl_report_opts *opts,
                              struct jtl_report_charts *charts,
                              struct jtl_diag *diag);

#endif /* JTL_REPORT_H */
