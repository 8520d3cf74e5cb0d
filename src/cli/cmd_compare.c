/* SPDX-License-Identifier: MIT
 * cmd_compare.c - `jtlscope compare BASELINE CURRENT` (or --baseline A1 A2
 * --current B1 B2): a run against a baseline (compare.h).  Each side is
 * JTL files read like every command reads them, or a statistics.json
 * (JMeter's dashboard or jtlscope's); exit 3 when a --fail-if fires. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jtl/base/xalloc.h"
#include "jtl/check/compare.h"
#include "jtl/io/statsjson.h"
#include "jtl/report/report.h"
#include "jtl/report/writers.h"

enum {
    OPT_BASELINE = 400,
    OPT_CURRENT,
    OPT_FAIL_IF,
    OPT_MIN_CHANGE,
    OPT_ALPHA,
    OPT_METRIC,
    OPT_THROTTLE,
    OPT_JUNIT_CMP,
    OPT_NO_RENDER,
    OPT_TITLE,
};

/* clang-format off */
static const struct option compare_opts[] = {
    {"baseline",   required_argument, NULL, OPT_BASELINE},
    {"current",    required_argument, NULL, OPT_CURRENT},
    {"fail-if",    required_argument, NULL, OPT_FAIL_IF},
    {"min-change", required_argument, NULL, OPT_MIN_CHANGE},
    {"alpha",      required_argument, NULL, OPT_ALPHA},
    {"metric",     required_argument, NULL, OPT_METRIC},
    {"throttle",   no_argument,       NULL, OPT_THROTTLE},
    {"junit",      required_argument, NULL, OPT_JUNIT_CMP},
    {"no-render",  no_argument,       NULL, OPT_NO_RENDER},
    {"title",      required_argument, NULL, OPT_TITLE},
    JTL_CLI_STATS_OPTIONS,
    JTL_CLI_THROTTLE_OPTIONS,
    {NULL, 0, NULL, 0},
};
static const char *const list_opts[] = {"baseline", "current", NULL};

static const struct cli_format formats[] = {
    {"text", "txt", NULL},
    {"json", NULL,  "json"},
    {"md",   "markdown", "md"},
    {"csv",  NULL,  "csv"},
    {"junit", "xml", "xml"},
    {"html", "dir", NULL}, /* -o DIR: the page */
};
#define FMT_HTML 5
static enum jtl_err (*const writers[])(
    FILE *, const struct jtl_cmp_result *, const struct jtl_run_info *,
    struct jtl_diag *) = {
    jtl_report_compare_text, jtl_report_compare_json, jtl_report_compare_md,
    jtl_report_compare_csv, jtl_report_compare_junit, NULL,
};
/* clang-format on */

struct files {
    const char **v;
    size_t n, cap;
};

struct compare_cmd {
    struct cli_stats_opts stats;
    struct jtl_throttle_opts th;
    struct jtl_cmp_opts cmp;
    struct jtl_fail_if *rules;
    size_t nrules, caprules;
    struct files base, cur;
    bool throttle;
    const char *junit;
    bool bad;
    bool no_render;
    const char *title;
};

static void files_add(struct files *f, const char *path)
{
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 4;
        f->v = jtl_xrealloc(f->v, f->cap * sizeof(*f->v));
    }
    f->v[f->n++] = path;
}

static void init(void *state)
{
    struct compare_cmd *c = state;

    cli_stats_opts_init(&c->stats);
    jtl_throttle_opts_init(&c->th);
    jtl_cmp_opts_init(&c->cmp);
}

static int option(void *state, int id, const char *arg)
{
    struct compare_cmd *c = state;
    char msg[256], *end;
    size_t col = 0;
    double v;
    int rc;

    switch (id) {
    case OPT_BASELINE:
        files_add(&c->base, arg);
        return 0;
    case OPT_CURRENT:
        files_add(&c->cur, arg);
        return 0;
    case OPT_FAIL_IF:
        if (c->nrules == c->caprules) {
            c->caprules = c->caprules ? c->caprules * 2 : 4;
            c->rules = jtl_xrealloc(c->rules, c->caprules * sizeof(*c->rules));
        }
        if (!jtl_fail_if_parse(arg, &c->rules[c->nrules], &col, msg,
                               sizeof(msg))) {
            cli_usage_error("--fail-if '%s', column %zu: %s", arg, col, msg);
            return -1;
        }
        c->nrules++;
        return 0;
    case OPT_MIN_CHANGE:
        v = strtod(arg, &end);
        if (*end == '%') {
            v /= 100;
            end++;
        }
        if (*end || !(v >= 0 && v < 10)) {
            cli_usage_error("--min-change takes a share such as 5%% or "
                            "0.05, not '%s'",
                            arg);
            return -1;
        }
        c->cmp.min_change = v;
        return 0;
    case OPT_ALPHA:
        v = strtod(arg, &end);
        if (*end || !(v > 0 && v < 1)) {
            cli_usage_error("--alpha takes a p-value threshold between 0 "
                            "and 1, such as 0.01, not '%s'",
                            arg);
            return -1;
        }
        c->cmp.alpha = v;
        return 0;
    case OPT_METRIC: {
        static const struct {
            const char *name;
            enum jtl_cmp_metric m;
        } ms[] = {{"p50", JTL_CMP_P50},    {"median", JTL_CMP_P50},
                  {"p90", JTL_CMP_P90},    {"p95", JTL_CMP_P95},
                  {"p99", JTL_CMP_P99},    {"mean", JTL_CMP_MEAN},
                  {"avg-rt", JTL_CMP_MEAN}};
        size_t k;
        for (k = 0; k < sizeof(ms) / sizeof(ms[0]); k++)
            if (strcmp(arg, ms[k].name) == 0) {
                c->cmp.metric = ms[k].m;
                return 0;
            }
        cli_usage_error("--metric must be p50, p90, p95, p99 or mean, not "
                        "'%s'",
                        arg);
        return -1;
    }
    case OPT_THROTTLE:
        c->throttle = true;
        return 0;
    case OPT_JUNIT_CMP:
        c->junit = arg;
        return 0;
    case OPT_NO_RENDER:
        c->no_render = true;
        return 0;
    case OPT_TITLE:
        c->title = arg;
        return 0;
    }
    rc = cli_stats_option(&c->stats, id, arg);
    if (rc != 1)
        return rc;
    return cli_throttle_option(&c->th, id, arg);
}

/* clang-format off */
static void help(FILE *fp)
{
    fputs(
"A run against a baseline: per label (matched by name, else by endpoint\n"
"template) and the Total, every figure of both and its change; a verdict\n"
"slower / faster / same / not-comparable that needs a change larger than\n"
"--min-change AND beyond noise (a Mann-Whitney U test of the two exact\n"
"distributions); the throttling before and after with --throttle.\n"
"  jtlscope compare BASELINE CURRENT\n"
"  jtlscope compare --baseline A1 A2 --current B1 B2\n"
"Each side: JTL files, or one statistics.json (JMeter's dashboard or\n"
"jtlscope's: deltas only, no test).\n"
"  --fail-if=RULE               exit 3 when it fires (repeatable):\n"
"                               'p95 of LABEL +10%', 'fail +1' (points),\n"
"                               'limit -20%', 'slower', 'slower of LABEL'\n"
"  --min-change=SHARE           smaller changes are the same       [5%]\n"
"  --alpha=P                    the test's threshold             [0.01]\n"
"  --metric=p50|p90|p95|p99|mean  the figure a change is read on  [p95]\n"
"  --throttle                   compare the throttling analyses too (it\n"
"                               needs the per-request analysis of both)\n"
"  --junit=FILE                 the --fail-if rules as JUnit XML\n"
"  -f, --format=text|json|md|csv|junit|html [text, or from the -o name]\n"
"  -o DIR (a name without .txt .json .md .csv .xml, or -f html): a\n"
"                               self-contained page, index.html, with both\n"
"                               runs on the charts, compare.json, summary.md\n"
"  --title=TEXT, --no-render    the page's title; write the chart scripts\n"
"                               without drawing them\n"
"Statistics options (as `jtlscope stats`, on both sides):\n", fp);
    cli_stats_help(fp);
    fputs("Throttle options (with --throttle):\n", fp);
    cli_throttle_help(fp);
}
/* clang-format on */

/* One side, read: a run's statistics (and throttling), or a
 * statistics.json. */
struct side {
    struct cli_analysed run;
    struct jtl_statsjson json;
    bool is_json;
};

static bool is_statsjson(const char *path)
{
    char head[64];

    return jtl_statsjson_sniff(head, cli_peek_file(path, head, sizeof(head)));
}

static enum jtl_err read_side(struct compare_cmd *c,
                              const struct cli_config *cfg,
                              const struct files *f, struct side *s)
{
    struct cli_config one = *cfg;
    struct cli_analyses want = {0};
    struct jtl_diag diag = {0};
    enum jtl_err err;

    memset(s, 0, sizeof(*s));
    if (f->n == 1 && is_statsjson(f->v[0])) {
        s->is_json = true;
        err = jtl_statsjson_read(f->v[0], &s->json, &diag);
        if (err)
            cli_print_diag(&diag);
        return err;
    }
    one.read.inputs = f->v;
    one.read.ninputs = f->n;
    want.stats = &c->stats;
    want.throttle = c->throttle ? &c->th : NULL;
    return cli_analyse(&one, &want, &s->run);
}

static void side_release(struct side *s)
{
    if (s->is_json)
        jtl_statsjson_release(&s->json);
    cli_analysed_release(&s->run);
}

static void side_view(const struct side *s, const char *name,
                      struct jtl_cmp_side *v)
{
    memset(v, 0, sizeof(*v));
    v->name = name;
    if (s->is_json) {
        v->json = &s->json;
    } else {
        v->stats = jtl_agg_stats(s->run.agg);
        v->throttle = s->run.have_thr ? &s->run.thr : NULL;
    }
}

static int run(void *state, const struct cli_config *cfg)
{
    struct compare_cmd *c = state;
    struct side sb, sc;
    struct jtl_cmp_side vb, vc;
    struct jtl_cmp_result res;
    struct jtl_outfile of;
    struct jtl_diag diag = {0};
    enum jtl_err err = JTL_OK;
    bool have_res = false;
    int rc = 0, fmt;
    size_t i;

    memset(&sb, 0, sizeof(sb));
    memset(&sc, 0, sizeof(sc));
    if (c->base.n == 0 && c->cur.n == 0 && cfg->read.ninputs == 2) {
        files_add(&c->base, cfg->read.inputs[0]);
        files_add(&c->cur, cfg->read.inputs[1]);
    } else if (cfg->read.ninputs > 0 || c->base.n == 0 || c->cur.n == 0) {
        rc = cli_usage_error("compare: name the two sides: BASELINE CURRENT, "
                             "or --baseline FILE... --current FILE...");
        goto done;
    }
    rc = cli_stats_check(&c->stats);
    if (rc)
        goto done;
    /* -o NAME without a file extension is the page's folder */
    fmt = -1;
    if (cfg->format &&
        (strcmp(cfg->format, "html") == 0 || strcmp(cfg->format, "dir") == 0))
        fmt = FMT_HTML;
    if (!cfg->format && cfg->output && strcmp(cfg->output, "-") != 0) {
        static const char *const exts[] = {"txt", "json", "md", "csv",
                                           "xml", "html", NULL};
        const char *dot = strrchr(cfg->output, '.');
        const char *slash = strrchr(cfg->output, '/');
        bool ext = false;
        for (i = 0; dot && (!slash || dot > slash) && exts[i]; i++)
            if (strcmp(dot + 1, exts[i]) == 0)
                ext = true;
        if (!ext)
            fmt = FMT_HTML;
    }
    if (fmt < 0)
        fmt = cli_pick_format(cfg, formats,
                              sizeof(formats) / sizeof(formats[0]) - 1);
    if (fmt < 0) {
        rc = JTL_EXIT_USAGE;
        goto done;
    }
    if (fmt == FMT_HTML && (!cfg->output || strcmp(cfg->output, "-") == 0)) {
        rc = cli_usage_error("compare: the page needs -o DIR");
        goto done;
    }
    /* the page's charts follow both runs over time */
    c->stats.agg.timeline = fmt == FMT_HTML;
    for (i = 0; i < c->nrules; i++)
        if (c->rules[i].is_limit || c->rules[i].is_throttled)
            c->throttle = true;
    err = read_side(c, cfg, &c->base, &sb);
    if (!err)
        err = read_side(c, cfg, &c->cur, &sc);
    if (err)
        goto out;
    side_view(&sb, "baseline", &vb);
    side_view(&sc, "current run", &vc);
    c->cmp.rules = c->rules;
    c->cmp.nrules = c->nrules;
    jtl_compare_run(&vb, &vc, &c->cmp, &res);
    have_res = true;
    if (c->junit) {
        err = jtl_outfile_open(&of, c->junit, &diag);
        if (!err) {
            err = jtl_report_compare_junit(of.fp, &res, &sc.run.info, &diag);
            if (err)
                jtl_outfile_abort(&of);
            else
                err = jtl_outfile_commit(&of, &diag);
        }
        if (err) {
            cli_print_diag(&diag);
            goto out;
        }
    }
    if (fmt == FMT_HTML) {
        struct jtl_compare_page page;
        struct jtl_report_opts ro;
        struct jtl_report_charts charts;
        memset(&page, 0, sizeof(page));
        memset(&ro, 0, sizeof(ro));
        page.cmp = &res;
        page.tl[0] = sb.run.agg ? jtl_agg_timeline(sb.run.agg) : NULL;
        page.tl[1] = sc.run.agg ? jtl_agg_timeline(sc.run.agg) : NULL;
        page.names[0] = c->base.v[0];
        page.names[1] = c->cur.v[0];
        page.title = c->title;
        ro.dir = cfg->output;
        ro.render = !c->no_render;
        ro.timeout_ms = 60000;
        err = jtl_compare_write(&page, &ro, &charts, &diag);
        if (err)
            cli_print_diag(&diag);
        else if (charts.gnuplot_missing)
            cli_warn(cfg, "gnuplot not found; wrote the chart scripts only");
        else if (charts.render_failed)
            cli_warn(cfg, "%s", charts.render_error);
        if (!err && !cfg->quiet)
            fprintf(stderr, "jtlscope: wrote %s/index.html (%zu chart%s)\n",
                    cfg->output, charts.n, charts.n == 1 ? "" : "s");
        goto out;
    }
    err = cli_output_open(cfg, &of);
    if (err)
        goto out;
    err = writers[fmt](of.fp, &res, &sc.run.info, &diag);
    err = cli_output_close(cfg, &of, err, &diag);
out:
    rc = cli_exit_code(err, &sb.run.info);
    if (!rc)
        rc = cli_exit_code(err, &sc.run.info);
    if (!err && have_res && res.nfired)
        rc = JTL_EXIT_FAILED;
    if (have_res)
        jtl_compare_release(&res);
    side_release(&sb);
    side_release(&sc);
done:
    return rc;
}

static void release(void *state)
{
    struct compare_cmd *c = state;
    size_t i;

    for (i = 0; i < c->nrules; i++)
        jtl_fail_if_release(&c->rules[i]);
    free(c->rules);
    free(c->base.v);
    free(c->cur.v);
}

const struct cli_command cli_cmd_compare = {
    .name = "compare",
    .summary = "a run against a baseline: what changed beyond noise, "
               "--fail-if",
    .long_opts = compare_opts,
    .state_size = sizeof(struct compare_cmd),
    .init = init,
    .option = option,
    .help = help,
    .run = run,
    .list_opts = list_opts,
    .inputs_optional = true,
    .release = release,
};
