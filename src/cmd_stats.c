/* SPDX-License-Identifier: MIT
 * cmd_stats.c - `jtlscope stats`: per-label and Total statistics (JMeter's
 * statistics.json figures, exact percentiles by default), APDEX, response
 * codes, errors and top-5 errors, or with --timeline the per-interval
 * series. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jtl/agg.h"
#include "jtl/outfile.h"
#include "jtl/pipeline.h"
#include "jtl/stats.h"
#include "jtl/timeline.h"

enum {
    OPT_PERCENTILES = 400,
    OPT_PCT_METHOD,
    OPT_APDEX,
    OPT_JMETER_COMPAT,
    OPT_SUBRESULTS,
    OPT_GRANULARITY,
    OPT_TIMELINE,
};

/* clang-format off */
static const struct option stats_opts[] = {
    {"percentiles",       required_argument, NULL, OPT_PERCENTILES},
    {"percentile-method", required_argument, NULL, OPT_PCT_METHOD},
    {"apdex",             required_argument, NULL, OPT_APDEX},
    {"jmeter-compat",     no_argument,       NULL, OPT_JMETER_COMPAT},
    {"subresults",        no_argument,       NULL, OPT_SUBRESULTS},
    {"granularity",       required_argument, NULL, OPT_GRANULARITY},
    {"timeline",          no_argument,       NULL, OPT_TIMELINE},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

/* Options are parsed before run(); the command runs once per process. */
static struct jtl_agg_opts g_opts;
static bool g_ready, g_timeline, g_method_set;

static void ensure_opts(void)
{
    if (!g_ready) {
        jtl_agg_opts_init(&g_opts);
        g_ready = true;
    }
}

/* "60s", "1m", "500ms", "2h", "1000" (ms) -> ms; 0 for "auto"; -1 bad. */
static int64_t parse_duration(const char *s)
{
    char *end;
    double v;

    if (strcmp(s, "auto") == 0)
        return 0;
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || !(v > 0))
        return -1;
    if (strcmp(end, "") == 0 || strcmp(end, "ms") == 0)
        ;
    else if (strcmp(end, "s") == 0)
        v *= 1000;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        v *= 60000;
    else if (strcmp(end, "h") == 0)
        v *= 3600000;
    else
        return -1;
    if (v < 1 || v > 366.0 * 86400000)
        return -1;
    return (int64_t)v;
}

static int parse_opt(struct jtl_config *cfg, int id, const char *arg)
{
    (void)cfg;
    ensure_opts();
    switch (id) {
    case OPT_PERCENTILES: {
        int n = jtl_stats_parse_pct_list(arg, g_opts.pct_list);
        if (n < 1) {
            jtl_cli_usage_error("--percentiles takes up to %d values in "
                                "(0, 100] such as 90,95,99, not '%s'",
                                JTL_STATS_MAX_PCT, arg);
            return -1;
        }
        g_opts.npct = (size_t)n;
        return 0;
    }
    case OPT_PCT_METHOD:
        if (strcmp(arg, "exact") == 0)
            g_opts.method = JTL_PCT_EXACT;
        else if (strcmp(arg, "legacy") == 0 || strcmp(arg, "jmeter") == 0)
            g_opts.method = JTL_PCT_LEGACY;
        else {
            jtl_cli_usage_error("--percentile-method must be exact or "
                                "legacy, not '%s'",
                                arg);
            return -1;
        }
        g_method_set = true;
        return 0;
    case OPT_APDEX:
        if (!jtl_stats_parse_apdex(arg, &g_opts.apdex_t, &g_opts.apdex_f)) {
            jtl_cli_usage_error("--apdex takes T,F in ms with T <= F, such "
                                "as 500,1500, not '%s'",
                                arg);
            return -1;
        }
        return 0;
    case OPT_JMETER_COMPAT:
        g_opts.jmeter_compat = true;
        return 0;
    case OPT_SUBRESULTS:
        g_opts.subresults = true;
        return 0;
    case OPT_GRANULARITY: {
        int64_t ms = parse_duration(arg);
        if (ms < 0) {
            jtl_cli_usage_error("--granularity takes a duration such as "
                                "1s, 60s, 5m or auto, not '%s'",
                                arg);
            return -1;
        }
        g_opts.granularity_ms = ms;
        return 0;
    }
    case OPT_TIMELINE:
        g_timeline = true;
        return 0;
    }
    return 1;
}

/* clang-format off */
static void help(FILE *fp)
{
    fputs(
"Statistics per label and Total, as JMeter's dashboard computes them\n"
"(Transaction Controller samples have their own rows but are not in Total).\n"
"  --percentiles=LIST           percentiles to report          [90,95,99]\n"
"  --percentile-method=M        exact: nearest rank over all samples;\n"
"                               legacy: JMeter's Commons-Math estimator\n"
"                                                                 [exact]\n"
"  --jmeter-compat              reproduce JMeter's statistics.json: legacy\n"
"                               estimator over the last 20000 values per\n"
"                               label, float errorPct, file order\n"
"  --apdex=T,F                  APDEX thresholds in ms          [500,1500]\n"
"  --subresults                 also count XML sub-samples  [top level only]\n"
"  --timeline                   write the per-interval series instead\n"
"  --granularity=DUR            series interval: 1s, 60s, 5m ...  [auto:\n"
"                               about 100-300 points, at least 1 s]\n"
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

    ensure_opts();
    if (cfg->format) {
        fmt = jtl_stats_format_parse(cfg->format);
        if (fmt < 0)
            return jtl_cli_usage_error("--format must be table, csv, json or "
                                       "md, not '%s'",
                                       cfg->format);
    } else {
        fmt = format_from_path(cfg->output);
    }
    if (g_opts.jmeter_compat && g_method_set && g_opts.method != JTL_PCT_LEGACY)
        return jtl_cli_usage_error("--jmeter-compat uses the legacy "
                                   "percentile method");
    g_opts.timeline = g_timeline;
    agg = jtl_agg_new(&g_opts);
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
