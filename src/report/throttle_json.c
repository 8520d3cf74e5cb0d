/* SPDX-License-Identifier: MIT
 * throttle_json.c - the throttle result as the JSON object of issue
 * #3 (verdict, mechanism, limit, retry_after, pacing, evidence, scopes),
 * unknown numbers null, plus the detail the text report shows. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jtl/io/timefmt.h"
#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"

static void num(struct jtl_json *j, const char *key, double v)
{
    jtl_json_key(j, key);
    if (v == v && !isinf(v))
        jtl_json_num(j, v);
    else
        jtl_json_null(j);
}

/* Rounded for reading; the unrounded value is not more true. */
/* An instant as ISO 8601 in UTC with milliseconds; null for none (0). */
static void iso(struct jtl_json *j, const char *key, int64_t ms)
{
    char b[48];

    jtl_json_key(j, key);
    if (!ms) {
        jtl_json_null(j);
        return;
    }
    jtl_clock_format(ms, NULL, JTL_CLOCK_ISO, b, sizeof(b));
    jtl_json_str(j, b);
}

static void numr(struct jtl_json *j, const char *key, double v, int dec)
{
    jtl_json_key(j, key);
    if (v == v && !isinf(v))
        jtl_json_numf(j, v, dec);
    else
        jtl_json_null(j);
}

static void str(struct jtl_json *j, const char *key, const char *s)
{
    jtl_json_key(j, key);
    jtl_json_str(j, s);
}

static void u64(struct jtl_json *j, const char *key, uint64_t v)
{
    jtl_json_key(j, key);
    jtl_json_int(j, (int64_t)v);
}

static void intk(struct jtl_json *j, const char *key, int v)
{
    jtl_json_key(j, key);
    if (v >= 0)
        jtl_json_int(j, v);
    else
        jtl_json_null(j);
}

static void limit(struct jtl_json *j, const char *key,
                  const struct jtl_throttle_limit *l)
{
    jtl_json_key(j, key);
    jtl_json_obj_begin(j);
    numr(j, "rate_per_s", l->rate_per_s, 3);
    num(j, "burst", l->burst);
    num(j, "window_s", l->window_s);
    num(j, "per_window", l->per_window);
    num(j, "concurrency", l->concurrency);
    num(j, "window_phase_s", l->window_phase_s);
    jtl_json_key(j, "window_aligned");
    if (l->window_s == l->window_s)
        jtl_json_bool(j, l->window_aligned);
    else
        jtl_json_null(j);
    numr(j, "envelope_rate_per_s", l->envelope_rate_per_s, 3);
    numr(j, "envelope_burst", l->envelope_burst, 2);
    num(j, "max_accepted_1s", l->max_accepted_1s);
    num(j, "max_accepted_10s", l->max_accepted_10s);
    num(j, "max_accepted_60s", l->max_accepted_60s);
    numr(j, "saturated_accepted_per_s", l->saturated_accepted_per_s, 3);
    numr(j, "mean_accepted_elapsed_ms", l->mean_accepted_elapsed_ms, 1);
    numr(j, "little_concurrency", l->little_concurrency, 2);
    jtl_json_obj_end(j);
}

static void seconds_key(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.6g", v);
}

/* The wait before a thread's next request, as percentiles (s). */
static void wait_percentiles(struct jtl_json *j, const char *key, uint64_t n,
                             const double *q)
{
    static const int pct[] = {10, 25, 50, 75, 90};
    char name[16];
    size_t k;

    jtl_json_key(j, key);
    jtl_json_obj_begin(j);
    u64(j, "count", n);
    for (k = 0; k < sizeof(pct) / sizeof(pct[0]); k++) {
        snprintf(name, sizeof(name), "p%d", pct[k]);
        numr(j, name, q ? q[pct[k]] : NAN, 3);
    }
    jtl_json_obj_end(j);
}

static void retry(struct jtl_json *j, const struct jtl_throttle_retry *r)
{
    char key[32];
    size_t i;

    jtl_json_key(j, "retry_after");
    jtl_json_obj_begin(j);
    u64(j, "count", r->count);
    jtl_json_key(j, "values");
    jtl_json_obj_begin(j);
    for (i = 0; i < r->nvalues; i++) {
        seconds_key(key, sizeof(key), r->values[i].seconds);
        jtl_json_key(j, key);
        jtl_json_int(j, (int64_t)r->values[i].count);
    }
    jtl_json_obj_end(j);
    numr(j, "compliance", r->compliance, 4);
    u64(j, "missing", r->missing);
    str(j, "source", r->source);
    jtl_json_key(j, "dynamic");
    if (r->count)
        jtl_json_bool(j, r->dynamic);
    else
        jtl_json_null(j);
    numr(j, "reset_spacing_s", r->reset_spacing_s, 3);
    u64(j, "pairs", r->pairs);
    u64(j, "compliant", r->compliant);
    u64(j, "early", r->early);
    numr(j, "compliance_lo", r->compliance_lo, 4);
    numr(j, "compliance_hi", r->compliance_hi, 4);
    numr(j, "median_gap_ratio", r->median_gap_ratio, 4);
    numr(j, "median_gap_s", r->median_gap_s, 3);
    wait_percentiles(j, "wait_after_429_s", r->waits, r->wait_q);
    wait_percentiles(j, "wait_after_success_s", r->waits_success,
                     r->wait_success_q);
    str(j, "reaction", r->reaction);
    jtl_json_key(j, "honoured");
    jtl_json_bool(j, r->honoured);
    numr(j, "p429_after_early", r->p429_after_early, 4);
    numr(j, "p429_after_compliant", r->p429_after_compliant, 4);
    numr(j, "amplification", r->amplification, 4);
    jtl_json_key(j, "first_attempt");
    jtl_json_obj_begin(j);
    u64(j, "requests", r->first_attempts);
    u64(j, "throttled", r->first_attempt_throttled);
    numr(j, "share_429", r->first_attempt_429_share, 4);
    numr(j, "rate_per_s", r->first_attempt_rate_per_s, 3);
    jtl_json_obj_end(j);
    jtl_json_obj_end(j);
}

static void pacing(struct jtl_json *j, const struct jtl_throttle_pacing *p)
{
    jtl_json_key(j, "pacing");
    jtl_json_obj_begin(j);
    numr(j, "target_rate_per_s", p->target_rate_per_s, 3);
    numr(j, "constant_throughput_per_min", p->constant_throughput_per_min, 1);
    numr(j, "per_thread_per_min", p->per_thread_per_min, 2);
    num(j, "threads", p->threads);
    num(j, "threads_needed", p->threads_needed);
    num(j, "max_threads", p->max_threads);
    numr(j, "ramp_up_s", p->ramp_up_s, 1);
    num(j, "margin", p->margin);
    numr(j, "share", p->share, 4);
    numr(j, "shared_target_rate_per_s", p->shared_target_rate_per_s, 3);
    str(j, "basis", p->basis);
    jtl_json_obj_end(j);
}

static const char *role_name(enum jtl_test_role r)
{
    switch (r) {
    case JTL_TEST_GATE:
        return "gate";
    case JTL_TEST_THRESHOLD:
        return "threshold";
    case JTL_TEST_RANDOM:
        return "random";
    case JTL_TEST_MECHANISM:
        return "mechanism";
    case JTL_TEST_SUPPORT:
        break;
    }
    return "support";
}

static void evidence(struct jtl_json *j, const struct jtl_throttle_scope *sc)
{
    size_t i;

    jtl_json_key(j, "evidence");
    jtl_json_arr_begin(j);
    for (i = 0; i < sc->ntests; i++) {
        const struct jtl_throttle_test *t = &sc->tests[i];
        jtl_json_obj_begin(j);
        str(j, "test", t->test);
        numr(j, "statistic", t->statistic, 4);
        num(j, "threshold", t->threshold);
        jtl_json_key(j, "pass");
        if (t->pass < 0)
            jtl_json_null(j);
        else
            jtl_json_bool(j, t->pass == 1);
        str(j, "op", t->op);
        str(j, "role", role_name(t->role));
        str(j, "bearing", jtl_throttle_bearing_name(t->bearing));
        if (t->detail[0])
            str(j, "detail", t->detail);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
}

static void strlist(struct jtl_json *j, const char *key, char **v, size_t n)
{
    size_t i;

    jtl_json_key(j, key);
    jtl_json_arr_begin(j);
    for (i = 0; i < n; i++)
        jtl_json_str(j, v[i]);
    jtl_json_arr_end(j);
}

static void limiters(struct jtl_json *j, const struct jtl_throttle_scope *sc)
{
    size_t i;

    jtl_json_key(j, "limiters");
    jtl_json_arr_begin(j);
    for (i = 0; i < sc->nlimiters; i++) {
        const struct jtl_throttle_limiter *l = &sc->limiters[i];
        jtl_json_obj_begin(j);
        str(j, "name", l->name);
        str(j, "mechanism", jtl_throttle_mechanism_name(l->mechanism));
        limit(j, "limit", &l->limit);
        jtl_json_key(j, "order");
        jtl_json_int(j, l->order);
        numr(j, "share", l->share, 4);
        num(j, "retry_after_s", l->retry_after_s);
        num(j, "bytes", l->bytes);
        strlist(j, "labels", l->labels, l->nlabels);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
}

static void bursts(struct jtl_json *j, const struct jtl_throttle_scope *sc)
{
    size_t i;

    jtl_json_key(j, "bursts");
    jtl_json_obj_begin(j);
    u64(j, "total", sc->bursts_total);
    jtl_json_key(j, "longest");
    jtl_json_arr_begin(j);
    for (i = 0; i < sc->nbursts; i++) {
        const struct jtl_throttle_burst *b = &sc->bursts[i];
        jtl_json_obj_begin(j);
        numr(j, "start_s", b->start_s, 3);
        numr(j, "end_s", b->end_s, 3);
        iso(j, "start", b->start_ts);
        iso(j, "end", b->end_ts);
        u64(j, "count", b->count);
        num(j, "peak_per_s", b->peak_per_s);
        num(j, "offered_per_s", b->offered_per_s);
        num(j, "accepted_per_s", b->accepted_per_s);
        intk(j, "threads", b->threads);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
    jtl_json_obj_end(j);
}

/* The members shared by the run object and every scope object. */
static void scope_fields(struct jtl_json *j,
                         const struct jtl_throttle_scope *sc)
{
    size_t i;

    str(j, "verdict", jtl_throttle_verdict_name(sc->verdict));
    str(j, "mechanism", jtl_throttle_mechanism_name(sc->mechanism));
    jtl_json_key(j, "why");
    jtl_json_arr_begin(j);
    for (i = 0; i < sc->nwhy; i++)
        jtl_json_str(j, sc->why[i].text);
    jtl_json_arr_end(j);
    jtl_json_key(j, "why_charts");
    jtl_json_arr_begin(j);
    for (i = 0; i < sc->nwhy; i++) {
        if (sc->why[i].chart)
            jtl_json_str(j, sc->why[i].chart);
        else
            jtl_json_null(j);
    }
    jtl_json_arr_end(j);
    str(j, "confidence", sc->confidence);
    str(j, "confidence_why", sc->confidence_why);
    limit(j, "limit", &sc->limit);
    retry(j, &sc->retry);
    pacing(j, &sc->pacing);
    evidence(j, sc);
    str(j, "sentence", sc->sentence);
    str(j, "settle", sc->settle);
    str(j, "limit_scope", sc->limit_scope);
    limiters(j, sc);
    u64(j, "samples", sc->samples);
    u64(j, "throttled", sc->throttled);
    u64(j, "accepted", sc->accepted);
    u64(j, "errors", sc->errors);
    numr(j, "duration_s", sc->duration_s, 3);
    jtl_json_key(j, "statistics");
    jtl_json_obj_begin(j);
    numr(j, "auc", sc->auc, 4);
    str(j, "predictor", sc->predictor[0] ? sc->predictor : NULL);
    numr(j, "g", sc->g, 2);
    numr(j, "runs_z", sc->runs_z, 3);
    numr(j, "lag1_z", sc->lag1_z, 3);
    numr(j, "lag1_delta", sc->lag1_delta, 4);
    numr(j, "trend_z", sc->trend_z, 3);
    numr(j, "trend_rise", sc->trend_rise, 4);
    numr(j, "window_edge_p", sc->edge_p, 4);
    num(j, "window_edge_s", sc->edge_w_s);
    u64(j, "recoveries", sc->recoveries);
    jtl_json_obj_end(j);
    jtl_json_key(j, "dose_response");
    jtl_json_obj_begin(j);
    jtl_json_key(j, "load_varied");
    jtl_json_bool(j, sc->dose.load_varied);
    jtl_json_key(j, "bins");
    jtl_json_arr_begin(j);
    for (i = 0; i < sc->dose.n; i++) {
        jtl_json_obj_begin(j);
        numr(j, "offered_per_s", sc->dose.rate[i], 2);
        num(j, "requests", sc->dose.count[i]);
        numr(j, "share_refused", sc->dose.share[i], 4);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
    jtl_json_obj_end(j);
    jtl_json_key(j, "first_429");
    jtl_json_obj_begin(j);
    iso(j, "time", sc->first_429_ts);
    numr(j, "time_s", sc->first_429_s, 3);
    num(j, "offered_per_s", sc->first_429_offered_per_s);
    num(j, "accepted_per_s", sc->first_429_accepted_per_s);
    intk(j, "threads", sc->first_429_threads);
    jtl_json_obj_end(j);
    numr(j, "rampup_end_s", sc->rampup_end_s, 3);
    intk(j, "max_threads", sc->max_threads);
    bursts(j, sc);
    jtl_json_key(j, "gateway");
    jtl_json_obj_begin(j);
    num(j, "elapsed_429_ms", sc->elapsed_429_ms);
    num(j, "elapsed_ok_ms", sc->elapsed_ok_ms);
    numr(j, "ratio", sc->elapsed_ratio, 3);
    str(j, "where", sc->where);
    jtl_json_obj_end(j);
    strlist(j, "unchecked", sc->unchecked, sc->nunchecked);
    strlist(j, "notes", sc->notes, sc->nnotes);
    jtl_json_key(j, "too_few");
    jtl_json_bool(j, sc->too_few);
}

void jtl_report_throttle_json_value(struct jtl_json *j,
                                    const struct jtl_throttle_result *r)
{
    size_t i;

    jtl_json_obj_begin(j);
    scope_fields(j, &r->run);
    jtl_json_key(j, "scopes");
    jtl_json_arr_begin(j);
    for (i = 0; i < r->nscopes; i++) {
        const struct jtl_throttle_scope *sc = &r->scopes[i];
        jtl_json_obj_begin(j);
        str(j, "scope", jtl_throttle_scope_kind_name(sc->kind));
        str(j, "name", sc->name);
        if (sc->kind == JTL_SCOPE_LABEL)
            u64(j, "labels", sc->labels);
        scope_fields(j, sc);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
    /* labels and groups past JTL_THROTTLE_MAX_SCOPES: in "run" only */
    jtl_json_key(j, "scopes_omitted");
    jtl_json_obj_begin(j);
    u64(j, "labels", r->labels_omitted);
    u64(j, "label_samples", r->labels_omitted_samples);
    u64(j, "groups", r->groups_omitted);
    u64(j, "group_samples", r->groups_omitted_samples);
    jtl_json_obj_end(j);
    jtl_json_key(j, "advertised_limit");
    if (!r->advertised) {
        jtl_json_null(j);
    } else {
        const struct jtl_throttle_advertised *a = r->advertised;
        jtl_json_obj_begin(j);
        str(j, "source", a->source);
        u64(j, "responses", a->responses);
        num(j, "limit", a->limit);
        num(j, "window_s", a->window_s);
        numr(j, "rate_per_s", a->rate_per_s, 3);
        num(j, "remaining_min", a->remaining_min);
        num(j, "remaining_median", a->remaining_median);
        num(j, "reset_median_s", a->reset_median_s);
        jtl_json_key(j, "agrees");
        if (a->agrees < 0)
            jtl_json_null(j);
        else
            jtl_json_bool(j, a->agrees == 1);
        jtl_json_obj_end(j);
    }
    jtl_json_key(j, "generators");
    jtl_json_obj_begin(j);
    u64(j, "count", r->ngenerators);
    jtl_json_key(j, "list");
    jtl_json_arr_begin(j);
    for (i = 0; i < r->ngenerators; i++) {
        jtl_json_obj_begin(j);
        str(j, "name", r->generators[i].name);
        str(j, "from",
            r->generators[i].named     ? "--generator"
            : r->generators[i].is_host ? "Hostname"
                                       : "file");
        u64(j, "threads", r->generators[i].threads);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
    jtl_json_obj_end(j);
    jtl_json_key(j, "input");
    jtl_json_obj_begin(j);
    iso(j, "first", r->first_ts);
    iso(j, "last_end", r->last_end);
    u64(j, "transactions", r->transactions);
    u64(j, "requests_in_transactions", r->requests_in_transactions);
    u64(j, "rows_standing_for_requests", r->standing_rows);
    u64(j, "requests_of_those_rows", r->standing_requests);
    jtl_json_key(j, "first_ts");
    jtl_json_int(j, r->first_ts);
    jtl_json_key(j, "last_end_ts");
    jtl_json_int(j, r->last_end);
    u64(j, "excluded", r->excluded);
    u64(j, "unusable", r->unusable);
    /* the codes analysed as throttling, with how often each came */
    jtl_json_key(j, "throttle_codes");
    jtl_json_arr_begin(j);
    for (i = 0; i < r->nthrottle_codes; i++) {
        char c[16];
        uint64_t n = jtl_throttle_code_count(r, r->throttle_codes[i]);
        snprintf(c, sizeof(c), "%d", r->throttle_codes[i]);
        jtl_json_obj_begin(j);
        str(j, "code", c);
        u64(j, "count", n);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
    str(j, "throttle_message", r->message_regex);
    /* every code of the input; the ones not analysed that behave like a
     * limit are marked */
    jtl_json_key(j, "response_codes");
    jtl_json_arr_begin(j);
    for (i = 0; i < r->nrcodes; i++) {
        const struct jtl_throttle_code *c = &r->rcodes[i];
        jtl_json_obj_begin(j);
        str(j, "code", c->code);
        u64(j, "count", c->count);
        jtl_json_key(j, "analysed");
        jtl_json_bool(j, c->analysed);
        if (!c->analysed) {
            u64(j, "with_retry_after", c->with_retry_after);
            jtl_json_key(j, "limit_like");
            jtl_json_bool(j, c->limit_like);
            numr(j, "trend_z", c->trend_z, 2);
            numr(j, "rise", c->rise, 3);
        }
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
    u64(j, "record_bytes", r->record_bytes);
    u64(j, "peak_bytes", r->peak_bytes);
    jtl_json_obj_end(j);
    jtl_json_obj_end(j);
}

enum jtl_err jtl_report_throttle_json(FILE *fp,
                                      const struct jtl_throttle_result *r,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag)
{
    struct jtl_json j;

    (void)info;
    jtl_json_init_file(&j, fp, 2);
    jtl_report_throttle_json_value(&j, r);
    jtl_json_end(&j);
    return jtl_write_status(fp, diag);
}
