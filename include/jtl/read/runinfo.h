/* SPDX-License-Identifier: MIT
 * runinfo.h - what a read of the inputs found: per file its decode counts
 * and damage, and the totals.  Filled by jtl_read_run() (read.h); the
 * reporters read it to name the inputs and the skipped records.
 * Ownership: the caller embeds struct jtl_run_info and releases it with
 * jtl_run_info_release(). */
#ifndef JTL_RUNINFO_H
#define JTL_RUNINFO_H
#include <stdbool.h>
#include <stdint.h>

#include "jtl/io/decoder.h"

struct jtl_file_info {
    const char *name;
    char *owned_name; /* NAME when the run info owns it (a state's files) */
    /* The same input as an earlier one (the same file, or the same bytes):
     * read once, so this is its index; -1 otherwise. */
    long duplicate_of;
    struct jtl_decode_counts counts;
    bool gzip;
    bool failed;     /* could not be read at all */
    bool damaged;    /* read error / gzip damage after some data */
    char error[320]; /* message when failed or damaged */
};

struct jtl_run_info {
    struct jtl_file_info *files;
    size_t nfiles;
    uint64_t samples;  /* delivered to the sink (after filters) */
    uint64_t filtered; /* dropped by --from/--to/--include/--exclude */
    uint64_t skipped;  /* malformed records, all files */
    uint64_t warnings; /* warnings issued (delivered or only counted) */
    uint64_t warnings_delivered; /* of which handed to the warning callback */
    bool any_damage;  /* skipped records, truncation or read damage */
    int64_t first_ts; /* min start over delivered samples, ms */
    int64_t last_end; /* max start+elapsed, ms */
    /* How the writers show the run, set by the caller (not the reader):
     * the zone of clock times (NULL: UTC; see jtl_clock_format) and
     * whether the text shows every statistical test. */
    const char *tz;
    bool verbose;
    /* Text tables: at most WIDTH characters a line, columns left out
     * and labels cut to fit (0: no limit: a file or a pipe); counts with
     * digit groups (10,000,000) when GROUP_DIGITS. */
    unsigned width;
    bool group_digits;
};

void jtl_run_info_release(struct jtl_run_info *info);

#endif /* JTL_RUNINFO_H */
