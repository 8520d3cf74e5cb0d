/* SPDX-License-Identifier: MIT
 * json.c - streaming JSON writer with HTML-safe escaping. */
#include "jtl/report/json.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/utf8.h"

static void out(struct jtl_json *j, const char *s, size_t n)
{
    if (j->fp)
        fwrite(s, 1, n, j->fp);
    else
        jtl_buf_add(j->buf, s, n);
}

static void outs(struct jtl_json *j, const char *s)
{
    out(j, s, strlen(s));
}

void jtl_json_init_file(struct jtl_json *j, FILE *fp, int indent)
{
    memset(j, 0, sizeof(*j));
    j->fp = fp;
    j->indent = indent;
    j->first[0] = true;
}

void jtl_json_init_buf(struct jtl_json *j, struct jtl_buf *buf, int indent)
{
    memset(j, 0, sizeof(*j));
    j->buf = buf;
    j->indent = indent;
    j->first[0] = true;
}

static void newline(struct jtl_json *j)
{
    int i;

    if (!j->indent)
        return;
    out(j, "\n", 1);
    for (i = 0; i < j->depth * j->indent; i++)
        out(j, " ", 1);
}

/* Separator and indentation before a value or a key. */
static void before_value(struct jtl_json *j)
{
    if (j->after_key) {
        j->after_key = false;
        return;
    }
    if (j->depth > 0) {
        if (!j->first[j->depth])
            out(j, ",", 1);
        newline(j);
    }
    j->first[j->depth] = false;
}

static void open_level(struct jtl_json *j, const char *c)
{
    before_value(j);
    outs(j, c);
    if (j->depth + 1 < JTL_JSON_MAX_DEPTH)
        j->depth++;
    j->first[j->depth] = true;
}

static void close_level(struct jtl_json *j, const char *c)
{
    bool empty = j->first[j->depth];

    if (j->depth > 0)
        j->depth--;
    if (!empty)
        newline(j);
    outs(j, c);
}

void jtl_json_obj_begin(struct jtl_json *j)
{
    open_level(j, "{");
}

void jtl_json_obj_end(struct jtl_json *j)
{
    close_level(j, "}");
}

void jtl_json_arr_begin(struct jtl_json *j)
{
    open_level(j, "[");
}

void jtl_json_arr_end(struct jtl_json *j)
{
    close_level(j, "]");
}

void jtl_json_escape(struct jtl_buf *o, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, run = 0;
    char esc[8];

    while (i < len) {
        unsigned char c = s[i];
        const char *rep = NULL;
        size_t k = 1;

        if (c == '"')
            rep = "\\\"";
        else if (c == '\\')
            rep = "\\\\";
        else if (c == '\n')
            rep = "\\n";
        else if (c == '\r')
            rep = "\\r";
        else if (c == '\t')
            rep = "\\t";
        else if (c < 0x20 || c == 0x7F || c == '<' || c == '>' || c == '&' ||
                 c == '\'') {
            snprintf(esc, sizeof(esc), "\\u%04x", c);
            rep = esc;
        } else if (c >= 0x80) {
            uint32_t cp;
            k = jtl_utf8_decode(s + i, len - i, &cp);
            if (k == 0) {
                rep = "\\ufffd";
                k = 1;
            } else if (k == 3 && c == 0xE2 && s[i + 1] == 0x80 &&
                       (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
                rep = s[i + 2] == 0xA8 ? "\\u2028" : "\\u2029";
            }
        }
        if (rep) {
            if (run)
                jtl_buf_add(o, s + i - run, run);
            run = 0;
            jtl_buf_adds(o, rep);
        } else {
            run += k;
        }
        i += k;
    }
    if (run)
        jtl_buf_add(o, s + i - run, run);
}

void jtl_json_strn(struct jtl_json *j, const char *s, size_t len)
{
    struct jtl_buf b;

    before_value(j);
    jtl_buf_init(&b, 0);
    jtl_buf_addc(&b, '"');
    jtl_json_escape(&b, s ? s : "", s ? len : 0);
    jtl_buf_addc(&b, '"');
    out(j, b.p, b.len);
    jtl_buf_release(&b);
}

void jtl_json_str(struct jtl_json *j, const char *s)
{
    if (!s) {
        jtl_json_null(j);
        return;
    }
    jtl_json_strn(j, s, strlen(s));
}

void jtl_json_keyn(struct jtl_json *j, const char *key, size_t len)
{
    jtl_json_strn(j, key, len);
    out(j, j->indent ? ": " : ":", j->indent ? 2 : 1);
    j->after_key = true;
}

void jtl_json_key(struct jtl_json *j, const char *key)
{
    jtl_json_keyn(j, key, strlen(key));
}

void jtl_json_int(struct jtl_json *j, int64_t v)
{
    char s[32];

    before_value(j);
    snprintf(s, sizeof(s), "%lld", (long long)v);
    outs(j, s);
}

void jtl_json_num(struct jtl_json *j, double v)
{
    char s[40];
    int prec;

    if (!isfinite(v)) {
        jtl_json_null(j);
        return;
    }
    before_value(j);
    /* The shortest precision that round-trips, like Java's toString. */
    for (prec = 1; prec <= 17; prec++) {
        snprintf(s, sizeof(s), "%.*g", prec, v);
        if (strtod(s, NULL) == v)
            break;
    }
    /* no exponent for everyday magnitudes: 10000.0, not 1e+04 */
    if (strpbrk(s, "eE") && fabs(v) >= 1e-3 && fabs(v) < 1e15)
        for (prec = 0; prec <= 17; prec++) {
            snprintf(s, sizeof(s), "%.*f", prec, v);
            if (strtod(s, NULL) == v)
                break;
        }
    /* Integral values keep a ".0" so readers see a double, as JMeter's
     * statistics.json does (e.g. "minResTime" : 101.0). */
    if (!strpbrk(s, ".eEn"))
        strncat(s, ".0", sizeof(s) - strlen(s) - 1);
    outs(j, s);
}

void jtl_json_numf(struct jtl_json *j, double v, int decimals)
{
    char s[64];

    if (!isfinite(v)) {
        jtl_json_null(j);
        return;
    }
    before_value(j);
    snprintf(s, sizeof(s), "%.*f", decimals, v);
    outs(j, s);
}

void jtl_json_bool(struct jtl_json *j, bool v)
{
    before_value(j);
    outs(j, v ? "true" : "false");
}

void jtl_json_null(struct jtl_json *j)
{
    before_value(j);
    outs(j, "null");
}

void jtl_json_raw(struct jtl_json *j, const char *s)
{
    before_value(j);
    outs(j, s);
}

void jtl_json_end(struct jtl_json *j)
{
    if (j->depth == 0)
        out(j, "\n", 1);
}
