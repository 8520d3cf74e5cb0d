/* SPDX-License-Identifier: MIT
 * cli.c - command line: subcommand dispatch and the options every command
 * shares (input, filters, output).  Fills struct jtl_config only. */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <libxml/xmlversion.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <csv.h>

#include "jtl/read/read.h"
#include "jtl/io/timefmt.h"
#include "jtl/base/xalloc.h"

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
    {"help",            no_argument,       NULL, 'h'},
    {NULL, 0, NULL, 0},
};
/* clang-format on */

static const struct jtl_cmd *const commands[] = {
    &jtl_cmd_stats, &jtl_cmd_throttle, &jtl_cmd_report, &jtl_cmd_convert,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

int jtl_cli_usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("jtlscope: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'jtlscope --help'.\n", stderr);
    return JTL_EXIT_USAGE;
}

int jtl_cli_exit_code(int err, const struct jtl_run_info *info)
{
    if (err == JTL_ERR_USAGE)
        return JTL_EXIT_USAGE;
    if (err)
        return JTL_EXIT_ERROR;
    if (info && info->any_damage)
        return JTL_EXIT_DAMAGED;
    return JTL_EXIT_OK;
}

static void print_version(void)
{
    printf("jtlscope %s (libcsv %d.%d.%d, libxml2 %s, zlib %s)\n", JTL_VERSION,
           CSV_MAJOR, CSV_MINOR, CSV_RELEASE, LIBXML_DOTTED_VERSION,
           zlibVersion());
}

static void common_help(FILE *fp)
{
    fputs(
"Input and filters (every command):\n"
"  FILE...                      JTL files: CSV or XML, plain or gzip; - = stdin;\n"
"                               several files (one per load generator) merge\n"
"  --input-format=auto|csv|xml  force the format                      [auto]\n"
"  --delimiter=C                CSV delimiter: , ; | or \\t          [sniffed]\n"
"  --columns=NAME,...           column names of a header-less CSV   [detected]\n"
"  --timestamp-format=PATTERN   SimpleDateFormat of timeStamp,\n"
"                               e.g. 'yyyy/MM/dd HH:mm:ss.SSS'  [ms or auto]\n"
"  --strict                     stop at the first malformed record\n"
"  --from=T, --to=T             keep samples starting in [T, T]: epoch ms,\n"
"                               'YYYY-MM-DD HH:MM:SS' (UTC), or an offset from\n"
"                               the start such as +90s, +5m, +1h\n"
"  --include=REGEX, --exclude=REGEX   keep/drop labels (POSIX extended regex)\n"
"  -o, --output=PATH            output file or directory          [stdout]\n"
"  -f, --format=FMT             output format (see the command)\n"
"  -q, --quiet                  no progress, no warnings\n"
"  --max-warnings=N             file:line warnings printed             [10]\n"
"  --threads=N                  decoding threads                     [auto]\n"
"\n"
"Exit codes: 0 success; 1 error, nothing written; 2 usage error;\n"
"  4 output written but the input was damaged (malformed records skipped,\n"
"  a truncated file, an unreadable file among several).\n", fp);
}

static void main_help(FILE *fp)
{
    size_t i;

    fputs("Usage: jtlscope COMMAND [OPTIONS] FILE...\n"
          "Turn JMeter result files (JTL) into statistics and a throttling "
          "verdict.\n\nCommands:\n", fp);
    for (i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-10s  %s\n", commands[i]->name, commands[i]->summary);
    fputs("\n'jtlscope COMMAND --help' lists a command's options.\n"
          "  -V, --version   print versions\n\n", fp);
    common_help(fp);
}

/* Time for --from/--to: "+90s" style offsets are relative to the start. */
static int parse_time_arg(const char *arg, bool *rel, int64_t *ms)
{
    char *end;
    double v;

    if (arg[0] == '+') {
        errno = 0;
        v = strtod(arg + 1, &end);
        if (errno || end == arg + 1 || v < 0)
            return -1;
        if (*end == '\0' || strcmp(end, "s") == 0)
            v *= 1000;
        else if (strcmp(end, "ms") == 0)
            ;
        else if (strcmp(end, "m") == 0)
            v *= 60000;
        else if (strcmp(end, "h") == 0)
            v *= 3600000;
        else
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

static int parse_common(struct jtl_config *cfg, int id, const char *arg)
{
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
            cfg->decode.format = JTL_FORMAT_AUTO;
        else if (strcmp(arg, "csv") == 0)
            cfg->decode.format = JTL_FORMAT_CSV;
        else if (strcmp(arg, "xml") == 0)
            cfg->decode.format = JTL_FORMAT_XML;
        else
            return jtl_cli_usage_error("--input-format must be auto, csv or "
                                       "xml, not '%s'", arg), -1;
        return 0;
    case OPT_DELIMITER:
        if (strcmp(arg, "\\t") == 0 || strcmp(arg, "tab") == 0)
            cfg->decode.delimiter = '\t';
        else if (strlen(arg) == 1 && !isalnum((unsigned char)arg[0]) &&
                 arg[0] != '"')
            cfg->decode.delimiter = arg[0];
        else
            return jtl_cli_usage_error("--delimiter must be one character "
                                       "such as , ; | or \\t, not '%s'",
                                       arg), -1;
        return 0;
    case OPT_COLUMNS:
        cfg->decode.columns = arg;
        return 0;
    case OPT_TS_FORMAT:
        cfg->decode.timestamp_format = arg;
        return 0;
    case OPT_STRICT:
        cfg->decode.strict = true;
        return 0;
    case OPT_FROM:
    case OPT_TO: {
        bool rel;
        if (parse_time_arg(arg, &rel, &v))
            return jtl_cli_usage_error("cannot parse time '%s' (epoch ms, "
                                       "'YYYY-MM-DD HH:MM:SS' or +90s)",
                                       arg), -1;
        if (id == OPT_FROM) {
            cfg->filter.has_from = true;
            cfg->filter.from_rel = rel;
            cfg->filter.from_ms = v;
        } else {
            cfg->filter.has_to = true;
            cfg->filter.to_rel = rel;
            cfg->filter.to_ms = v;
        }
        return 0;
    }
    case OPT_INCLUDE:
        cfg->filter.include = arg;
        return 0;
    case OPT_EXCLUDE:
        cfg->filter.exclude = arg;
        return 0;
    case OPT_MAX_WARNINGS:
        if (!jtl_parse_i64(arg, strlen(arg), &v) || v < 0 || v > 1000000)
            return jtl_cli_usage_error("--max-warnings takes a number, not "
                                       "'%s'", arg), -1;
        cfg->max_warnings = (unsigned)v;
        return 0;
    case OPT_THREADS:
        if (!jtl_parse_i64(arg, strlen(arg), &v) || v < 0 || v > 64)
            return jtl_cli_usage_error("--threads takes 0 to 64, not '%s'",
                                       arg), -1;
        cfg->threads = (unsigned)v;
        return 0;
    case OPT_PROGRESS:
        cfg->progress = true;
        return 0;
    }
    return 1; /* not a common option */
}

static int run_command(const struct jtl_cmd *cmd, int argc, char **argv)
{
    struct jtl_config cfg;
    struct option *opts;
    size_t ncommon = sizeof(common_opts) / sizeof(common_opts[0]) - 1;
    size_t nextra = 0;
    bool want_help = false, force_progress = false;
    int c, rc;

    jtl_config_init(&cfg);
    cfg.command = cmd->name;
    while (cmd->long_opts && cmd->long_opts[nextra].name)
        nextra++;
    opts = jtl_xcalloc(ncommon + nextra + 1, sizeof(*opts));
    memcpy(opts, common_opts, ncommon * sizeof(*opts));
    if (nextra)
        memcpy(opts + ncommon, cmd->long_opts, nextra * sizeof(*opts));

    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:f:qh", opts, NULL)) != -1) {
        if (c == 'h') {
            want_help = true;
            continue;
        }
        if (c == '?' || c == ':') {
            const char *bad = argv[optind - 1];
            free(opts);
            if (optopt && c == ':')
                return jtl_cli_usage_error("option '%s' needs a value", bad);
            return jtl_cli_usage_error("unknown option '%s'", bad);
        }
        if (c == OPT_PROGRESS)
            force_progress = true;
        rc = parse_common(&cfg, c, optarg);
        if (rc == 1)
            rc = cmd->parse_opt ? cmd->parse_opt(&cfg, c, optarg) : 1;
        if (rc) {
            free(opts);
            if (rc == 1)
                return jtl_cli_usage_error("unknown option '%s'",
                                           argv[optind - 1]);
            return JTL_EXIT_USAGE;
        }
    }
    free(opts);
    if (want_help) {
        printf("Usage: jtlscope %s [OPTIONS] FILE...\n%s\n\n", cmd->name,
               cmd->summary);
        if (cmd->help)
            cmd->help(stdout);
        putchar('\n');
        common_help(stdout);
        return JTL_EXIT_OK;
    }
    cfg.inputs = (const char **)(argv + optind);
    cfg.ninputs = (size_t)(argc - optind);
    if (cfg.ninputs == 0)
        return jtl_cli_usage_error("%s: no input file (use - for stdin)",
                                   cmd->name);
    cfg.progress = force_progress || (!cfg.quiet && isatty(STDERR_FILENO));
    return cmd->run(&cfg);
}

/* The library exits on out of memory (xalloc.h); the words are ours. */
static void report_oom(size_t n)
{
    fprintf(stderr, "jtlscope: out of memory (%zu bytes); nothing was "
                    "written\n", n);
}

int jtl_cli_main(int argc, char **argv)
{
    size_t i;

    jtl_xalloc_on_oom(report_oom);

    if (argc < 2)
        return jtl_cli_usage_error("no command given");
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
    return jtl_cli_usage_error("unknown command '%s'", argv[1]);
}
