/* SPDX-License-Identifier: MIT
 * csvout.c - samples to JMeter CSV rows (CSVSaveService's quoting rules). */
#include "jtl/report/csvout.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"

void jtl_csvout_init(struct jtl_csvout *w, FILE *fp, uint32_t fields,
                     const char *const *vars, size_t nvars)
{
    size_t i;

    w->fp = fp;
    w->fields = fields;
    w->nvars = nvars;
    w->ncols = nvars;
    for (i = 0; i < JTL_F_COUNT; i++)
        w->ncols += (fields >> i) & 1u;
    w->vars = jtl_xcalloc(nvars ? nvars : 1, sizeof(*w->vars));
    for (i = 0; i < nvars; i++)
        w->vars[i] = jtl_xstrdup(vars[i]);
}

void jtl_csvout_release(struct jtl_csvout *w)
{
    size_t i;

    if (!w || !w->vars)
        return;
    for (i = 0; i < w->nvars; i++)
        free(w->vars[i]);
    free(w->vars);
    w->vars = NULL;
}

/* CSVSaveService.quoteDelimiters: quote when the text holds the delimiter,
 * a quote, CR or LF; double every quote inside. */
static void put_str(FILE *fp, const char *p, size_t n)
{
    size_t i, start;

    for (i = 0; i < n; i++)
        if (p[i] == ',' || p[i] == '"' || p[i] == '\r' || p[i] == '\n')
            break;
    if (i == n) {
        if (n)
            fwrite(p, 1, n, fp);
        return;
    }
    putc('"', fp);
    for (i = start = 0; i < n; i++) {
        if (p[i] == '"') {
            fwrite(p + start, 1, i + 1 - start, fp);
            putc('"', fp);
            start = i + 1;
        }
    }
    fwrite(p + start, 1, n - start, fp);
    putc('"', fp);
}

static void put_i64(FILE *fp, int64_t v)
{
    char buf[24];
    char *e = buf + sizeof(buf), *q = e;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

    do {
        *--q = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--q = '-';
    fwrite(q, 1, (size_t)(e - q), fp);
}

int jtl_csvout_header(struct jtl_csvout *w)
{
    int f;
    size_t i;
    bool first = true;

    for (f = 0; f < JTL_F_COUNT; f++) {
        if (!(w->fields & (1u << f)))
            continue;
        if (!first)
            putc(',', w->fp);
        fputs(jtl_field_name((enum jtl_field)f), w->fp);
        first = false;
    }
    for (i = 0; i < w->nvars; i++) {
        /* JMeter writes sample_variables names quoted (its reader needs
         * the quotes to tell them from data); inner quotes doubled. */
        const char *v = w->vars[i];
        if (!first)
            putc(',', w->fp);
        putc('"', w->fp);
        for (; *v; v++) {
            if (*v == '"')
                putc('"', w->fp);
            putc(*v, w->fp);
        }
        putc('"', w->fp);
        first = false;
    }
    putc('\n', w->fp);
    return ferror(w->fp) ? -1 : 0;
}

static struct jtl_str str_of(const struct jtl_sample *s, int f)
{
    switch (f) {
    case JTL_F_LABEL:
        return s->label;
    case JTL_F_CODE:
        return s->code;
    case JTL_F_MESSAGE:
        return s->message;
    case JTL_F_THREAD:
        return s->thread;
    case JTL_F_DATATYPE:
        return s->data_type;
    case JTL_F_FAILMSG:
        return s->failure_message;
    case JTL_F_URL:
        return s->url;
    case JTL_F_FILENAME:
        return s->filename;
    case JTL_F_ENCODING:
        return s->encoding;
    case JTL_F_HOSTNAME:
        return s->hostname;
    default: {
        struct jtl_str none = {NULL, 0};
        return none;
    }
    }
}

static int64_t num_of(const struct jtl_sample *s, int f)
{
    switch (f) {
    case JTL_F_TIMESTAMP:
        return s->timestamp;
    case JTL_F_ELAPSED:
        return s->elapsed;
    case JTL_F_BYTES:
        return s->bytes;
    case JTL_F_SENT_BYTES:
        return s->sent_bytes;
    case JTL_F_GRP_THREADS:
        return s->grp_threads;
    case JTL_F_ALL_THREADS:
        return s->all_threads;
    case JTL_F_LATENCY:
        return s->latency;
    case JTL_F_SAMPLE_COUNT:
        return s->sample_count;
    case JTL_F_ERROR_COUNT:
        return s->error_count;
    case JTL_F_IDLE:
        return s->idle;
    case JTL_F_CONNECT:
        return s->connect;
    default:
        return 0;
    }
}

static bool is_number(int f)
{
    switch (f) {
    case JTL_F_TIMESTAMP:
    case JTL_F_ELAPSED:
    case JTL_F_BYTES:
    case JTL_F_SENT_BYTES:
    case JTL_F_GRP_THREADS:
    case JTL_F_ALL_THREADS:
    case JTL_F_LATENCY:
    case JTL_F_SAMPLE_COUNT:
    case JTL_F_ERROR_COUNT:
    case JTL_F_IDLE:
    case JTL_F_CONNECT:
        return true;
    default:
        return false;
    }
}

int jtl_csvout_row(struct jtl_csvout *w, const struct jtl_sample *s)
{
    FILE *fp = w->fp;
    bool first = true, any = false;
    size_t i, k;
    int f;

    for (f = 0; f < JTL_F_COUNT; f++) {
        if (!(w->fields & (1u << f)))
            continue;
        if (!first)
            putc(',', fp);
        first = false;
        if (!JTL_HAS(s, f))
            continue;
        any = true;
        if (f == JTL_F_SUCCESS) {
            fputs(s->success ? "true" : "false", fp);
        } else if (is_number(f)) {
            put_i64(fp, num_of(s, f));
        } else {
            struct jtl_str v = str_of(s, f);
            put_str(fp, v.p, v.len);
        }
    }
    for (i = 0; i < w->nvars; i++) {
        if (!first)
            putc(',', fp);
        first = false;
        for (k = 0; k < s->nvars; k++) {
            if (jtl_str_eq(s->vars[k].name, w->vars[i])) {
                put_str(fp, s->vars[k].value.p, s->vars[k].value.len);
                any = true;
                break;
            }
        }
    }
    /* A one-column row with an empty value would be an empty line, which
     * readers skip: write it as "" so the sample survives. */
    if (!any && w->ncols == 1)
        fputs("\"\"", fp);
    putc('\n', fp);
    return ferror(fp) ? -1 : 0;
}
