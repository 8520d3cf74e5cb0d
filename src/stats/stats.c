/* SPDX-License-Identifier: MIT
 * stats.c - one statistics row: the running accumulator, and turning it into
 * the figures of the stats table / statistics.json (see stats.h for what is
 * counted where). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/bin.h"
#include "jtl/base/xalloc.h"
#include "stats_internal.h"

void jtl_stats_acc_init(struct jtl_stats_acc *a, uint32_t window)
{
    memset(a, 0, sizeof(*a));
    jtl_hist_init(&a->hist);
    a->first_start = INT64_MAX;
    a->last_end = INT64_MIN;
    if (window) {
        /* JMeter's DescriptiveStatistics(window) keeps at most WINDOW
         * values; grow to it instead of reserving it for tiny labels. */
        a->ring_cap = window;
    }
}

void jtl_stats_acc_release(struct jtl_stats_acc *a)
{
    if (!a)
        return;
    jtl_hist_release(&a->hist);
    free(a->codes);
    free(a->ring);
    a->codes = NULL;
    a->ring = NULL;
    a->ncodes = a->capcodes = 0;
}

static void ring_push(struct jtl_stats_acc *a, int64_t v)
{
    if (a->ring_n < a->ring_cap) {
        if (a->ring_n % 1024 == 0) {
            uint32_t cap = a->ring_n + 1024;
            if (cap > a->ring_cap)
                cap = a->ring_cap;
            a->ring = jtl_xrealloc(a->ring, (size_t)cap * sizeof(*a->ring));
        }
        a->ring[a->ring_n++] = v;
        return;
    }
    /* full: overwrite the oldest value */
    a->ring[a->ring_pos] = v;
    a->ring_pos = a->ring_pos + 1 == a->ring_cap ? 0 : a->ring_pos + 1;
}

static void code_count(struct jtl_stats_acc *a, uint32_t id, uint64_t n)
{
    uint32_t i;

    if (a->last_code < a->ncodes && a->codes[a->last_code].id == id) {
        a->codes[a->last_code].count += n;
        return;
    }
    for (i = 0; i < a->ncodes; i++) {
        if (a->codes[i].id == id) {
            a->codes[i].count += n;
            a->last_code = i;
            return;
        }
    }
    if (a->ncodes == a->capcodes) {
        size_t cap = a->capcodes;
        jtl_xgrow((void **)&a->codes, &cap, (size_t)a->ncodes + 1,
                  sizeof(*a->codes));
        a->capcodes = (uint32_t)cap;
    }
    a->codes[a->ncodes].id = id;
    a->codes[a->ncodes].count = n;
    a->last_code = a->ncodes++;
}

void jtl_stats_acc_add(struct jtl_stats_acc *a, const struct jtl_sample *s,
                       uint32_t code_id)
{
    a->samples++;
    if (!s->success)
        a->errors++;
    if (s->flags & JTL_SAMPLE_TC_PARENT)
        a->is_controller = true;
    if (JTL_HAS(s, JTL_F_ELAPSED)) {
        a->timed++;
        a->sum_elapsed += s->elapsed;
        /* Commons-Math FirstMoment.increment, operation for operation */
        a->m1 += ((double)s->elapsed - a->m1) / (double)a->timed;
        jtl_hist_add(&a->hist, s->elapsed, 1);
        if (a->ring_cap)
            ring_push(a, s->elapsed);
    }
    if (JTL_HAS(s, JTL_F_TIMESTAMP)) {
        int64_t end = s->timestamp + s->elapsed;
        a->has_time = true;
        if (s->timestamp < a->first_start)
            a->first_start = s->timestamp;
        if (end > a->last_end)
            a->last_end = end;
    }
    a->bytes += (uint64_t)s->bytes;
    a->sent_bytes += (uint64_t)s->sent_bytes;
    if (JTL_HAS(s, JTL_F_LATENCY)) {
        a->lat_sum += s->latency;
        a->lat_n++;
    }
    if (JTL_HAS(s, JTL_F_CONNECT)) {
        a->con_sum += s->connect;
        a->con_n++;
    }
    code_count(a, code_id, 1);
}

void jtl_stats_acc_apdex(struct jtl_stats_acc *a, const struct jtl_sample *s,
                         int64_t t, int64_t f)
{
    a->ap_total++;
    if (!s->success)
        return;
    if (s->elapsed <= t)
        a->ap_sat++;
    else if (s->elapsed <= f)
        a->ap_tol++;
}

void jtl_stats_acc_merge(struct jtl_stats_acc *dst,
                         const struct jtl_stats_acc *src,
                         const uint32_t *code_map)
{
    uint32_t i;

    /* The incremental mean is not mergeable bit for bit; only compat uses
     * it and compat never forks.  Keep it meaningful anyway. */
    if (dst->timed + src->timed)
        dst->m1 =
            (dst->m1 * (double)dst->timed + src->m1 * (double)src->timed) /
            (double)(dst->timed + src->timed);
    dst->samples += src->samples;
    dst->errors += src->errors;
    dst->timed += src->timed;
    dst->sum_elapsed += src->sum_elapsed;
    if (src->has_time) {
        dst->has_time = true;
        if (src->first_start < dst->first_start)
            dst->first_start = src->first_start;
        if (src->last_end > dst->last_end)
            dst->last_end = src->last_end;
    }
    dst->bytes += src->bytes;
    dst->sent_bytes += src->sent_bytes;
    dst->lat_sum += src->lat_sum;
    dst->lat_n += src->lat_n;
    dst->con_sum += src->con_sum;
    dst->con_n += src->con_n;
    dst->ap_sat += src->ap_sat;
    dst->ap_tol += src->ap_tol;
    dst->ap_total += src->ap_total;
    dst->is_controller = dst->is_controller || src->is_controller;
    jtl_hist_merge(&dst->hist, &src->hist);
    for (i = 0; i < src->ncodes; i++)
        code_count(dst,
                   code_map ? code_map[src->codes[i].id] : src->codes[i].id,
                   src->codes[i].count);
}

size_t jtl_stats_acc_bytes(const struct jtl_stats_acc *a)
{
    return jtl_hist_bytes(&a->hist) + (size_t)a->capcodes * sizeof(*a->codes) +
           (size_t)a->ring_n * sizeof(*a->ring);
}

/* The fields in the order of struct jtl_stats_acc; the ring is never
 * saved (--jmeter-compat makes no partial state). */
void jtl_stats_acc_save(const struct jtl_stats_acc *a, struct jtl_bw *w)
{
    uint32_t i;

    jtl_bw_uv(w, a->samples);
    jtl_bw_uv(w, a->errors);
    jtl_bw_uv(w, a->timed);
    jtl_bw_sv(w, a->sum_elapsed);
    jtl_bw_f64(w, a->m1);
    jtl_bw_u8(w, (a->has_time ? 1u : 0u) | (a->is_controller ? 2u : 0u));
    jtl_bw_i64(w, a->first_start);
    jtl_bw_i64(w, a->last_end);
    jtl_bw_uv(w, a->bytes);
    jtl_bw_uv(w, a->sent_bytes);
    jtl_bw_sv(w, a->lat_sum);
    jtl_bw_sv(w, a->con_sum);
    jtl_bw_uv(w, a->lat_n);
    jtl_bw_uv(w, a->con_n);
    jtl_bw_uv(w, a->ap_sat);
    jtl_bw_uv(w, a->ap_tol);
    jtl_bw_uv(w, a->ap_total);
    jtl_hist_save(&a->hist, w);
    jtl_bw_uv(w, a->ncodes);
    for (i = 0; i < a->ncodes; i++) {
        jtl_bw_uv(w, a->codes[i].id);
        jtl_bw_uv(w, a->codes[i].count);
    }
}

/* |SUM| of N values of at most PER each (in double: the bound itself
 * may be beyond int64). */
static bool within(int64_t sum, uint64_t n, int64_t per)
{
    double lim = (double)n * (double)per;

    return (double)sum <= lim && (double)sum >= -lim;
}

bool jtl_stats_acc_load(struct jtl_stats_acc *a, struct jtl_br *r,
                        size_t ncodes)
{
    unsigned flags;
    size_t n, i;

    a->samples = jtl_br_uv(r);
    a->errors = jtl_br_uv(r);
    a->timed = jtl_br_uv(r);
    a->sum_elapsed = jtl_br_sv(r);
    a->m1 = jtl_br_f64(r);
    flags = jtl_br_u8(r);
    a->has_time = flags & 1u;
    a->is_controller = (flags & 2u) != 0;
    a->first_start = jtl_br_i64(r);
    a->last_end = jtl_br_i64(r);
    a->bytes = jtl_br_uv(r);
    a->sent_bytes = jtl_br_uv(r);
    a->lat_sum = jtl_br_sv(r);
    a->con_sum = jtl_br_sv(r);
    a->lat_n = jtl_br_uv(r);
    a->con_n = jtl_br_uv(r);
    a->ap_sat = jtl_br_uv(r);
    a->ap_tol = jtl_br_uv(r);
    a->ap_total = jtl_br_uv(r);
    /* the ranges the decoders enforce (sample.h), so that sums and
     * spans stay inside int64 when states are merged */
    if (a->samples > ((uint64_t)1 << 40) || a->lat_n > a->samples ||
        a->con_n > a->samples || a->ap_sat + a->ap_tol > a->ap_total ||
        (flags & 1u && (a->first_start < 0 || a->last_end < a->first_start ||
                        a->last_end > JTL_TS_MAX + JTL_DURATION_MAX)) ||
        !within(a->sum_elapsed, a->timed, JTL_DURATION_MAX) ||
        !within(a->lat_sum, a->lat_n, JTL_DURATION_MAX) ||
        !within(a->con_sum, a->con_n, JTL_DURATION_MAX) ||
        !within((int64_t)(a->bytes >> 1), a->samples, JTL_BYTES_MAX) ||
        !within((int64_t)(a->sent_bytes >> 1), a->samples, JTL_BYTES_MAX))
        return false;
    if (flags > 3 || a->errors > a->samples || a->timed > a->samples ||
        !jtl_hist_load(&a->hist, r) || a->hist.n != a->timed)
        return false;
    n = jtl_br_count(r, 2, ncodes);
    for (i = 0; i < n && !r->bad; i++) {
        uint32_t id = (uint32_t)jtl_br_below(r, ncodes);
        code_count(a, id, jtl_br_uv(r));
    }
    return !r->bad;
}

/* ------------------------------------------------------------------ */

static int cmp_code(const void *x, const void *y)
{
    const struct jtl_code_count *a = x, *b = y;

    return jtl_bytes_cmp(a->code, a->len, b->code, b->len);
}

void jtl_stats_row_fill(struct jtl_stats_row *row,
                        const struct jtl_stats_acc *a,
                        const struct jtl_stats_fill *f,
                        struct jtl_code_count **codes)
{
    double p[JTL_STATS_MAX_PCT + 1], out[JTL_STATS_MAX_PCT + 1];
    const struct jtl_hist *h = &a->hist;
    struct jtl_hist win;
    double span;
    uint32_t i;

    row->samples = a->samples;
    row->errors = a->errors;
    /* JMeter: (double) errors * 100 / total, stored as a float */
    row->error_pct =
        a->samples ? (double)a->errors * 100 / (double)a->samples : NAN;
    if (f->compat)
        row->error_pct = (double)(float)row->error_pct;
    if (a->timed)
        row->mean =
            f->compat ? a->m1 : (double)a->sum_elapsed / (double)a->timed;
    else
        row->mean = NAN;
    row->stdev = a->timed ? jtl_hist_stdev(&a->hist) : NAN;
    row->min = a->timed ? (double)a->hist.min : NAN;
    row->max = a->timed ? (double)a->hist.max : NAN;

    jtl_hist_init(&win);
    if (a->ring_cap) {
        /* The window holds the same multiset JMeter sorts; a histogram of
         * it gives the same order statistics. */
        for (i = 0; i < a->ring_n; i++)
            jtl_hist_add(&win, a->ring[i], 1);
        h = &win;
    }
    p[0] = 50;
    for (i = 0; i < f->npct; i++)
        p[i + 1] = f->pct_list[i];
    jtl_hist_percentiles(h, p, f->npct + 1, f->method, out);
    row->median = out[0];
    for (i = 0; i < JTL_STATS_MAX_PCT; i++)
        row->pct[i] = i < f->npct ? out[i + 1] : NAN;
    jtl_hist_release(&win);

    row->first_start = a->has_time ? a->first_start : 0;
    row->last_end = a->has_time ? a->last_end : 0;
    span = a->has_time ? (double)(a->last_end - a->first_start) : 0;
    row->bytes = a->bytes;
    row->sent_bytes = a->sent_bytes;
    if (a->has_time && span > 0) {
        /* StatisticsSummaryData, same operations in the same order */
        row->throughput = ((double)a->samples / span) * 1000.0;
        row->received_kbps = (double)(int64_t)a->bytes / (span / 1000) / 1024;
        row->sent_kbps = (double)(int64_t)a->sent_bytes / (span / 1000) / 1024;
    } else {
        row->throughput = row->received_kbps = row->sent_kbps = NAN;
    }
    row->latency_mean = a->lat_n ? (double)a->lat_sum / (double)a->lat_n : NAN;
    row->connect_mean = a->con_n ? (double)a->con_sum / (double)a->con_n : NAN;
    row->apdex_satisfied = a->ap_sat;
    row->apdex_tolerated = a->ap_tol;
    row->apdex_total = a->ap_total;
    row->apdex = a->ap_total ? ((double)a->ap_sat + (double)a->ap_tol / 2) /
                                   (double)a->ap_total
                             : NAN;
    row->is_controller = a->is_controller;
    row->hist = &a->hist;

    *codes = NULL;
    row->codes = NULL;
    row->ncodes = a->ncodes;
    if (a->ncodes) {
        struct jtl_code_count *c = jtl_xcalloc(a->ncodes, sizeof(*c));
        for (i = 0; i < a->ncodes; i++) {
            c[i].code = jtl_strtab_str(f->codetab, a->codes[i].id);
            c[i].len = jtl_strtab_len(f->codetab, a->codes[i].id);
            c[i].count = a->codes[i].count;
        }
        qsort(c, a->ncodes, sizeof(*c), cmp_code);
        *codes = c;
        row->codes = c;
    }
}

/* ------------------------------------------------------------------ */

/* MetricUtils.isSuccessCode: all digits and 200..399. */
static bool success_code(struct jtl_str c)
{
    int64_t v;
    size_t i;

    if (c.len == 0 || c.len > 9)
        return false;
    for (i = 0; i < c.len; i++)
        if (c.p[i] < '0' || c.p[i] > '9')
            return false;
    if (!jtl_parse_i64(c.p, c.len, &v))
        return false;
    return v >= 200 && v <= 399;
}

static size_t put(char *out, size_t cap, size_t at, const char *p, size_t n)
{
    /* an absent field is (NULL, 0): nothing to copy (memcpy from NULL is
     * undefined even for 0 bytes) */
    if (at + 1 >= cap || n == 0)
        return at;
    if (n > cap - 1 - at)
        n = cap - 1 - at;
    memcpy(out + at, p, n);
    return at + n;
}

size_t jtl_stats_error_key(const struct jtl_sample *s, char *out, size_t cap)
{
    size_t n = 0;

    if (cap == 0)
        return 0;
    if (success_code(s->code) ||
        (s->code.len == 0 && s->failure_message.len > 0)) {
        /* jmeter.save.saveservice.assertion_results_failure_message=true
         * (the default): the failure message names the error. */
        if (s->failure_message.len)
            n = put(out, cap, n, s->failure_message.p, s->failure_message.len);
        else
            n = put(out, cap, n, "Assertion failed", 16);
    } else {
        n = put(out, cap, n, s->code.p, s->code.len);
        if (s->message.len) {
            n = put(out, cap, n, "/", 1);
            n = put(out, cap, n, s->message.p, s->message.len);
        }
    }
    out[n] = '\0';
    return n;
}

/* ------------------------------------------------------------------ */

void jtl_stats_method_text(const struct jtl_stats_result *r, char *out,
                           size_t cap)
{
    if (r->jmeter_compat || r->window)
        snprintf(out, cap,
                 "%s estimator over the last %u values per label "
                 "and Total (JMeter dashboard compatible)",
                 r->method == JTL_PCT_LEGACY ? "Commons-Math LEGACY"
                                             : "exact nearest-rank",
                 (unsigned)r->window);
    else if (r->method == JTL_PCT_LEGACY)
        snprintf(out, cap,
                 "Commons-Math LEGACY estimator (JMeter dashboard) "
                 "over all %llu samples",
                 (unsigned long long)r->total.samples);
    else
        snprintf(out, cap, "exact nearest-rank over all %llu samples",
                 (unsigned long long)r->total.samples);
}

const struct jtl_stats_row *jtl_stats_find(const struct jtl_stats_result *r,
                                           const char *label, size_t len)
{
    size_t lo = 0, hi = r->nrows;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct jtl_stats_row *row = &r->rows[mid];
        size_t n = row->label_len < len ? row->label_len : len;
        int c = memcmp(row->label, label, n);
        if (c == 0)
            c = (row->label_len > len) - (row->label_len < len);
        if (c == 0)
            return row;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (len == 5 && memcmp(label, "Total", 5) == 0)
        return &r->total;
    return NULL;
}

uint64_t jtl_stats_code_count(const struct jtl_stats_row *row, const char *code)
{
    size_t i, len = strlen(code);

    for (i = 0; i < row->ncodes; i++)
        if (row->codes[i].len == len &&
            memcmp(row->codes[i].code, code, len) == 0)
            return row->codes[i].count;
    return 0;
}

bool jtl_stats_parse_apdex(const char *s, int64_t *t, int64_t *f)
{
    const char *comma = strchr(s, ',');

    if (!comma || !jtl_parse_i64(s, (size_t)(comma - s), t) ||
        !jtl_parse_i64(comma + 1, strlen(comma + 1), f))
        return false;
    return *t >= 0 && *f >= *t;
}

int jtl_stats_parse_pct_list(const char *s, double *out)
{
    int n = 0;
    const char *p = s;

    if (!s || !*s)
        return -1;
    for (;;) {
        char *end;
        double v = strtod(p, &end);
        if (end == p || !(v > 0) || v > 100 || n == JTL_STATS_MAX_PCT)
            return -1;
        out[n++] = v;
        if (*end == '\0')
            return n;
        if (*end != ',')
            return -1;
        p = end + 1;
    }
}
