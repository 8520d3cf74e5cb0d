/* SPDX-License-Identifier: MIT
 * throttle_text.c - the throttle result as a finding for a ticket,
 * in plain text or Markdown: the verdict in one sentence, the evidence
 * table, the limit, Retry-After, compliance, pacing, the other scopes, and
 * what could not be checked. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"

struct out {
    FILE *fp;
    bool md;
};

static bool known(double v)
{
    return v == v && !isinf(v);
}

/* Untrusted text (labels) inside Markdown: no table breaks, no HTML. */
static void put_text(const struct out *o, const char *s)
{
    if (!s)
        s = "";
    if (!o->md) {
        fputs(s, o->fp);
        return;
    }
    for (; *s; s++) {
        switch (*s) {
        case '|':
            fputs("\\|", o->fp);
            break;
        case '<':
            fputs("&lt;", o->fp);
            break;
        case '>':
            fputs("&gt;", o->fp);
            break;
        case '&':
            fputs("&amp;", o->fp);
            break;
        case '`':
        case '*':
        case '_':
        case '[':
        case ']':
        case '\\':
            fputc('\\', o->fp);
            fputc(*s, o->fp);
            break;
        case '\n':
        case '\r':
            fputc(' ', o->fp);
            break;
        default:
            fputc(*s, o->fp);
        }
    }
}

static void heading(const struct out *o, const char *h)
{
    if (o->md)
        fprintf(o->fp, "\n## %s\n\n", h);
    else
        fprintf(o->fp, "\n%s\n", h);
}

static void item(const struct out *o)
{
    fputs(o->md ? "- " : "  ", o->fp);
}

static void fmt_num(char *b, size_t n, double v, int dec)
{
    if (!known(v))
        snprintf(b, n, "-");
    else
        snprintf(b, n, "%.*f", dec, v);
}

static void fmt_stat(char *b, size_t n, double v)
{
    if (!known(v))
        snprintf(b, n, "n/a");
    else if (fabs(v) >= 1000 || (v == floor(v) && fabs(v) < 1e9))
        snprintf(b, n, "%.0f", v);
    else if (fabs(v) < 0.001)
        snprintf(b, n, "%.2g", v);
    else
        snprintf(b, n, "%.3f", v);
}

static void limit_words(const struct jtl_throttle_scope *sc, char *b, size_t n)
{
    const struct jtl_throttle_limit *l = &sc->limit;

    switch (sc->mechanism) {
    case JTL_MECH_RATE:
    case JTL_MECH_DISTRIBUTED:
    case JTL_MECH_STACKED:
        if (known(l->rate_per_s) && known(l->burst))
            snprintf(b, n, "%.1f/s, burst %g", l->rate_per_s, l->burst);
        else if (known(l->rate_per_s))
            snprintf(b, n, "%.1f/s", l->rate_per_s);
        else
            snprintf(b, n, "-");
        break;
    case JTL_MECH_FIXED_WINDOW:
    case JTL_MECH_SLIDING_WINDOW:
        if (known(l->per_window))
            snprintf(b, n, "%g per %g s", l->per_window, l->window_s);
        else
            snprintf(b, n, "-");
        break;
    case JTL_MECH_CONCURRENCY:
        if (known(l->concurrency))
            snprintf(b, n, "%g in flight", l->concurrency);
        else
            snprintf(b, n, "-");
        break;
    default:
        snprintf(b, n, "-");
    }
}

static void evidence(const struct out *o, const struct jtl_throttle_scope *sc)
{
    size_t i;
    char st[32], th[32];

    if (!sc->ntests)
        return;
    heading(o, "Evidence");
    if (o->md)
        fputs("| test | on | statistic | threshold | result |\n"
              "|---|---|---:|---:|---|\n",
              o->fp);
    else
        fprintf(o->fp, "  %-34s %-42s %10s %12s  %s\n", "test", "on",
                "statistic", "threshold", "result");
    for (i = 0; i < sc->ntests; i++) {
        const struct jtl_throttle_test *t = &sc->tests[i];
        const char *res = t->pass < 0 ? "not run" : t->pass ? "pass" : "fail";
        char thr[48];
        fmt_stat(st, sizeof(st), t->statistic);
        fmt_stat(th, sizeof(th), t->threshold);
        snprintf(thr, sizeof(thr), "%s %s", t->op, th);
        if (o->md) {
            fputs("| ", o->fp);
            put_text(o, t->test);
            fputs(" | ", o->fp);
            put_text(o, t->detail);
            fprintf(o->fp, " | %s | %s | %s |\n", st, thr, res);
        } else {
            fprintf(o->fp, "  %-34s %-42.42s %10s %12s  %s\n", t->test,
                    t->detail, st, thr, res);
        }
    }
}

static void limit(const struct out *o, const struct jtl_throttle_result *r)
{
    const struct jtl_throttle_scope *sc = &r->run;
    const struct jtl_throttle_limit *l = &sc->limit;
    char a[32], b[32], c[32];
    size_t i;

    heading(o, "Limit");
    item(o);
    if (sc->limit_scope && strcmp(sc->limit_scope, "per label") == 0) {
        const char *m = jtl_throttle_mechanism_name(sc->mechanism);
        fprintf(o->fp, "%s limits, one per label:\n", m ? m : "unknown");
        for (i = 0; i < r->nscopes; i++) {
            const struct jtl_throttle_scope *ls = &r->scopes[i];
            char w[96];
            if (ls->kind != JTL_SCOPE_LABEL || ls->throttled == 0)
                continue;
            limit_words(ls, w, sizeof(w));
            fputs(o->md ? "  - " : "    ", o->fp);
            put_text(o, ls->name);
            fprintf(o->fp, ": %s %s\n",
                    ls->mechanism ? jtl_throttle_mechanism_name(ls->mechanism)
                                  : jtl_throttle_verdict_name(ls->verdict),
                    w);
        }
        goto described;
    }
    switch (sc->mechanism) {
    case JTL_MECH_RATE:
    case JTL_MECH_DISTRIBUTED:
    case JTL_MECH_STACKED:
        fmt_num(a, sizeof(a), l->rate_per_s, 1);
        fprintf(o->fp, "%s: %s requests/s",
                jtl_throttle_mechanism_name(sc->mechanism), a);
        if (known(l->burst))
            fprintf(o->fp, ", burst %g (%g accepted at once)", l->burst,
                    l->burst + 1);
        break;
    case JTL_MECH_FIXED_WINDOW:
        fprintf(o->fp, "fixed window: %g requests per %g s", l->per_window,
                l->window_s);
        if (l->window_aligned)
            fputs(", windows start at clock multiples of the window", o->fp);
        else if (known(l->window_phase_s))
            fprintf(o->fp, ", windows start %.2f s after clock multiples",
                    l->window_phase_s);
        break;
    case JTL_MECH_SLIDING_WINDOW:
        fprintf(o->fp, "sliding window: %g requests in any %g s", l->per_window,
                l->window_s);
        break;
    case JTL_MECH_CONCURRENCY:
        fprintf(o->fp, "concurrency: %g requests in flight", l->concurrency);
        break;
    case JTL_MECH_UNKNOWN:
        fputs("limiter type not identified", o->fp);
        break;
    case JTL_MECH_NULL:
        fputs("no limit estimated (no threshold verdict)", o->fp);
        break;
    }
    if (sc->limit_scope && sc->limit_scope[0]) {
        fputs("; ", o->fp);
        put_text(o, sc->limit_scope);
    }
    fputc('\n', o->fp);
described:
    for (i = 0; i < sc->nlimiters; i++) {
        const struct jtl_throttle_limiter *L = &sc->limiters[i];
        struct jtl_throttle_scope tmp;
        char w[96];
        memset(&tmp, 0, sizeof(tmp));
        tmp.mechanism = L->mechanism;
        tmp.limit = L->limit;
        limit_words(&tmp, w, sizeof(w));
        item(o);
        fprintf(o->fp, "limiter %d, ", L->order);
        put_text(o, L->name);
        fprintf(o->fp, ": %s %s, %.0f %% of these 429s",
                L->mechanism ? jtl_throttle_mechanism_name(L->mechanism)
                             : "unknown",
                w, L->share * 100);
        if (known(L->retry_after_s))
            fprintf(o->fp, ", Retry-After %g", L->retry_after_s);
        if (known(L->bytes))
            fprintf(o->fp, ", %g bytes", L->bytes);
        fputc('\n', o->fp);
    }
    fmt_num(a, sizeof(a), l->max_accepted_1s, 0);
    fmt_num(b, sizeof(b), l->max_accepted_10s, 0);
    fmt_num(c, sizeof(c), l->max_accepted_60s, 0);
    item(o);
    fprintf(o->fp, "most accepted in any 1 s / 10 s / 60 s: %s / %s / %s\n", a,
            b, c);
    if (known(l->saturated_accepted_per_s)) {
        item(o);
        fprintf(o->fp, "accepted while throttled: %.1f/s",
                l->saturated_accepted_per_s);
        if (known(l->mean_accepted_elapsed_ms))
            fprintf(o->fp, ", mean elapsed %.1f ms",
                    l->mean_accepted_elapsed_ms);
        fputc('\n', o->fp);
    }
    if (known(l->envelope_rate_per_s)) {
        item(o);
        fprintf(o->fp, "envelope of accepted requests: %.1f + %.1f/s x W\n",
                l->envelope_burst, l->envelope_rate_per_s);
    }
    if (known(sc->first_429_s)) {
        item(o);
        fprintf(o->fp,
                "first 429 at +%.1f s: %.0f requests offered and %.0f "
                "accepted in the second before",
                sc->first_429_s, sc->first_429_offered_per_s,
                sc->first_429_accepted_per_s);
        if (sc->first_429_threads >= 0)
            fprintf(o->fp, ", %d threads active", sc->first_429_threads);
        if (sc->max_threads > 0 && known(sc->rampup_end_s))
            fprintf(o->fp, " (ramp-up reached %d at +%.1f s)", sc->max_threads,
                    sc->rampup_end_s);
        fputc('\n', o->fp);
    }
    if (sc->bursts_total) {
        const struct jtl_throttle_burst *big = &sc->bursts[0];
        for (i = 1; i < sc->nbursts; i++)
            if (sc->bursts[i].count > big->count)
                big = &sc->bursts[i];
        item(o);
        fprintf(o->fp,
                "bursts of 429s: %llu; the largest from +%.1f s to "
                "+%.1f s, %llu 429s, peak %.0f/s, after %.0f offered/s\n",
                (unsigned long long)sc->bursts_total, big->start_s, big->end_s,
                (unsigned long long)big->count, big->peak_per_s,
                big->offered_per_s);
    }
    if (known(sc->elapsed_429_ms) && known(sc->elapsed_ok_ms)) {
        item(o);
        fprintf(o->fp, "median elapsed: 429 %.0f ms, accepted %.0f ms%s%s\n",
                sc->elapsed_429_ms, sc->elapsed_ok_ms, sc->where ? ": " : "",
                sc->where ? sc->where : "");
    }
}

static void retry(const struct out *o, const struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_retry *r = &sc->retry;
    size_t i;

    heading(o, "Retry-After");
    if (!r->count) {
        item(o);
        fprintf(o->fp,
                "no Retry-After values on the %llu throttled "
                "samples\n",
                (unsigned long long)sc->throttled);
    } else {
        item(o);
        fputs("values:", o->fp);
        for (i = 0; i < r->nvalues && i < 12; i++)
            fprintf(o->fp, "%s %g s x %llu", i ? "," : "", r->values[i].seconds,
                    (unsigned long long)r->values[i].count);
        if (r->nvalues > 12)
            fprintf(o->fp, ", ... (%zu distinct)", r->nvalues);
        fprintf(o->fp, " (from the %s%s)\n", r->source ? r->source : "file",
                r->missing ? "; some 429s had none" : "");
        item(o);
        if (r->dynamic) {
            fprintf(o->fp, "dynamic: counts down to common reset instants");
            if (known(r->reset_spacing_s))
                fprintf(o->fp, " %.1f s apart (a window edge)",
                        r->reset_spacing_s);
            fputc('\n', o->fp);
        } else {
            fputs(r->nvalues == 1 ? "constant\n"
                                  : "not counting down to a common instant\n",
                  o->fp);
        }
    }
    heading(o, "Compliance");
    if (r->pairs) {
        item(o);
        fprintf(o->fp,
                "%.1f %% of %llu (429, next request of the same "
                "thread) pairs waited Retry-After (95 %% CI %.1f-%.1f %%); "
                "median gap %.2f x Retry-After\n",
                r->compliance * 100, (unsigned long long)r->pairs,
                r->compliance_lo * 100, r->compliance_hi * 100,
                r->median_gap_ratio);
        if (r->wait_q) {
            item(o);
            fprintf(o->fp,
                    "wait from a 429 to the next request: %.3f s "
                    "(p10), %.3f s (median), %.3f s (p90)\n",
                    r->wait_q[10], r->wait_q[50], r->wait_q[90]);
        }
        item(o);
        fprintf(o->fp, "early re-sends: %llu (%.1f %% of requests)",
                (unsigned long long)r->early, r->amplification * 100);
        if (known(r->p429_after_early))
            fprintf(o->fp, "; %.0f %% of them throttled again",
                    r->p429_after_early * 100);
        if (known(r->p429_after_compliant))
            fprintf(o->fp, ", against %.0f %% after waiting",
                    r->p429_after_compliant * 100);
        fputc('\n', o->fp);
        item(o);
        fprintf(o->fp,
                "first attempts only: %llu requests, %.1f %% "
                "throttled, %.1f/s\n",
                (unsigned long long)r->first_attempts,
                r->first_attempt_429_share * 100, r->first_attempt_rate_per_s);
    } else {
        item(o);
        fputs("not checked (no Retry-After values)", o->fp);
        if (known(r->median_gap_s))
            fprintf(o->fp,
                    "; after a 429 threads sent their next request "
                    "after a median %.3f s",
                    r->median_gap_s);
        fputc('\n', o->fp);
    }
}

static void pacing(const struct out *o, const struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_pacing *p = &sc->pacing;

    heading(o, "Pacing");
    if (!known(p->target_rate_per_s)) {
        item(o);
        put_text(o, p->basis ? p->basis : "no advice");
        fputc('\n', o->fp);
        return;
    }
    item(o);
    fprintf(o->fp, "target %.1f requests/s (", p->target_rate_per_s);
    put_text(o, p->basis ? p->basis : "");
    fputs(")\n", o->fp);
    item(o);
    fprintf(o->fp,
            "Constant Throughput Timer: %.0f samples/min with \"all "
            "active threads in current thread group (shared)\"",
            p->constant_throughput_per_min);
    if (known(p->per_thread_per_min))
        fprintf(o->fp, ", or %.1f/min with \"this thread only\" (%g threads)",
                p->per_thread_per_min, p->threads);
    fputc('\n', o->fp);
    if (known(p->threads_needed)) {
        item(o);
        fprintf(o->fp, "threads needed to reach it (Little's law): %g\n",
                p->threads_needed);
    }
    if (known(p->max_threads)) {
        item(o);
        fprintf(o->fp, "at most %g threads (requests in flight)\n",
                p->max_threads);
    }
    if (known(p->ramp_up_s)) {
        item(o);
        fprintf(o->fp,
                "ramp-up at least %.1f s, so thread starts do not "
                "exceed the burst\n",
                p->ramp_up_s);
    }
    item(o);
    fprintf(o->fp,
            "margin %.0f %%; add Retry-After handling if the test "
            "must run through throttling\n",
            p->margin * 100);
}

static void scopes(const struct out *o, const struct jtl_throttle_result *r)
{
    size_t i;

    if (!r->nscopes)
        return;
    heading(o, "Per label and thread group");
    if (o->md)
        fputs("| scope | name | samples | 429 | verdict | mechanism | limit "
              "| pace (CTT/min) |\n|---|---|---:|---:|---|---|---|---:|\n",
              o->fp);
    else
        fprintf(o->fp, "  %-6s %-44s %8s %8s  %-12s %-14s %-18s %s\n", "scope",
                "name", "samples", "429", "verdict", "mechanism", "limit",
                "pace (CTT/min)");
    for (i = 0; i < r->nscopes; i++) {
        const struct jtl_throttle_scope *sc = &r->scopes[i];
        const char *mech = jtl_throttle_mechanism_name(sc->mechanism);
        char w[96];
        limit_words(sc, w, sizeof(w));
        char pace[32];
        if (known(sc->pacing.constant_throughput_per_min))
            snprintf(pace, sizeof(pace), "%.0f",
                     sc->pacing.constant_throughput_per_min);
        else
            snprintf(pace, sizeof(pace), "-");
        if (o->md) {
            fprintf(o->fp, "| %s | ", jtl_throttle_scope_kind_name(sc->kind));
            put_text(o, sc->name);
            fprintf(o->fp, " | %llu | %llu | %s | %s | %s | %s |\n",
                    (unsigned long long)sc->samples,
                    (unsigned long long)sc->throttled,
                    jtl_throttle_verdict_name(sc->verdict), mech ? mech : "-",
                    w, pace);
        } else {
            fprintf(o->fp, "  %-6s %-44s %8llu %8llu  %-12s %-14s %-18s %s\n",
                    jtl_throttle_scope_kind_name(sc->kind), sc->name,
                    (unsigned long long)sc->samples,
                    (unsigned long long)sc->throttled,
                    jtl_throttle_verdict_name(sc->verdict), mech ? mech : "-",
                    w, pace);
        }
    }
    for (i = 0; i < r->nscopes; i++) {
        const struct jtl_throttle_scope *sc = &r->scopes[i];
        if (sc->verdict == JTL_VERDICT_NONE ||
            (sc->sentence && r->run.sentence &&
             strcmp(sc->sentence, r->run.sentence) == 0))
            continue;
        item(o);
        put_text(o, sc->name);
        fputs(": ", o->fp);
        put_text(o, sc->sentence);
        fputc('\n', o->fp);
    }
}

static void lists(const struct out *o, const char *h, char **v, size_t n)
{
    size_t i;

    if (!n)
        return;
    heading(o, h);
    for (i = 0; i < n; i++) {
        item(o);
        put_text(o, v[i]);
        fputc('\n', o->fp);
    }
}

static void write_all(const struct jtl_throttle_result *r, FILE *fp, bool md)
{
    struct out o = {fp, md};
    const struct jtl_throttle_scope *sc = &r->run;
    const char *mech = jtl_throttle_mechanism_name(sc->mechanism);

    if (md)
        fprintf(fp, "# Throttling (HTTP %s) analysis\n\n**Verdict: %s%s%s.** ",
                r->codes, jtl_throttle_verdict_name(sc->verdict),
                mech ? ", " : "", mech ? mech : "");
    else
        fprintf(fp, "Throttling (HTTP %s) analysis\n\nVERDICT: %s%s%s\n",
                r->codes, jtl_throttle_verdict_name(sc->verdict),
                mech ? " / " : "", mech ? mech : "");
    put_text(&o, sc->sentence);
    fputc('\n', fp);
    if (sc->verdict != JTL_VERDICT_NONE) {
        evidence(&o, sc);
        limit(&o, r);
        retry(&o, sc);
        pacing(&o, sc);
    }
    scopes(&o, r);
    lists(&o, "Not checked", sc->unchecked, sc->nunchecked);
    lists(&o, "Notes", sc->notes, sc->nnotes);
    if (r->excluded) {
        heading(&o, "Input");
        item(&o);
        fprintf(fp,
                "%llu transaction-controller parents and sub-results "
                "left out\n",
                (unsigned long long)r->excluded);
    }
}

enum jtl_err jtl_report_throttle_text(FILE *fp,
                                      const struct jtl_throttle_result *r,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag)
{
    (void)info;
    write_all(r, fp, false);
    return jtl_write_status(fp, diag);
}

enum jtl_err jtl_report_throttle_md(FILE *fp,
                                    const struct jtl_throttle_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag)
{
    (void)info;
    write_all(r, fp, true);
    return jtl_write_status(fp, diag);
}
