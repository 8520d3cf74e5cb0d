/* SPDX-License-Identifier: MIT
 * cli.c - the dispatcher: the command table, the one option parser (the
 * options every command shares, then the command's own), --help and -V.
 * Fills struct cli_config and the command's state, then runs it. */
#include "cli.h"

#include <csv.h>
#include <ctype.h>
#include <libxml/xmlversion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "jtl/base/bigmem.h"
#include "jtl/base/regex.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/source.h"
#include "jtl/io/statsjson.h"
#include "jtl/io/timefmt.h"

#ifndef JTL_VERSION
#define JTL_VERSION "0.0.0"
#endif

enum {
    OPT_FORMAT_IN = 256,
    OPT_DELIMITER,
    OPT_COLUMNS,
    OPT_TS_FORMAT,
    OPT_STRICT,
    OPT_FROM,
    OPT_TO,
    OPT_INCLUDE,
    OPT_EXCLUDE,
    OPT_QUIET,
    OPT_MAX_WARNINGS,
    OPT_THREADS,
    OPT_PROGRESS,
    OPT_TIMEZONE,
    OPT_WIDE,
    OPT_GROUP_DIGITS,
    OPT_MEMORY,
};

/* clang-format off */
static const struct option common_opts[] = {
    {"output",          required_argument, NULL, 'o'},
    {"format",          required_argument, NULL, 'f'},
    {"input-format",    required_argument, NULL, OPT_FORMAT_IN},
    {"delimiter",       required_argument, NULL, OPT_DELIMITER},
    {"columns",         required_argument, NULL, OPT_COLUMNS},
    {"timestamp-format",required_argument, NULL, OPT_TS_FORMAT},
    {"strict",          no_argument,       NULL, OPT_STRICT},
    {"from",            required_argument, NULL, OPT_FROM},
    {"to",              required_argument, NULL, OPT_TO},
    {"include",         required_argument, NULL, OPT_INCLUDE},
    {"exclude",         required_argument, NULL, OPT_EXCLUDE},
    {"quiet",           no_argument,       NULL, 'q'},
    {"max-warnings",    required_argument, NULL, OPT_MAX_WARNINGS},
    {"threads",         required_argument, NULL, OPT_THREADS},
    {"progress",        no_argument,       NULL, OPT_PROGRESS},
    {"timezone",        required_argument, NULL, OPT_TIMEZONE},
    {"wide",            no_argument,       NULL, OPT_WIDE},
    {"group-digits",    no_argument,       NULL, OPT_GROUP_DIGITS},
    {"memory",          required_argument, NULL, OPT_MEMORY},
    {"help",            no_argument,       NULL, 'h'},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

static const struct cli_command *const commands[] = {
    &cli_cmd_stats, &cli_cmd_throttle, &cli_cmd_report,    &cli_cmd_convert,
    &cli_cmd_check, &cli_cmd_compare,  &cli_cmd_summarize, &cli_cmd_merge,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void print_version(void)
{
    printf("jtlscope %s (libcsv %d.%d.%d, libxml2 %s, zlib %s, gzip "
           "inflated by %s, %s, %s)\n",
           JTL_VERSION, CSV_MAJOR, CSV_MINOR, CSV_RELEASE,
           LIBXML_DOTTED_VERSION, zlibVersion(),
           jtl_inflater_name(JTL_INFLATER_AUTO), jtl_statsjson_library(),
           jtl_regex_library());
}

/* clang-format off */
static void common_help(FILE *fp)
{
    fputs(
"Input and filters (every command):\n"
"  FILE...                      JTL files: CSV or XML, plain or gzip; - = stdin;\n"
"                               several files (one per load generator) merge;\n"
"                               states (.jtls) of `summarize` too, mixed freely\n"
"  --input-format=auto|csv|xml  force the format                      [auto]\n"
"  --delimiter=C                CSV delimiter: , ; | or \\t          [sniffed]\n"
"  --columns=NAME,...           column names of a header-less CSV   [detected]\n"
"  --timestamp-format=PATTERN   SimpleDateFormat of timeStamp,\n"
"                               e.g. 'yyyy/MM/dd HH:mm:ss.SSS'  [ms or auto]\n"
"  --strict                     stop at the first malformed record\n"
"  --from=T, --to=T             keep samples starting in [T, T]: epoch ms,\n"
"                               'YYYY-MM-DD HH:MM:SS' (UTC), or an offset from\n"
"                               the start such as +90s, +5m, +1h\n"
"  --include=REGEX, --exclude=REGEX   keep/drop samples whose label matches\n"
"                               anywhere (PCRE2: Java/Perl syntax, \\d, (?i));\n"
"                               the whole label with --jmeter-compat\n"
"  -o, --output=PATH            output file or directory          [stdout]\n"
"  -f, --format=FMT             output format (see the command)\n"
"  -q, --quiet                  no progress, no warnings\n"
"  --max-warnings=N             file:line warnings printed             [10]\n"
"  --threads=N                  decoding and analysis threads        [auto]\n"
"  --memory=SIZE                memory for the requests kept by throttle,\n"
"                               report, summarize (512M, 2G; 0: none,\n"
"                               unlimited: no limit); the rest goes to a\n"
"                               temporary file in $TMPDIR          [128M]\n"
"  --wide                       tables at full width on a terminal too\n"
"                               [fit the terminal: columns left out, named]\n"
"  --group-digits               counts in tables as 10,000,000\n"
"  --timezone=ZONE              clock times shown in ZONE (Europe/Berlin,\n"
"                               local) [UTC]; formatted timestamps without\n"
"                               a zone read in it too [this machine's TZ]\n"
"\n"
"Durations (--granularity, --gnuplot-timeout, --from/--to offsets): a\n"
"number with a unit, ms, s, m or h; a bare number is seconds.\n"
"\n"
"Exit codes: 0 success; 1 error, nothing written; 2 usage error;\n"
"  3 check: a pass/fail criterion failed;\n"
"  4 output written but the input was damaged (malformed records skipped,\n"
"  a truncated file, an unreadable file among several).\n", fp);
}
/* clang-format on */

static void main_help(FILE *fp)
{
    size_t i;

    fputs("Usage: jtlscope COMMAND [OPTIONS] FILE...\n"
          "Turn JMeter result files (JTL) into statistics and a throttling "
          "verdict.\n\nCommands:\n",
          fp);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-10s  %s\n", commands[i]->name, commands[i]->summary);
    fputs("\n'jtlscope COMMAND --help' lists a command's options.\n"
          "  -V, --version   print versions\n\n",
          fp);
    common_help(fp);
}

/* Time for --from/--to: "+90s" style offsets (a duration) are relative to
 * the start; otherwise epoch ms or an ISO date and time in UTC. */
static int parse_time_arg(const char *arg, bool *rel, int64_t *ms)
{
    double v;

    if (arg[0] == '+') {
        if (!cli_parse_duration(arg + 1, &v))
            return -1;
        *rel = true;
        *ms = (int64_t)v;
        return 0;
    }
    *rel = false;
    if (jtl_parse_i64(arg, strlen(arg), ms))
        return 0;
    return jtl_time_parse_iso(arg, ms) ? 0 : -1;
}

/* --memory: a number of bytes with an optional binary unit (K, M, G, T;
 * "MB", "MiB", "g" all read the same), or "unlimited". */
static bool parse_memory(const char *arg, uint64_t *out)
{
    static const char units[] = "KMGT";
    char *end;
    double v;
    const char *u;
    int shift = 0;

    if (strcmp(arg, "unlimited") == 0) {
        *out = JTL_BIGMEM_UNLIMITED;
        return true;
    }
    if (!isdigit((unsigned char)arg[0]))
        return false;
    v = strtod(arg, &end);
    if (*end) {
        u = strchr(units, toupper((unsigned char)*end));
        if (!u)
            return false;
        shift = 10 * (int)(u - units + 1);
        end++;
        if (*end == 'i' || *end == 'I')
            end++;
        if (*end == 'b' || *end == 'B')
            end++;
        if (*end)
            return false;
    }
    v *= (double)((uint64_t)1 << shift);
    if (!(v >= 0) || v >= 9.2e18)
        return false;
    *out = (uint64_t)v;
    return true;
}

static int parse_common(struct cli_config *cfg, int id, const char *arg)
{
    struct jtl_read_opts *r = &cfg->read;
    int64_t v;

    switch (id) {
    case 'o':
        cfg->output = arg;
        return 0;
    case 'f':
        cfg->format = arg;
        return 0;
    case 'q':
        cfg->quiet = true;
        return 0;
    case OPT_FORMAT_IN:
        if (strcmp(arg, "auto") == 0)
            r->decode.format = JTL_FORMAT_AUTO;
        else if (strcmp(arg, "csv") == 0)
            r->decode.format = JTL_FORMAT_CSV;
        else if (strcmp(arg, "xml") == 0)
            r->decode.format = JTL_FORMAT_XML;
        else
            return cli_usage_error("--input-format must be auto, csv or "
                                   "xml, not '%s'",
                                   arg),
                   -1;
        return 0;
    case OPT_DELIMITER:
        if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
            r->decode.delimiter = '\t';
        else if (strlen(arg) == 1 && !isalnum((unsigned char)arg[0]) &&
                 arg[0] != '"')
            r->decode.delimiter = arg[0];
        else
            return cli_usage_error("--delimiter must be one character "
                                   "such as , ; | or \\t, not '%s'",
                                   arg),
                   -1;
        return 0;
    case OPT_COLUMNS:
        r->decode.columns = arg;
        return 0;
    case OPT_TS_FORMAT:
        r->decode.timestamp_format = arg;
        return 0;
    case OPT_STRICT:
        r->decode.strict = true;
        return 0;
    case OPT_FROM:
    case OPT_TO: {
        bool rel;
        if (parse_time_arg(arg, &rel, &v))
            return cli_usage_error("cannot parse time '%s' (epoch ms, "
                                   "'YYYY-MM-DD HH:MM:SS' or +90s)",
                                   arg),
                   -1;
        if (id == OPT_FROM) {
            r->filter.has_from = true;
            r->filter.from_rel = rel;
            r->filter.from_ms = v;
        } else {
            r->filter.has_to = true;
            r->filter.to_rel = rel;
            r->filter.to_ms = v;
        }
        return 0;
    }
    case OPT_INCLUDE:
        r->filter.include = arg;
        return 0;
    case OPT_EXCLUDE:
        r->filter.exclude = arg;
        return 0;
    case OPT_MAX_WARNINGS:
        if (!jtl_parse_i64(arg, strlen(arg), &v) || v < 0 || v > 1000000)
            return cli_usage_error("--max-warnings takes a number, not "
                                   "'%s'",
                                   arg),
                   -1;
        r->max_warnings = (unsigned)v;
        return 0;
    case OPT_THREADS:
        if (!jtl_parse_i64(arg, strlen(arg), &v) || v < 0 || v > 64)
            return cli_usage_error("--threads takes 0 to 64, not '%s'", arg),
                   -1;
        r->threads = (unsigned)v;
        return 0;
    case OPT_PROGRESS:
        cfg->progress = true;
        return 0;
    case OPT_MEMORY:
        if (!parse_memory(arg, &cfg->memory))
            return cli_usage_error("--memory takes a size such as 256M, 2G "
                                   "or unlimited, not '%s'",
                                   arg),
                   -1;
        return 0;
    case OPT_WIDE:
        cfg->wide = true;
        return 0;
    case OPT_GROUP_DIGITS:
        cfg->group_digits = true;
        return 0;
    case OPT_TIMEZONE:
        if (!jtl_clock_zone_valid(arg))
            return cli_usage_error("--timezone takes UTC, local or a zone "
                                   "such as Europe/Berlin, not '%s'",
                                   arg),
                   -1;
        cfg->tz = strcmp(arg, "UTC") == 0 ? NULL : arg;
        cfg->tz_given = arg;
        return 0;
    }
    return 1; /* not a common option */
}

/* One getopt_long table: the common options, then the command's. */
static struct option *merged_options(const struct cli_command *cmd)
{
    size_t ncommon = sizeof(common_opts) / sizeof(common_opts[0]) - 1;
    size_t nextra = 0;
    struct option *opts;

    while (cmd->long_opts && cmd->long_opts[nextra].name)
        nextra++;
    opts = jtl_xcalloc(ncommon + nextra + 1, sizeof(*opts));
    memcpy(opts, common_opts, ncommon * sizeof(*opts));
    if (nextra)
        memcpy(opts + ncommon, cmd->long_opts, nextra * sizeof(*opts));
    return opts;
}

/* An option getopt_long() did not take: ambiguous (a prefix of several
 * long options, which getopt accepts when unique), or unknown, with the
 * nearest long option when it looks like a typo. */
static int unknown_option(const struct option *opts, const char *arg)
{
    const char *names[256], *hit[3], *near;
    char word[80];
    size_t n = 0, nhit = 0, len, i;

    if (strncmp(arg, "--", 2) != 0)
        return cli_usage_error("unknown option '%s'", arg);
    len = strcspn(arg + 2, "=");
    snprintf(word, sizeof(word), "%.*s", (int)len, arg + 2);
    for (i = 0; opts[i].name && n < 256; i++) {
        names[n++] = opts[i].name;
        if (strncmp(opts[i].name, word, strlen(word)) == 0 && nhit < 3)
            hit[nhit++] = opts[i].name;
    }
    if (nhit >= 2)
        return cli_usage_error("option '--%s' is ambiguous: --%s or --%s%s?",
                               word, hit[0], hit[1],
                               nhit > 2 ? " or more" : "");
    near = cli_suggest(word, names, n);
    if (near)
        return cli_usage_error("unknown option '--%s'; did you mean '--%s'?",
                               word, near);
    return cli_usage_error("unknown option '--%s'", word);
}

static int parse_args(const struct cli_command *cmd, void *state,
                      struct cli_config *cfg, int argc, char **argv,
                      bool *want_help)
{
    struct option *opts = merged_options(cmd);
    int c, rc = 0;

    optind = 1;
    opterr = 0;
    while (rc == 0 &&
           (c = getopt_long(argc, argv, "o:f:c:qh", opts, NULL)) != -1) {
        if (c == 'h') {
            *want_help = true;
            continue;
        }
        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            if (optopt && c == ':')
                rc = cli_usage_error("option '%s' needs a value", bad);
            else
                rc = unknown_option(opts, bad);
            break;
        }
        rc = parse_common(cfg, c, optarg);
        if (rc == 1)
            rc = cmd->option ? cmd->option(state, c, optarg) : 1;
        if (rc == 1)
            rc = cli_usage_error("unknown option '%s'", argv[optind - 1]);
        else if (rc)
            rc = JTL_EXIT_USAGE;
    }
    free(opts);
    return rc;
}

/* "--baseline A1 A2 --current B1" as "--baseline=A1 --baseline=A2
 * --current=B1" for the command's list options; the strings it makes are
 * in *OWNED (freed after the run). */
static char **expand_lists(const struct cli_command *cmd, int *argc,
                           char **argv, char ***owned, size_t *nowned)
{
    char **out = jtl_xcalloc((size_t)*argc + 1, sizeof(*out));
    const char *list = NULL;
    int i, n = 0;

    *owned = jtl_xcalloc((size_t)*argc + 1, sizeof(**owned));
    *nowned = 0;
    for (i = 0; i < *argc; i++) {
        const char *a = argv[i];
        size_t k;
        if (i > 0 && strcmp(a, "--") == 0) {
            for (; i < *argc; i++)
                out[n++] = argv[i];
            break;
        }
        if (a[0] == '-' && a[1]) {
            list = NULL;
            for (k = 0; cmd->list_opts && cmd->list_opts[k]; k++)
                if (a[1] == '-' && strcmp(a + 2, cmd->list_opts[k]) == 0)
                    list = cmd->list_opts[k];
            if (!list)
                out[n++] = argv[i];
            continue;
        }
        if (list) {
            char *x = jtl_xstrdupf("--%s=%s", list, a);
            (*owned)[(*nowned)++] = x;
            out[n++] = x;
            continue;
        }
        out[n++] = argv[i];
    }
    *argc = n;
    return out;
}

/* The run's options, for the library's callbacks that warn. */
static const struct cli_config *running;

static int run_command(const struct cli_command *cmd, int argc, char **argv)
{
    struct cli_config cfg;
    void *state = jtl_xcalloc(1, cmd->state_size ? cmd->state_size : 1);
    bool want_help = false;
    char **owned = NULL, **args = NULL;
    size_t nowned = 0, i;
    int rc;

    if (cmd->list_opts) {
        args = expand_lists(cmd, &argc, argv, &owned, &nowned);
        argv = args;
    }

    memset(&cfg, 0, sizeof(cfg));
    cfg.command = cmd->name;
    cfg.memory = CLI_MEMORY_DEFAULT;
    jtl_read_opts_init(&cfg.read);
    if (cmd->init)
        cmd->init(state);
    rc = parse_args(cmd, state, &cfg, argc, argv, &want_help);
    if (rc)
        goto out;
    if (want_help) {
        printf("Usage: jtlscope %s [OPTIONS] FILE...\n%s\n\n", cmd->name,
               cmd->summary);
        if (cmd->help)
            cmd->help(stdout);
        putchar('\n');
        common_help(stdout);
        goto out;
    }
    cfg.read.inputs = (const char *const *)(argv + optind);
    cfg.read.ninputs = (size_t)(argc - optind);
    if (cfg.read.ninputs == 0 && !cmd->inputs_optional) {
        rc = cli_usage_error("%s: no input file (use - for stdin)", cmd->name);
        goto out;
    }
    cfg.progress = cfg.progress || (!cfg.quiet && isatty(STDERR_FILENO));
    jtl_bigmem_configure(cfg.memory, NULL);
    /* Formatted timestamps carry no zone: JMeter wrote them in its JVM's
     * zone, and the decoder reads them in this process's TZ.  --timezone
     * names that zone too (a run made in Paris, read on a UTC CI runner),
     * set before any thread starts. */
    if (cfg.tz_given && strcmp(cfg.tz_given, "local") != 0) {
        setenv("TZ", cfg.tz_given, 1);
        tzset();
    }
    running = &cfg;
    rc = cmd->run(state, &cfg);
    running = NULL;
out:
    if (cmd->release)
        cmd->release(state);
    for (i = 0; i < nowned; i++)
        free(owned[i]);
    free(owned);
    free(args);
    free(state);
    return rc;
}

/* The library exits on out of memory (xalloc.h); the words are ours. */
static void report_oom(size_t n)
{
    fprintf(stderr,
            "jtlscope: out of memory (%zu bytes); nothing was "
            "written\n",
            n);
}

/* A spill the disk has no room for (bigmem.h). */
static void report_spill(const char *dir, size_t n, int err)
{
    char size[32];

    cli_size_text(n, size, sizeof(size));
    fprintf(stderr,
            "jtlscope: cannot spill %s of requests to a temporary file in %s "
            "(%s): set TMPDIR to a folder with room, or raise --memory; "
            "nothing was written\n",
            size, dir, strerror(err));
}

/* A spill file in memory (bigmem.h). */
static void warn_tmpfs(const char *dir)
{
    if (running)
        cli_warn(running,
                 "%s is in memory (tmpfs): the requests beyond --memory that "
                 "go there are not kept off memory; set TMPDIR to a folder on "
                 "disk",
                 dir);
}

int cli_main(int argc, char **argv)
{
    size_t i;

    jtl_xalloc_on_oom(report_oom);
    jtl_bigmem_on_error(report_spill);
    jtl_bigmem_on_tmpfs(warn_tmpfs);
    /* JTLSCOPE_INFLATER=zlib|isal: the gzip engine, to compare them on a
     * file (README "Libraries"); ISA-L by default when built in */
    {
        const char *e = getenv("JTLSCOPE_INFLATER");
        if (e && e[0]) {
            enum jtl_inflater k = strcmp(e, "zlib") == 0   ? JTL_INFLATER_ZLIB
                                  : strcmp(e, "isal") == 0 ? JTL_INFLATER_ISAL
                                                           : JTL_INFLATER_AUTO;
            if (k == JTL_INFLATER_AUTO)
                return cli_usage_error("JTLSCOPE_INFLATER must be zlib or "
                                       "isal, not '%s'",
                                       e);
            if (!jtl_source_use_inflater(k))
                return cli_usage_error("JTLSCOPE_INFLATER=%s: this build has "
                                       "no ISA-L (%s only)",
                                       e, jtl_inflater_name(JTL_INFLATER_ZLIB));
        }
    }
    if (argc < 2)
        return cli_usage_error("no command given");
    if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
        strcmp(argv[1], "help") == 0) {
        main_help(stdout);
        return JTL_EXIT_OK;
    }
    if (strcmp(argv[1], "-V") == 0 || strcmp(argv[1], "--version") == 0) {
        print_version();
        return JTL_EXIT_OK;
    }
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(argv[1], commands[i]->name) == 0)
            return run_command(commands[i], argc - 1, argv + 1);
    {
        const char *names[NCOMMANDS], *near;
        for (i = 0; i < NCOMMANDS; i++)
            names[i] = commands[i]->name;
        near = cli_suggest(argv[1], names, NCOMMANDS);
        if (near)
            return cli_usage_error("unknown command '%s'; did you mean '%s'?",
                                   argv[1], near);
    }
    return cli_usage_error("unknown command '%s'", argv[1]);
}
