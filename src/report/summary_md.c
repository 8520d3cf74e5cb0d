/* SPDX-License-Identifier: MIT
 * summary_md.c - summary.md: the verdict, the key figures and the busiest
 * labels in Markdown, short enough to paste into a ticket.  Byte-stable
 * for the same input (no time of generation), so it is golden-tested. */
#include "jtl/report/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/report/escape.h"
#include "jtl/report/writers.h"
#include "textfmt.h"

#ifndef JTL_VERSION
#define JTL_VERSION "0.0.0"
#endif

#define MD_LABELS 20      /* label rows in the statistics table */
#define MD_ERRORS 5       /* rows of the errors table */
#define MD_LABEL_CHARS 80 /* code points of a label shown */

/* Untrusted text (labels, error keys, file names) into B. */
static void esc(struct jtl_buf *b, const char *s, size_t len)
{
    jtl_md_escape(b, s, len, MD_LABEL_CHARS);
}

/* Sentences (the verdict, the pacing basis): escaped, never cut. */
static void prose(struct jtl_buf *b, const char *s)
{
    jtl_md_escape(b, s, strlen(s), 0);
}

static void escs(struct jtl_buf *b, const char *s)
{
    esc(b, s, strlen(s));
}

struct lab {
    const struct jtl_stats_row *row;
};

static int busiest_first(const void *a, const void *b)
{
    const struct jtl_stats_row *x = ((const struct lab *)a)->row;
    const struct jtl_stats_row *y = ((const struct lab *)b)->row;

    if (x->samples != y->samples)
        return x->samples > y->samples ? -1 : 1;
    if (x->label_len != y->label_len ||
        memcmp(x->label, y->label, x->label_len) != 0) {
        size_t n = x->label_len < y->label_len ? x->label_len : y->label_len;
        int c = memcmp(x->label, y->label, n);
        if (c)
            return c;
        return x->label_len < y->label_len ? -1 : 1;
    }
    return 0;
}

static void stats_line(struct jtl_buf *b, const struct jtl_stats_result *st,
                       const struct jtl_stats_row *row, bool total)
{
    int pd = st->method == JTL_PCT_EXACT ? 0 : 1;
    char n[64];
    size_t k;

    jtl_buf_adds(b, "| ");
    if (total)
        jtl_buf_adds(b, "**Total**");
    else
        esc(b, row->label, row->label_len);
    if (!total && row->labels > 1)
        jtl_buf_printf(b, " (%llu labels)", (unsigned long long)row->labels);
    jtl_buf_printf(b, " | %s", jtl_rfmt_u64(n, sizeof(n), row->samples));
    jtl_buf_printf(b, " | %s", jtl_rfmt_pct(n, sizeof(n), row->error_pct));
    jtl_buf_printf(b, " | %s", jtl_rfmt_num(n, sizeof(n), row->mean, 1));
    jtl_buf_printf(b, " | %s", jtl_rfmt_num(n, sizeof(n), row->median, pd));
    for (k = 0; k < st->npct && k < 3; k++)
        jtl_buf_printf(b, " | %s", jtl_rfmt_num(n, sizeof(n), row->pct[k], pd));
    jtl_buf_printf(b, " | %s", jtl_rfmt_num(n, sizeof(n), row->max, 0));
    jtl_buf_printf(b, " | %s |\n",
                   jtl_rfmt_num(n, sizeof(n), row->throughput, 2));
}

static void md_stats(struct jtl_buf *b, const struct jtl_stats_result *st)
{
    struct lab *labs;
    size_t i, k, n = 0;
    char text[256];

    jtl_stats_method_text(st, text, sizeof(text));
    jtl_buf_printf(b,
                   "\n### Statistics\n\nResponse times in ms (%s); "
                   "throughput in requests per second.\n\n",
                   text);
    jtl_buf_adds(b, "| Label | Samples | Error % | Mean | Median");
    for (k = 0; k < st->npct && k < 3; k++)
        jtl_buf_printf(b, " | p%g", st->pct_list[k]);
    jtl_buf_adds(b, " | Max | Throughput |\n|---|---:|---:|---:|---:");
    for (k = 0; k < st->npct && k < 3; k++)
        jtl_buf_adds(b, "|---:");
    jtl_buf_adds(b, "|---:|---:|\n");
    stats_line(b, st, &st->total, true);
    labs = jtl_xcalloc(st->nrows + 1, sizeof(*labs));
    for (i = 0; i < st->nrows; i++)
        labs[n++].row = &st->rows[i];
    qsort(labs, n, sizeof(*labs), busiest_first);
    for (i = 0; i < n && i < MD_LABELS; i++)
        stats_line(b, st, labs[i].row, false);
    if (n > MD_LABELS)
        jtl_buf_printf(b,
                       "\nThe %d busiest of %zu labels; index.html and "
                       "statistics.json have all of them.\n",
                       MD_LABELS, n);
    free(labs);

    if (st->nerrors == 0)
        return;
    jtl_buf_adds(b, "\n### Errors\n\n| Error | Count | % of errors | "
                    "% of all samples |\n|---|---:|---:|---:|\n");
    for (i = 0; i < st->nerrors && i < MD_ERRORS; i++) {
        const struct jtl_stats_error *e = &st->errors[i];
        char c[32], p1[32], p2[32];
        jtl_buf_adds(b, "| ");
        esc(b, e->key, e->len);
        jtl_buf_printf(b, " | %s | %s | %s |\n",
                       jtl_rfmt_u64(c, sizeof(c), e->count),
                       jtl_rfmt_pct(p1, sizeof(p1), e->pct_errors),
                       jtl_rfmt_pct(p2, sizeof(p2), e->pct_samples));
    }
    if (st->nerrors > MD_ERRORS)
        jtl_buf_printf(b, "\n%zu error types in all.\n", st->nerrors);
}

/* One "| name | value |" row of the key-figures table. */
static void row(struct jtl_buf *b, const char *name, const char *value)
{
    jtl_buf_printf(b, "| %s | %s |\n", name, value);
}

/* The verdict as a headline, why in numbered findings (each with the
 * chart that shows it), the confidence, and for an inconclusive run what
 * would settle it. */
static void md_verdict(struct jtl_buf *b, const struct jtl_throttle_scope *sc,
                       const struct jtl_report_charts *charts)
{
    char h[320];
    size_t i;

    jtl_rfmt_headline(h, sizeof(h), sc);
    if (h[0] >= 'a' && h[0] <= 'z')
        h[0] = (char)(h[0] - 'a' + 'A');
    jtl_buf_adds(b, "**Verdict: ");
    prose(b, h);
    jtl_buf_adds(b, ".**\n");
    if (sc->nwhy == 0) {
        if (sc->sentence) {
            jtl_buf_adds(b, "\n");
            prose(b, sc->sentence);
            jtl_buf_adds(b, "\n");
        }
    } else {
        jtl_buf_adds(b, "\nWhy:\n\n");
        for (i = 0; i < sc->nwhy; i++) {
            const struct jtl_report_chart *c =
                jtl_rfmt_chart(charts, sc->why[i].chart);
            jtl_buf_printf(b, "%zu. ", i + 1);
            prose(b, sc->why[i].text);
            if (c && c->rendered)
                jtl_buf_printf(b, " ([chart](%s.png))", c->name);
            else if (c)
                jtl_buf_printf(b, " (chart script `%s.gp`)", c->name);
            jtl_buf_adds(b, "\n");
        }
        if (sc->confidence && sc->confidence_why) {
            jtl_buf_printf(b, "\nConfidence %s: ", sc->confidence);
            prose(b, sc->confidence_why);
            jtl_buf_adds(b, ".\n");
        }
    }
    if (sc->settle && *sc->settle) {
        jtl_buf_adds(b, "\nWhat would settle it: ");
        prose(b, sc->settle);
        jtl_buf_adds(b, "\n");
    }
}

static void md_throttle(struct jtl_buf *b, const struct jtl_throttle_result *th,
                        const char *tz)
{
    const struct jtl_throttle_scope *sc = &th->run;
    const struct jtl_throttle_retry *ra = &sc->retry;
    const struct jtl_throttle_advertised *adv = th->advertised;
    char v[400], x[64], y[64], z[96];
    size_t i, n;

    if (sc->throttled == 0)
        return;
    snprintf(v, sizeof(v), "%s of %s requests (%s)",
             jtl_rfmt_u64(x, sizeof(x), sc->throttled),
             jtl_rfmt_u64(y, sizeof(y), sc->samples),
             jtl_rfmt_pct(z, sizeof(z),
                          sc->samples ? 100.0 * (double)sc->throttled /
                                            (double)sc->samples
                                      : NAN));
    if (sc->first_429_ts) {
        n = strlen(v);
        snprintf(
            v + n, sizeof(v) - n, ", the first at %s",
            jtl_rfmt_when(z, sizeof(z), sc->first_429_ts, th->first_ts, tz));
        if (sc->first_429_threads > 0) {
            n = strlen(v);
            snprintf(v + n, sizeof(v) - n, " with %d thread%s active",
                     sc->first_429_threads,
                     sc->first_429_threads == 1 ? "" : "s");
        }
    }
    {
        char name[160], codes[128];
        snprintf(name, sizeof(name), "Refused (HTTP %s)",
                 jtl_rfmt_codes(codes, sizeof(codes), th));
        row(b, name, v);
    }
    if (sc->verdict == JTL_VERDICT_THRESHOLD) {
        char l[160];
        size_t shown = 0;
        jtl_rfmt_limit(l, sizeof(l), sc->mechanism, &sc->limit);
        if (strcmp(l, JTL_DASH) != 0) {
            snprintf(v, sizeof(v), "%s: %s", jtl_rfmt_mechanism(sc->mechanism),
                     l);
            row(b, "Limit", v);
        }
        /* no single limit for the run: the limits of the labels */
        for (i = 0; strcmp(l, JTL_DASH) == 0 && i < th->nscopes; i++) {
            const struct jtl_throttle_scope *ls = &th->scopes[i];
            char lab[160];
            if (ls->kind != JTL_SCOPE_LABEL ||
                ls->verdict != JTL_VERDICT_THRESHOLD || ls->too_few)
                continue;
            if (++shown > 5)
                break;
            jtl_rfmt_limit(lab, sizeof(lab), ls->mechanism, &ls->limit);
            jtl_buf_adds(b, "| Limit of ");
            escs(b, ls->name);
            jtl_buf_printf(b, " | %s: %s |\n",
                           jtl_rfmt_mechanism(ls->mechanism), lab);
        }
    }
    if (adv && adv->limit == adv->limit) {
        if (adv->window_s == adv->window_s)
            snprintf(v, sizeof(v), "%g requests per %g s (%s headers)",
                     adv->limit, adv->window_s, adv->source);
        else
            snprintf(v, sizeof(v), "%g requests (%s headers, no window)",
                     adv->limit, adv->source);
        n = strlen(v);
        if (adv->agrees == 1)
            snprintf(v + n, sizeof(v) - n, "; agrees with the limit found");
        else if (adv->agrees == 0)
            snprintf(v + n, sizeof(v) - n,
                     "; differs from the limit found by more than 15 %%");
        row(b, "Advertised by the server", v);
    }
    if (ra->count > 0 && ra->nvalues > 0) {
        const struct jtl_throttle_ra_value *mode = &ra->values[0];
        for (i = 1; i < ra->nvalues; i++)
            if (ra->values[i].count > mode->count)
                mode = &ra->values[i];
        if (ra->dynamic)
            snprintf(v, sizeof(v), "counts down, %g to %g s",
                     ra->values[0].seconds,
                     ra->values[ra->nvalues - 1].seconds);
        else if (ra->nvalues == 1)
            snprintf(v, sizeof(v), "%g s", mode->seconds);
        else
            snprintf(v, sizeof(v), "mostly %g s (%zu values)", mode->seconds,
                     ra->nvalues);
        n = strlen(v);
        snprintf(v + n, sizeof(v) - n, " on %s of %s refusals",
                 jtl_rfmt_u64(x, sizeof(x), ra->count),
                 jtl_rfmt_u64(y, sizeof(y), ra->count + ra->missing));
        row(b, "Retry-After", v);
    }
    if (ra->wait_q) {
        snprintf(v, sizeof(v), "median %s s (80 %% between %s and %s s)",
                 jtl_rfmt_num(x, sizeof(x), ra->wait_q[50], 2),
                 jtl_rfmt_num(y, sizeof(y), ra->wait_q[10], 2),
                 jtl_rfmt_num(z, sizeof(z), ra->wait_q[90], 2));
        if (ra->wait_success_q) {
            n = strlen(v);
            snprintf(v + n, sizeof(v) - n,
                     "; after a success their usual wait is %s s",
                     jtl_rfmt_num(x, sizeof(x), ra->wait_success_q[50], 2));
        }
        if (ra->reaction) {
            const char *r = strcmp(ra->reaction, "none") == 0
                                ? ": they did not react to refusals"
                            : strcmp(ra->reaction, "longer") == 0
                                ? ": they waited longer after a refusal"
                                : ": they re-sent sooner after a refusal";
            n = strlen(v);
            snprintf(v + n, sizeof(v) - n, "%s", r);
        }
        row(b, "Clients' wait after a refusal", v);
    }
    if (ra->pairs > 0) {
        snprintf(v, sizeof(v),
                 "%s of %s next requests came at least "
                 "Retry-After later (%s)",
                 jtl_rfmt_u64(x, sizeof(x), ra->compliant),
                 jtl_rfmt_u64(y, sizeof(y), ra->pairs),
                 jtl_rfmt_pct(z, sizeof(z), 100.0 * ra->compliance));
        row(b, "Retry-After honoured", v);
    }
    if (isfinite(sc->pacing.target_rate_per_s)) {
        snprintf(v, sizeof(v),
                 "%s requests/s (%s): Constant Throughput Timer %s/min (all "
                 "active threads, shared)",
                 jtl_rfmt_num(x, sizeof(x), sc->pacing.target_rate_per_s, 1),
                 sc->pacing.basis ? sc->pacing.basis : "",
                 jtl_rfmt_num(y, sizeof(y),
                              sc->pacing.constant_throughput_per_min, 0));
        if (th->ngenerators > 1) {
            /* each engine's timer counts only its own threads */
            uint64_t all = 0;
            for (i = 0; i < th->ngenerators; i++)
                all += th->generators[i].threads;
            n = strlen(v);
            snprintf(v + n, sizeof(v) - n,
                     " in all; on each of the %zu load generators by its "
                     "threads",
                     th->ngenerators);
            for (i = 0; all && i < th->ngenerators && i < 8; i++) {
                n = strlen(v);
                snprintf(v + n, sizeof(v) - n, "%s %s/min", i ? "," : ":",
                         jtl_rfmt_num(x, sizeof(x),
                                      sc->pacing.constant_throughput_per_min *
                                          (double)th->generators[i].threads /
                                          (double)all,
                                      0));
            }
        }
        row(b, "Safe rate", v);
    }
}

enum jtl_err jtl_report_summary_md(FILE *fp, const struct jtl_report_input *in,
                                   const struct jtl_run_info *run,
                                   struct jtl_diag *diag)
{
    const struct jtl_report_charts *charts = in->charts;
    const struct jtl_throttle_result *th = in->throttle;
    const struct jtl_stats_result *st = in->stats;
    struct jtl_buf b;
    char t[1024], x[64], y[64], z[64];
    size_t i;
    enum jtl_err err = JTL_OK;

    jtl_buf_init(&b, 0);
    jtl_buf_adds(&b, "## ");
    escs(&b, jtl_rfmt_title(t, sizeof(t), in, run));
    jtl_buf_adds(&b, "\n\n");
    if (in->check) {
        jtl_buf_adds(&b, "### Pass/fail criteria\n\n");
        jtl_report_check_md_buf(&b, in->check);
        jtl_buf_adds(&b, "\n");
    }
    if (th)
        md_verdict(&b, &th->run, charts);
    jtl_buf_adds(&b, "\n| | |\n|---|---|\n");
    if (st && st->last_end > st->first_start) {
        struct jtl_buf v;
        jtl_buf_init(&v, 0);
        jtl_buf_printf(
            &v, "%s, %s, %s samples",
            jtl_rfmt_time(x, sizeof(x), st->first_start, run ? run->tz : NULL),
            jtl_rfmt_duration(y, sizeof(y),
                              (double)(st->last_end - st->first_start) /
                                  1000.0),
            jtl_rfmt_u64(z, sizeof(z), st->total.samples));
        if (run && run->nfiles) {
            jtl_buf_adds(&v, " from ");
            for (i = 0; i < run->nfiles && i < 4; i++) {
                if (i)
                    jtl_buf_adds(&v, ", ");
                escs(&v, run->files[i].name);
            }
            if (run->nfiles > 4)
                jtl_buf_printf(&v, " and %zu more", run->nfiles - 4);
        }
        row(&b, "Test", v.p);
        jtl_buf_release(&v);
    }
    if (run && run->skipped) {
        snprintf(t, sizeof(t), "%s malformed records skipped",
                 jtl_rfmt_u64(x, sizeof(x), run->skipped));
        row(&b, "Input", t);
    }
    if (st) {
        snprintf(t, sizeof(t), "%s req/s",
                 jtl_rfmt_num(x, sizeof(x), st->total.throughput, 2));
        row(&b, "Throughput", t);
        snprintf(t, sizeof(t), "%s (%s)",
                 jtl_rfmt_u64(x, sizeof(x), st->total.errors),
                 jtl_rfmt_pct(y, sizeof(y), st->total.error_pct));
        row(&b, "Errors", t);
        snprintf(
            t, sizeof(t), "mean %s ms, median %s ms, p%g %s ms",
            jtl_rfmt_num(x, sizeof(x), st->total.mean, 1),
            jtl_rfmt_num(y, sizeof(y), st->total.median, 0),
            st->pct_list[st->npct > 1 ? 1 : 0],
            jtl_rfmt_num(z, sizeof(z), st->total.pct[st->npct > 1 ? 1 : 0], 0));
        row(&b, "Response time", t);
    }
    if (th)
        md_throttle(&b, th, run ? run->tz : NULL);
    if (th && th->run.pacing.basis && *th->run.pacing.basis &&
        !isfinite(th->run.pacing.target_rate_per_s)) {
        jtl_buf_adds(&b, "\nPacing: ");
        prose(&b, th->run.pacing.basis);
        jtl_buf_adds(&b, "\n");
    }
    if (st)
        md_stats(&b, st);
    if (charts && charts->n) {
        /* the PNGs beside summary.md, linked relatively: a Markdown viewer
         * (GitLab, GitHub, an IDE) shows them where the folder is */
        jtl_buf_adds(&b, "\n### Charts\n\n");
        for (i = 0; i < charts->n; i++) {
            const struct jtl_report_chart *c = &charts->list[i];
            if (c->rendered)
                jtl_buf_printf(&b, "**%s.** %s\n\n![%s](%s.png)\n\n", c->title,
                               c->caption, c->title, c->name);
            else
                jtl_buf_printf(&b, "- %s: `%s.gp`\n", c->title, c->name);
        }
        if (!charts->list[0].rendered)
            jtl_buf_adds(&b, "\nNot drawn: run `gnuplot *.gp` in the report "
                             "folder to make the PNG and SVG files.\n");
    }
    jtl_buf_adds(&b, "\n_Summary by jtlscope " JTL_VERSION
                     "; the full report is index.html in the same "
                     "folder._\n");
    if (fwrite(b.p, 1, b.len, fp) != b.len)
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot write summary.md");
    jtl_buf_release(&b);
    return err;
}
