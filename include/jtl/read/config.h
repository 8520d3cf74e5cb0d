/* SPDX-License-Identifier: MIT
 * config.h - what the command line asked for, shared by every subcommand.
 * Ownership: filled by cli.c; strings point into argv or are owned by the
 * config (released by jtl_config_release()).  The core never sees argv.
 * Options that only one subcommand has live in that command's own file. */
#ifndef JTL_CONFIG_H
#define JTL_CONFIG_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/io/decoder.h"

struct jtl_filter {
    /* Time window on sample start.  *_rel: the value is an offset in ms from
     * the start of the run (needs a first pass to find the start). */
    bool has_from, has_to;
    bool from_rel, to_rel;
    int64_t from_ms, to_ms;
    const char *include; /* POSIX extended regex on the label, or NULL */
    const char *exclude;
};

struct jtl_config {
    const char *command;
    const char **inputs; /* FILE... ("-" = stdin) */
    size_t ninputs;
    struct jtl_decode_opts decode; /* format, delimiter, columns, ... */
    struct jtl_filter filter;
    const char *output;   /* -o: file or directory; NULL = stdout */
    const char *format;   /* --format; NULL = the command's default */
    bool quiet;           /* --quiet: no progress, no warnings summary */
    bool progress;        /* stderr is a terminal and not --quiet */
    unsigned max_warnings; /* how many file:line warnings to print */
    unsigned threads;     /* --threads; 0 = automatic */
};

void jtl_config_init(struct jtl_config *cfg);

#endif /* JTL_CONFIG_H */
