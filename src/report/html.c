/* SPDX-License-Identifier: MIT
 * html.c - index.html: lay the results out as a small tree of
 * records and lists of strings (the "model"), then expand the template
 * (templates/report.html, embedded or from --template-dir) over it.
 *
 * The model holds display strings only: every number is formatted here,
 * once, so the template stays logic-less.  Strings from the JTL are stored
 * as they are and escaped by the template engine ({{name}}); only our own
 * fragments (CSS, JS, base64 images, the JSON data block) are written raw
 * ({{{name}}}). */
#include "jtl/report/report.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "page.h"
#include "textfmt.h"

#ifndef JTL_VERSION
#define JTL_VERSION "0.0.0"
#endif

#define MAX_JSON_BYTES (256u << 20)
/* A JSON file larger than this stays beside the page instead of inside it
 * (100 000 labels make a 90 MB statistics.json: a page that size does not
 * open in a browser, and it is in the folder anyway). */
#define MAX_EMBED_JSON_BYTES (16u << 20)
#define MAX_HTML_LABELS 2000 /* rows of the statistics table in the page */

/* ---- small helpers ------------------------------------------------------- */

static char nb[8][64]; /* scratch for formatted numbers in one expression */

#define NUM(i, v, d) jtl_rfmt_num(nb[i], sizeof(nb[i]), (v), (d))
#define U64(i, v) jtl_rfmt_u64(nb[i], sizeof(nb[i]), (v))
#define PCT(i, v) jtl_rfmt_pct(nb[i], sizeof(nb[i]), (v))

static double share_pct(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : NAN;
}

/* ---- sections of the model ----------------------------------------------- */

static void build_head(struct mrec *m, const struct jtl_report_input *in,
                       const struct jtl_run_info *run)
{
    struct jtl_buf b;
    char t1[1024], t2[64];
    size_t i;
    int64_t first = 0, last = 0;

    model_str(m, "version", JTL_VERSION);
    model_str(m, "generated_at",
              jtl_rfmt_time(t2, sizeof(t2), in->generated_at * 1000,
                            run ? run->tz : NULL));
    jtl_buf_init(&b, 0);
    model_str(m, "title", jtl_rfmt_title(t1, sizeof(t1), in, run));
    if (in->stats && in->stats->last_end > in->stats->first_start) {
        first = in->stats->first_start;
        last = in->stats->last_end;
    } else if (run) {
        first = run->first_ts;
        last = run->last_end;
    }
    for (i = 0; run && i < run->nfiles && i < 4; i++)
        jtl_buf_printf(&b, "%s%s", i ? ", " : "", run->files[i].name);
    if (run && run->nfiles > 4)
        jtl_buf_printf(&b, " and %zu more", run->nfiles - 4);
    if (last > first)
        jtl_buf_printf(
            &b, " \xC2\xB7 %s \xC2\xB7 %s", /* middle dot */
            jtl_rfmt_time(t1, sizeof(t1), first, run ? run->tz : NULL),
            jtl_rfmt_duration(t2, sizeof(t2), (double)(last - first) / 1000.0));
    if (run)
        jtl_buf_printf(&b, " \xC2\xB7 %llu samples",
                       (unsigned long long)run->samples);
    model_str(m, "subtitle", b.p ? b.p : "");
    jtl_buf_release(&b);
}

static const char *role_name(enum jtl_test_role r)
{
    switch (r) {
    case JTL_TEST_GATE:
        return "minimum data";
    case JTL_TEST_THRESHOLD:
        return "threshold evidence";
    case JTL_TEST_RANDOM:
        return "random evidence";
    case JTL_TEST_MECHANISM:
        return "mechanism";
    case JTL_TEST_SUPPORT:
        break;
    }
    return "supporting";
}

static const char *verdict_class(enum jtl_verdict v)
{
    switch (v) {
    case JTL_VERDICT_NONE:
        return "none";
    case JTL_VERDICT_THRESHOLD:
        return "threshold";
    case JTL_VERDICT_RANDOM:
        return "random";
    case JTL_VERDICT_INCONCLUSIVE:
        break;
    }
    return "inconclusive";
}

/* The typical Retry-After: the most frequent value. */
static const struct jtl_throttle_ra_value *
ra_mode(const struct jtl_throttle_retry *r)
{
    const struct jtl_throttle_ra_value *best = NULL;
    size_t i;

    for (i = 0; i < r->nvalues; i++)
        if (!best || r->values[i].count > best->count)
            best = &r->values[i];
    return best;
}

static const char *bearing_text(enum jtl_bearing b)
{
    switch (b) {
    case JTL_BEARING_SUPPORTS:
        return "supports the verdict";
    case JTL_BEARING_AGAINST:
        return "argues against it";
    case JTL_BEARING_NA:
        break;
    }
    return "does not apply";
}

static void card(struct mlist *l, const char *label, const char *value,
                 const char *hint)
{
    struct mrec *r = model_add(l);

    model_str(r, "label", label);
    model_str(r, "value", value);
    model_str(r, "hint", hint ? hint : "");
}

/* report --criteria: the pass/fail table that opens the page. */
static void build_check(struct mrec *m, const struct jtl_report_input *in)
{
    const struct jtl_check_result *r = in->check;
    struct mlist *rows = model_list(m, "check_rows");
    size_t i;

    model_flag(m, "has_check", r != NULL);
    if (!r)
        return;
    model_str(m, "check_class", r->passed ? "pass" : "fail");
    model_str(m, "check_word", r->passed ? "Passed" : "Failed");
    model_fmt(m, "check_summary",
              "%zu criteri%s checked: %zu passed, %zu failed%s", r->n,
              r->n == 1 ? "on" : "a", r->npass, r->nfail,
              r->nerror ? ", some could not be evaluated" : "");
    for (i = 0; i < r->n; i++) {
        const struct jtl_check_item *it = &r->items[i];
        struct mrec *row = model_add(rows);
        model_str(row, "status",
                  it->status == JTL_CHECK_PASS   ? "PASS"
                  : it->status == JTL_CHECK_FAIL ? "FAIL"
                                                 : "ERROR");
        model_str(row, "status_class", jtl_check_status_name(it->status));
        model_str(row, "criterion",
                  it->crit->name ? it->crit->name : it->crit->text);
        model_str(row, "label", it->label);
        model_str(row, "message", it->message ? it->message : "");
    }
}

static void build_verdict(struct mrec *m, const struct jtl_report_input *in,
                          const struct jtl_run_info *run)
{
    const struct jtl_throttle_result *th = in->throttle;
    const struct jtl_stats_result *st = in->stats;
    struct mlist *cards = model_list(m, "cards");
    char v[160], h[200];
    size_t i, nk[3] = {0, 0, 0};

    if (th) {
        const struct jtl_throttle_scope *sc = &th->run;
        struct mlist *why = model_list(m, "why");
        char head[320];
        model_str(m, "verdict_class", verdict_class(sc->verdict));
        model_str(m, "verdict_word", jtl_rfmt_verdict_word(sc->verdict));
        jtl_rfmt_headline(head, sizeof(head), sc);
        if (head[0] >= 'a' && head[0] <= 'z')
            head[0] = (char)(head[0] - 'a' + 'A');
        model_str(m, "verdict_headline", head);
        model_str(m, "verdict_sentence", sc->sentence ? sc->sentence : "");
        model_str(m, "verdict_settle", sc->settle ? sc->settle : "");
        for (i = 0; i < sc->nwhy; i++) {
            const struct jtl_report_chart *c =
                jtl_rfmt_chart(in->charts, sc->why[i].chart);
            struct mrec *r = model_add(why);
            model_str(r, "text", sc->why[i].text);
            model_str(r, "chart", c ? c->name : "");
            model_str(r, "chart_title", c ? c->title : "");
        }
        model_flag(m, "has_why", sc->nwhy > 0);
        model_str(m, "confidence", sc->confidence ? sc->confidence : "");
        model_str(m, "confidence_why",
                  sc->confidence_why ? sc->confidence_why : "");
    } else {
        model_str(m, "verdict_class", "inconclusive");
        model_str(m, "verdict_word", "Not analysed");
        model_str(m, "verdict_headline", "Not analysed");
        model_str(m, "verdict_sentence",
                  "The throttling analysis did not run.");
        model_str(m, "verdict_settle", "");
        model_flag(m, "has_why", false);
        model_str(m, "confidence", "");
        model_str(m, "confidence_why", "");
    }

    if (st) {
        snprintf(h, sizeof(h), "%zu label%s%s", st->nrows,
                 st->nrows == 1 ? "" : "s",
                 run && run->nfiles > 1 ? ", several files" : "");
        card(cards, "Samples", U64(0, st->total.samples), h);
        snprintf(v, sizeof(v), "%s req/s", NUM(0, st->total.throughput, 1));
        card(cards, "Throughput", v, "all labels");
        snprintf(h, sizeof(h), "%s failed", U64(1, st->total.errors));
        card(cards, "Errors", PCT(0, st->total.error_pct), h);
        snprintf(v, sizeof(v), "%s ms", NUM(0, st->total.mean, 1));
        snprintf(h, sizeof(h), "p%g %s ms", st->pct_list[0],
                 NUM(1, st->total.pct[0], 0));
        card(cards, "Mean response time", v, h);
    }
    if (th && th->run.throttled > 0) {
        const struct jtl_throttle_scope *sc = &th->run;
        const struct jtl_throttle_ra_value *mode = ra_mode(&sc->retry);
        char what[160];

        snprintf(h, sizeof(h), "%s of %s requests", U64(0, sc->throttled),
                 U64(1, sc->samples));
        char codes[128];
        snprintf(what, sizeof(what), "Refused (HTTP %s)",
                 jtl_rfmt_codes(codes, sizeof(codes), th));
        card(cards, what, PCT(2, share_pct(sc->throttled, sc->samples)), h);
        if (sc->verdict == JTL_VERDICT_THRESHOLD) {
            jtl_rfmt_limit(v, sizeof(v), sc->mechanism, &sc->limit);
            if (strcmp(v, JTL_DASH) != 0) {
                card(cards, "Limit", v, jtl_rfmt_mechanism(sc->mechanism));
            } else {
                /* one limit per label: show each (the busiest first is
                 * the analysis' order, by label name) */
                size_t k, shown = 0;
                for (k = 0; k < th->nscopes && shown < 4; k++) {
                    const struct jtl_throttle_scope *x = &th->scopes[k];
                    char lab[200];
                    if (x->kind != JTL_SCOPE_LABEL ||
                        x->verdict != JTL_VERDICT_THRESHOLD)
                        continue;
                    snprintf(lab, sizeof(lab), "Limit of %s", x->name);
                    card(cards, lab,
                         jtl_rfmt_limit(v, sizeof(v), x->mechanism, &x->limit),
                         jtl_rfmt_mechanism(x->mechanism));
                    shown++;
                }
            }
        }
        if (mode) {
            if (sc->retry.dynamic)
                snprintf(v, sizeof(v), "%g\xE2\x80\x93%g s",
                         sc->retry.values[0].seconds,
                         sc->retry.values[sc->retry.nvalues - 1].seconds);
            else
                snprintf(v, sizeof(v), "%g s", mode->seconds);
            snprintf(h, sizeof(h), "%son %s of %s refusals",
                     sc->retry.dynamic ? "counts down, " : "",
                     U64(0, sc->retry.count),
                     U64(1, sc->retry.count + sc->retry.missing));
            card(cards, "Retry-After", v, h);
        }
        if (sc->retry.wait_q) {
            snprintf(v, sizeof(v), "%s s", NUM(0, sc->retry.wait_q[50], 2));
            if (sc->retry.wait_success_q)
                snprintf(h, sizeof(h), "median; %s s after a success%s",
                         NUM(1, sc->retry.wait_success_q[50], 2),
                         sc->retry.reaction &&
                                 strcmp(sc->retry.reaction, "none") == 0
                             ? ": no reaction"
                             : "");
            else
                snprintf(h, sizeof(h), "median");
            card(cards, "Wait after a refusal", v, h);
        }
        if (sc->retry.pairs > 0) {
            snprintf(h, sizeof(h),
                     "%s of %s next requests came at least Retry-After later",
                     U64(0, sc->retry.compliant), U64(1, sc->retry.pairs));
            card(cards, "Retry-After honoured",
                 PCT(2, 100.0 * sc->retry.compliance), h);
        }
        if (isfinite(sc->pacing.target_rate_per_s)) {
            snprintf(v, sizeof(v), "%s req/s",
                     NUM(0, sc->pacing.target_rate_per_s, 1));
            snprintf(h, sizeof(h), "Constant Throughput Timer %s/min",
                     NUM(1, sc->pacing.constant_throughput_per_min, 0));
            card(cards, "Safe rate", v, h);
        }
    }

    if (th && th->run.ntests) {
        struct mlist *ev = model_list(m, "evidence");
        for (i = 0; i < th->run.ntests; i++) {
            const struct jtl_throttle_test *t = &th->run.tests[i];
            struct mrec *r = model_add(ev);
            model_str(r, "test", t->test ? t->test : "");
            model_str(r, "detail", t->detail);
            if (isfinite(t->statistic))
                model_fmt(r, "statistic", "%.4g", t->statistic);
            else
                model_str(r, "statistic", JTL_DASH);
            if (isfinite(t->threshold))
                model_fmt(r, "rule", "%s %.4g", t->op ? t->op : "",
                          t->threshold);
            else
                model_str(r, "rule", t->op ? t->op : "");
            model_str(r, "result",
                      t->pass > 0    ? "pass"
                      : t->pass == 0 ? "fail"
                                     : "not run");
            model_str(r, "result_class",
                      t->pass > 0    ? "pass"
                      : t->pass == 0 ? "fail"
                                     : "notrun");
            model_str(r, "role", role_name(t->role));
            model_str(r, "bearing", bearing_text(t->bearing));
            model_str(r, "bearing_class",
                      jtl_throttle_bearing_name(t->bearing));
            nk[t->bearing]++;
        }
        model_fmt(m, "evidence_summary",
                  "%zu tests: %zu support the verdict, %zu argue against it, "
                  "%zu do not apply to the mechanism found",
                  th->run.ntests, nk[JTL_BEARING_SUPPORTS],
                  nk[JTL_BEARING_AGAINST], nk[JTL_BEARING_NA]);
        model_flag(m, "has_evidence", true);
        model_flag(m, "evidence_open",
                   th->run.verdict == JTL_VERDICT_INCONCLUSIVE);
    } else {
        model_flag(m, "has_evidence", false);
    }
    {
        struct mlist *u = model_list(m, "unchecked");
        struct mlist *n = model_list(m, "notes");
        for (i = 0; th && i < th->run.nunchecked; i++)
            model_str(model_add(u), "text", th->run.unchecked[i]);
        for (i = 0; th && i < th->run.nnotes; i++)
            model_str(model_add(n), "text", th->run.notes[i]);
        model_flag(m, "has_unchecked", u->n > 0);
        model_flag(m, "has_notes", n->n > 0);
    }
}

static void stats_row(struct mrec *r, const struct jtl_stats_result *st,
                      const struct jtl_stats_row *row)
{
    int pd = st->method == JTL_PCT_EXACT ? 0 : 1;
    struct mlist *pcts;
    size_t k;

    if (row->labels > 1 && !row->is_total)
        model_fmt(r, "label", "%.*s (%llu labels)", (int)row->label_len,
                  row->label, (unsigned long long)row->labels);
    else
        model_strn(r, "label", row->label, row->label_len);
    model_flag(r, "is_controller", row->is_controller);
    model_str(r, "samples", U64(0, row->samples));
    model_str(r, "errors", U64(0, row->errors));
    model_str(r, "error_pct", PCT(0, row->error_pct));
    model_str(r, "mean", NUM(0, row->mean, 1));
    model_str(r, "stdev", NUM(0, row->stdev, 1));
    model_str(r, "min", NUM(0, row->min, 0));
    model_str(r, "median", NUM(0, row->median, pd));
    model_str(r, "max", NUM(0, row->max, 0));
    model_str(r, "throughput", NUM(0, row->throughput, 2));
    model_str(r, "received", NUM(0, row->received_kbps, 2));
    model_str(r, "sent", NUM(0, row->sent_kbps, 2));
    model_str(r, "apdex", NUM(0, row->apdex, 3));
    pcts = model_list(r, "pcts");
    for (k = 0; k < st->npct; k++)
        model_str(model_add(pcts), "value", NUM(0, row->pct[k], pd));
}

static void build_stats(struct mrec *m, const struct jtl_report_input *in)
{
    const struct jtl_stats_result *st = in->stats;
    struct mlist *heads, *rows, *total, *errs, *top;
    char text[256];
    size_t i, k, shown = 0;

    model_flag(m, "has_stats", st != NULL);
    heads = model_list(m, "pct_heads");
    total = model_list(m, "stats_total");
    rows = model_list(m, "stats_rows");
    errs = model_list(m, "errors");
    top = model_list(m, "top_errors");
    if (!st) {
        model_flag(m, "has_errors", false);
        return;
    }
    jtl_stats_method_text(st, text, sizeof(text));
    model_str(m, "pct_method", text);
    for (k = 0; k < st->npct; k++)
        model_fmt(model_add(heads), "name", "p%g", st->pct_list[k]);
    stats_row(model_add(total), st, &st->total);
    for (i = 0; i < st->nrows && shown < MAX_HTML_LABELS; i++, shown++)
        stats_row(model_add(rows), st, &st->rows[i]);
    if (st->nrows > shown)
        model_fmt(m, "stats_cut",
                  "The first %zu of %zu labels are shown; statistics.json "
                  "has all of them.",
                  shown, st->nrows);
    else
        model_str(m, "stats_cut", "");

    model_flag(m, "has_errors", st->nerrors > 0);
    for (i = 0; i < st->nerrors && i < MAX_HTML_LABELS; i++) {
        struct mrec *r = model_add(errs);
        model_strn(r, "key", st->errors[i].key, st->errors[i].len);
        model_str(r, "count", U64(0, st->errors[i].count));
        model_str(r, "pct_errors", PCT(0, st->errors[i].pct_errors));
        model_str(r, "pct_samples", PCT(0, st->errors[i].pct_samples));
    }
    for (i = 0; i <= st->nrows && top->n < MAX_HTML_LABELS; i++) {
        /* JMeter's "Top 5 errors by sampler": Total first, then every
         * non-controller label with errors */
        const struct jtl_stats_row *row =
            i == 0 ? &st->total : &st->rows[i - 1];
        struct mrec *r;
        struct mlist *items;
        if (row->errors == 0 || (i > 0 && row->is_controller))
            continue;
        r = model_add(top);
        model_strn(r, "label", row->label, row->label_len);
        model_str(r, "samples", U64(0, row->samples));
        model_str(r, "errors", U64(0, row->errors));
        items = model_list(r, "items");
        for (k = 0; k < row->ntop_errors; k++) {
            struct mrec *it = model_add(items);
            model_strn(it, "key", row->top_errors[k].key,
                       row->top_errors[k].len);
            model_str(it, "count", U64(0, row->top_errors[k].count));
        }
    }
}

static void kv_num(struct mlist *l, const char *name, double v, int dec,
                   const char *unit)
{
    char s[96];

    if (!isfinite(v))
        return;
    snprintf(s, sizeof(s), "%s%s%s", NUM(0, v, dec), unit ? " " : "",
             unit ? unit : "");
    model_kv(l, name, s);
}

static void build_throttle(struct mrec *m, const struct jtl_report_input *in,
                           const struct jtl_run_info *run)
{
    const char *tz = run ? run->tz : NULL;
    const struct jtl_throttle_result *th = in->throttle;
    const struct jtl_throttle_scope *sc;
    const struct jtl_throttle_limit *l;
    const struct jtl_throttle_retry *ra;
    struct mlist *lim, *ons, *lims, *bur, *ret, *rav, *com, *pac, *scs;
    char s[256], w[96];
    size_t i;

    model_flag(m, "has_throttle", th != NULL);
    model_str(m, "throttle_codes", jtl_rfmt_codes(s, sizeof(s), th));
    lim = model_list(m, "limit_rows");
    ons = model_list(m, "onset_rows");
    lims = model_list(m, "limiters");
    bur = model_list(m, "bursts");
    ret = model_list(m, "retry_rows");
    rav = model_list(m, "ra_values");
    com = model_list(m, "compliance_rows");
    pac = model_list(m, "pacing_rows");
    scs = model_list(m, "scopes");
    if (!th) {
        model_flag(m, "throttled", false);
        model_flag(m, "has_pacing", false);
        return;
    }
    sc = &th->run;
    l = &sc->limit;
    ra = &sc->retry;
    model_flag(m, "throttled", sc->throttled > 0);

    model_kv(lim, "Verdict", jtl_rfmt_verdict_word(sc->verdict));
    if (sc->mechanism != JTL_MECH_NULL)
        model_kv(lim, "Mechanism", jtl_rfmt_mechanism(sc->mechanism));
    model_kv(lim, "Limit", jtl_rfmt_limit(s, sizeof(s), sc->mechanism, l));
    if (sc->limit_scope)
        model_kv(lim, "Applies to", sc->limit_scope);
    if (th->advertised && isfinite(th->advertised->limit)) {
        const struct jtl_throttle_advertised *a = th->advertised;
        if (isfinite(a->window_s))
            snprintf(s, sizeof(s), "%g requests per %g s (%s headers)%s",
                     a->limit, a->window_s, a->source,
                     a->agrees == 1   ? "; agrees with the limit found"
                     : a->agrees == 0 ? "; differs from the limit found"
                                      : "");
        else
            snprintf(s, sizeof(s), "%g requests (%s headers, no window)",
                     a->limit, a->source);
        model_kv(lim, "Advertised by the server", s);
    }
    kv_num(lim, "Sustained rate", l->rate_per_s, 2, "req/s");
    kv_num(lim, "Burst", l->burst, 0, "requests");
    kv_num(lim, "Window", l->window_s, 3, "s");
    kv_num(lim, "Accepted per window", l->per_window, 0, NULL);
    kv_num(lim, "Concurrency", l->concurrency, 0, "in flight");
    if (isfinite(l->envelope_rate_per_s) && isfinite(l->envelope_burst)) {
        snprintf(s, sizeof(s), "%s + %s req/s \xC3\x97 W",
                 NUM(0, l->envelope_burst, 1),
                 NUM(1, l->envelope_rate_per_s, 2));
        model_kv(lim, "Envelope (most accepted in W s)", s);
    }
    kv_num(lim, "Most accepted in 1 s", l->max_accepted_1s, 0, NULL);
    kv_num(lim, "Most accepted in 10 s", l->max_accepted_10s, 0, NULL);
    kv_num(lim, "Most accepted in 60 s", l->max_accepted_60s, 0, NULL);
    kv_num(lim, "Accepted per second while throttled",
           l->saturated_accepted_per_s, 1, "req/s");
    kv_num(lim, "Mean response time of accepted", l->mean_accepted_elapsed_ms,
           1, "ms");
    kv_num(lim, "In flight by Little's law", l->little_concurrency, 2, NULL);
    if (sc->where) {
        snprintf(s, sizeof(s), "%s (median 429 %s ms vs accepted %s ms)",
                 sc->where, NUM(0, sc->elapsed_429_ms, 0),
                 NUM(1, sc->elapsed_ok_ms, 0));
        model_kv(lim, "Decided at", s);
    }

    snprintf(s, sizeof(s), "%s of %s (%s)", U64(0, sc->throttled),
             U64(1, sc->samples),
             PCT(2, share_pct(sc->throttled, sc->samples)));
    model_kv(ons, "Refused requests", s);
    if (sc->first_429_ts) {
        model_kv(
            ons, "First refusal",
            jtl_rfmt_when(s, sizeof(s), sc->first_429_ts, th->first_ts, tz));
        kv_num(ons, "Requests sent before it", sc->first_429_before, 0, NULL);
    }
    kv_num(ons, "Offered in the second before it", sc->first_429_offered_per_s,
           1, "req/s");
    kv_num(ons, "Accepted in the second before it",
           sc->first_429_accepted_per_s, 1, "req/s");
    if (sc->first_429_threads >= 0) {
        snprintf(s, sizeof(s), "%d", sc->first_429_threads);
        model_kv(ons, "Threads active at the first refusal", s);
    }
    if (isfinite(sc->rampup_end_s)) {
        snprintf(s, sizeof(s), "+%s s (the last thread's first request)",
                 NUM(0, sc->rampup_end_s, 1));
        model_kv(ons, "Ramp-up", s);
    }
    if (th->ngenerators > 1) {
        struct jtl_buf gb;
        jtl_buf_init(&gb, 0);
        for (i = 0; i < th->ngenerators && i < 8; i++)
            jtl_buf_printf(&gb, "%s%s (%llu threads)", i ? ", " : "",
                           th->generators[i].name,
                           (unsigned long long)th->generators[i].threads);
        if (th->ngenerators > 8)
            jtl_buf_printf(&gb, " and %zu more", th->ngenerators - 8);
        model_kv(ons, "Load generators", gb.p);
        jtl_buf_release(&gb);
    }
    if (sc->max_threads >= 0) {
        snprintf(s, sizeof(s), "%d", sc->max_threads);
        model_kv(ons, "Most active threads", s);
    }
    if (sc->predictor[0] && isfinite(sc->auc)) {
        snprintf(s, sizeof(s), "%s (AUC %s)", sc->predictor,
                 NUM(0, sc->auc, 3));
        model_kv(ons, "Best predictor of a refusal", s);
    }
    model_kv(ons, "Bursts of refusals", U64(0, sc->bursts_total));

    for (i = 0; i < sc->nlimiters; i++) {
        const struct jtl_throttle_limiter *lm = &sc->limiters[i];
        struct mrec *r = model_add(lims);
        struct jtl_buf b;
        size_t k;

        model_str(r, "name", lm->name);
        model_str(r, "mechanism", jtl_rfmt_mechanism(lm->mechanism));
        model_str(r, "limit",
                  jtl_rfmt_limit(s, sizeof(s), lm->mechanism, &lm->limit));
        model_str(r, "share", PCT(0, 100.0 * lm->share));
        if (isfinite(lm->retry_after_s))
            model_fmt(r, "retry_after", "%g s", lm->retry_after_s);
        else
            model_str(r, "retry_after", JTL_DASH);
        jtl_buf_init(&b, 0);
        for (k = 0; k < lm->nlabels; k++)
            jtl_buf_printf(&b, "%s%s", k ? "; " : "", lm->labels[k]);
        model_strn(r, "labels", b.p ? b.p : "", b.len);
        jtl_buf_release(&b);
    }
    model_flag(m, "has_limiters", sc->nlimiters > 0);

    for (i = 0; i < sc->nbursts; i++) {
        const struct jtl_throttle_burst *bu = &sc->bursts[i];
        struct mrec *r = model_add(bur);
        model_str(r, "start",
                  jtl_rfmt_when(w, sizeof(w), bu->start_ts, th->first_ts, tz));
        model_str(r, "end",
                  jtl_rfmt_when(w, sizeof(w), bu->end_ts, th->first_ts, tz));
        model_str(r, "count", U64(0, bu->count));
        model_str(r, "peak", NUM(0, bu->peak_per_s, 0));
        model_str(r, "offered", NUM(0, bu->offered_per_s, 1));
        model_str(r, "accepted", NUM(0, bu->accepted_per_s, 1));
        if (bu->threads >= 0)
            model_fmt(r, "threads", "%d", bu->threads);
        else
            model_str(r, "threads", JTL_DASH);
    }
    model_flag(m, "has_bursts", sc->nbursts > 0);
    if (sc->bursts_total > sc->nbursts)
        model_fmt(m, "bursts_note",
                  "%zu of %llu bursts are listed (the longest).", sc->nbursts,
                  (unsigned long long)sc->bursts_total);
    else
        model_str(m, "bursts_note", "");

    model_kv(ret, "Found in",
             ra->source ? ra->source : "not found in the file");
    snprintf(s, sizeof(s), "%s of %s", U64(0, ra->count),
             U64(1, ra->count + ra->missing));
    model_kv(ret, "Refusals with Retry-After", s);
    if (ra->nvalues) {
        if (ra->dynamic && isfinite(ra->reset_spacing_s))
            snprintf(s, sizeof(s),
                     "counts down to resets every %s s (a window)",
                     NUM(0, ra->reset_spacing_s, 1));
        else if (ra->dynamic)
            snprintf(s, sizeof(s), "counts down to common reset instants");
        else if (ra->nvalues == 1)
            snprintf(s, sizeof(s), "constant, %g s", ra->values[0].seconds);
        else
            snprintf(s, sizeof(s), "%zu values, %g to %g s", ra->nvalues,
                     ra->values[0].seconds,
                     ra->values[ra->nvalues - 1].seconds);
        model_kv(ret, "Values", s);
    }
    for (i = 0; i < ra->nvalues && i < 60; i++) {
        struct mrec *r = model_add(rav);
        model_fmt(r, "seconds", "%g", ra->values[i].seconds);
        model_str(r, "count", U64(0, ra->values[i].count));
    }
    model_flag(m, "has_ra_values", ra->nvalues > 1);

    if (ra->wait_q) {
        snprintf(s, sizeof(s), "median %s s (p10 %s, p90 %s s)",
                 NUM(0, ra->wait_q[50], 2), NUM(1, ra->wait_q[10], 2),
                 NUM(2, ra->wait_q[90], 2));
        model_kv(com, "Wait after a refusal", s);
    }
    if (ra->wait_success_q) {
        snprintf(s, sizeof(s), "median %s s (p10 %s, p90 %s s)",
                 NUM(0, ra->wait_success_q[50], 2),
                 NUM(1, ra->wait_success_q[10], 2),
                 NUM(2, ra->wait_success_q[90], 2));
        model_kv(com, "Wait after a success (their usual wait)", s);
    }
    if (ra->reaction)
        model_kv(com, "Reaction to refusals",
                 strcmp(ra->reaction, "none") == 0 ? "none: the same wait"
                 : strcmp(ra->reaction, "longer") == 0
                     ? (ra->honoured
                            ? "they waited longer, at least Retry-After"
                            : "they waited longer, not always Retry-After")
                     : "they re-sent sooner than usual");
    model_kv(com, "Next requests after a refusal with Retry-After",
             U64(0, ra->pairs));
    if (ra->pairs) {
        snprintf(s, sizeof(s), "%s (%s; 95 %% interval %s\xE2\x80\x93%s %%)",
                 U64(0, ra->compliant), PCT(1, 100 * ra->compliance),
                 NUM(2, 100 * ra->compliance_lo, 1),
                 NUM(3, 100 * ra->compliance_hi, 1));
        model_kv(com, "Waited at least Retry-After", s);
        model_kv(com, "Re-sent before Retry-After ran out", U64(0, ra->early));
        kv_num(com, "Median wait / Retry-After", ra->median_gap_ratio, 2, NULL);
    }
    if (isfinite(ra->p429_after_early))
        model_kv(com, "Refused again after an early re-send",
                 PCT(0, 100 * ra->p429_after_early));
    if (isfinite(ra->p429_after_compliant))
        model_kv(com, "Refused again after waiting Retry-After",
                 PCT(0, 100 * ra->p429_after_compliant));
    if (isfinite(ra->amplification))
        model_kv(com, "Early re-sends among all requests",
                 PCT(0, 100 * ra->amplification));
    if (ra->first_attempts) {
        snprintf(s, sizeof(s), "%s of %s first attempts (%s)",
                 U64(0, ra->first_attempt_throttled),
                 U64(1, ra->first_attempts),
                 PCT(2, 100 * ra->first_attempt_429_share));
        model_kv(com, "Refused among first attempts", s);
        kv_num(com, "Rate of first attempts", ra->first_attempt_rate_per_s, 1,
               "req/s");
    }

    model_flag(m, "has_pacing", isfinite(sc->pacing.target_rate_per_s));
    model_str(m, "pacing_basis", sc->pacing.basis ? sc->pacing.basis : "");
    kv_num(pac, "Safe target rate", sc->pacing.target_rate_per_s, 1, "req/s");
    kv_num(pac, "Constant Throughput Timer, all active threads (shared)",
           sc->pacing.constant_throughput_per_min, 0, "samples/min");
    if (th->ngenerators > 1 && isfinite(sc->pacing.constant_throughput_per_min))
        for (i = 0; i < th->ngenerators; i++) {
            uint64_t all = 0;
            size_t k;
            char name[300];
            for (k = 0; k < th->ngenerators; k++)
                all += th->generators[k].threads;
            snprintf(name, sizeof(name),
                     "\xE2\x80\xA6 on load generator %s (its %llu threads)",
                     th->generators[i].name,
                     (unsigned long long)th->generators[i].threads);
            kv_num(pac, name,
                   all ? sc->pacing.constant_throughput_per_min *
                             (double)th->generators[i].threads / (double)all
                       : NAN,
                   0, "samples/min");
        }
    kv_num(pac, "Constant Throughput Timer, this thread only",
           sc->pacing.per_thread_per_min, 1, "samples/min");
    kv_num(pac, "Threads in this test", sc->pacing.threads, 0, NULL);
    kv_num(pac, "Threads needed for the target (Little's law)",
           sc->pacing.threads_needed, 1, NULL);
    kv_num(pac, "At most threads (concurrency limit)", sc->pacing.max_threads,
           0, NULL);
    kv_num(pac, "Ramp-up at least", sc->pacing.ramp_up_s, 1, "s");
    if (isfinite(sc->pacing.margin))
        model_kv(pac, "Safety margin", PCT(0, 100 * sc->pacing.margin));

    for (i = 0; i < th->nscopes; i++) {
        const struct jtl_throttle_scope *x = &th->scopes[i];
        struct mrec *r = model_add(scs);
        model_str(r, "kind",
                  x->kind == JTL_SCOPE_LABEL   ? "label"
                  : x->kind == JTL_SCOPE_GROUP ? "thread group"
                                               : "run");
        if (x->labels > 1)
            model_fmt(r, "name", "%s (%llu labels)", x->name,
                      (unsigned long long)x->labels);
        else
            model_str(r, "name", x->name);
        model_str(r, "samples", U64(0, x->samples));
        model_str(r, "throttled", U64(0, x->throttled));
        model_str(r, "share", PCT(0, share_pct(x->throttled, x->samples)));
        model_str(r, "verdict",
                  x->too_few ? "too few requests alone"
                             : jtl_rfmt_verdict_word(x->verdict));
        model_str(r, "limit",
                  x->verdict == JTL_VERDICT_THRESHOLD
                      ? jtl_rfmt_limit(s, sizeof(s), x->mechanism, &x->limit)
                      : JTL_DASH);
    }
    model_flag(m, "has_scopes", th->nscopes > 0);
}

static void build_info(struct mrec *m, const struct jtl_report_input *in,
                       const struct jtl_run_info *run)
{
    const struct jtl_stats_result *st = in->stats;
    struct mlist *info = model_list(m, "info_rows");
    struct mlist *files = model_list(m, "files");
    char a[64], b[64], s[256];
    size_t i;

    if (st && st->last_end > st->first_start) {
        snprintf(
            s, sizeof(s), "%s to %s",
            jtl_rfmt_time(a, sizeof(a), st->first_start, run ? run->tz : NULL),
            jtl_rfmt_time(b, sizeof(b), st->last_end, run ? run->tz : NULL));
        model_kv(info, "Time range", s);
        model_kv(info, "Duration",
                 jtl_rfmt_duration(a, sizeof(a),
                                   (double)(st->last_end - st->first_start) /
                                       1000.0));
    }
    if (run) {
        model_kv(info, "Samples read", U64(0, run->samples));
        if (run->filtered)
            model_kv(info, "Left out by --from/--to/--include/--exclude",
                     U64(0, run->filtered));
        model_kv(info, "Malformed records skipped", U64(0, run->skipped));
        model_kv(info, "Warnings", U64(0, run->warnings));
    }
    if (st) {
        jtl_stats_method_text(st, s, sizeof(s));
        model_kv(info, "Percentiles", s);
        snprintf(s, sizeof(s), "T = %lld ms, F = %lld ms",
                 (long long)st->apdex_t, (long long)st->apdex_f);
        model_kv(info, "APDEX thresholds", s);
        model_kv(info, "Labels", U64(0, st->nrows));
        if (st->tc_parents)
            model_kv(info, "Transaction controller samples",
                     U64(0, st->tc_parents));
        if (st->subresults_skipped)
            model_kv(info, "Sub-samples not counted (no --subresults)",
                     U64(0, st->subresults_skipped));
        if (st->labels_folded)
            model_kv(info, "Samples folded into \"(other labels)\"",
                     U64(0, st->labels_folded));
    }
    if (in->throttle) {
        if (in->throttle->excluded)
            model_kv(info,
                     "Left out of the 429 analysis (controllers, "
                     "sub-samples)",
                     U64(0, in->throttle->excluded));
        if (in->throttle->unusable)
            model_kv(info, "Samples without a timestamp",
                     U64(0, in->throttle->unusable));
    }
    for (i = 0; run && i < run->nfiles; i++) {
        const struct jtl_file_info *f = &run->files[i];
        struct mrec *r = model_add(files);
        model_str(r, "name", f->name);
        model_fmt(r, "format", "%s%s",
                  f->counts.format == JTL_FORMAT_XML   ? "XML"
                  : f->counts.format == JTL_FORMAT_CSV ? "CSV"
                                                       : JTL_DASH,
                  f->gzip ? ", gzip" : "");
        model_str(r, "records", U64(0, f->counts.records));
        model_str(r, "samples", U64(0, f->counts.samples));
        model_str(r, "skipped", U64(0, f->counts.skipped));
        if (f->failed)
            model_fmt(r, "status", "not read: %s", f->error);
        else if (f->damaged)
            model_fmt(r, "status", "damaged: %s", f->error);
        else if (f->counts.truncated)
            model_str(r, "status", "truncated");
        else
            model_str(r, "status", "ok");
    }
}

/* {"statistics": ..., "throttle": ...} from the JSON files already written
 * into DIR, with every '<' as \u003c (valid JSON has '<' only inside
 * strings, where the escape means the same) and U+2028/2029 escaped, so
 * the block cannot end the <script> element whatever a writer did.  A file
 * over MAX_EMBED_JSON_BYTES is null here, and "not_embedded" gives its
 * size. */
static void build_data(struct mrec *m, const char *dir)
{
    static const char *const names[2] = {"statistics", "throttle"};
    struct jtl_buf b;
    int64_t big[2] = {-1, -1};
    size_t i, k;

    jtl_buf_init(&b, 0);
    jtl_buf_addc(&b, '{');
    for (i = 0; i < 2; i++) {
        char path[4096], *data = NULL;
        size_t len = 0;
        struct jtl_diag d;
        struct stat st;

        snprintf(path, sizeof(path), "%s/%s.json", dir, names[i]);
        if (stat(path, &st) == 0 && st.st_size > (off_t)MAX_EMBED_JSON_BYTES) {
            big[i] = (int64_t)st.st_size;
            jtl_buf_printf(&b, "%s\"%s\":null", b.len > 1 ? "," : "", names[i]);
            continue;
        }
        if (!page_file_exists(path) ||
            page_slurp(path, MAX_JSON_BYTES, &data, &len, &d) != JTL_OK)
            continue;
        while (len && (data[len - 1] == '\n' || data[len - 1] == ' '))
            len--;
        jtl_buf_printf(&b, "%s\"%s\":", b.len > 1 ? "," : "", names[i]);
        for (k = 0; k < len; k++) {
            unsigned char c = (unsigned char)data[k];
            if (c == '<')
                jtl_buf_adds(&b, "\\u003c");
            else if (c == 0xE2 && k + 2 < len &&
                     (unsigned char)data[k + 1] == 0x80 &&
                     ((unsigned char)data[k + 2] == 0xA8 ||
                      (unsigned char)data[k + 2] == 0xA9)) {
                jtl_buf_adds(&b, (unsigned char)data[k + 2] == 0xA8
                                     ? "\\u2028"
                                     : "\\u2029");
                k += 2;
            } else {
                jtl_buf_addc(&b, (char)c);
            }
        }
        free(data);
    }
    if (big[0] >= 0 || big[1] >= 0) {
        jtl_buf_adds(&b, ",\"not_embedded\":{");
        for (i = 0, k = 0; i < 2; i++)
            if (big[i] >= 0)
                jtl_buf_printf(&b, "%s\"%s.json\":%lld", k++ ? "," : "",
                               names[i], (long long)big[i]);
        jtl_buf_addc(&b, '}');
    }
    jtl_buf_addc(&b, '}');
    {
        size_t len;
        char *p = jtl_buf_detach(&b, &len);
        model_take(m, "data_json", p, len);
    }
}

enum jtl_err jtl_report_index_html(FILE *fp, const struct jtl_report_input *in,
                                   const struct jtl_run_info *run,
                                   struct jtl_diag *diag)
{
    const char *template_dir = in->template_dir, *dir = in->charts_dir;
    struct mrec model;
    struct jtl_tpl *tpl = NULL;
    char *html = NULL, *css = NULL, *js = NULL;
    size_t hlen = 0, clen = 0, jlen = 0;
    enum jtl_err err;

    memset(&model, 0, sizeof(model));
    err = page_template(template_dir, "report.html", &html, &hlen, diag);
    if (!err)
        err = page_template(template_dir, "report.css", &css, &clen, diag);
    if (!err)
        err = page_template(template_dir, "report.js", &js, &jlen, diag);
    if (!err)
        err = jtl_tpl_parse("report.html", html, hlen, &tpl, diag);
    if (err)
        goto out;
    model_take(&model, "css", css, clen);
    model_take(&model, "js", js, jlen);
    css = js = NULL;
    build_head(&model, in, run);
    build_check(&model, in);
    build_verdict(&model, in, run);
    err = page_charts(&model, in->charts, dir, !in->page_alone, diag);
    if (err)
        goto out;
    page_chart_library(&model, template_dir);
    build_stats(&model, in);
    build_throttle(&model, in, run);
    build_info(&model, in, run);
    build_data(&model, dir);
    err = jtl_tpl_render(tpl, fp, NULL, model_lookup, &model, diag);
out:
    jtl_tpl_free(tpl);
    model_free(&model);
    free(html);
    free(css);
    free(js);
    return err;
}
