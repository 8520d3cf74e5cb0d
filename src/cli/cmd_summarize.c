/* SPDX-License-Identifier: MIT
 * cmd_summarize.c - `jtlscope summarize FILE... -o PART.jtls` and
 * `jtlscope merge PART... -o ALL.jtls`: the partial state of some JTL
 * files (state.h), made where the files are, and states combined.  Every
 * command reads states wherever it reads JTL files. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "jtl/base/xalloc.h"

enum {
    OPT_GENERATOR = 400,
};

/* clang-format off */
static const struct option summarize_opts[] = {
    {"apdex",              required_argument, NULL, JTL_OPT_APDEX},
    {"subresults",         no_argument,       NULL, JTL_OPT_SUBRESULTS},
    {"granularity",        required_argument, NULL, JTL_OPT_GRANULARITY},
    {"throttle-codes",     required_argument, NULL, JTL_OPT_TH_CODES},
    {"throttle-message",   required_argument, NULL, JTL_OPT_TH_MESSAGE},
    {"retry-after-column", required_argument, NULL, JTL_OPT_RA_COLUMN},
    {"generator",          required_argument, NULL, OPT_GENERATOR},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

struct summarize_cmd {
    struct cli_stats_opts stats;
    struct jtl_throttle_opts th;
};

static void init(void *state)
{
    struct summarize_cmd *c = state;

    cli_stats_opts_init(&c->stats);
    jtl_throttle_opts_init(&c->th);
}

static int option(void *state, int id, const char *arg)
{
    struct summarize_cmd *c = state;
    int rc;

    if (id == OPT_GENERATOR) {
        if (!arg[0]) {
            cli_usage_error("--generator needs a name");
            return -1;
        }
        c->th.generator = arg;
        return 0;
    }
    rc = cli_stats_option(&c->stats, id, arg);
    if (rc != 1)
        return rc;
    return cli_throttle_option(&c->th, id, arg);
}

/* clang-format off */
static void summarize_help(FILE *fp)
{
    fputs(
"The state of FILE... (JTL files, or states to add): the statistics\n"
"before they are finished (exact histograms, the series, error tables)\n"
"and the throttling analysis' request records, compressed.  Make one\n"
"where each load generator's file is, bring the states together, and\n"
"give them to stats, throttle, report, check or compare in place of the\n"
"files: the results are the same as from the files read together.\n"
"  -o, --output=PART.jtls       the state (required; - for stdout)\n"
"  --generator=NAME             the load generator these files come from,\n"
"                               for rows without a Hostname column [each\n"
"                               file is one, named after the file as given]:\n"
"                               give it when every generator's file has the\n"
"                               same name, or their threads merge\n"
"Options that decide what is counted; every command that reads the state\n"
"must be given the same (it says which one differs):\n"
"  --apdex=T[,F]  --subresults  --granularity=DUR\n"
"  --throttle-codes=LIST  --throttle-message=REGEX\n"
"  --retry-after-column=NAME    (as in stats and throttle)\n"
"  --from/--to (clock times), --include/--exclude\n", fp);
}

static void merge_help(FILE *fp)
{
    fputs(
"One state from several (made by summarize or merge, with the same\n"
"options): what reading all their files together would have gathered.\n"
"  -o, --output=ALL.jtls        the state (required; - for stdout)\n", fp);
}
/* clang-format on */

/* The encoder's bytes to the output as they come: a state is written a
 * block at a time, whatever the number of requests. */
struct state_out {
    FILE *fp;
    uint64_t written;
};

static void to_file(struct jtl_bw *w, void *ctx)
{
    struct state_out *o = ctx;

    if (w->len)
        fwrite(w->p, 1, w->len, o->fp);
    o->written += w->len;
    w->len = 0;
}

/* Write the gathered state to CFG's output. */
static int write_state(const struct cli_config *cfg,
                       const struct jtl_state_shape *shape,
                       struct cli_analysed *got)
{
    struct jtl_bw bytes;
    struct jtl_outfile of = {0};
    struct jtl_diag diag = {0};
    struct state_out o = {NULL, 0};
    enum jtl_err err;

    err = cli_output_open(cfg, &of);
    if (!err) {
        /* its own "wrote" line, with what the state holds */
        struct cli_config quiet = *cfg;
        quiet.quiet = true;
        o.fp = of.fp;
        jtl_bw_init(&bytes);
        bytes.flush = to_file;
        bytes.flush_ctx = &o;
        bytes.flush_at = (size_t)1 << 20;
        jtl_state_encode(shape, &got->info, got->agg, got->gathered, &bytes);
        to_file(&bytes, &o);
        jtl_bw_release(&bytes);
        err = jtl_write_status(of.fp, &diag);
        err = cli_output_close(&quiet, &of, err, &diag);
    }
    if (!err && !cfg->quiet && strcmp(cfg->output, "-") != 0) {
        char size[32];
        cli_size_text(o.written, size, sizeof(size));
        fprintf(stderr,
                "jtlscope: wrote %s: %" PRIu64 " samples from %zu file%s, "
                "%s\n",
                cfg->output, got->info.samples, got->info.nfiles,
                got->info.nfiles == 1 ? "" : "s", size);
    }
    return cli_exit_code(err, &got->info);
}

static int check_output(const struct cli_config *cfg, const char *cmd,
                        const char *what)
{
    if (!cfg->output)
        return cli_usage_error("%s: -o %s is required (-o - writes it to "
                               "stdout)",
                               cmd, what);
    if (strcmp(cfg->output, "-") == 0 && isatty(STDOUT_FILENO))
        return cli_usage_error("%s: a state is binary: -o - writes it to a "
                               "pipe or a file, not to the terminal",
                               cmd);
    if (cfg->format)
        return cli_usage_error("%s: --format does not apply; a state has one "
                               "format",
                               cmd);
    return 0;
}

static int gather_and_write(const struct cli_config *cfg,
                            struct cli_stats_opts *stats,
                            struct jtl_throttle_opts *th, const char *filters)
{
    struct cli_analyses want = {0};
    struct cli_analysed got;
    struct jtl_state_shape shape;
    char ftext[4096];
    enum jtl_err err;
    size_t i;
    int rc;

    /* a state keeps the series and the refusals the report charts */
    stats->agg.timeline = true;
    for (i = 0; i < th->ncodes && i < JTL_AGG_MAX_REFUSAL_CODES; i++)
        stats->agg.refusal_codes[i] = th->codes[i];
    stats->agg.nrefusal_codes = i;
    want.stats = stats;
    want.throttle = th;
    want.gather = true;
    want.filters = filters;
    err = cli_analyse(cfg, &want, &got);
    if (err) {
        rc = cli_exit_code(err, &got.info);
        cli_analysed_release(&got);
        return rc;
    }
    if (filters)
        snprintf(ftext, sizeof(ftext), "%s", filters);
    else
        cli_filters_text(&cfg->read.filter, ftext, sizeof(ftext));
    jtl_state_shape_of(&shape, &stats->agg, th, ftext);
    rc = write_state(cfg, &shape, &got);
    cli_analysed_release(&got);
    return rc;
}

static int summarize_run(void *state, const struct cli_config *cfg)
{
    struct summarize_cmd *c = state;
    int rc = check_output(cfg, "summarize", "PART.jtls");

    if (rc)
        return rc;
    if (c->stats.agg.jmeter_compat)
        return cli_usage_error("summarize: --jmeter-compat follows each "
                               "label's file order, which a state cannot "
                               "keep");
    if ((cfg->read.filter.has_from && cfg->read.filter.from_rel) ||
        (cfg->read.filter.has_to && cfg->read.filter.to_rel))
        return cli_usage_error(
            "summarize: --from/--to as an offset count from the start of "
            "the whole run, which one part does not know: give clock times "
            "or epoch ms");
    rc = cli_stats_check(&c->stats);
    if (rc)
        return rc;
    return gather_and_write(cfg, &c->stats, &c->th, NULL);
}

const struct cli_command cli_cmd_summarize = {
    .name = "summarize",
    .summary = "the mergeable state of JTL files, for stats/report elsewhere",
    .long_opts = summarize_opts,
    .state_size = sizeof(struct summarize_cmd),
    .init = init,
    .option = option,
    .help = summarize_help,
    .run = summarize_run,
};

/* merge: the options come from the first state; every other must agree
 * (cli_states_load says which option differs). */
static int merge_run(void *state, const struct cli_config *cfg)
{
    struct summarize_cmd *c = state;
    struct cli_states sts;
    struct jtl_state_shape *sh;
    char filters[4096];
    size_t i;
    int rc = check_output(cfg, "merge", "ALL.jtls");

    if (rc)
        return rc;
    if (cfg->read.filter.has_from || cfg->read.filter.has_to ||
        cfg->read.filter.include || cfg->read.filter.exclude)
        return cli_usage_error("merge: filters apply when the files are "
                               "read; give them to summarize");
    rc = cli_states_split(cfg, &sts);
    if (!rc && sts.nraw)
        rc = cli_usage_error("merge: '%s' is not a state; summarize reads "
                             "JTL files (and states too)",
                             sts.raw[0]);
    if (rc) {
        cli_states_release(&sts);
        return rc;
    }
    /* the options of the first state */
    sh = &sts.f[0].shape;
    c->stats.agg.granularity_ms = sh->granularity_ms;
    c->stats.agg.apdex_t = sh->apdex_t;
    c->stats.agg.apdex_f = sh->apdex_f;
    c->stats.agg.subresults = sh->subresults;
    for (i = 0; i < sh->ncodes; i++)
        c->th.codes[i] = sh->codes[i];
    c->th.ncodes = sh->ncodes;
    snprintf(filters, sizeof(filters), "%s", sh->filters);
    /* the strings outlive the states' bytes */
    c->th.message_regex =
        sh->message_regex ? jtl_xstrdup(sh->message_regex) : NULL;
    c->th.retry_after_column =
        sh->ra_column ? jtl_xstrdup(sh->ra_column) : NULL;
    cli_states_release(&sts);
    rc = gather_and_write(cfg, &c->stats, &c->th, filters);
    free((char *)(uintptr_t)c->th.message_regex);
    free((char *)(uintptr_t)c->th.retry_after_column);
    return rc;
}

const struct cli_command cli_cmd_merge = {
    .name = "merge",
    .summary = "one state from several (summarize's, or merge's)",
    .state_size = sizeof(struct summarize_cmd),
    .init = init,
    .option = option,
    .help = merge_help,
    .run = merge_run,
};
