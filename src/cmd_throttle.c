/* SPDX-License-Identifier: MIT
 * cmd_throttle.c - `jtlscope throttle`: is HTTP 429 throttling threshold-
 * based or random, which limiter, what limit, Retry-After, pacing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jtl/outfile.h"
#include "jtl/pipeline.h"
#include "jtl/throttle.h"

enum {
    OPT_CODES = 500,
    OPT_MESSAGE,
    OPT_RA_COLUMN,
    OPT_MARGIN,
    OPT_NO_SCOPES,
};

/* clang-format off */
static const struct option opts[] = {
    {"throttle-codes",     required_argument, NULL, OPT_CODES},
    {"throttle-message",   required_argument, NULL, OPT_MESSAGE},
    {"retry-after-column", required_argument, NULL, OPT_RA_COLUMN},
    {"margin",             required_argument, NULL, OPT_MARGIN},
    {"no-scopes",          no_argument,       NULL, OPT_NO_SCOPES},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

/* Only one command runs per process: its options live here. */
static struct jtl_throttle_opts topts;
static bool topts_ready;

static void ready(void)
{
    if (!topts_ready) {
        jtl_throttle_opts_init(&topts);
        topts_ready = true;
    }
}

static int parse_opt(struct jtl_config *cfg, int id, const char *arg)
{
    struct jtl_diag d = {0};
    double v;

    (void)cfg;
    ready();
    switch (id) {
    case OPT_CODES:
        if (jtl_throttle_opts_codes(&topts, arg, &d)) {
            jtl_cli_usage_error("%s", d.msg);
            return -1;
        }
        return 0;
    case OPT_MESSAGE:
        topts.message_regex = arg;
        return 0;
    case OPT_RA_COLUMN:
        topts.retry_after_column = arg;
        return 0;
    case OPT_MARGIN:
        if (!jtl_throttle_parse_margin(arg, &v)) {
            jtl_cli_usage_error("--margin takes 0 to 0.9 (or 0%% to 90%%), "
                                "not '%s'", arg);
            return -1;
        }
        topts.margin = v;
        return 0;
    case OPT_NO_SCOPES:
        topts.scopes = false;
        return 0;
    }
    return 1;
}

static void help(FILE *fp)
{
    fputs(
"Throttle options:\n"
"  --throttle-codes=LIST        response codes that mean throttled   [429]\n"
"                               e.g. 429,503 (nginx limit_req default 503)\n"
"  --throttle-message=REGEX     also throttled when responseMessage or\n"
"                               failureMessage matches, e.g.\n"
"                               'ThrottlingException|Rate exceeded'\n"
"  --retry-after-column=NAME    CSV column (sample variable) holding\n"
"                               Retry-After  [auto: retryAfter, Retry-After]\n"
"  --margin=F                   safety margin of the pacing advice   [0.2]\n"
"  --no-scopes                  only the whole run, not per label/group\n"
"  -f, --format=text|json|md    output format        [text, or from -o name]\n"
"\n"
"Retry-After is read from XML <responseHeader> (seconds or HTTP-date), a CSV\n"
"column, or a Genesys body 'Retry the request in [N] seconds'.\n", fp);
}

static bool ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);

    return a >= b && strcmp(s + a - b, suf) == 0;
}

static int run(struct jtl_config *cfg)
{
    struct jtl_throttle *t = NULL;
    struct jtl_throttle_result res;
    struct jtl_run_info info;
    struct jtl_sink sink;
    struct jtl_outfile of = {0};
    struct jtl_diag d = {0};
    const char *fmt = cfg->format;
    enum jtl_err err;
    bool have_res = false;
    int rc;

    ready();
    if (!fmt && cfg->output)
        fmt = ends_with(cfg->output, ".json") ? "json"
              : ends_with(cfg->output, ".md") ? "md"
                                              : "text";
    if (!fmt)
        fmt = "text";
    if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "md"))
        return jtl_cli_usage_error("throttle: --format must be text, json or "
                                   "md, not '%s'", fmt);
    memset(&info, 0, sizeof(info));
    topts.threads = cfg->threads;
    err = jtl_throttle_new(&topts, &t, &d);
    if (err)
        goto out;
    jtl_throttle_sink(t, &sink);
    err = jtl_pipeline_run(cfg, &sink, &info, &d);
    if (err)
        goto out;
    err = jtl_throttle_finish(t, &res, &d);
    if (err)
        goto out;
    have_res = true;
    jtl_throttle_free(t);
    t = NULL;
    err = jtl_outfile_open(&of, cfg->output, &d);
    if (err)
        goto out;
    if (strcmp(fmt, "json") == 0)
        err = jtl_throttle_write_json(&res, of.fp);
    else if (strcmp(fmt, "md") == 0)
        err = jtl_throttle_write_md(&res, of.fp);
    else
        err = jtl_throttle_write_text(&res, of.fp);
    if (err) {
        jtl_diag_set(&d, err, cfg->output, "write failed");
        jtl_outfile_abort(&of);
        goto out;
    }
    err = jtl_outfile_commit(&of, &d);
out:
    if (err)
        jtl_diag_print(&d);
    rc = jtl_cli_exit_code(err, &info);
    if (have_res)
        jtl_throttle_result_release(&res);
    jtl_throttle_free(t);
    jtl_run_info_release(&info);
    return rc;
}

const struct jtl_cmd jtl_cmd_throttle = {
    .name = "throttle",
    .summary = "429 analysis: verdict, limiter, limit, Retry-After, pacing",
    .long_opts = opts,
    .parse_opt = parse_opt,
    .help = help,
    .run = run,
};
