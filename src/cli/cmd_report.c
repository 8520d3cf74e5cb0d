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
#include "jtl/stats/agg.h"
#include "jtl/read/read.h"
#include "jtl/report/report.h"
#include "jtl/stats/stats.h"
#include "jtl/throttle/throttle.h"
#include "jtl/base/xalloc.h"

enum {
    OPT_GNUPLOT = 600,
    OPT_NO_RENDER,
    OPT_TEMPLATE_DIR,
    OPT_TITLE,
    OPT_GNUPLOT_TIMEOUT,
};

/* clang-format off */
static const struct option report_opts[] = {
    {"gnuplot",         required_argument, NULL, OPT_GNUPLOT},
    {"no-render",       no_argument,       NULL, OPT_NO_RENDER},
    {"template-dir",    required_argument, NULL, OPT_TEMPLATE_DIR},
    {"title",           required_argument, NULL, OPT_TITLE},
    {"gnuplot-timeout", required_argument, NULL, OPT_GNUPLOT_TIMEOUT},
    /* the same names as `jtlscope stats` and `jtlscope throttle`, so one
     * command line serves */
    JTL_CLI_STATS_OPTIONS,
    JTL_CLI_THROTTLE_OPTIONS,
    {NULL, 0, NULL, 0},
};
/* clang-format on */

/* Options are parsed before run(); the command runs once per process. */
static struct {
    bool ready;
    struct jtl_cli_stats stats;
    struct jtl_cli_throttle th;
    struct jtl_report_opts rep;
    const char *title;
} g;

static void ensure_opts(void)
{
    if (g.ready)
        return;
    jtl_cli_stats_init(&g.stats);
    jtl_cli_throttle_init(&g.th);
    g.rep.render = true;
    g.rep.timeout_ms = 60000;
    g.ready = true;
}

static int parse_opt(struct jtl_config *cfg, int id, const char *arg)
{
    struct stat st;
    char *end;
    double v;
    int rc;

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
    }
    rc = jtl_cli_stats_opt(&g.stats, id, arg);
    if (rc != 1)
        return rc;
    return jtl_cli_throttle_opt(&g.th, id, arg);
}

/* clang-format off */
static void help(FILE *fp)
{
    fputs(
"Everything about a test in one folder: index.html (one self-contained\n"
"page, opens offline), charts as PNG and SVG with their gnuplot scripts\n"
"(.gp) and data (.dat), statistics.json, throttle.json and summary.md.\n"
"  -o, --output=DIR             the report folder (created; required)\n"
"  --title=TEXT                 page title          [Load test FILE]\n"
"  --gnuplot=PATH               gnuplot to draw the charts   [in PATH]\n"
"  --no-render                  write the .gp/.dat scripts, draw nothing\n"
"  --gnuplot-timeout=SECONDS    per chart                          [60]\n"
"  --template-dir=DIR           report.html/.css/.js from DIR   [built in]\n"
"Statistics options (as `jtlscope stats`; --granularity sets the charts'\n"
"interval, --jmeter-compat makes statistics.json JMeter's):\n", fp);
    jtl_cli_stats_help(fp);
    fputs("Throttle options (as `jtlscope throttle`):\n", fp);
    jtl_cli_throttle_help(fp);
    fputs(
"Without gnuplot the report is still written, without the images, and\n"
"the exit status is 0.\n", fp);
}
/* clang-format on */

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
    rc = jtl_cli_stats_check(&g.stats);
    if (rc)
        return rc;
    g.stats.agg.timeline = true;
    agg = jtl_agg_new(&g.stats.agg);
    err = jtl_throttle_new(&g.th.opts, &th, &diag);
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
