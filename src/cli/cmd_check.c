/* SPDX-License-Identifier: MIT
 * cmd_check.c - `jtlscope check FILE... -c CRITERION...`: pass/fail
 * criteria for a CI gate (criteria.h, check.h).  One pass feeds the
 * statistics, the throttling analysis (only when a criterion asks for it)
 * and the per-second series of the windowed criteria; exit 3 when a
 * criterion fails. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/check/check.h"
#include "jtl/report/writers.h"

/* clang-format off */
static const struct option check_opts[] = {
    JTL_CLI_CRITERIA_OPTIONS,
    JTL_CLI_STATS_OPTIONS,
    JTL_CLI_THROTTLE_OPTIONS,
    {NULL, 0, NULL, 0},
};

static const struct cli_format formats[] = {
    {"text", "txt", NULL},
    {"json", NULL,  "json"},
    {"md",   "markdown", "md"},
    {"junit", "xml", "xml"},
};
static enum jtl_err (*const writers[])(
    FILE *, const struct jtl_check_result *, const struct jtl_run_info *,
    struct jtl_diag *) = {
    jtl_report_check_text, jtl_report_check_json, jtl_report_check_md,
    jtl_report_check_junit,
};
/* clang-format on */

struct check_cmd {
    struct cli_stats_opts stats;
    struct jtl_throttle_opts th;
    struct cli_criteria cr;
};

static void init(void *state)
{
    struct check_cmd *c = state;

    cli_stats_opts_init(&c->stats);
    jtl_throttle_opts_init(&c->th);
}

static int option(void *state, int id, const char *arg)
{
    struct check_cmd *c = state;
    int rc = cli_criteria_option(&c->cr, id, arg);

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
"Pass/fail criteria for a CI gate.  A criterion says when the run FAILS:\n"
"  SUBJECT[ of LABEL] OP VALUE[UNIT][ for DURATION][ as \"NAME\"]\n"
"  e.g.  -c 'p95 of Login > 250ms'  -c 'fail > 5%'  -c 'rc429 > 10% for 10s'\n"
"SUBJECT: avg-rt, max-rt, pNN (any percentile, exact), stdev-rt, avg-lt,\n"
"  avg-ct, fail (error %), rcNNN / rcNxx (share of a code or class), hits\n"
"  (samples/s), bytes (received KB/s), apdex; throttled (share refused),\n"
"  limit (requests/s) and verdict (== threshold|random|none|inconclusive)\n"
"  from the throttling analysis.\n"
"LABEL: exact, an endpoint template ('PUT /flows/{id}'), or /REGEX/; quote\n"
"  it when it holds an operator.  Without it: the Total.\n"
"OP: > >= < <= ==.  UNIT: ms, s, %, /s, KB/s.  for DURATION: the value over\n"
"  some window that long (sliding by 1 s) meets the condition.\n"
"Options:\n", fp);
    cli_criteria_help(fp);
    fputs(
"  -f, --format=text|json|md|junit    what goes to stdout or -o\n"
"                                                 [text, or from -o name]\n"
"Statistics options (as `jtlscope stats`):\n", fp);
    cli_stats_help(fp);
    fputs("Throttle options (as `jtlscope throttle`):\n", fp);
    cli_throttle_help(fp);
    fputs(
"Exit codes: 0 every criterion passed; 3 one failed (or could not be\n"
"evaluated, without --allow-missing); 2 a criterion that does not read.\n",
          fp);
}
/* clang-format on */

static int run(void *state, const struct cli_config *cfg)
{
    struct check_cmd *c = state;
    struct cli_analyses want = {0};
    struct cli_analysed got;
    struct jtl_check_result res;
    struct jtl_outfile of;
    struct jtl_diag diag = {0};
    bool have_res = false;
    enum jtl_err err = JTL_OK;
    int rc, fmt;

    if (c->cr.bad)
        return JTL_EXIT_USAGE;
    if (c->cr.n == 0)
        return cli_usage_error("check: no criterion (-c CRITERION or "
                               "--criteria FILE)");
    rc = cli_stats_check(&c->stats);
    if (rc)
        return rc;
    fmt = cli_pick_format(cfg, formats, sizeof(formats) / sizeof(formats[0]));
    if (fmt < 0)
        return JTL_EXIT_USAGE;
    cli_criteria_prepare(&c->cr, &c->stats, cfg);
    /* the statistics rows only: no timeline (the windows keep their own) */
    c->stats.agg.timeline = false;
    want.stats = &c->stats;
    want.throttle = cli_criteria_need_throttle(&c->cr) ? &c->th : NULL;
    want.criteria = &c->cr;
    err = cli_analyse(cfg, &want, &got);
    if (err)
        goto out;
    err = cli_criteria_evaluate(&c->cr, &got, &res);
    have_res = true;
    if (err)
        goto out;
    err = cli_output_open(cfg, &of);
    if (err)
        goto out;
    err = writers[fmt](of.fp, &res, &got.info, &diag);
    err = cli_output_close(cfg, &of, err, &diag);
out:
    rc = cli_exit_code(err, &got.info);
    /* the gate: a failed criterion is exit 3, whatever else held */
    if (!err && have_res && !res.passed)
        rc = JTL_EXIT_FAILED;
    if (have_res)
        jtl_check_release(&res);
    cli_analysed_release(&got);
    return rc;
}

static void release(void *state)
{
    cli_criteria_release(&((struct check_cmd *)state)->cr);
}

const struct cli_command cli_cmd_check = {
    .name = "check",
    .summary = "pass/fail criteria for a CI gate: exit 3 when one fails, "
               "JUnit XML",
    .long_opts = check_opts,
    .state_size = sizeof(struct check_cmd),
    .init = init,
    .option = option,
    .help = help,
    .run = run,
    .release = release,
};
