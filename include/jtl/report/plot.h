/* SPDX-License-Identifier: MIT
 * plot.h - gnuplot charts: a chart is written as <name>.dat (the numbers and
 * every string that came from a JTL) and <name>.gp (the script), which
 * renders <name>.png (pngcairo) and <name>.svg when run from that folder:
 *     gnuplot <name>.gp
 * so users can edit and re-render.
 *
 * Safety: gnuplot executes backticks and system() in its command language.
 * Strings from a JTL (labels, response codes) are therefore NEVER written
 * into the .gp: they go into the .dat as quoted fields and reach the chart
 * through `title columnheader(N)` and `xticlabels(1)`, which gnuplot reads
 * as data and never evaluates; the terminals are `noenhanced`, so ^ _ { }
 * and @ in a label are shown as they are.  The only text in the .gp is the
 * chart's own fixed titles (struct jtl_plot_chart, from our code) and
 * numbers.  File names are checked with jtl_name_is_safe().
 *
 * Ownership: a chart description only borrows its arrays and strings. */
#ifndef JTL_PLOT_H
#define JTL_PLOT_H
#include <stdbool.h>
#include <stddef.h>

#include "jtl/base/error.h"

#define JTL_PLOT_WIDTH 1000 /* pixels: pastes well into tickets and wikis */
#define JTL_PLOT_HEIGHT 500
#define JTL_PLOT_LABEL_MAX 60 /* code points of a label shown in a chart */

/* Okabe-Ito, the colour-blind-safe palette (Okabe & Ito 2008). */
enum jtl_plot_color {
    JTL_PLOT_BLACK,
    JTL_PLOT_ORANGE,     /* #E69F00 */
    JTL_PLOT_SKYBLUE,    /* #56B4E9 */
    JTL_PLOT_GREEN,      /* #009E73 bluish green */
    JTL_PLOT_YELLOW,     /* #F0E442 */
    JTL_PLOT_BLUE,       /* #0072B2 */
    JTL_PLOT_VERMILLION, /* #D55E00 */
    JTL_PLOT_PURPLE,     /* #CC79A7 reddish purple */
    JTL_PLOT_GREY,       /* #999999, for reference lines */
    JTL_PLOT_NCOLORS
};
/* "#RRGGBB" of C (also used by the HTML so legends match). */
const char *jtl_plot_color_hex(enum jtl_plot_color c);

enum jtl_plot_style {
    JTL_PLOT_LINES,
    JTL_PLOT_STEPS, /* gnuplot's steps: value held until the next x */
    JTL_PLOT_POINTS,
    JTL_PLOT_LINESPOINTS,
    JTL_PLOT_BOXES,     /* bars centred on x (histograms) */
    JTL_PLOT_FILL,      /* area under a step curve (value held until
                           the next x), for counts per interval */
    JTL_PLOT_ERRORBARS, /* points with y error bars: x:y:ylow:yhigh */
    JTL_PLOT_HBARS,     /* horizontal bar from 0 to ycol, one per row,
                           category names from text column 1 on the
                           y axis (xcol is ignored) */
};

/* One data block of the .dat (gnuplot `index`).  Column numbers are
 * 1-based as in gnuplot: with a text column it is column 1 and numbers
 * start at column 2. */
struct jtl_plot_table {
    size_t nrows, ncols;        /* ncols numeric columns per row */
    const char *const *headers; /* column titles, (has_text + ncols) of
                                   them; untrusted text is fine */
    bool has_text;              /* column 1 is text (a label) */
    const char *const *text;    /* nrows strings when has_text */
    const double *values;       /* nrows * ncols, row-major; NaN is
                                   written as NaN (a gap) */
};

struct jtl_plot_series {
    enum jtl_plot_style style;
    unsigned block; /* table index */
    unsigned xcol;  /* 0 = row number (for text categories) */
    unsigned ycol;
    unsigned lowcol, highcol; /* ERRORBARS only */
    /* Stacking: y = ycol + ysum[0] + ysum[1] (0 = unused), so a stacked
     * area or bar is drawn from the plain per-series columns of the .dat. */
    unsigned ysum[2];
    unsigned titlecol; /* legend from this column's title; 0 = ycol */
    bool xticlabels;   /* x tic labels from text column 1 */
    bool y2;           /* right-hand axis */
    enum jtl_plot_color color;
    double width; /* line width; 0 = 2 */
    bool dashed;
    /* Instead of data: a function of x that WE built from numbers, e.g.
     * "12.5 + 30*x"; only [0-9eE.+-*x/()<>?: ] are accepted. */
    const char *expr;
    /* Legend text: NULL = the .dat column title of ycol (columnheader),
     * "" = none.  A non-NULL title is written into the .gp, so it must be
     * our own text, never a label. */
    const char *title;
};

/* A vertical dashed line with a note, e.g. the end of the ramp-up. */
struct jtl_plot_marker {
    double x;
    const char *text; /* our text */
};

struct jtl_plot_chart {
    const char *name;  /* file stem, e.g. "chart-01-throughput" */
    const char *title; /* our text (all of these) */
    const char *xlabel;
    const char *ylabel;
    const char *y2label; /* NULL = no right axis */
    const struct jtl_plot_table *tables;
    size_t ntables;
    const struct jtl_plot_series *series;
    size_t nseries;
    const struct jtl_plot_marker *markers;
    size_t nmarkers;
    /* Axis ranges; NaN = automatic. */
    double xmin, xmax, ymin, ymax, y2min, y2max;
    bool rotate_xtics; /* long category names: tics at 35 degrees */
    bool xlog;         /* logarithmic x axis (xmin > 0) */
    int height;        /* pixels; 0 = JTL_PLOT_HEIGHT */
    double boxwidth;   /* BOXES width in x units; 0 = 80 % of the gap */
    bool key_inside;   /* legend inside the plot, top right (default:
                          under the plot, where it hides nothing) */
    const char *note;  /* optional: the chart's finding, one line under
                          the title, our text */
};

/* A chart with every range automatic (NaN) and the rest zeroed. */
void jtl_plot_chart_init(struct jtl_plot_chart *c);

/* The chart as JSON for the report page's interactive version of it (the
 * same series, colours, axes, ranges and markers as the .gp draws, the
 * values already stacked): {"xlabel", "ylabel", "y2label", "xlog",
 * "xmin"..."y2max", "markers": [{"x", "text"}], "series": [{"name",
 * "style": lines|steps|points|linespoints|fill|boxes, "color", "y2",
 * "dashed", "width", "x": [], "y": []}]}, NaN as null.  Names from
 * .dat headers are untrusted and JSON-escaped (safe inside <script>).
 * NULL when the chart has something the page does not draw (bars of
 * categories, error bars, a function that is not a constant). */
char *jtl_plot_spec_json(const struct jtl_plot_chart *c, size_t *len);

/* Write DIR/<name>.dat and DIR/<name>.gp.  JTL_ERR_USAGE for an unsafe name,
 * a bad series (column out of range, bad expression, a title with a
 * backtick or quote), JTL_ERR_IO when a file cannot be written. */
enum jtl_err jtl_plot_write(const struct jtl_plot_chart *c, const char *dir,
                            struct jtl_diag *diag);

/* Run GNUPLOT (a name looked up in PATH, or a path) on DIR/<name>.gp with
 * DIR as working directory.  JTL_ERR_EXTERNAL when it cannot be started,
 * fails, times out, or writes nothing; DIAG holds gnuplot's first message
 * line. */
enum jtl_err jtl_plot_render(const char *gnuplot, const char *dir,
                             const char *name, int timeout_ms,
                             struct jtl_diag *diag);

#endif /* JTL_PLOT_H */
