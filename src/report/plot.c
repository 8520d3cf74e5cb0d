/* SPDX-License-Identifier: MIT
 * plot.c - write gnuplot .dat/.gp pairs and render them (see plot.h for the
 * safety rules: JTL strings only ever go into the .dat). */
#include "jtl/report/plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/report/escape.h"
#include "jtl/report/json.h"
#include "jtl/report/spawn.h"

#ifndef JTL_VERSION
#define JTL_VERSION "0.0.0"
#endif

/* clang-format off */
static const char *const palette[JTL_PLOT_NCOLORS] = {
    "#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442",
    "#0072B2", "#D55E00", "#CC79A7", "#999999",
};
/* clang-format on */

const char *jtl_plot_color_hex(enum jtl_plot_color c)
{
    return (unsigned)c < JTL_PLOT_NCOLORS ? palette[c] : palette[0];
}

void jtl_plot_chart_init(struct jtl_plot_chart *c)
{
    memset(c, 0, sizeof(*c));
    c->xmin = c->xmax = c->ymin = c->ymax = NAN;
    c->y2min = c->y2max = NAN;
}

/* ---- checks -------------------------------------------------------------- */

/* Our own text goes into the .gp in single quotes, where gnuplot does no
 * backtick substitution; still refuse anything that could end the string or
 * the line, so a future caller passing a label by mistake fails loudly in
 * tests instead of writing a script. */
static bool text_ok(const char *s)
{
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == '\'' || c == '"' || c == '`' || c == '\\' ||
            c == 0x7F)
            return false;
    }
    return true;
}

static bool expr_ok(const char *s)
{
    if (!s || !*s || strlen(s) > 200)
        return false;
    for (; *s; s++)
        if (!strchr("0123456789eE.+-*/()x<>?: ", *s))
            return false;
    return true;
}

static enum jtl_err check_chart(const struct jtl_plot_chart *c,
                                struct jtl_diag *diag)
{
    size_t i;

    if (!c->name || !jtl_name_is_safe(c->name))
        return jtl_diag_set(diag, JTL_ERR_USAGE, NULL, "unsafe chart name '%s'",
                            c->name ? c->name : "(null)");
    if (!text_ok(c->title) || !text_ok(c->xlabel) || !text_ok(c->ylabel) ||
        !text_ok(c->y2label) || !text_ok(c->note))
        return jtl_diag_set(diag, JTL_ERR_USAGE, c->name,
                            "chart text has a quote, backtick or control "
                            "character");
    for (i = 0; i < c->nmarkers; i++)
        if (!text_ok(c->markers[i].text) || !isfinite(c->markers[i].x))
            return jtl_diag_set(diag, JTL_ERR_USAGE, c->name, "bad marker %zu",
                                i);
    for (i = 0; i < c->nseries; i++) {
        const struct jtl_plot_series *s = &c->series[i];
        const struct jtl_plot_table *t;
        size_t maxcol;

        if (!text_ok(s->title))
            return jtl_diag_set(diag, JTL_ERR_USAGE, c->name,
                                "series %zu: bad title", i);
        if (s->expr) {
            if (!expr_ok(s->expr))
                return jtl_diag_set(diag, JTL_ERR_USAGE, c->name,
                                    "series %zu: bad expression", i);
            continue;
        }
        if (s->block >= c->ntables)
            return jtl_diag_set(diag, JTL_ERR_USAGE, c->name,
                                "series %zu: no data block %u", i, s->block);
        t = &c->tables[s->block];
        maxcol = t->ncols + (t->has_text ? 1 : 0);
        if (s->style == JTL_PLOT_HBARS && !t->has_text)
            return jtl_diag_set(diag, JTL_ERR_USAGE, c->name,
                                "series %zu: bars need a text column", i);
        if (s->ysum[0] > maxcol || s->ysum[1] > maxcol || s->titlecol > maxcol)
            return jtl_diag_set(diag, JTL_ERR_USAGE, c->name,
                                "series %zu: column out of range", i);
        if (s->xcol > maxcol || s->ycol == 0 || s->ycol > maxcol ||
            s->lowcol > maxcol || s->highcol > maxcol ||
            (s->style == JTL_PLOT_ERRORBARS &&
             (s->lowcol == 0 || s->highcol == 0)) ||
            (s->xticlabels && !t->has_text))
            return jtl_diag_set(diag, JTL_ERR_USAGE, c->name,
                                "series %zu: column out of range", i);
    }
    return JTL_OK;
}

/* ---- .dat ---------------------------------------------------------------- */

static void put_num(struct jtl_buf *b, double v)
{
    if (isnan(v) || isinf(v)) {
        jtl_buf_adds(b, "NaN");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        jtl_buf_printf(b, "%.0f", v);
        return;
    }
    jtl_buf_printf(b, "%.10g", v);
}

static void put_text(struct jtl_buf *b, const char *s)
{
    jtl_buf_addc(b, '"');
    if (s)
        jtl_gpdata_escape(b, s, strlen(s), JTL_PLOT_LABEL_MAX);
    jtl_buf_addc(b, '"');
}

static void write_dat(const struct jtl_plot_chart *c, struct jtl_buf *b)
{
    size_t k, r, col;

    for (k = 0; k < c->ntables; k++) {
        const struct jtl_plot_table *t = &c->tables[k];
        size_t nhead = t->ncols + (t->has_text ? 1 : 0);

        /* Blocks are separated by two blank lines (gnuplot `index`). */
        if (k > 0)
            jtl_buf_adds(b, "\n\n");
        for (col = 0; col < nhead; col++) {
            if (col)
                jtl_buf_addc(b, '\t');
            put_text(b, t->headers ? t->headers[col] : "");
        }
        jtl_buf_addc(b, '\n');
        for (r = 0; r < t->nrows; r++) {
            if (t->has_text) {
                put_text(b, t->text[r]);
                if (t->ncols)
                    jtl_buf_addc(b, '\t');
            }
            for (col = 0; col < t->ncols; col++) {
                if (col)
                    jtl_buf_addc(b, '\t');
                put_num(b, t->values[r * t->ncols + col]);
            }
            jtl_buf_addc(b, '\n');
        }
    }
}

/* ---- .gp ----------------------------------------------------------------- */

static void put_range(struct jtl_buf *b, const char *axis, double lo, double hi)
{
    if (isnan(lo) && isnan(hi))
        return;
    jtl_buf_printf(b, "set %srange [", axis);
    if (!isnan(lo))
        put_num(b, lo);
    jtl_buf_addc(b, ':');
    if (!isnan(hi))
        put_num(b, hi);
    jtl_buf_adds(b, "]\n");
}

/* "3" or "($3+$4+$5)" */
static void put_y(struct jtl_buf *b, const struct jtl_plot_series *s)
{
    if (!s->ysum[0] && !s->ysum[1]) {
        jtl_buf_printf(b, "%u", s->ycol);
        return;
    }
    jtl_buf_printf(b, "($%u", s->ycol);
    if (s->ysum[0])
        jtl_buf_printf(b, "+$%u", s->ysum[0]);
    if (s->ysum[1])
        jtl_buf_printf(b, "+$%u", s->ysum[1]);
    jtl_buf_addc(b, ')');
}

static void put_series(struct jtl_buf *b, const struct jtl_plot_chart *c,
                       const struct jtl_plot_series *s, const char *datname,
                       bool first_data)
{
    const char *hex = jtl_plot_color_hex(s->color);
    double lw = s->width > 0 ? s->width : 2;

    if (s->expr) {
        jtl_buf_printf(b, "%s", s->expr);
    } else {
        /* '' repeats the previous file name in a plot command. */
        jtl_buf_printf(b, "'%s' index %u using ", first_data ? datname : "",
                       s->block);
        if (s->style == JTL_PLOT_HBARS) {
            /* boxxyerror: x y xlow xhigh ylow yhigh, y = row number */
            jtl_buf_adds(b, "(0):0:(0):");
            put_y(b, s);
            jtl_buf_adds(b, ":($0-0.38):($0+0.38):yticlabels(1)");
        } else if (s->xcol)
            jtl_buf_printf(b, "%u", s->xcol);
        else
            jtl_buf_adds(b, "0");
        if (s->style != JTL_PLOT_HBARS) {
            jtl_buf_addc(b, ':');
            put_y(b, s);
        }
        if (s->style == JTL_PLOT_ERRORBARS)
            jtl_buf_printf(b, ":%u:%u", s->lowcol, s->highcol);
        if (s->xticlabels)
            jtl_buf_adds(b, ":xticlabels(1)");
    }
    if (s->y2)
        jtl_buf_adds(b, " axes x1y2");
    if (s->title && !*s->title)
        jtl_buf_adds(b, " notitle");
    else if (s->title)
        jtl_buf_printf(b, " title '%s'", s->title);
    else
        jtl_buf_printf(b, " title columnheader(%u)",
                       s->titlecol ? s->titlecol : s->ycol);
    switch (s->style) {
    case JTL_PLOT_LINES:
        jtl_buf_adds(b, " with lines");
        break;
    case JTL_PLOT_STEPS:
        /* steps, not fsteps: fsteps draws each value over the interval
         * before its x (one interval early) */
        jtl_buf_adds(b, " with steps");
        break;
    case JTL_PLOT_POINTS:
        jtl_buf_adds(b, " with points pt 7 ps 1.1");
        break;
    case JTL_PLOT_LINESPOINTS:
        jtl_buf_adds(b, " with linespoints pt 7 ps 0.8");
        break;
    case JTL_PLOT_BOXES:
        jtl_buf_adds(b, " with boxes fs solid 0.75 noborder");
        break;
    case JTL_PLOT_FILL:
        /* opaque: stacked areas keep the palette's exact colours */
        jtl_buf_adds(b, " with fillsteps fs solid 1.0 noborder");
        break;
    case JTL_PLOT_ERRORBARS:
        jtl_buf_adds(b, " with yerrorbars pt 7 ps 0.8");
        break;
    case JTL_PLOT_HBARS:
        jtl_buf_adds(b, " with boxxyerror fs solid 1.0 noborder");
        break;
    }
    jtl_buf_printf(b, " lc rgb '%s'", hex);
    if (s->style != JTL_PLOT_BOXES && s->style != JTL_PLOT_FILL &&
        s->style != JTL_PLOT_HBARS) {
        jtl_buf_adds(b, " lw ");
        put_num(b, lw);
        if (s->dashed)
            jtl_buf_adds(b, " dt 2");
    }
    (void)c;
}

static void write_gp(const struct jtl_plot_chart *c, struct jtl_buf *b)
{
    size_t i;
    bool first_data = true;
    size_t ntitles = 0;
    char dat[160];
    const char *font = "font 'Sans,11'";
    int height =
        c->height > 0 && c->height <= 4000 ? c->height : JTL_PLOT_HEIGHT;

    snprintf(dat, sizeof(dat), "%s.dat", c->name);
    jtl_buf_printf(b,
                   "# %s.gp - written by jtlscope " JTL_VERSION "\n"
                   "# Re-render %s.png and %s.svg from this folder with:\n"
                   "#     gnuplot %s.gp\n"
                   "# The data (and every label from the JTL) is in %s.dat,\n"
                   "# tab-separated, one block per index, titles in the "
                   "first line.\n",
                   c->name, c->name, c->name, c->name, c->name);
    jtl_buf_adds(b, "reset\nset encoding utf8\n"
                    "set datafile separator \"\\t\"\n"
                    "set datafile columnheaders\n");
    jtl_buf_printf(b,
                   "set terminal pngcairo size %d,%d noenhanced %s "
                   "background '#ffffff'\n",
                   JTL_PLOT_WIDTH, height, font);
    jtl_buf_printf(b, "set output '%s.png'\n", c->name);
    if (c->title && c->note)
        /* the finding as the title's second line, where it is read (both
         * are our text, without quotes or backslashes: text_ok) */
        jtl_buf_printf(b, "set title \"%s\\n%s\" font 'Sans,13'\n", c->title,
                       c->note);
    else if (c->title)
        jtl_buf_printf(b, "set title '%s' font 'Sans,13'\n", c->title);
    if (c->xlabel)
        jtl_buf_printf(b, "set xlabel '%s'\n", c->xlabel);
    if (c->ylabel)
        jtl_buf_printf(b, "set ylabel '%s'\n", c->ylabel);
    if (c->y2label) {
        jtl_buf_printf(b, "set y2label '%s'\n", c->y2label);
        jtl_buf_adds(b, "set y2tics nomirror\nset ytics nomirror\n");
    }
    jtl_buf_adds(b, "set grid xtics ytics lc rgb '#dddddd' lw 1 dt 1\n"
                    "set border 3 lc rgb '#444444'\n"
                    "set tics nomirror out scale 0.6\n"
                    "set style fill solid 0.75 noborder\n");
    if (c->boxwidth > 0 && isfinite(c->boxwidth)) {
        jtl_buf_adds(b, "set boxwidth ");
        put_num(b, c->boxwidth);
        jtl_buf_adds(b, " absolute\n");
    } else {
        jtl_buf_adds(b, "set boxwidth 0.8 relative\n");
    }
    if (c->y2label)
        jtl_buf_adds(b, "set border 11 lc rgb '#444444'\n");
    for (i = 0; i < c->nseries; i++)
        if (!c->series[i].title || *c->series[i].title)
            ntitles++;
    if (ntitles == 0) {
        jtl_buf_adds(b, "unset key\n");
    } else if (c->key_inside) {
        jtl_buf_adds(b, "set key right top Left reverse samplen 2 opaque box "
                        "lc rgb '#cccccc'\n");
    } else {
        /* Under the plot, centred on the image (not on the plot area, which
         * long category names push to the right), three entries a row, and
         * a bottom margin that makes room for the rows. */
        size_t rows = (ntitles + 2) / 3;
        jtl_buf_printf(b,
                       "set key at screen 0.5, screen 0.012 center bottom "
                       "horizontal Left reverse samplen 2 width 2 "
                       "maxcols 3\n"
                       "set bmargin %zu\n",
                       4 + (rows * 3 + 1) / 2);
    }
    if (c->rotate_xtics)
        jtl_buf_adds(b, "set xtics rotate by 35 right\n");
    if (c->xlog)
        jtl_buf_adds(b, "set logscale x 10\nset format x '%g'\n");
    put_range(b, "x", c->xmin, c->xmax);
    put_range(b, "y", c->ymin, c->ymax);
    put_range(b, "y2", c->y2min, c->y2max);
    for (i = 0; i < c->nmarkers; i++) {
        const struct jtl_plot_marker *m = &c->markers[i];
        jtl_buf_adds(b, "set arrow from ");
        put_num(b, m->x);
        jtl_buf_adds(b, ", graph 0 to ");
        put_num(b, m->x);
        jtl_buf_adds(b, ", graph 1 nohead dt 2 lw 1.5 lc rgb '#555555' "
                        "front\n");
        if (m->text) {
            /* right of its line, or left of it in the last quarter of
             * the axis, where the words would run off the image */
            double lo = c->xmin, hi = c->xmax, at = m->x;
            bool left = false;
            if (c->xlog && lo > 0 && hi > lo && at > 0) {
                lo = log(lo);
                hi = log(hi);
                at = log(at);
            }
            if (isfinite(lo) && isfinite(hi) && hi > lo)
                left = (at - lo) / (hi - lo) > 0.75;
            jtl_buf_printf(b, "set label '%s' at ", m->text);
            put_num(b, m->x);
            /* stagger the notes so close markers stay readable */
            jtl_buf_printf(b,
                           ", graph %.2f offset %s,0 %s front "
                           "tc rgb '#333333'\n",
                           0.95 - 0.08 * (double)(i % 4), left ? "-0.6" : "0.6",
                           left ? "right" : "left");
        }
    }
    jtl_buf_adds(b, "plot ");
    for (i = 0; i < c->nseries; i++) {
        if (i)
            jtl_buf_adds(b, ", \\\n     ");
        put_series(b, c, &c->series[i], dat, first_data && !c->series[i].expr);
        if (!c->series[i].expr)
            first_data = false;
    }
    jtl_buf_addc(b, '\n');
    jtl_buf_printf(b,
                   "set terminal svg size %d,%d noenhanced %s "
                   "background '#ffffff'\n",
                   JTL_PLOT_WIDTH, height, font);
    jtl_buf_printf(b, "set output '%s.svg'\nreplot\nunset output\n", c->name);
}

/* ---- the page's interactive charts ------------------------------------- */

/* Value of gnuplot column COL (1-based; 0 = the row number) of row R. */
static double col_value(const struct jtl_plot_table *t, size_t r, unsigned col)
{
    size_t k;

    if (col == 0)
        return (double)r;
    if (t->has_text && col == 1)
        return NAN;
    k = col - 1 - (t->has_text ? 1 : 0);
    return k < t->ncols ? t->values[r * t->ncols + k] : NAN;
}

static const char *style_name(enum jtl_plot_style st)
{
    switch (st) {
    case JTL_PLOT_LINES:
        return "lines";
    case JTL_PLOT_STEPS:
        return "steps";
    case JTL_PLOT_POINTS:
        return "points";
    case JTL_PLOT_LINESPOINTS:
        return "linespoints";
    case JTL_PLOT_FILL:
        return "fill";
    case JTL_PLOT_BOXES:
        return "boxes";
    case JTL_PLOT_ERRORBARS:
    case JTL_PLOT_HBARS:
        break;
    }
    return NULL;
}

static void json_range(struct jtl_json *j, const char *key, double v)
{
    if (isfinite(v)) {
        jtl_json_key(j, key);
        jtl_json_num(j, v);
    }
}

char *jtl_plot_spec_json(const struct jtl_plot_chart *c, size_t *len)
{
    struct jtl_buf b;
    struct jtl_json j;
    size_t i, r;

    for (i = 0; i < c->nseries; i++) {
        const struct jtl_plot_series *s = &c->series[i];
        char *end = NULL;
        if (!style_name(s->style) || s->xticlabels ||
            (!s->expr && (s->block >= c->ntables || s->xcol == 0)))
            return NULL;
        /* a function is drawn only when it is a constant (a limit) */
        if (s->expr && (strtod(s->expr, &end), !end || *end))
            return NULL;
    }
    jtl_buf_init(&b, 0);
    jtl_json_init_buf(&j, &b, 0);
    jtl_json_obj_begin(&j);
    jtl_json_key(&j, "xlabel");
    jtl_json_str(&j, c->xlabel);
    jtl_json_key(&j, "ylabel");
    jtl_json_str(&j, c->ylabel);
    jtl_json_key(&j, "y2label");
    jtl_json_str(&j, c->y2label);
    jtl_json_key(&j, "xlog");
    jtl_json_bool(&j, c->xlog);
    json_range(&j, "xmin", c->xmin);
    json_range(&j, "xmax", c->xmax);
    json_range(&j, "ymin", c->ymin);
    json_range(&j, "ymax", c->ymax);
    json_range(&j, "y2min", c->y2min);
    json_range(&j, "y2max", c->y2max);
    jtl_json_key(&j, "markers");
    jtl_json_arr_begin(&j);
    for (i = 0; i < c->nmarkers; i++) {
        jtl_json_obj_begin(&j);
        jtl_json_key(&j, "x");
        jtl_json_num(&j, c->markers[i].x);
        jtl_json_key(&j, "text");
        jtl_json_str(&j, c->markers[i].text);
        jtl_json_obj_end(&j);
    }
    jtl_json_arr_end(&j);
    jtl_json_key(&j, "series");
    jtl_json_arr_begin(&j);
    for (i = 0; i < c->nseries; i++) {
        const struct jtl_plot_series *s = &c->series[i];
        const struct jtl_plot_table *t = s->expr ? NULL : &c->tables[s->block];
        unsigned tc = s->titlecol ? s->titlecol : s->ycol;

        jtl_json_obj_begin(&j);
        jtl_json_key(&j, "name");
        if (s->title)
            jtl_json_str(&j, s->title); /* "" = not in the legend */
        else if (t && tc >= 1 && tc <= t->ncols + (t->has_text ? 1 : 0))
            jtl_json_str(&j, t->headers[tc - 1]);
        else
            jtl_json_str(&j, "");
        jtl_json_key(&j, "style");
        jtl_json_str(&j, style_name(s->style));
        jtl_json_key(&j, "color");
        jtl_json_str(&j, jtl_plot_color_hex(s->color));
        jtl_json_key(&j, "y2");
        jtl_json_bool(&j, s->y2);
        jtl_json_key(&j, "dashed");
        jtl_json_bool(&j, s->dashed);
        jtl_json_key(&j, "width");
        jtl_json_num(&j, s->width > 0 ? s->width : 2);
        if (s->expr) {
            /* a constant across the x range */
            jtl_json_key(&j, "constant");
            jtl_json_num(&j, strtod(s->expr, NULL));
        } else {
            jtl_json_key(&j, "x");
            jtl_json_arr_begin(&j);
            for (r = 0; r < t->nrows; r++)
                jtl_json_num(&j, col_value(t, r, s->xcol));
            jtl_json_arr_end(&j);
            jtl_json_key(&j, "y");
            jtl_json_arr_begin(&j);
            for (r = 0; r < t->nrows; r++) {
                double y = col_value(t, r, s->ycol);
                if (s->ysum[0])
                    y += col_value(t, r, s->ysum[0]);
                if (s->ysum[1])
                    y += col_value(t, r, s->ysum[1]);
                jtl_json_num(&j, y);
            }
            jtl_json_arr_end(&j);
        }
        jtl_json_obj_end(&j);
    }
    jtl_json_arr_end(&j);
    jtl_json_obj_end(&j);
    return jtl_buf_detach(&b, len);
}

static enum jtl_err write_file(const char *dir, const char *name,
                               const char *ext, const struct jtl_buf *b,
                               struct jtl_diag *diag)
{
    char path[4096];
    FILE *fp;
    int failed;

    snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
    fp = fopen(path, "w");
    if (!fp)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot create '%s': %s",
                            path, strerror(errno));
    failed = fwrite(b->p, 1, b->len, fp) != b->len;
    failed |= fclose(fp) != 0;
    if (failed)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot write '%s': %s",
                            path, strerror(errno));
    return JTL_OK;
}

enum jtl_err jtl_plot_write(const struct jtl_plot_chart *c, const char *dir,
                            struct jtl_diag *diag)
{
    struct jtl_buf b;
    enum jtl_err err;

    err = check_chart(c, diag);
    if (err)
        return err;
    jtl_buf_init(&b, 0);
    write_dat(c, &b);
    err = write_file(dir, c->name, "dat", &b, diag);
    if (!err) {
        jtl_buf_clear(&b);
        write_gp(c, &b);
        err = write_file(dir, c->name, "gp", &b, diag);
    }
    jtl_buf_release(&b);
    return err;
}

/* ---- render -------------------------------------------------------------- */

static bool nonempty_file(const char *dir, const char *name, const char *ext)
{
    char path[4096];
    struct stat st;

    snprintf(path, sizeof(path), "%s/%s.%s", dir, name, ext);
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0;
}

/* The first line of gnuplot's output, for the message. */
static void first_line(const char *s, char *out, size_t cap)
{
    size_t n = 0;

    while (*s == '\n' || *s == ' ')
        s++;
    while (s[n] && s[n] != '\n' && n + 1 < cap)
        n++;
    memcpy(out, s, n);
    out[n] = '\0';
}

enum jtl_err jtl_plot_render(const char *gnuplot, const char *dir,
                             const char *name, int timeout_ms,
                             struct jtl_diag *diag)
{
    struct jtl_spawn_opts opts = {dir, timeout_ms, 4096};
    struct jtl_spawn_result res;
    char script[160], line[200];
    const char *argv[3];
    enum jtl_err err;

    if (!jtl_name_is_safe(name))
        return jtl_diag_set(diag, JTL_ERR_USAGE, NULL, "unsafe chart name '%s'",
                            name);
    snprintf(script, sizeof(script), "%s.gp", name);
    argv[0] = gnuplot ? gnuplot : "gnuplot";
    argv[1] = script;
    argv[2] = NULL;
    err = jtl_spawn_run(argv, &opts, &res, diag);
    if (err)
        goto out;
    first_line(res.output, line, sizeof(line));
    if (res.timed_out)
        err = jtl_diag_set(diag, JTL_ERR_EXTERNAL, script,
                           "gnuplot timed out after %d ms", timeout_ms);
    else if (res.exit_code != 0)
        err = jtl_diag_set(diag, JTL_ERR_EXTERNAL, script,
                           "gnuplot failed (%s %d)%s%s",
                           res.term_signal ? "signal" : "exit status",
                           res.term_signal ? res.term_signal : res.exit_code,
                           *line ? ": " : "", line);
    else if (!nonempty_file(dir, name, "png") ||
             !nonempty_file(dir, name, "svg"))
        err =
            jtl_diag_set(diag, JTL_ERR_EXTERNAL, script,
                         "gnuplot wrote no image%s%s", *line ? ": " : "", line);
out:
    jtl_spawn_result_release(&res);
    return err;
}
