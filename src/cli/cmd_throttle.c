/* SPDX-License-Identifier: MIT
 * cmd_throttle.c - `jtlscope throttle`: is HTTP 429 throttling threshold-
 * based or random, which limiter, what limit, Retry-After, pacing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jtl/report/outfile.h"
#include "jtl/read/read.h"
#include "jtl/throttle/throttle.h"

/* clang-format off */
static const struct option opts[] = {
    JTL_CLI_THROTTLE_OPTIONS,
    {NULL, 0, NULL, 0},
};
/* clang-format on */

/* Only one command runs per process: its options live here. */
static struct jtl_cli_throttle g_th;

static int parse_opt(struct jtl_config *cfg, int id, const char *arg)
{
    (void)cfg;
    return jtl_cli_throttle_opt(&g_th, id, arg);
}

static void help(FILE *fp)
{
    fputs(
        "Throttle options:\n", fp);
    jtl_cli_throttle_help(fp);
    fputs(
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

    jtl_cli_throttle_init(&g_th);
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
    g_th.opts.threads = cfg->threads;
    err = jtl_throttle_new(&g_th.opts, &t, &d);
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
    if (err && !ferror(of.fp)) {
        jtl_diag_set(&d, err, cfg->output, "write failed");
        jtl_outfile_abort(&of);
    } else if (jtl_outfile_commit(&of, &d) != JTL_OK) {
        /* a failed write left the stream's error flag: the commit says
         * why, with the file name, and drops the temporary file */
        err = JTL_ERR_IO;
    }
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
