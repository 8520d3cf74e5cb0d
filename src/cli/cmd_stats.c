/* SPDX-License-Identifier: MIT
 * cmd_stats.c - `jtlscope stats`: per-label and Total statistics (JMeter's
 * statistics.json figures, exact percentiles by default), APDEX, response
 * codes, errors and top-5 errors, or with --timeline the per-interval
 * series. */
#include <string.h>

#include "cli.h"
#include "jtl/stats/agg.h"
#include "jtl/report/outfile.h"
#include "jtl/read/read.h"
#include "jtl/stats/stats.h"
#include "jtl/stats/timeline.h"

enum {
    OPT_TIMELINE = 400,
};

/* clang-format off */
static const struct option stats_opts[] = {
    JTL_CLI_STATS_OPTIONS,
    {"timeline",          no_argument,       NULL, OPT_TIMELINE},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

/* Options are parsed before run(); the command runs once per process. */
static struct jtl_cli_stats g_stats;
static bool g_timeline;

static int parse_opt(struct jtl_config *cfg, int id, const char *arg)
{
    (void)cfg;
    if (id == OPT_TIMELINE) {
        g_timeline = true;
        return 0;
    }
    return jtl_cli_stats_opt(&g_stats, id, arg);
}

/* clang-format off */
static void help(FILE *fp)
{
    fputs(
"Statistics per label and Total, as JMeter's dashboard computes them\n"
"(Transaction Controller samples have their own rows but are not in Total).\n", fp);
    jtl_cli_stats_help(fp);
    fputs(
"  --timeline                   write the per-interval series instead\n"
"  -f, --format=FMT             table, csv, json (statistics.json shape\n"
"                               plus \"codes\" per label) or md     [table,\n"
"                               or from the -o extension]\n", fp);
}
/* clang-format on */

static int format_from_path(const char *path)
{
    const char *dot;

    if (!path || strcmp(path, "-") == 0)
        return JTL_STATS_TABLE;
    dot = strrchr(path, '.');
    if (!dot)
        return JTL_STATS_TABLE;
    if (strcmp(dot, ".json") == 0)
        return JTL_STATS_JSON;
    if (strcmp(dot, ".csv") == 0)
        return JTL_STATS_CSV;
    if (strcmp(dot, ".md") == 0)
        return JTL_STATS_MD;
    return JTL_STATS_TABLE;
}

static int run(struct jtl_config *cfg)
{
    struct jtl_agg *agg = NULL;
    struct jtl_sink sink;
    struct jtl_run_info info;
    struct jtl_diag diag = {0};
    struct jtl_outfile of = {0};
    enum jtl_err err;
    int fmt, rc;

    jtl_cli_stats_init(&g_stats);
    if (cfg->format) {
        fmt = jtl_stats_format_parse(cfg->format);
        if (fmt < 0)
            return jtl_cli_usage_error("--format must be table, csv, json or "
                                       "md, not '%s'",
                                       cfg->format);
    } else {
        fmt = format_from_path(cfg->output);
    }
    rc = jtl_cli_stats_check(&g_stats);
    if (rc)
        return rc;
    g_stats.agg.timeline = g_timeline;
    agg = jtl_agg_new(&g_stats.agg);
    jtl_agg_sink(agg, &sink);
    memset(&info, 0, sizeof(info));
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
    err = jtl_outfile_open(&of, cfg->output, &diag);
    if (err) {
        jtl_diag_print(&diag);
        goto out;
    }
    if (g_timeline)
        jtl_report_timeline(of.fp, (enum jtl_stats_format)fmt,
                            jtl_agg_timeline(agg));
    else
        jtl_report_stats(of.fp, (enum jtl_stats_format)fmt, jtl_agg_stats(agg),
                         &info);
    err = jtl_outfile_commit(&of, &diag);
    if (err)
        jtl_diag_print(&diag);
out:
    jtl_outfile_abort(&of);
    rc = jtl_cli_exit_code(err, &info);
    jtl_run_info_release(&info);
    jtl_agg_free(agg);
    return rc;
}

const struct jtl_cmd jtl_cmd_stats = {
    .name = "stats",
    .summary = "statistics per label and Total (--format table|csv|json|md)",
    .long_opts = stats_opts,
    .parse_opt = parse_opt,
    .help = help,
    .run = run,
};
