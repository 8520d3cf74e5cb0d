/* SPDX-License-Identifier: MIT
 * cli.h - subcommand table and shared option parsing.  Each cmd_<name>.c
 * defines one `const struct jtl_cmd jtl_cmd_<name>` with its own extra
 * options, so adding an option to one command touches one file.
 * Option ids: common 256-399, stats 400-499, throttle 500-599,
 * report 600-699, convert 700-799. */
#ifndef JTL_CLI_H
#define JTL_CLI_H
#include <getopt.h>
#include <stdio.h>

#include "jtl/config.h"

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

extern const struct jtl_cmd jtl_cmd_stats;
extern const struct jtl_cmd jtl_cmd_throttle;
extern const struct jtl_cmd jtl_cmd_report;
extern const struct jtl_cmd jtl_cmd_convert;

#endif /* JTL_CLI_H */
