/* SPDX-License-Identifier: MIT
 * stats_fmt.c - number formatting and the aligned grid shared by the
 * stats writers.  Everything is C-locale: we never call setlocale(), so
 * printf uses '.' whatever the user's environment says. */
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "stats_fmt.h"

/* Shortest decimal digits of V that read back to V (as a double, or as a
 * float).  Returns the digit string (no dot, trailing zeros trimmed, at
 * least one digit) in DIGITS and the decimal exponent of the first digit. */
static void shortest_digits(double v, bool float32, char *digits, size_t cap,
                            int *exp10)
{
    char s[48], *e, *d;
    int prec, maxprec = float32 ? 9 : 17;
    size_t n = 0;

    for (prec = 0; prec < maxprec; prec++) {
        snprintf(s, sizeof(s), "%.*e", prec, v);
        if (float32 ? strtof(s, NULL) == (float)v : strtod(s, NULL) == v)
            break;
    }
    e = strchr(s, 'e');
    *exp10 = e ? (int)strtol(e + 1, NULL, 10) : 0;
    for (d = s; d < e && n + 1 < cap; d++)
        if (*d >= '0' && *d <= '9')
            digits[n++] = *d;
    while (n > 1 && digits[n - 1] == '0')
        n--;
    digits[n] = '\0';
}

void jtl_rs_java_num(char *out, size_t cap, double v, bool float32)
{
    char dg[32];
    int e;
    struct jtl_buf b;
    double a = fabs(v);
    size_t nd, i;

    if (isnan(v)) {
        snprintf(out, cap, "NaN");
        return;
    }
    if (isinf(v)) {
        snprintf(out, cap, "%sInfinity", v < 0 ? "-" : "");
        return;
    }
    if (v == 0) {
        snprintf(out, cap, "%s0.0", signbit(v) ? "-" : "");
        return;
    }
    shortest_digits(a, float32, dg, sizeof(dg), &e);
    nd = strlen(dg);
    jtl_buf_init(&b, 64);
    if (v < 0)
        jtl_buf_addc(&b, '-');
    if (a >= 1e-3 && a < 1e7) {
        if (e >= 0) {
            for (i = 0; i <= (size_t)e; i++)
                jtl_buf_addc(&b, i < nd ? dg[i] : '0');
            jtl_buf_addc(&b, '.');
            if (nd > (size_t)e + 1)
                jtl_buf_adds(&b, dg + e + 1);
            else
                jtl_buf_addc(&b, '0');
        } else {
            jtl_buf_adds(&b, "0.");
            for (i = 0; i < (size_t)(-e - 1); i++)
                jtl_buf_addc(&b, '0');
            jtl_buf_adds(&b, dg);
        }
    } else {
        jtl_buf_addc(&b, dg[0]);
        jtl_buf_addc(&b, '.');
        jtl_buf_adds(&b, nd > 1 ? dg + 1 : "0");
        jtl_buf_printf(&b, "E%d", e);
    }
    snprintf(out, cap, "%s", b.p ? b.p : "");
    jtl_buf_release(&b);
}

void jtl_rs_json_num(struct jtl_json *j, double v, bool float32)
{
    char s[64];

    if (!isfinite(v)) {
        jtl_json_null(j);
        return;
    }
    jtl_rs_java_num(s, sizeof(s), v, float32);
    jtl_json_raw(j, s);
}

void jtl_rs_short_num(char *out, size_t cap, double v)
{
    int prec;

    if (!isfinite(v)) {
        if (cap)
            out[0] = '\0';
        return;
    }
    /* the shortest plain decimal that reads back equal: spreadsheets and
     * integer parsers read 190, not 1.9e+02 */
    for (prec = 0; prec <= 20; prec++) {
        snprintf(out, cap, "%.*f", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
    /* a value that needs more than 20 decimals: the shortest exact form */
    for (prec = 1; prec <= 17; prec++) {
        snprintf(out, cap, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            break;
    }
}

void jtl_rs_fixed(char *out, size_t cap, double v, int decimals)
{
    if (!isfinite(v))
        snprintf(out, cap, "-");
    else
        snprintf(out, cap, "%.*f", decimals, v);
}

void jtl_rs_pct_name(char *out, size_t cap, double p)
{
    int dec;

    /* fixed notation with as few decimals as read back: 90, 99.9 */
    for (dec = 0; dec < 10; dec++) {
        snprintf(out, cap, "%.*f", dec, p);
        if (strtod(out, NULL) == p)
            return;
    }
}

void jtl_rs_time(char *out, size_t cap, int64_t ms)
{
    time_t sec = (time_t)(ms >= 0 ? ms / 1000 : (ms - 999) / 1000);
    int rem = (int)(ms - (int64_t)sec * 1000);
    struct tm tm;

    if (!gmtime_r(&sec, &tm)) {
        snprintf(out, cap, "-");
        return;
    }
    snprintf(out, cap, "%04d-%02d-%02d %02d:%02d:%02d.%03d", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, rem);
}

/* ------------------------------------------------------------------ */

void jtl_grid_init(struct jtl_grid *g, size_t ncols, enum jtl_grid_style st)
{
    memset(g, 0, sizeof(*g));
    g->ncols = ncols > 64 ? 64 : ncols;
    g->style = st;
    g->cut = -1;
}

void jtl_grid_view(struct jtl_grid *g, const struct jtl_run_info *info, int cut)
{
    g->width = info && g->style == JTL_GRID_TEXT ? info->width : 0;
    g->group = info && info->group_digits;
    g->cut = cut;
}

void jtl_grid_count(struct jtl_grid *g, uint64_t v)
{
    char digits[32], out[48];
    size_t n, i, o = 0;

    n = (size_t)snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
    if (!g->group) {
        jtl_grid_cells(g, digits);
        return;
    }
    for (i = 0; i < n; i++) {
        if (i && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    jtl_grid_cells(g, out);
}

void jtl_grid_release(struct jtl_grid *g)
{
    size_t i;

    for (i = 0; i < g->ncells; i++)
        free(g->cells[i]);
    free(g->cells);
    memset(g, 0, sizeof(*g));
}

void jtl_grid_cell(struct jtl_grid *g, const char *s, size_t len)
{
    struct jtl_buf b;
    size_t i;

    jtl_buf_init(&b, (size_t)1 << 20);
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            jtl_buf_addc(&b, ' ');
        } else if (g->style == JTL_GRID_MD && c == '|') {
            jtl_buf_adds(&b, "\\|");
        } else if (g->style == JTL_GRID_MD && c == '<') {
            jtl_buf_adds(&b, "&lt;");
        } else if (g->style == JTL_GRID_MD && c == '>') {
            jtl_buf_adds(&b, "&gt;");
        } else if (g->style == JTL_GRID_MD && c == '&') {
            jtl_buf_adds(&b, "&amp;");
        } else if (g->style == JTL_GRID_MD &&
                   (c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' ||
                    c == ']')) {
            jtl_buf_addc(&b, '\\');
            jtl_buf_addc(&b, (char)c);
        } else {
            jtl_buf_addc(&b, (char)c);
        }
    }
    jtl_xgrow((void **)&g->cells, &g->capcells, g->ncells + 1,
              sizeof(*g->cells));
    g->cells[g->ncells++] = b.p ? jtl_buf_detach(&b, NULL) : jtl_xstrdup("");
    jtl_buf_release(&b);
}

void jtl_grid_label(struct jtl_grid *g, const struct jtl_stats_row *row)
{
    char *cell;
    size_t n;

    jtl_grid_cell(g, row->label, row->label_len);
    if (row->labels <= 1)
        return;
    /* an endpoint template: how many labels it holds (our own words, added
     * after the label was cleaned) */
    cell = g->cells[g->ncells - 1];
    n = strlen(cell);
    cell = jtl_xrealloc(cell, n + 32);
    snprintf(cell + n, 32, " (%llu labels)", (unsigned long long)row->labels);
    g->cells[g->ncells - 1] = cell;
}

void jtl_grid_cells(struct jtl_grid *g, const char *s)
{
    jtl_grid_cell(g, s, strlen(s));
}

void jtl_grid_cellf(struct jtl_grid *g, const char *fmt, ...)
{
    char s[256];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(s, sizeof(s), fmt, ap);
    va_end(ap);
    jtl_grid_cells(g, s);
}

/* Display width: code points of UTF-8 (continuation bytes do not count). */
static size_t width(const char *s)
{
    size_t w = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

static void pad(struct jtl_buf *b, size_t n)
{
    while (n--)
        jtl_buf_addc(b, ' ');
}

/* Append S cut to at most W display columns, with an ellipsis when cut. */
static void add_cut(struct jtl_buf *b, const char *s, size_t w)
{
    size_t n = 0;
    const char *p;

    if (width(s) <= w) {
        jtl_buf_adds(b, s);
        return;
    }
    for (p = s; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80 && ++n > w - 1)
            break;
        jtl_buf_addc(b, *p);
    }
    jtl_buf_adds(b, "\xE2\x80\xA6"); /* U+2026 */
}

/* Which columns to show in G->width characters (every one when it is 0):
 * the cut column first held to 40, then columns left out by DROP, then the
 * cut column cut further.  Fills SHOW and the widths W; returns how many
 * columns were left out. */
static size_t fit(const struct jtl_grid *g, size_t *w, bool *show)
{
    size_t c, total = 0, out = 0;

    for (c = 0; c < g->ncols; c++) {
        show[c] = true;
        total += w[c] + (c ? 2 : 0);
    }
    if (!g->width || total <= g->width)
        return 0;
    /* a label is cut as far as needed, down to a third of the line (at
     * least 24), before any column goes */
    if (g->cut >= 0) {
        size_t keep = g->width / 3 > 24 ? g->width / 3 : 24;
        size_t over = total - g->width;
        if (w[g->cut] > keep) {
            size_t by = w[g->cut] - keep < over ? w[g->cut] - keep : over;
            w[g->cut] -= by;
            total -= by;
        }
    }
    while (total > g->width) {
        size_t best = g->ncols;
        for (c = 0; c < g->ncols; c++)
            if (show[c] && g->drop[c] &&
                (best == g->ncols || g->drop[c] >= g->drop[best]))
                best = c;
        if (best == g->ncols)
            break;
        show[best] = false;
        total -= w[best] + 2;
        out++;
    }
    if (total > g->width && g->cut >= 0 && w[g->cut] > 12) {
        size_t over = total - g->width, room = w[g->cut] - 12;
        w[g->cut] -= over < room ? over : room;
    }
    return out;
}

void jtl_grid_print(const struct jtl_grid *g, FILE *fp)
{
    size_t w[64] = {0}, r, c, nrows, hidden;
    bool show[64];
    struct jtl_buf line;

    if (!g->ncols)
        return;
    nrows = g->ncells / g->ncols;
    for (r = 0; r < nrows; r++)
        for (c = 0; c < g->ncols; c++) {
            size_t x = width(g->cells[r * g->ncols + c]);
            if (x > w[c])
                w[c] = x;
        }
    hidden = fit(g, w, show);
    jtl_buf_init(&line, (size_t)1 << 26);
    for (r = 0; r < nrows; r++) {
        bool first = true;
        jtl_buf_clear(&line);
        for (c = 0; c < g->ncols; c++) {
            const char *s = g->cells[r * g->ncols + c];
            size_t x = width(s);
            if (!show[c])
                continue;
            if (g->style == JTL_GRID_MD)
                jtl_buf_adds(&line, first ? "| " : " ");
            else if (!first)
                jtl_buf_adds(&line, "  ");
            first = false;
            if (x > w[c]) { /* the cut column */
                add_cut(&line, s, w[c]);
                continue;
            }
            if (g->right[c])
                pad(&line, w[c] - x);
            jtl_buf_adds(&line, s);
            if (!g->right[c])
                pad(&line, w[c] - x);
            if (g->style == JTL_GRID_MD)
                jtl_buf_adds(&line, " |");
        }
        /* no trailing blanks (empty last cells in text style) */
        while (line.len && line.p[line.len - 1] == ' ')
            line.len--;
        fwrite(line.p, 1, line.len, fp);
        fputc('\n', fp);
        if (r == 0 && g->style == JTL_GRID_MD) {
            for (c = 0; c < g->ncols; c++) {
                size_t k, n = w[c] < 3 ? 3 : w[c];
                fputs(c ? " " : "| ", fp);
                for (k = 0; k < n; k++)
                    fputc(k + 1 == n && g->right[c] ? ':' : '-', fp);
                fputs(" |", fp);
            }
            fputc('\n', fp);
        }
    }
    if (hidden) {
        /* say what is not there, and how to see it, in lines that fit */
        size_t col = 0, start;
        jtl_buf_clear(&line);
        jtl_buf_printf(&line,
                       "(%zu column%s left out to fit %zu characters:", hidden,
                       hidden == 1 ? "" : "s", g->width);
        for (c = 0; c < g->ncols; c++)
            if (!show[c])
                jtl_buf_printf(&line, " %s%s", g->cells[c],
                               --hidden ? "," : ";");
        jtl_buf_adds(&line, " --wide or a pipe shows every column)");
        for (start = 0, r = 0; r <= line.len; r++) {
            bool end = r == line.len;
            if (!end && line.p[r] != ' ')
                continue;
            if (col && col + (r - start) > g->width) {
                fputc('\n', fp);
                col = 0;
                start++; /* the blank the line broke at */
            }
            fwrite(line.p + start, 1, r - start, fp);
            col += r - start;
            start = r;
        }
        fputc('\n', fp);
    }
    jtl_buf_release(&line);
}

void jtl_rs_inputs(FILE *fp, const struct jtl_run_info *info)
{
    size_t i;

    if (!info)
        return;
    for (i = 0; i < info->nfiles; i++) {
        const struct jtl_file_info *f = &info->files[i];
        fprintf(fp, "%s", i ? ", " : "");
        /* file names come from the command line, not from the data, but
         * keep control characters out of the terminal anyway */
        {
            const char *p;
            for (p = f->name; p && *p; p++)
                fputc((unsigned char)*p < 0x20 ? '?' : *p, fp);
        }
        if (f->failed)
            fputs(" (unreadable)", fp);
        else if (f->counts.skipped)
            fprintf(fp, " (%llu skipped)",
                    (unsigned long long)f->counts.skipped);
    }
}
