/* SPDX-License-Identifier: MIT
 * report_stats_internal.h - helpers shared by the stats writers
 * (report_stats_{table,md,csv,json}.c): number formatting in the C locale,
 * untrusted-label cleaning, and an aligned text/Markdown grid.
 * Ownership: struct jtl_grid owns copies of its cells until
 * jtl_grid_release(). */
#ifndef JTL_REPORT_STATS_INTERNAL_H
#define JTL_REPORT_STATS_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jtl/read/runinfo.h"
#include "jtl/report/json.h"
#include "jtl/stats/stats.h"

/* Java's Double.toString for V (shortest digits that read back, decimal
 * for 1e-3 <= |v| < 1e7, else "d.dddE-n"), as JMeter's statistics.json
 * prints doubles; "NaN"/"Infinity" for non-finite values.  FLOAT32: the
 * shortest digits of (float)V, as Float.toString (errorPct). */
void jtl_rs_java_num(char *out, size_t cap, double v, bool float32);
/* Write V as a JSON number in Java's form, null when not finite. */
void jtl_rs_json_num(struct jtl_json *j, double v, bool float32);
/* The shortest plain decimal that reads back equal (never exponent form:
 * spreadsheets and integer parsers read it), empty for NaN: CSV. */
void jtl_rs_short_num(char *out, size_t cap, double v);
/* Fixed decimals, "-" for NaN. */
void jtl_rs_fixed(char *out, size_t cap, double v, int decimals);
/* A percentile as a column name: 90 -> "90", 99.9 -> "99.9". */
void jtl_rs_pct_name(char *out, size_t cap, double p);
/* "2026-11-22 10:30:42.123" in UTC, or "-" for no time. */
void jtl_rs_time(char *out, size_t cap, int64_t ms);

enum jtl_grid_style {
    JTL_GRID_TEXT, /* aligned columns separated by two spaces */
    JTL_GRID_MD,   /* GitHub Markdown pipe table */
};

struct jtl_grid {
    size_t ncols;
    char **cells; /* row-major, sanitized copies */
    size_t ncells, capcells;
    bool right[64]; /* per column: right-aligned (numbers) */
    enum jtl_grid_style style;
    /* Fitting a terminal, text style only (jtl_grid_view): lines of at
     * most WIDTH characters (0: no limit).  A column with DROP > 0 may be
     * left out, the highest first (a note under the table names them);
     * column CUT (-1: none) is first held to a third of the line (at
     * least 24), and cut further, down to 12, when leaving out is not
     * enough; a cut cell ends with an ellipsis. */
    size_t width;
    unsigned char drop[64];
    int cut;
    bool group; /* jtl_grid_count() groups digits */
};

void jtl_grid_init(struct jtl_grid *g, size_t ncols, enum jtl_grid_style st);
/* The terminal width and digit grouping of INFO (NULL: none); CUT is the
 * column that may be cut (a label), or -1. */
void jtl_grid_view(struct jtl_grid *g, const struct jtl_run_info *info,
                   int cut);
/* A count: "10000000", or "10,000,000" when the view groups digits. */
void jtl_grid_count(struct jtl_grid *g, uint64_t v);
void jtl_grid_release(struct jtl_grid *g);
/* Append one cell (bytes S[0..LEN), untrusted: control characters become
 * spaces; in Markdown '|' is escaped and '<' '>' '&' become entities). */
void jtl_grid_cell(struct jtl_grid *g, const char *s, size_t len);
void jtl_grid_cells(struct jtl_grid *g, const char *s); /* NUL-terminated */
/* A row's label, with "(N labels)" when it is an endpoint template. */
void jtl_grid_label(struct jtl_grid *g, const struct jtl_stats_row *row);
void jtl_grid_cellf(struct jtl_grid *g, const char *fmt, ...) JTL_PRINTF(2, 3);
/* Print the grid; the first row is the header. */
void jtl_grid_print(const struct jtl_grid *g, FILE *fp);

/* A one-line description of the inputs ("1 file: x.csv (2439 samples)"). */
void jtl_rs_inputs(FILE *fp, const struct jtl_run_info *info);

#endif /* JTL_REPORT_STATS_INTERNAL_H */
