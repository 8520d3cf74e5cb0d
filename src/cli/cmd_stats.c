/* SPDX-License-Identifier: MIT
 * cmd_stats.c - `jtlscope stats`: per-label and Total statistics (JMeter's
 * statistics.json figures, exact percentiles by default), APDEX, response
 * codes, errors and top-5 errors, or with --timeline the per-interval
 * series. */
#include <string.h>

#include "cli.h"
#include "jtl/report/writers.h"

enum {
    OPT_TIMELINE = 400,
};

/* clang-format off */
static const struct option stats_opts[] = {
    JTL_CLI_STATS_OPTIONS,
    JTL_CLI_LABEL_OPTIONS,
    {"timeline",          no_argument,       NULL, OPT_TIMELINE},
    {NULL, 0, NULL, 0},
};

/* The formats, the default first, each with the writer of the statistics
 * and of the per-interval series. */
static const struct cli_format formats[] = {
    {"table", "text txt", NULL},
    {"csv",   NULL,       "csv"},
    {"json",  NULL,       "json"},
    {"md",    "markdown", "md"},
};
static enum jtl_err (*const stats_writers[])(
    FILE *, const struct jtl_stats_result *, const struct jtl_run_info *,
    struct jtl_diag *) = {
    jtl_report_stats_table, jtl_report_stats_csv, jtl_report_stats_json,
    jtl_report_stats_md,
};
static enum jtl_err (*const timeline_writers[])(
    FILE *, const struct jtl_timeline *, const struct jtl_run_info *,
    struct jtl_diag *) = {
    jtl_report_timeline_table, jtl_report_timeline_csv,
    jtl_report_timeline_json, jtl_report_timeline_md,
};
/* clang-format on */

struct stats_cmd {
    struct cli_stats_opts stats;
    bool timeline;
};

static void init(void *state)
{
    struct stats_cmd *c = state;

    cli_stats_opts_init(&c->stats);
}

static int option(void *state, int id, const char *arg)
{
    struct stats_cmd *c = state;

    if (id == OPT_TIMELINE) {
        c->timeline = true;
        return 0;
    }
    return cli_stats_option(&c->stats, id, arg);
}

/* clang-format off */
static void help(FILE *fp)
{
    fputs(
"Statistics per label and Total, as JMeter's dashboard computes them\n"
"(Transaction Controller samples have their own rows but are not in Total).\n", fp);
    cli_stats_help(fp);
    cli_group_labels_help(fp, false);
    fputs(
"  --timeline                   write the per-interval series instead\n"
"  -f, --format=FMT             table, csv, json (statistics.json shape\n"
"                               plus \"codes\" per label) or md     [table,\n"
"                               or from the -o extension]\n", fp);
}
/* clang-format on */

static int run(void *state, const struct cli_config *cfg)
{
    struct stats_cmd *c = state;
    struct cli_analyses want = {0};
    struct cli_analysed got;
    struct jtl_diag diag = {0};
    struct jtl_outfile of = {0};
    enum jtl_err err;
    int fmt, rc;

    fmt = cli_pick_format(cfg, formats, sizeof(formats) / sizeof(*formats));
    if (fmt < 0)
        return JTL_EXIT_USAGE;
    rc = cli_stats_check(&c->stats);
    if (rc)
        return rc;
    c->stats.agg.timeline = c->timeline;
    want.stats = &c->stats;
    err = cli_analyse(cfg, &want, &got);
    if (err)
        goto out;
    err = cli_output_open(cfg, &of);
    if (err)
        goto out;
    if (c->timeline)
        err = timeline_writers[fmt](of.fp, jtl_agg_timeline(got.agg), &got.info,
                                    &diag);
    else
        err =
            stats_writers[fmt](of.fp, jtl_agg_stats(got.agg), &got.info, &diag);
    err = cli_output_close(cfg, &of, err, &diag);
out:
    jtl_outfile_abort(&of);
    rc = cli_exit_code(err, &got.info);
    cli_analysed_release(&got);
    return rc;
}

const struct cli_command cli_cmd_stats = {
    .name = "stats",
    .summary = "statistics per label and Total (--format table|csv|json|md)",
    .long_opts = stats_opts,
    .state_size = sizeof(struct stats_cmd),
    .init = init,
    .option = option,
    .help = help,
    .run = run,
};
