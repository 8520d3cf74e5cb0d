/* SPDX-License-Identifier: MIT
 * cmd_throttle.c - `jtlscope throttle`: is HTTP 429 throttling threshold-
 * based or random, which limiter, what limit, Retry-After, pacing. */
#include <string.h>

#include "cli.h"
#include "jtl/report/writers.h"

/* clang-format off */
enum {
    OPT_VERBOSE = 500,
};

static const struct option opts[] = {
    JTL_CLI_THROTTLE_OPTIONS,
    JTL_CLI_LABEL_OPTIONS,
    {"verbose", no_argument, NULL, OPT_VERBOSE},
    {NULL, 0, NULL, 0},
};

static const struct cli_format formats[] = {
    {"text", NULL, NULL},
    {"json", NULL, "json"},
    {"md",   NULL, "md"},
};
static enum jtl_err (*const writers[])(
    FILE *, const struct jtl_throttle_result *, const struct jtl_run_info *,
    struct jtl_diag *) = {
    jtl_report_throttle_text, jtl_report_throttle_json,
    jtl_report_throttle_md,
};
/* clang-format on */

struct throttle_cmd {
    struct jtl_throttle_opts th;
    bool verbose;
};

static void init(void *state)
{
    struct throttle_cmd *c = state;

    jtl_throttle_opts_init(&c->th);
}

static int option(void *state, int id, const char *arg)
{
    struct throttle_cmd *c = state;

    if (id == OPT_VERBOSE) {
        c->verbose = true;
        return 0;
    }
    return cli_throttle_option(&c->th, id, arg);
}

/* clang-format off */
static void help(FILE *fp)
{
    fputs(
        "Throttle options:\n", fp);
    cli_throttle_help(fp);
    cli_group_labels_help(fp, true);
    fputs(
"  -f, --format=text|json|md    output format        [text, or from -o name]\n"
"  --verbose                    every statistical test in the text, each\n"
"                               marked as supporting the verdict, arguing\n"
"                               against it, or not applicable\n"
"\n"
"Retry-After is read from XML <responseHeader> (seconds or HTTP-date), a CSV\n"
"column, or a Genesys body 'Retry the request in [N] seconds'.\n", fp);
}
/* clang-format on */

static int run(void *state, const struct cli_config *cfg)
{
    struct throttle_cmd *c = state;
    struct cli_analyses want = {0};
    struct cli_analysed got;
    struct jtl_outfile of = {0};
    struct jtl_diag d = {0};
    enum jtl_err err;
    int fmt, rc;

    fmt = cli_pick_format(cfg, formats, sizeof(formats) / sizeof(*formats));
    if (fmt < 0)
        return JTL_EXIT_USAGE;
    want.throttle = &c->th;
    err = cli_analyse(cfg, &want, &got);
    if (err)
        goto out;
    err = cli_output_open(cfg, &of);
    if (err)
        goto out;
    got.info.tz = cfg->tz;
    got.info.verbose = c->verbose;
    err = writers[fmt](of.fp, &got.thr, &got.info, &d);
    err = cli_output_close(cfg, &of, err, &d);
out:
    jtl_outfile_abort(&of);
    rc = cli_exit_code(err, &got.info);
    cli_analysed_release(&got);
    return rc;
}

const struct cli_command cli_cmd_throttle = {
    .name = "throttle",
    .summary = "429 analysis: verdict, limiter, limit, Retry-After, pacing",
    .long_opts = opts,
    .state_size = sizeof(struct throttle_cmd),
    .init = init,
    .option = option,
    .help = help,
    .run = run,
};
