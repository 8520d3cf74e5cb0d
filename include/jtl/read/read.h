/* SPDX-License-Identifier: MIT
 * pipeline.h - the read loop: every input file through source -> decoder ->
 * filters -> the command's sink.  Prints progress and the first warnings to
 * stderr; returns what was read in struct jtl_run_info.
 * Ownership: the caller embeds struct jtl_run_info and releases it with
 * jtl_run_info_release(). */
#ifndef JTL_PIPELINE_H
#define JTL_PIPELINE_H
#include <stdbool.h>
#include <stdint.h>

#include "jtl/read/config.h"
#include "jtl/io/decoder.h"
#include "jtl/base/error.h"
#include "jtl/io/sample.h"

/* Where samples go.  ADD is called once per sample that passed the filters,
 * in file order.  FORK/JOIN (both NULL or both set) allow the pipeline to
 * decode parts of a file on other threads: FORK returns a fresh empty sink
 * state for a worker, JOIN merges a worker's state into CTX and frees it.
 * How parts are made (pipeline_par.c): with --threads other than 1, a CSV
 * file (4 MiB or more; gzip: 512 KiB compressed) is cut into 1 MiB blocks
 * at record ends as it is read (inflated); the
 * first lines go to CTX, each block to whichever of the N workers is free,
 * and the N worker states are joined in worker order at the end of the
 * file.  Which blocks a worker's state holds varies from run to run: JOIN
 * (and the results) must not depend on sample order or on how samples were
 * split between states (counts, sums, histograms, extremes).  Each state
 * sees ADD from one thread at a time.
 * In a worker's samples `line` is exact and `seq` counts that worker's
 * samples.  Without FORK/JOIN (or for pipes, XML, --strict) the file is
 * decoded on one thread, in file order; for gzip and pipes another thread
 * reads ahead (inflates) meanwhile. */
struct jtl_sink {
    jtl_sample_fn add;
    void *ctx;
    void *(*fork)(void *ctx);
    void (*join)(void *ctx, void *child);
};

struct jtl_file_info {
    const char *name;
    struct jtl_decode_counts counts;
    bool gzip;
    bool failed;          /* could not be read at all */
    bool damaged;         /* read error / gzip damage after some data */
    char error[320];      /* message when failed or damaged */
};

struct jtl_run_info {
    struct jtl_file_info *files;
    size_t nfiles;
    uint64_t samples;     /* delivered to the sink (after filters) */
    uint64_t filtered;    /* dropped by --from/--to/--include/--exclude */
    uint64_t skipped;     /* malformed records, all files */
    uint64_t warnings;    /* warnings issued (shown or not) */
    bool any_damage;      /* skipped records, truncation or read damage */
    int64_t first_ts;     /* min start over delivered samples, ms */
    int64_t last_end;     /* max start+elapsed, ms */
};

/* Read every input of CFG into SINK.  Returns JTL_OK when at least one file
 * was read (even with skipped records: see info->any_damage); a file that
 * cannot be opened is reported and the others are still read.  Returns an
 * error only when nothing could be read, or on --strict. */
enum jtl_err jtl_pipeline_run(const struct jtl_config *cfg,
                              const struct jtl_sink *sink,
                              struct jtl_run_info *info,
                              struct jtl_diag *diag);
void jtl_run_info_release(struct jtl_run_info *info);
/* After a run: JTL_ERR_EMPTY (message printed) when the input held no
 * sample at all; a warning (unless QUIET) when filters dropped them all. */
enum jtl_err jtl_run_info_check(const struct jtl_run_info *info, bool quiet);

#endif /* JTL_PIPELINE_H */
