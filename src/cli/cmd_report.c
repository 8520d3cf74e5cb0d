/* SPDX-License-Identifier: MIT
 * cmd_report.c - `jtlscope report FILE... -o DIR`: one pass over the input
 * feeds both the statistics aggregator and the 429 analysis (a fan-out
 * sink), then the report folder is written (report.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "jtl/base/xalloc.h"
#include "jtl/report/report.h"
#include "jtl/stats/agg.h"
#include "jtl/throttle/throttle.h"

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
    JTL_CLI_LABEL_OPTIONS,
    JTL_CLI_CRITERIA_OPTIONS,
    {NULL, 0, NULL, 0},
};
/* clang-format on */

struct report_cmd {
    struct cli_stats_opts stats;
    struct jtl_throttle_opts th;
    struct jtl_report_opts rep;
    struct cli_criteria cr;
    const char *title;
};

static void init(void *state)
{
    struct report_cmd *c = state;

    cli_stats_opts_init(&c->stats);
    /* a report reads best per endpoint: grouped unless asked not to, or
     * unless --jmeter-compat asks for JMeter's rows */
    c->stats.agg.group_labels = true;
    jtl_throttle_opts_init(&c->th);
    c->rep.render = true;
    c->rep.timeout_ms = 60000;
}

static int option(void *state, int id, const char *arg)
{
    struct report_cmd *c = state;
    struct stat st;
    double ms;
    int rc;

    switch (id) {
    case OPT_GNUPLOT:
        c->rep.gnuplot = arg;
        return 0;
    case OPT_NO_RENDER:
        c->rep.render = false;
        return 0;
    case OPT_TEMPLATE_DIR:
        if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
            cli_usage_error("--template-dir: '%s' is not a folder", arg);
            return -1;
        }
        c->rep.template_dir = arg;
        return 0;
    case OPT_TITLE:
        c->title = arg;
        return 0;
    case OPT_GNUPLOT_TIMEOUT:
        if (!cli_parse_duration(arg, &ms) || !(ms >= 1) || ms > 86400000) {
            cli_usage_error("--gnuplot-timeout takes a duration such as 60s "
                            "or 2m (a bare number is seconds), not '%s'",
                            arg);
            return -1;
        }
        c->rep.timeout_ms = (int)ms;
        return 0;
    case JTL_OPT_GROUP_LABELS:
        /* the statistics and the analysis alike */
        c->stats.group_set = true;
        if (cli_group_labels(arg, &c->stats.agg.group_labels) != 0)
            return -1;
        c->th.group_labels = c->stats.agg.group_labels;
        return 0;
    }
    rc = cli_criteria_option(&c->cr, id, arg);
    if (rc != 1)
        return rc;
    rc = cli_stats_option(&c->stats, id, arg);
    if (rc != 1)
        return rc;
    return cli_throttle_option(&c->th, id, arg);
}

/* clang-format off */
static void help(FILE *fp)
{
    fputs(
"Everything about a test in one folder: index.html (one self-contained\n"
"page, opens offline), charts as PNG and SVG with their gnuplot scripts\n"
"(.gp) and data (.dat), statistics.json, throttle.json and summary.md.\n"
"  -o, --output=DIR             the report folder (created; required);\n"
"                               NAME.html: the page alone, everything\n"
"                               inlined, the one file to attach\n"
"  --title=TEXT                 page title          [Load test FILE]\n"
"  --gnuplot=PATH               gnuplot to draw the charts   [in PATH]\n"
"  --no-render                  write the .gp/.dat scripts, draw nothing\n"
"  --gnuplot-timeout=DUR        per chart                         [60s]\n"
"  --template-dir=DIR           report.html/.css/.js from DIR   [built in]\n"
"Statistics options (as `jtlscope stats`; --granularity sets the charts'\n"
"interval, --jmeter-compat makes statistics.json JMeter's):\n", fp);
    cli_stats_help(fp);
    fputs("Throttle options (as `jtlscope throttle`):\n", fp);
    cli_throttle_help(fp);
    cli_group_labels_help(fp, true);
    fputs("Pass/fail criteria (as `jtlscope check`; their table opens the page\n"
          "and summary.md, check.json is written, and exit 3 when one fails):\n",
          fp);
    cli_criteria_help(fp);
    fputs(
"Without gnuplot the report is still written, without the images, and\n"
"the exit status is 0.\n", fp);
}
/* clang-format on */

/* -o NAME.html asks for the page alone; anything else names the folder. */
static bool page_alone(const char *out)
{
    size_t n = strlen(out);

    return n > 5 && strcasecmp(out + n - 5, ".html") == 0;
}

/* Refused before any reading: an -o that cannot be what it asks for (a
 * folder where the page alone goes, a file where the folder goes: exit 2),
 * or that sits in a folder that does not exist (exit 1, as when it
 * vanishes later). */
static int check_output(const char *out, bool alone, bool render)
{
    struct stat st;
    char name[4096], parent[4096];
    const char *slash;
    size_t n = strlen(out);

    /* "dir/" names the folder "dir" */
    while (n > 1 && out[n - 1] == '/')
        n--;
    snprintf(name, sizeof(name), "%.*s", (int)n, out);
    slash = strrchr(name, '/');
    if (stat(name, &st) == 0) {
        if (alone && S_ISDIR(st.st_mode))
            return cli_usage_error(
                "report: -o '%s' is a folder; -o NAME.html writes the page "
                "alone, -o FOLDER the whole report",
                out);
        if (!alone && !S_ISDIR(st.st_mode))
            return cli_usage_error(
                "report: -o '%s' is not a folder; give a folder for the "
                "whole report, or NAME.html for the page alone",
                out);
    }
    if (alone && !render)
        return cli_usage_error("report: --no-render writes chart scripts into "
                               "a report folder; -o '%s' is the page alone",
                               out);
    if (slash && slash != name) {
        snprintf(parent, sizeof(parent), "%.*s", (int)(slash - name), name);
        if (stat(parent, &st) != 0 || !S_ISDIR(st.st_mode)) {
            fprintf(stderr,
                    "jtlscope: cannot create '%s': there is no folder "
                    "'%s'\n",
                    out, parent);
            return JTL_EXIT_ERROR;
        }
    }
    return 0;
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

static int run(void *state, const struct cli_config *cfg)
{
    struct report_cmd *c = state;
    struct cli_analyses want = {0};
    struct cli_analysed got;
    struct jtl_report_input in;
    struct jtl_report_charts charts;
    struct jtl_diag diag = {0};
    struct jtl_check_result res;
    bool have_res = false;
    enum jtl_err err;
    int rc;
    size_t i;

    if (!cfg->output || strcmp(cfg->output, "-") == 0)
        return cli_usage_error("report: -o DIR is required (the report is a "
                               "folder; -o NAME.html writes the page alone)");
    if (cfg->format)
        return cli_usage_error("report: --format does not apply; the folder "
                               "holds every format");
    if (c->cr.bad)
        return JTL_EXIT_USAGE;
    c->rep.page_alone = page_alone(cfg->output);
    rc = check_output(cfg->output, c->rep.page_alone, c->rep.render);
    if (rc)
        return rc;
    rc = cli_stats_check(&c->stats);
    if (rc)
        return rc;
    cli_criteria_prepare(&c->cr, &c->stats, cfg);
    c->stats.agg.timeline = true;
    /* the charts' refused requests are the analysis' */
    for (i = 0; i < c->th.ncodes && i < JTL_AGG_MAX_REFUSAL_CODES; i++)
        c->stats.agg.refusal_codes[i] = c->th.codes[i];
    c->stats.agg.nrefusal_codes = i;
    want.stats = &c->stats;
    want.throttle = &c->th;
    want.criteria = &c->cr;
    err = cli_analyse(cfg, &want, &got);
    if (err)
        goto out;

    if (c->cr.n) {
        err = cli_criteria_evaluate(&c->cr, &got, &res);
        have_res = true;
        if (err)
            goto out;
    }
    memset(&in, 0, sizeof(in));
    in.check = have_res ? &res : NULL;
    in.stats = jtl_agg_stats(got.agg);
    in.timeline = jtl_agg_timeline(got.agg);
    in.throttle = &got.thr;
    in.title = c->title;
    in.generated_at = generated_at();
    c->rep.dir = cfg->output;
    got.info.tz = cfg->tz;
    err = jtl_report_write(&in, &got.info, &c->rep, &charts, &diag);
    if (charts.gnuplot_missing && c->rep.page_alone)
        cli_warn(cfg,
                 "gnuplot not found%s%s; the page has no charts (install "
                 "gnuplot and run the report again)",
                 c->rep.gnuplot ? " at " : "",
                 c->rep.gnuplot ? c->rep.gnuplot : "");
    else if (charts.gnuplot_missing)
        cli_warn(cfg,
                 "gnuplot not found%s%s; wrote the chart scripts only "
                 "(install gnuplot, then run 'gnuplot *.gp' in '%s' or run "
                 "the report again)",
                 c->rep.gnuplot ? " at " : "",
                 c->rep.gnuplot ? c->rep.gnuplot : "", c->rep.dir);
    else if (charts.render_failed)
        cli_warn(cfg, "%s", charts.render_error);
    if (err)
        cli_print_diag(&diag);
    else if (!cfg->quiet && c->rep.page_alone)
        fprintf(stderr, "jtlscope: wrote %s (%zu chart%s inlined)\n",
                c->rep.dir, charts.n, charts.n == 1 ? "" : "s");
    else if (!cfg->quiet)
        fprintf(stderr, "jtlscope: wrote %s/index.html (%zu chart%s)\n",
                c->rep.dir, charts.n, charts.n == 1 ? "" : "s");
out:
    rc = cli_exit_code(err, &got.info);
    /* the report is written; a failed criterion still fails the run */
    if (!err && have_res && !res.passed)
        rc = JTL_EXIT_FAILED;
    if (have_res)
        jtl_check_release(&res);
    cli_analysed_release(&got);
    return rc;
}

static void release(void *state)
{
    cli_criteria_release(&((struct report_cmd *)state)->cr);
}

const struct cli_command cli_cmd_report = {
    .name = "report",
    .summary = "everything into -o DIR: index.html, charts, JSON, Markdown",
    .long_opts = report_opts,
    .state_size = sizeof(struct report_cmd),
    .init = init,
    .option = option,
    .help = help,
    .run = run,
    .release = release,
};
