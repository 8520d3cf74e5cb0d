/* SPDX-License-Identifier: MIT
 * cmd_report.c - `jtlscope report FILE... -o DIR`: one pass over the input
 * feeds both the statistics aggregator and the 429 analysis (a fan-out
 * sink), then the report folder is written (report.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "jtl/agg.h"
#include "jtl/pipeline.h"
#include "jtl/report.h"
#include "jtl/stats.h"
#include "jtl/throttle.h"
#include "jtl/xalloc.h"

enum {
    OPT_GNUPLOT = 600,
    OPT_NO_RENDER,
    OPT_TEMPLATE_DIR,
    OPT_TITLE,
    OPT_GNUPLOT_TIMEOUT,
    OPT_PERCENTILES,
    OPT_APDEX,
    OPT_CODES,
    OPT_MESSAGE,
    OPT_RA_COLUMN,
    OPT_MARGIN,
    OPT_NO_SCOPES,
};

/* clang-format off */
static const struct option report_opts[] = {
    {"gnuplot",         required_argument, NULL, OPT_GNUPLOT},
    {"no-render",       no_argument,       NULL, OPT_NO_RENDER},
    {"template-dir",    required_argument, NULL, OPT_TEMPLATE_DIR},
    {"title",           required_argument, NULL, OPT_TITLE},
    {"gnuplot-timeout", required_argument, NULL, OPT_GNUPLOT_TIMEOUT},
    {"percentiles",     required_argument, NULL, OPT_PERCENTILES},
    {"apdex",           required_argument, NULL, OPT_APDEX},
    /* the same names as `jtlscope throttle`, so one command line serves */
    {"throttle-codes",  required_argument, NULL, OPT_CODES},
    {"throttle-message",required_argument, NULL, OPT_MESSAGE},
    {"retry-after-column",required_argument,NULL, OPT_RA_COLUMN},
    {"margin",          required_argument, NULL, OPT_MARGIN},
    {"no-scopes",       no_argument,       NULL, OPT_NO_SCOPES},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

/* Options are parsed before run(); the command runs once per process. */
static struct {
    bool ready;
    struct jtl_agg_opts agg;
    struct jtl_throttle_opts th;
    struct jtl_report_opts rep;
    const char *title;
} g;

static void ensure_opts(void)
{
    if (g.ready)
        return;
    jtl_agg_opts_init(&g.agg);
    jtl_throttle_opts_init(&g.th);
    g.rep.render = true;
    g.rep.timeout_ms = 60000;
    g.ready = true;
}

static int parse_opt(struct jtl_config *cfg, int id, const char *arg)
{
    struct jtl_diag diag = {0};
    struct stat st;
    char *end;
    double v;

    (void)cfg;
    ensure_opts();
    switch (id) {
    case OPT_GNUPLOT:
        g.rep.gnuplot = arg;
        return 0;
    case OPT_NO_RENDER:
        g.rep.render = false;
        return 0;
    case OPT_TEMPLATE_DIR:
        if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
            jtl_cli_usage_error("--template-dir: '%s' is not a folder", arg);
            return -1;
        }
        g.rep.template_dir = arg;
        return 0;
    case OPT_TITLE:
        g.title = arg;
        return 0;
    case OPT_GNUPLOT_TIMEOUT:
        errno = 0;
        v = strtod(arg, &end);
        if (errno || end == arg || *end || !(v > 0) || v > 86400) {
            jtl_cli_usage_error("--gnuplot-timeout takes seconds, "
                                "not '%s'",
                                arg);
            return -1;
        }
        g.rep.timeout_ms = (int)(v * 1000);
        return 0;
    case OPT_PERCENTILES: {
        int n = jtl_stats_parse_pct_list(arg, g.agg.pct_list);
        if (n < 1) {
            jtl_cli_usage_error("--percentiles takes up to %d values "
                                "in (0, 100] such as 90,95,99, not "
                                "'%s'",
                                JTL_STATS_MAX_PCT, arg);
            return -1;
        }
        g.agg.npct = (size_t)n;
        return 0;
    }
    case OPT_APDEX:
        if (!jtl_stats_parse_apdex(arg, &g.agg.apdex_t, &g.agg.apdex_f)) {
            jtl_cli_usage_error("--apdex takes T,F in ms with T <= F, "
                                "such as 500,1500, not '%s'",
                                arg);
            return -1;
        }
        return 0;
    case OPT_CODES:
        if (jtl_throttle_opts_codes(&g.th, arg, &diag) != JTL_OK) {
            jtl_cli_usage_error("%s", diag.msg);
            return -1;
        }
        return 0;
    case OPT_MESSAGE:
        g.th.message_regex = arg;
        return 0;
    case OPT_RA_COLUMN:
        g.th.retry_after_column = arg;
        return 0;
    case OPT_MARGIN:
        if (!jtl_throttle_parse_margin(arg, &v)) {
            jtl_cli_usage_error("--margin takes 0 to 0.9 (or 0%% to "
                                "90%%), not '%s'",
                                arg);
            return -1;
        }
        g.th.margin = v;
        return 0;
    case OPT_NO_SCOPES:
        g.th.scopes = false;
        return 0;
    }
    return 1;
}

static void help(FILE *fp)
{
    fputs(
        "Everything about a test in one folder: index.html (one "
        "self-contained\n"
        "page, opens offline), charts as PNG and SVG with their gnuplot "
        "scripts\n"
        "(.gp) and data (.dat), statistics.json, throttle.json and "
        "summary.md.\n"
        "  -o, --output=DIR             the report folder (created; required)\n"
        "  --title=TEXT                 page title          [Load test FILE]\n"
        "  --gnuplot=PATH               gnuplot to draw the charts   [in "
        "PATH]\n"
        "  --no-render                  write the .gp/.dat scripts, draw "
        "nothing\n"
        "  --gnuplot-timeout=SECONDS    per chart                          "
        "[60]\n"
        "  --template-dir=DIR           report.html/.css/.js from DIR   [built "
        "in]\n"
        "  --percentiles=LIST           percentiles of the tables    "
        "[90,95,99]\n"
        "  --apdex=T,F                  APDEX thresholds in ms      "
        "[500,1500]\n"
        "  --throttle-codes=LIST        response codes meaning throttled  "
        "[429]\n"
        "  --throttle-message=REGEX     also throttled when the message "
        "matches\n"
        "  --retry-after-column=NAME    CSV column holding Retry-After    "
        "[auto]\n"
        "  --margin=F                   safety margin of the pacing advice "
        "[0.2]\n"
        "  --no-scopes                  analyse the whole run only, not per "
        "label\n"
        "Without gnuplot the report is still written, without the images, and\n"
        "the exit status is 0.\n",
        fp);
}

/* ---- one pass, two consumers --------------------------------------------- */

/* The pipeline takes one sink: this one hands every sample to the stats
 * aggregator and to the 429 analysis, and forks/joins both for worker
 * threads (only when both can). */
struct fanout {
    struct jtl_sink a, b;
};

static int fan_add(const struct jtl_sample *s, void *ctx)
{
    struct fanout *f = ctx;
    int rc = f->a.add(s, f->a.ctx);

    if (rc)
        return rc;
    return f->b.add(s, f->b.ctx);
}

static void *fan_fork(void *ctx)
{
    struct fanout *f = ctx, *c = jtl_xcalloc(1, sizeof(*c));

    *c = *f;
    c->a.ctx = f->a.fork(f->a.ctx);
    c->b.ctx = f->b.fork(f->b.ctx);
    return c;
}

static void fan_join(void *ctx, void *child)
{
    struct fanout *f = ctx, *c = child;

    f->a.join(f->a.ctx, c->a.ctx);
    f->b.join(f->b.ctx, c->b.ctx);
    free(c);
}

static enum jtl_err w_stats(const struct jtl_report_input *in, FILE *fp,
                            struct jtl_diag *diag)
{
    (void)diag;
    jtl_report_stats_json(fp, in->stats, in->run);
    return JTL_OK;
}

static enum jtl_err w_throttle(const struct jtl_report_input *in, FILE *fp,
                               struct jtl_diag *diag)
{
    enum jtl_err err = jtl_throttle_write_json(in->throttle, fp);

    if (err)
        return jtl_diag_set(diag, err, NULL, "cannot write throttle.json");
    return JTL_OK;
}

/* "Generated on": SOURCE_DATE_EPOCH when set (reproducible builds). */
static int64_t generated_at(void)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    int64_t v;

    if (s && jtl_parse_i64(s, strlen(s), &v) && v >= 0)
        return v;
    return (int64_t)time(NULL);
}

static int run(struct jtl_config *cfg)
{
    struct jtl_agg *agg = NULL;
    struct jtl_throttle *th = NULL;
    struct jtl_throttle_result thr;
    struct jtl_report_input in;
    struct fanout fan;
    struct jtl_sink sink;
    struct jtl_run_info info;
    struct jtl_diag diag = {0};
    bool have_thr = false;
    enum jtl_err err;
    int rc;

    ensure_opts();
    memset(&info, 0, sizeof(info));
    memset(&thr, 0, sizeof(thr));
    if (!cfg->output || strcmp(cfg->output, "-") == 0)
        return jtl_cli_usage_error("report: -o DIR is required (the report "
                                   "is a folder)");
    if (cfg->format)
        return jtl_cli_usage_error("report: --format does not apply; the "
                                   "folder holds every format");
    g.agg.timeline = true;
    agg = jtl_agg_new(&g.agg);
    err = jtl_throttle_new(&g.th, &th, &diag);
    if (err) {
        jtl_diag_print(&diag);
        goto out;
    }
    memset(&fan, 0, sizeof(fan));
    jtl_agg_sink(agg, &fan.a);
    jtl_throttle_sink(th, &fan.b);
    memset(&sink, 0, sizeof(sink));
    sink.add = fan_add;
    sink.ctx = &fan;
    if (fan.a.fork && fan.a.join && fan.b.fork && fan.b.join) {
        sink.fork = fan_fork;
        sink.join = fan_join;
    }
    err = jtl_pipeline_run(cfg, &sink, &info, &diag);
    if (err) {
        jtl_diag_print(&diag);
        goto out;
    }
    err = jtl_run_info_check(&info, cfg->quiet);
    if (err)
        goto out;
    jtl_agg_finish(agg);
    jtl_agg_warn_folded(agg, cfg->quiet);
    err = jtl_throttle_finish(th, &thr, &diag);
    if (err) {
        jtl_diag_print(&diag);
        goto out;
    }
    have_thr = true;
    jtl_throttle_free(th);
    th = NULL;

    memset(&in, 0, sizeof(in));
    in.stats = jtl_agg_stats(agg);
    in.timeline = jtl_agg_timeline(agg);
    in.throttle = &thr;
    in.run = &info;
    in.title = g.title;
    in.generated_at = generated_at();
    g.rep.dir = cfg->output;
    g.rep.quiet = cfg->quiet;
    g.rep.write_stats_json = w_stats;
    g.rep.write_throttle_json = w_throttle;
    err = jtl_report_write(&in, &g.rep, &diag);
    if (err)
        jtl_diag_print(&diag);
out:
    rc = jtl_cli_exit_code(err, &info);
    if (have_thr)
        jtl_throttle_result_release(&thr);
    jtl_throttle_free(th);
    jtl_run_info_release(&info);
    jtl_agg_free(agg);
    return rc;
}

const struct jtl_cmd jtl_cmd_report = {
    .name = "report",
    .summary = "everything into -o DIR: index.html, charts, JSON, Markdown",
    .long_opts = report_opts,
    .parse_opt = parse_opt,
    .help = help,
    .run = run,
};
