/* SPDX-License-Identifier: MIT
 * statsjson.c - reading a statistics.json (statsjson.h) with jansson: a
 * well-kept JSON parser from Debian rather than one written here. */
#include "jtl/io/statsjson.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"

bool jtl_statsjson_sniff(const char *p, size_t n)
{
    size_t i = 0;

    /* a UTF-8 byte order mark, then blanks */
    if (n >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        i = 3;
    while (i < n &&
           (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i < n && p[i] == '{';
}

static double num(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);

    return json_is_number(v) ? json_number_value(v) : NAN;
}

static void row_read(json_t *o, const char *key, const double *pct_list,
                     struct jtl_statsjson_row *r)
{
    json_t *t = json_object_get(o, "transaction");
    double v;

    r->label = jtl_xstrdup(json_is_string(t) ? json_string_value(t) : key);
    v = num(o, "sampleCount");
    r->samples = v >= 0 ? (uint64_t)v : 0;
    v = num(o, "errorCount");
    r->errors = v >= 0 ? (uint64_t)v : 0;
    r->error_pct = num(o, "errorPct");
    r->mean = num(o, "meanResTime");
    r->median = num(o, "medianResTime");
    r->min = num(o, "minResTime");
    r->max = num(o, "maxResTime");
    {
        static const char *const k3[] = {"pct1ResTime", "pct2ResTime",
                                         "pct3ResTime"};
        json_t *pm = json_object_get(o, "percentiles");
        const char *pk;
        json_t *pvv;
        size_t i;
        for (i = 0; i < 3; i++) {
            r->p[r->np] = pct_list[i];
            r->pv[r->np++] = num(o, k3[i]);
        }
        if (json_is_object(pm))
            json_object_foreach(pm, pk, pvv)
            {
                char *end;
                double p = strtod(pk, &end);
                if (*end || !json_is_number(pvv) || r->np >= 16)
                    continue;
                r->p[r->np] = p;
                r->pv[r->np++] = json_number_value(pvv);
            }
    }
    r->throughput = num(o, "throughput");
    r->received_kbps = num(o, "receivedKBytesPerSec");
    r->sent_kbps = num(o, "sentKBytesPerSec");
}

enum jtl_err jtl_statsjson_read(const char *path, struct jtl_statsjson *out,
                                struct jtl_diag *diag)
{
    json_error_t je;
    json_t *root, *o, *meta, *pl;
    const char *key;
    size_t k = 0;
    bool total = false;

    memset(out, 0, sizeof(*out));
    out->pct_list[0] = 90;
    out->pct_list[1] = 95;
    out->pct_list[2] = 99;
    root = json_load_file(path, 0, &je);
    if (!root)
        return jtl_diag_set(diag, JTL_ERR_PARSE, path,
                            "line %d, column %d: not a statistics.json: %s",
                            je.line, je.column, je.text);
    if (!json_is_object(root)) {
        json_decref(root);
        return jtl_diag_set(diag, JTL_ERR_PARSE, path,
                            "not a statistics.json: the top is not an object "
                            "keyed by label");
    }
    /* what pct1..3 stand for: jtlscope says so in the Total's _meta */
    meta = json_object_get(json_object_get(root, "Total"), "_meta");
    pl = json_object_get(meta, "percentiles");
    if (json_is_object(meta))
        out->from_jtlscope = true;
    if (json_is_array(pl)) {
        size_t i;
        for (i = 0; i < 3 && i < json_array_size(pl); i++)
            if (json_is_number(json_array_get(pl, i)))
                out->pct_list[i] = json_number_value(json_array_get(pl, i));
    }
    out->rows = jtl_xcalloc(json_object_size(root) + 1, sizeof(*out->rows));
    json_object_foreach(root, key, o)
    {
        if (!json_is_object(o))
            continue;
        if (strcmp(key, "Total") == 0) {
            row_read(o, key, out->pct_list, &out->total);
            total = true;
            continue;
        }
        row_read(o, key, out->pct_list, &out->rows[k++]);
    }
    out->n = k;
    json_decref(root);
    if (!total) {
        jtl_statsjson_release(out);
        return jtl_diag_set(diag, JTL_ERR_PARSE, path,
                            "not a statistics.json: no \"Total\"");
    }
    return JTL_OK;
}

void jtl_statsjson_release(struct jtl_statsjson *s)
{
    size_t i;

    for (i = 0; i < s->n; i++)
        free(s->rows[i].label);
    free(s->rows);
    free(s->total.label);
    memset(s, 0, sizeof(*s));
}

double jtl_statsjson_pct(const struct jtl_statsjson_row *row, double p)
{
    size_t i;

    if (p == 50 && row->median == row->median)
        return row->median;
    for (i = 0; i < row->np; i++)
        if (row->p[i] == p && row->pv[i] == row->pv[i])
            return row->pv[i];
    return NAN;
}

const char *jtl_statsjson_library(void)
{
    static char v[48];

    if (!v[0])
        snprintf(v, sizeof(v), "jansson %s", jansson_version_str());
    return v;
}
