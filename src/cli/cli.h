/* SPDX-License-Identifier: MIT
 * cli.h - subcommand table and shared option parsing.  Each cmd_<name>.c
 * defines one `const struct jtl_cmd jtl_cmd_<name>` with its own extra
 * options, so adding an option to one command touches one file.
 * Option ids: common 256-399, stats 400-499, throttle 500-599,
 * report 600-699, convert 700-799, shared groups 800-899. */
#ifndef JTL_CLI_H
#define JTL_CLI_H
#include <getopt.h>
#include <stdio.h>

#include "jtl/stats/agg.h"
#include "jtl/read/config.h"
#include "jtl/throttle/throttle.h"

/* Exit codes (documented in README and --help). */
enum {
    JTL_EXIT_OK = 0,      /* success */
    JTL_EXIT_ERROR = 1,   /* runtime error: nothing (complete) was written */
    JTL_EXIT_USAGE = 2,   /* bad command line */
    JTL_EXIT_RESERVED = 3, /* reserved for --fail-if thresholds */
    JTL_EXIT_DAMAGED = 4, /* output written, but input had skipped records,
                             was truncated or partly unreadable */
};

struct jtl_cmd {
    const char *name;
    const char *summary;
    const struct option *long_opts; /* extra options, {0} terminated; may be NULL */
    /* Handle one of the command's own options; return 0, or -1 with a
     * message printed for a bad value (exit 2). */
    int (*parse_opt)(struct jtl_config *cfg, int id, const char *arg);
    void (*help)(FILE *fp);         /* the command's own options */
    int (*run)(struct jtl_config *cfg); /* returns an exit code */
};

/* Map a pipeline outcome to the exit code (0, 1 or 4). */
struct jtl_run_info;
int jtl_cli_exit_code(int err, const struct jtl_run_info *info);
/* Print "jtlscope: MSG" and "Try 'jtlscope --help'." and return 2. */
int jtl_cli_usage_error(const char *fmt, ...) JTL_PRINTF(1, 2);

int jtl_cli_main(int argc, char **argv);

/* ---- option groups shared by several commands (cmd_opts.c) ---------------
 * A command puts a group's entries in its option table and hands every id
 * it does not know to the group's parser, which returns 0 (taken), -1 (bad
 * value, message printed) or 1 (not one of its options). */
enum {
    JTL_OPT_PERCENTILES = 800,
    JTL_OPT_PCT_METHOD,
    JTL_OPT_APDEX,
    JTL_OPT_JMETER_COMPAT,
    JTL_OPT_SUBRESULTS,
    JTL_OPT_GRANULARITY,
    JTL_OPT_TH_CODES = 850,
    JTL_OPT_TH_MESSAGE,
    JTL_OPT_RA_COLUMN,
    JTL_OPT_MARGIN,
    JTL_OPT_NO_SCOPES,
};

/* clang-format off */
#define JTL_CLI_STATS_OPTIONS \
    {"percentiles",        required_argument, NULL, JTL_OPT_PERCENTILES},   \
    {"percentile-method",  required_argument, NULL, JTL_OPT_PCT_METHOD},    \
    {"apdex",              required_argument, NULL, JTL_OPT_APDEX},         \
    {"jmeter-compat",      no_argument,       NULL, JTL_OPT_JMETER_COMPAT}, \
    {"subresults",         no_argument,       NULL, JTL_OPT_SUBRESULTS},    \
    {"granularity",        required_argument, NULL, JTL_OPT_GRANULARITY}

#define JTL_CLI_THROTTLE_OPTIONS \
    {"throttle-codes",     required_argument, NULL, JTL_OPT_TH_CODES},      \
    {"throttle-message",   required_argument, NULL, JTL_OPT_TH_MESSAGE},    \
    {"retry-after-column", required_argument, NULL, JTL_OPT_RA_COLUMN},     \
    {"margin",             required_argument, NULL, JTL_OPT_MARGIN},        \
    {"no-scopes",          no_argument,       NULL, JTL_OPT_NO_SCOPES}
/* clang-format on */

/* Statistics options (stats, report).  Zero-initialise, then parse; the
 * parser initialises the defaults on first use. */
struct jtl_cli_stats {
    struct jtl_agg_opts agg;
    bool ready, method_set;
};
void jtl_cli_stats_init(struct jtl_cli_stats *s);
int jtl_cli_stats_opt(struct jtl_cli_stats *s, int id, const char *arg);
/* Conflicts between options, once all are read: 0, or exit code 2. */
int jtl_cli_stats_check(struct jtl_cli_stats *s);
void jtl_cli_stats_help(FILE *fp);

/* 429-analysis options (throttle, report). */
struct jtl_cli_throttle {
    struct jtl_throttle_opts opts;
    bool ready;
};
void jtl_cli_throttle_init(struct jtl_cli_throttle *t);
int jtl_cli_throttle_opt(struct jtl_cli_throttle *t, int id, const char *arg);
void jtl_cli_throttle_help(FILE *fp);

extern const struct jtl_cmd jtl_cmd_stats;
extern const struct jtl_cmd jtl_cmd_throttle;
extern const struct jtl_cmd jtl_cmd_report;
extern const struct jtl_cmd jtl_cmd_convert;

#endif /* JTL_CLI_H */
