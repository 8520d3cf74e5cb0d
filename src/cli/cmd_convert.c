/* SPDX-License-Identifier: MIT
 * cmd_convert.c - `jtlscope convert`: any JTL (CSV in any dialect, XML,
 * gzip, several files) to one CSV in JMeter 5.x's format (the engine is
 * report/convert.c). */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "jtl/report/convert.h"

enum {
    OPT_NO_SUBRESULTS = 700,
};

/* clang-format off */
static const struct option convert_opts[] = {
    {"no-subresults", no_argument, NULL, OPT_NO_SUBRESULTS},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

struct convert_cmd {
    bool no_subresults;
};

static int option(void *state, int id, const char *arg)
{
    struct convert_cmd *c = state;

    (void)arg;
    if (id == OPT_NO_SUBRESULTS) {
        c->no_subresults = true;
        return 0;
    }
    return 1;
}

/* clang-format off */
static void help(FILE *fp)
{
    fputs(
"Writes one CSV in JMeter 5.x's format (JMeter's column names and order,\n"
"CSVSaveService quoting, timeStamp in epoch ms) from any input: CSV in any\n"
"dialect, XML, gzip, several files in the order given.  Nothing is\n"
"invented: the columns are the ones the input has (a JMeter 5.x file gives\n"
"the 17 default columns) and a value a sample lacks is left empty.  The\n"
"file appears under its name only when complete.\n"
"\n"
"  -o, --output=FILE    the CSV to write                      [stdout]\n"
"  --no-subresults      leave out nested sub-samples (XML)    [kept, as\n"
"                       JMeter 5's CSV writes them as rows]\n", fp);
}
/* clang-format on */

/* Columns the dashboard needs that the input lacks are left out rather
 * than invented: say so, by name. */
static void warn_dashboard(const struct cli_config *cfg, uint32_t missing)
{
    char list[400] = "";
    size_t len = 0;
    int f;

    if (!missing)
        return;
    for (f = 0; f < JTL_F_COUNT; f++)
        if (missing & (1u << f))
            len += (size_t)snprintf(list + len, sizeof(list) - len, "%s%s",
                                    len ? ", " : "",
                                    jtl_field_name((enum jtl_field)f));
    cli_warn(cfg,
             "the input has no %s; left out rather than invented, so "
             "JMeter's dashboard will not accept the result",
             list);
}

static int run(void *state, const struct cli_config *cfg)
{
    struct convert_cmd *c = state;
    struct jtl_convert *conv = NULL;
    struct jtl_sink sink;
    struct jtl_run_info info;
    struct jtl_diag diag = {0};
    struct jtl_outfile of = {0};
    enum jtl_err err;
    int werr;

    static const struct cli_format csv_only[] = {{"csv", NULL, "csv"}};

    memset(&info, 0, sizeof(info));
    /* refused before any work: convert writes CSV, into a file */
    if (cli_pick_format(cfg, csv_only, 1) < 0)
        return JTL_EXIT_USAGE;
    {
        /* a state holds statistics and the analysis' records, not rows */
        struct cli_states sts;
        int rc = cli_states_split(cfg, &sts);
        if (!rc && sts.n)
            rc = cli_usage_error("convert: '%s' is a state (made by "
                                 "summarize): it keeps the statistics, not "
                                 "the rows; convert the JTL files",
                                 sts.f[0].name);
        cli_states_release(&sts);
        if (rc)
            return rc;
    }
    err = jtl_convert_new(cfg->output, c->no_subresults, &conv, &diag);
    if (err) {
        cli_print_diag(&diag);
        goto out;
    }
    jtl_convert_sink(conv, &sink);
    err = cli_read(cfg, &sink, &info);
    werr = jtl_convert_spool_error(conv);
    if (werr) {
        /* the samples are spooled to a hidden file beside the output (or
         * in TMPDIR for stdout) before the header is known */
        if (cfg->output && strcmp(cfg->output, "-") != 0)
            fprintf(stderr,
                    "jtlscope: cannot write the temporary copy of "
                    "the samples beside '%s': %s\n",
                    cfg->output, strerror(werr));
        else
            fprintf(stderr,
                    "jtlscope: cannot write the temporary copy of "
                    "the samples in TMPDIR: %s\n",
                    strerror(werr));
        err = JTL_ERR_IO;
        goto out;
    }
    if (err)
        goto out;
    if (jtl_convert_rows(conv) == 0) {
        /* cli_read said why: every sample was filtered out */
        fprintf(stderr, "jtlscope: no sample to convert\n");
        err = JTL_ERR_EMPTY;
        goto out;
    }
    warn_dashboard(cfg, jtl_convert_missing(conv));
    err = cli_output_open(cfg, &of);
    if (err)
        goto out;
    err = jtl_convert_write(conv, of.fp, &diag);
    err = cli_output_close(cfg, &of, err, &diag);
out:
    jtl_outfile_abort(&of);
    jtl_convert_free(conv);
    {
        int rc = cli_exit_code(err, &info);
        jtl_run_info_release(&info);
        return rc;
    }
}

const struct cli_command cli_cmd_convert = {
    .name = "convert",
    .summary = "any JTL to a normalized CSV that JMeter's own dashboard "
               "accepts",
    .long_opts = convert_opts,
    .state_size = sizeof(struct convert_cmd),
    .option = option,
    .help = help,
    .run = run,
};
