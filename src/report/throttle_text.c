/* SPDX-License-Identifier: MIT
 * throttle_text.c - the throttle result as a finding for a ticket, in plain
 * text or Markdown: what was read, the verdict with its confidence, why in
 * plain words (each finding with its chart), the limit, Retry-After and
 * what the clients did, pacing, the labels and groups, and what could not
 * be checked; the statistical tests themselves with --verbose. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jtl/io/timefmt.h"
#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"
#include "textfmt.h"

struct out {
    FILE *fp;
    bool md;
    const char *tz; /* the zone of clock times */
    int64_t t0;     /* the run's start, epoch ms */
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
        /* no terminal control sequence from a label reaches the screen */
        for (; *s; s++)
            fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, o->fp);
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

/* "08:31:14.033 UTC (+4.4 s)" */
static void put_when(const struct out *o, int64_t ts)
{
    char clock[64];

    jtl_clock_format(ts, o->tz, JTL_CLOCK_TIME, clock, sizeof(clock));
    fprintf(o->fp, "%s (+%.1f s)", clock, (double)(ts - o->t0) / 1000);
}

static const char *plural(uint64_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* What was read: requests, threads, generators, the time span. */
static void overview(const struct out *o, const struct jtl_throttle_result *r,
                     const struct jtl_run_info *info)
{
    const struct jtl_throttle_scope *sc = &r->run;
    char a[64], b[64];
    size_t i;

    if (o->md)
        fputs("# Throttling analysis\n\n", o->fp);
    else
        fputs("Throttling analysis\n", o->fp);
    if (info && info->nfiles) {
        fputs(o->md ? "Input: " : "Input: ", o->fp);
        for (i = 0; i < info->nfiles && i < 4; i++) {
            fputs(i ? ", " : "", o->fp);
            put_text(o, info->files[i].name);
        }
        if (info->nfiles > 4)
            fprintf(o->fp, " and %zu more", info->nfiles - 4);
        fputs(o->md ? "  \n" : "\n", o->fp);
    }
    fprintf(o->fp, "%llu %s", (unsigned long long)sc->samples,
            plural(sc->samples, "request", "requests"));
    if (sc->max_threads > 0)
        fprintf(o->fp, " from %d %s", sc->max_threads,
                plural((uint64_t)sc->max_threads, "thread", "threads"));
    fprintf(o->fp, " on %zu load %s", r->ngenerators,
            plural(r->ngenerators, "generator", "generators"));
    if (r->ngenerators > 1) {
        fputs(" (", o->fp);
        for (i = 0; i < r->ngenerators && i < 4; i++) {
            fputs(i ? ", " : "", o->fp);
            put_text(o, r->generators[i].name);
            fprintf(o->fp, ": %llu threads",
                    (unsigned long long)r->generators[i].threads);
        }
        fputs(r->ngenerators > 4 ? ", ...)" : ")", o->fp);
    }
    if (sc->samples) {
        jtl_clock_format(r->first_ts, o->tz, JTL_CLOCK_DATETIME, a, sizeof(a));
        jtl_clock_format(r->last_end, o->tz, JTL_CLOCK_TIME, b, sizeof(b));
        fprintf(o->fp, ", %s to %s (%.1f s)", a, b, sc->duration_s);
    }
    fputs(o->md ? "  \n" : "\n", o->fp);
    fputs("Codes analysed as refusals: ", o->fp);
    for (i = 0; i < r->nthrottle_codes; i++) {
        uint64_t n = jtl_throttle_code_count(r, r->throttle_codes[i]);
        if (n)
            fprintf(o->fp, "%s%d (%llu)", i ? ", " : "", r->throttle_codes[i],
                    (unsigned long long)n);
        else
            fprintf(o->fp, "%s%d (none)", i ? ", " : "", r->throttle_codes[i]);
    }
    if (r->message_regex) {
        fputs(", and messages matching '", o->fp);
        put_text(o, r->message_regex);
        fputs("'", o->fp);
    }
    fputs(o->md ? "  \n" : "\n", o->fp);
    if (r->requests_in_transactions) {
        fprintf(o->fp,
                "%llu requests inside %llu transaction samples (the "
                "controllers' own samples are not requests)",
                (unsigned long long)r->requests_in_transactions,
                (unsigned long long)r->transactions);
        if (r->standing_rows)
            fprintf(o->fp,
                    "; %llu controller rows stand for their %llu requests: "
                    "the file keeps no sub-results (JMeter before 5.0 in "
                    "\"Generate parent sample\" mode), so their times are "
                    "estimated",
                    (unsigned long long)r->standing_rows,
                    (unsigned long long)r->standing_requests);
        fputs(o->md ? "  \n" : "\n", o->fp);
    }
}

static void verdict_line(const struct out *o,
                         const struct jtl_throttle_scope *sc)
{
    char h[320];

    jtl_rfmt_headline(h, sizeof(h), sc);
    if (o->md && h[0] >= 'a' && h[0] <= 'z')
        h[0] = (char)(h[0] - 'a' + 'A');
    fputs(o->md ? "\n**Verdict: " : "\nVERDICT: ", o->fp);
    put_text(o, h);
    fputs(o->md ? ".**\n" : "\n", o->fp);
    if (sc->throttled)
        fprintf(o->fp, "%llu of %llu requests (%.1f %%) were refused.\n",
                (unsigned long long)sc->throttled,
                (unsigned long long)sc->samples,
                100.0 * (double)sc->throttled / (double)sc->samples);
}

static void why(const struct out *o, const struct jtl_throttle_scope *sc)
{
    size_t i;

    if (!sc->nwhy)
        return;
    heading(o, "Why");
    for (i = 0; i < sc->nwhy; i++) {
        fprintf(o->fp, o->md ? "%zu. " : "  %zu. ", i + 1);
        put_text(o, sc->why[i].text);
        if (sc->why[i].chart)
            fprintf(o->fp, o->md ? " (chart: `%s`)" : "  [%s]",
                    sc->why[i].chart);
        fputc('\n', o->fp);
    }
    if (sc->confidence) {
        fputs(o->md ? "\n" : "", o->fp);
        item(o);
        fprintf(o->fp, "Confidence %s: ", sc->confidence);
        put_text(o, sc->confidence_why);
        fputs(".\n", o->fp);
    }
}

static void evidence(const struct out *o, const struct jtl_throttle_scope *sc,
                     bool verbose)
{
    size_t i, k[3] = {0, 0, 0};
    char st[32], th[32];

    if (!sc->ntests)
        return;
    for (i = 0; i < sc->ntests; i++)
        k[sc->tests[i].bearing]++;
    if (!verbose) {
        heading(o, "Statistical details");
        item(o);
        fprintf(o->fp,
                "%zu tests: %zu support the verdict, %zu argue against it, "
                "%zu do not apply to the mechanism found (--verbose or the "
                "JSON's \"evidence\" lists them)\n",
                sc->ntests, k[JTL_BEARING_SUPPORTS], k[JTL_BEARING_AGAINST],
                k[JTL_BEARING_NA]);
        return;
    }
    heading(o, "Statistical details");
    if (o->md)
        fputs("| test | on | statistic | threshold | bearing |\n"
              "|---|---|---:|---:|---|\n",
              o->fp);
    else
        fprintf(o->fp, "  %-34s %-42s %10s %12s  %s\n", "test", "on",
                "statistic", "threshold", "bearing");
    for (i = 0; i < sc->ntests; i++) {
        const struct jtl_throttle_test *t = &sc->tests[i];
        const char *b = jtl_throttle_bearing_name(t->bearing);
        char thr[48];
        fmt_stat(st, sizeof(st), t->statistic);
        fmt_stat(th, sizeof(th), t->threshold);
        snprintf(thr, sizeof(thr), "%s %s", t->op, th);
        if (o->md) {
            fputs("| ", o->fp);
            put_text(o, t->test);
            fputs(" | ", o->fp);
            put_text(o, t->detail);
            fprintf(o->fp, " | %s | %s | %s |\n", st, thr, b);
        } else {
            fprintf(o->fp, "  %-34s %-42.42s %10s %12s  %s\n", t->test,
                    t->detail, st, thr, b);
        }
    }
}

static void limit(const struct out *o, const struct jtl_throttle_result *r)
{
    const struct jtl_throttle_scope *sc = &r->run;
    const struct jtl_throttle_limit *l = &sc->limit;
    const struct jtl_throttle_advertised *adv = r->advertised;
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
            if (ls->kind != JTL_SCOPE_LABEL || ls->throttled == 0 ||
                ls->too_few)
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
        fprintf(o->fp, ": %s %s, %.0f %% of these refusals",
                L->mechanism ? jtl_throttle_mechanism_name(L->mechanism)
                             : "unknown",
                w, L->share * 100);
        if (known(L->retry_after_s))
            fprintf(o->fp, ", Retry-After %g", L->retry_after_s);
        if (known(L->bytes))
            fprintf(o->fp, ", %g bytes", L->bytes);
        fputc('\n', o->fp);
    }
    if (adv) {
        item(o);
        fprintf(o->fp,
                "the server advertises (%s headers, %llu responses): "
                "%g requests",
                adv->source, (unsigned long long)adv->responses, adv->limit);
        if (known(adv->window_s))
            fprintf(o->fp, " per %g s (%.1f/s)", adv->window_s,
                    adv->rate_per_s);
        if (known(adv->remaining_median))
            fprintf(o->fp, ", remaining %g (median), %g (least)",
                    adv->remaining_median, adv->remaining_min);
        fputs(adv->agrees == 1   ? "; it agrees with the limit found\n"
              : adv->agrees == 0 ? "; it does NOT agree with the limit found\n"
                                 : "\n",
              o->fp);
    }
    fmt_num(a, sizeof(a), l->max_accepted_1s, 0);
    fmt_num(b, sizeof(b), l->max_accepted_10s, 0);
    fmt_num(c, sizeof(c), l->max_accepted_60s, 0);
    item(o);
    fprintf(o->fp, "most accepted in any 1 s / 10 s / 60 s: %s / %s / %s\n", a,
            b, c);
    if (known(l->saturated_accepted_per_s)) {
        item(o);
        fprintf(o->fp, "accepted while refusing: %.1f/s",
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
    if (sc->first_429_ts) {
        item(o);
        fputs("first refused at ", o->fp);
        put_when(o, sc->first_429_ts);
        if (sc->first_429_s < 1.0)
            fprintf(o->fp, ", %.0f requests after the start",
                    sc->first_429_before);
        else
            fprintf(o->fp,
                    ": %.0f requests offered and %.0f accepted in the second "
                    "before",
                    sc->first_429_offered_per_s, sc->first_429_accepted_per_s);
        if (sc->first_429_threads >= 0)
            fprintf(o->fp, ", %d threads active", sc->first_429_threads);
        fputc('\n', o->fp);
    }
    if (sc->max_threads > 1 && known(sc->rampup_end_s)) {
        item(o);
        fprintf(o->fp,
                "ramp-up: the last of %d threads sent its first request at "
                "+%.1f s\n",
                sc->max_threads, sc->rampup_end_s);
    }
    if (sc->bursts_total) {
        const struct jtl_throttle_burst *big = &sc->bursts[0];
        for (i = 1; i < sc->nbursts; i++)
            if (sc->bursts[i].count > big->count)
                big = &sc->bursts[i];
        item(o);
        fprintf(o->fp, "bursts of refusals: %llu; the largest from ",
                (unsigned long long)sc->bursts_total);
        put_when(o, big->start_ts);
        fputs(" to ", o->fp);
        put_when(o, big->end_ts);
        fprintf(o->fp, ", %llu refused, peak %.0f/s, after %.0f offered/s\n",
                (unsigned long long)big->count, big->peak_per_s,
                big->offered_per_s);
    }
    if (known(sc->elapsed_429_ms) && known(sc->elapsed_ok_ms)) {
        item(o);
        fprintf(o->fp,
                "median elapsed: refused %.0f ms, accepted %.0f ms%s%s\n",
                sc->elapsed_429_ms, sc->elapsed_ok_ms, sc->where ? ": " : "",
                sc->where ? sc->where : "");
    }
}

static void put_waits(const struct out *o, const double *q)
{
    fprintf(o->fp, "%.2f s (p10), %.2f s (median), %.2f s (p90)", q[10], q[50],
            q[90]);
}

static void retry(const struct out *o, const struct jtl_throttle_scope *sc)
{
    const struct jtl_throttle_retry *r = &sc->retry;
    size_t i;

    heading(o, "Retry-After and the clients");
    if (!r->count) {
        item(o);
        fprintf(o->fp, "no Retry-After on the %llu refused requests\n",
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
                r->missing ? "; some refusals had none" : "");
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
    if (r->wait_q) {
        item(o);
        fputs("wait before the next request after a refusal: ", o->fp);
        put_waits(o, r->wait_q);
        fputc('\n', o->fp);
    }
    if (r->wait_success_q) {
        item(o);
        fputs("after an accepted request (the usual wait): ", o->fp);
        put_waits(o, r->wait_success_q);
        fputc('\n', o->fp);
    }
    if (r->reaction) {
        item(o);
        fputs(strcmp(r->reaction, "none") == 0
                  ? "the clients did not react to refusals: the same wait as "
                    "after a success\n"
              : strcmp(r->reaction, "shorter") == 0
                  ? "the clients re-sent sooner after a refusal than after a "
                    "success\n"
              : r->honoured ? "the clients honoured Retry-After: they waited "
                              "longer after a refusal, and long enough\n"
                            : "the clients waited longer after a refusal, but "
                              "not always Retry-After\n",
              o->fp);
    }
    if (r->pairs) {
        item(o);
        fprintf(o->fp,
                "next request at least Retry-After later: %.1f %% of %llu "
                "(95 %% CI %.1f-%.1f %%); median wait %.2f x Retry-After\n",
                r->compliance * 100, (unsigned long long)r->pairs,
                r->compliance_lo * 100, r->compliance_hi * 100,
                r->median_gap_ratio);
        item(o);
        fprintf(o->fp, "early re-sends: %llu (%.1f %% of requests)",
                (unsigned long long)r->early, r->amplification * 100);
        if (known(r->p429_after_early))
            fprintf(o->fp, "; %.0f %% of them refused again",
                    r->p429_after_early * 100);
        if (known(r->p429_after_compliant))
            fprintf(o->fp, ", against %.0f %% after waiting",
                    r->p429_after_compliant * 100);
        fputc('\n', o->fp);
        item(o);
        fprintf(o->fp,
                "first attempts only: %llu requests, %.1f %% refused, "
                "%.1f/s\n",
                (unsigned long long)r->first_attempts,
                r->first_attempt_429_share * 100, r->first_attempt_rate_per_s);
    }
}

static void pacing(const struct out *o, const struct jtl_throttle_result *r)
{
    const struct jtl_throttle_scope *sc = &r->run;
    const struct jtl_throttle_pacing *p = &sc->pacing;
    size_t i;
    bool shared = false;

    heading(o, "Pacing");
    if (!known(p->target_rate_per_s)) {
        item(o);
        put_text(o, p->basis ? p->basis : "no advice");
        fputc('\n', o->fp);
        return;
    }
    item(o);
    fprintf(o->fp, "target for the whole test: %.1f requests/s (",
            p->target_rate_per_s);
    put_text(o, p->basis ? p->basis : "");
    fputs(")\n", o->fp);
    item(o);
    if (r->ngenerators > 1) {
        /* each engine's timer sees only its own threads: the target is
         * split by each engine's share of the threads */
        uint64_t all = 0;
        bool same = true;
        for (i = 0; i < r->ngenerators; i++) {
            all += r->generators[i].threads;
            same = same && r->generators[i].threads == r->generators[0].threads;
        }
        if (same || all == 0) {
            fprintf(o->fp,
                    "Constant Throughput Timer on each of the %zu load "
                    "generators: %.0f samples/min with \"all active threads "
                    "in current thread group (shared)\" (each engine's "
                    "timer counts only its own threads)",
                    r->ngenerators,
                    p->constant_throughput_per_min / (double)r->ngenerators);
        } else {
            fputs("Constant Throughput Timer with \"all active threads in "
                  "current thread group (shared)\", on each load generator "
                  "by its threads:",
                  o->fp);
            for (i = 0; i < r->ngenerators; i++) {
                fputs(i ? "; " : " ", o->fp);
                put_text(o, r->generators[i].name);
                fprintf(o->fp, " %.0f samples/min",
                        p->constant_throughput_per_min *
                            (double)r->generators[i].threads / (double)all);
            }
        }
        if (known(p->per_thread_per_min))
            fprintf(o->fp,
                    ", or %.1f/min with \"this thread only\" (%g threads "
                    "in all)",
                    p->per_thread_per_min, p->threads);
    } else {
        fprintf(o->fp,
                "Constant Throughput Timer: %.0f samples/min with \"all "
                "active threads in current thread group (shared)\"",
                p->constant_throughput_per_min);
        if (known(p->per_thread_per_min))
            fprintf(o->fp,
                    ", or %.1f/min with \"this thread only\" (%g threads)",
                    p->per_thread_per_min, p->threads);
    }
    fputc('\n', o->fp);
    for (i = 0; i < r->nscopes; i++) {
        const struct jtl_throttle_scope *ls = &r->scopes[i];
        const struct jtl_throttle_pacing *lp = &ls->pacing;
        if (ls->kind != JTL_SCOPE_LABEL || !known(lp->share) ||
            !known(lp->target_rate_per_s))
            continue;
        if (!shared) {
            item(o);
            fputs("the limit is shared: the target split by each label's "
                  "traffic\n",
                  o->fp);
            shared = true;
        }
        fputs(o->md ? "  - " : "    ", o->fp);
        put_text(o, ls->name);
        fprintf(o->fp, ": %.1f requests/s (%.0f %%), %.0f samples/min\n",
                lp->target_rate_per_s, lp->share * 100,
                lp->constant_throughput_per_min);
    }
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

static void scope_name(const struct out *o, const struct jtl_throttle_scope *sc)
{
    put_text(o, sc->name);
    if (sc->kind == JTL_SCOPE_LABEL && sc->labels > 1)
        fprintf(o->fp, " (%llu labels)", (unsigned long long)sc->labels);
}

static void scopes(const struct out *o, const struct jtl_throttle_result *r)
{
    size_t i, nsmall = 0, shown = 0;
    uint64_t small_n = 0;

    if (!r->nscopes)
        return;
    for (i = 0; i < r->nscopes; i++) {
        if (r->scopes[i].too_few) {
            nsmall++;
            small_n += r->scopes[i].samples;
        } else {
            shown++;
        }
    }
    heading(o, "Per label and thread group");
    if (shown && o->md)
        fputs(
            "| scope | name | requests | refused | verdict | mechanism | "
            "limit | pace (CTT/min) |\n|---|---|---:|---:|---|---|---|---:|\n",
            o->fp);
    else if (shown)
        fprintf(o->fp, "  %-6s %-44s %8s %8s  %-12s %-14s %-18s %s\n", "scope",
                "name", "requests", "refused", "verdict", "mechanism", "limit",
                "pace (CTT/min)");
    for (i = 0; i < r->nscopes; i++) {
        const struct jtl_throttle_scope *sc = &r->scopes[i];
        const char *mech = jtl_throttle_mechanism_name(sc->mechanism);
        char w[96], pace[32];
        if (sc->too_few)
            continue;
        limit_words(sc, w, sizeof(w));
        if (known(sc->pacing.constant_throughput_per_min))
            snprintf(pace, sizeof(pace), "%.0f",
                     sc->pacing.constant_throughput_per_min);
        else
            snprintf(pace, sizeof(pace), "-");
        if (o->md) {
            fprintf(o->fp, "| %s | ", jtl_throttle_scope_kind_name(sc->kind));
            scope_name(o, sc);
            fprintf(o->fp, " | %llu | %llu | %s | %s | %s | %s |\n",
                    (unsigned long long)sc->samples,
                    (unsigned long long)sc->throttled,
                    jtl_throttle_verdict_name(sc->verdict), mech ? mech : "-",
                    w, pace);
        } else {
            char name[256];
            if (sc->kind == JTL_SCOPE_LABEL && sc->labels > 1)
                snprintf(name, sizeof(name), "%s (%llu labels)", sc->name,
                         (unsigned long long)sc->labels);
            else
                snprintf(name, sizeof(name), "%s", sc->name);
            fprintf(o->fp, "  %-6s %-44s %8llu %8llu  %-12s %-14s %-18s %s\n",
                    jtl_throttle_scope_kind_name(sc->kind), name,
                    (unsigned long long)sc->samples,
                    (unsigned long long)sc->throttled,
                    jtl_throttle_verdict_name(sc->verdict), mech ? mech : "-",
                    w, pace);
        }
    }
    if (nsmall) {
        item(o);
        fprintf(o->fp,
                "%zu %s with fewer than 40 requests each, or too few "
                "refused and accepted to tell (%llu requests in all): not "
                "analysed one by one; they count in the whole test's "
                "analysis\n",
                nsmall, plural(nsmall, "label or group", "labels or groups"),
                (unsigned long long)small_n);
    }
    if (r->labels_omitted || r->groups_omitted) {
        item(o);
        fprintf(o->fp,
                "%zu more labels and %zu more groups beyond the %d busiest: "
                "in the whole test's analysis only\n",
                r->labels_omitted, r->groups_omitted, JTL_THROTTLE_MAX_SCOPES);
    }
    for (i = 0; i < r->nscopes; i++) {
        const struct jtl_throttle_scope *sc = &r->scopes[i];
        if (sc->too_few || sc->verdict == JTL_VERDICT_NONE ||
            (sc->sentence && r->run.sentence &&
             strcmp(sc->sentence, r->run.sentence) == 0))
            continue;
        item(o);
        scope_name(o, sc);
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

/* Codes that are not analysed but behave like a limit, and inputs read
 * once. */
static void input_notes(const struct out *o,
                        const struct jtl_throttle_result *r,
                        const struct jtl_run_info *info)
{
    size_t i, n = 0;

    for (i = 0; i < r->nrcodes; i++) {
        const struct jtl_throttle_code *c = &r->rcodes[i];
        if (!c->limit_like)
            continue;
        if (!n++)
            heading(o, "Input");
        item(o);
        fprintf(o->fp, "%llu responses with code ",
                (unsigned long long)c->count);
        put_text(o, c->code);
        fputs(" behave like a limit (", o->fp);
        if (c->with_retry_after)
            fprintf(o->fp, "%llu carry Retry-After",
                    (unsigned long long)c->with_retry_after);
        if (c->with_retry_after && known(c->trend_z) && c->trend_z >= 4)
            fputs("; ", o->fp);
        if (known(c->trend_z) && c->trend_z >= 4)
            fprintf(o->fp,
                    "their share rises with the load: %.0f %% more "
                    "from the lowest to the highest load",
                    c->rise * 100);
        fputs(") but were not analysed as throttling: add it with "
              "--throttle-codes ",
              o->fp);
        {
            size_t k;
            for (k = 0; k < r->nthrottle_codes; k++)
                fprintf(o->fp, "%d,", r->throttle_codes[k]);
        }
        put_text(o, c->code);
        fputc('\n', o->fp);
    }
    for (i = 0; info && i < info->nfiles; i++) {
        if (info->files[i].duplicate_of < 0)
            continue;
        if (!n++)
            heading(o, "Input");
        item(o);
        put_text(o, info->files[i].name);
        fputs(" is the same as ", o->fp);
        put_text(o, info->files[(size_t)info->files[i].duplicate_of].name);
        fputs(": read once\n", o->fp);
    }
    if (r->excluded) {
        if (!n++)
            heading(o, "Input");
        item(o);
        fprintf(o->fp,
                "%llu samples that hold others (transaction controllers, "
                "redirect chains, pages with resources) are not requests: "
                "what they hold was analysed\n",
                (unsigned long long)r->excluded);
    }
}

static void write_all(const struct jtl_throttle_result *r,
                      const struct jtl_run_info *info, FILE *fp, bool md)
{
    struct out o = {fp, md, info ? info->tz : NULL, r->first_ts};
    const struct jtl_throttle_scope *sc = &r->run;

    overview(&o, r, info);
    verdict_line(&o, sc);
    why(&o, sc);
    if (sc->verdict != JTL_VERDICT_NONE) {
        limit(&o, r);
        retry(&o, sc);
        pacing(&o, r);
    }
    scopes(&o, r);
    evidence(&o, sc, info && info->verbose);
    lists(&o, "Not checked", sc->unchecked, sc->nunchecked);
    lists(&o, "Notes", sc->notes, sc->nnotes);
    input_notes(&o, r, info);
}

enum jtl_err jtl_report_throttle_text(FILE *fp,
                                      const struct jtl_throttle_result *r,
                                      const struct jtl_run_info *info,
                                      struct jtl_diag *diag)
{
    write_all(r, info, fp, false);
    return jtl_write_status(fp, diag);
}

enum jtl_err jtl_report_throttle_md(FILE *fp,
                                    const struct jtl_throttle_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag)
{
    write_all(r, info, fp, true);
    return jtl_write_status(fp, diag);
}
