/* SPDX-License-Identifier: MIT
 * pipeline_internal.h - what pipeline.c shares with pipeline_par.c (the
 * threaded readers).  Ownership: struct run_state is owned by
 * jtl_pipeline_run(); workers get copies with their own counters. */
#ifndef JTL_PIPELINE_INTERNAL_H
#define JTL_PIPELINE_INTERNAL_H
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/read/read.h"
#include "jtl/io/source.h"

struct run_state {
    const struct jtl_config *cfg;
    const struct jtl_sink *sink;
    struct jtl_run_info *info;
    regex_t include, exclude;
    bool has_include, has_exclude;
    int64_t from, to; /* absolute, ms; INT64_MIN/MAX when unset */
    char *label_buf;
    size_t label_cap;
    /* progress */
    bool progress;
    double t_start, t_last;
    uint64_t rows;
    uint64_t bytes;   /* input bytes handed to the decoder (progress) */
    struct jtl_source *src;
    /* Plausibility warnings about samples, at most one of each kind per
     * file (JTL_PIPE_W_* bits in WARNED).  They go to WARN: the run's
     * printer, or a worker's held list, tagged with ONCE so that the
     * parallel reader keeps only the first of each kind in file order. */
    jtl_warn_fn warn;
    void *warn_ctx;
    unsigned warned, once;
    int64_t now_ms;
    int64_t prev_end; /* end time of the previous sample, INT64_MIN: none */
    struct jtl_pipe_blk *blk; /* a worker's current block, else NULL */
};

/* One block of the parallel reader, as check_sample() saw it: a worker
 * cannot compare a block's first sample with the previous block's last, so
 * that comparison (the jump-back warning) is made when the workers are
 * drained, in file order, where FIRST_SEQ places it among the block's held
 * warnings. */
struct jtl_pipe_blk {
    uint64_t idx;
    const uint64_t *seq; /* the worker's held-warning counter */
    bool has;            /* the block delivered a sample */
    int64_t first_end, last_end;
    uint64_t first_line, first_seq;
    const char *file;
};

/* The jump-back warning of check_sample() (JTL_PIPE_W_BACK), for drain(). */
void jtl_pipe_warn_back(struct run_state *st, const char *file, uint64_t line,
                        int64_t prev_end, int64_t end);

enum {
    JTL_PIPE_W_EPOCH = 1u << 0,  /* epoch seconds or a time near 1970 */
    JTL_PIPE_W_FUTURE = 1u << 1, /* more than a day ahead of this clock */
    JTL_PIPE_W_BACK = 1u << 2,   /* a jump back of more than 5 min */
    JTL_PIPE_W_UTF8 = 1u << 3,   /* a label that is not UTF-8 */
};

/* The filters and counters in front of the sink (a jtl_sample_fn; CTX is a
 * struct run_state). */
int jtl_pipe_on_sample(const struct jtl_sample *s, void *ctx);
/* Progress line from a reader that decodes elsewhere (ROWS: an estimate,
 * lines read so far). */
void jtl_pipe_progress(struct run_state *st, uint64_t rows);
/* The decoder's warning callback: count, print the first few. */
void jtl_pipe_on_warn(const char *where, const char *msg, void *ctx);

/* Threaded readers (pipeline_par.c).  Each returns 1 when it did not take
 * the file (not eligible) and the caller reads it the plain way; otherwise
 * 0 with ERR/FI filled like the sequential reader. */
int jtl_pipe_read_parallel(struct run_state *st, struct jtl_source *src,
                           const struct jtl_decode_opts *opts,
                           struct jtl_file_info *fi, enum jtl_err *err,
                           struct jtl_diag *diag);
int jtl_pipe_read_overlap(struct run_state *st, struct jtl_source *src,
                          struct jtl_decoder *dec, struct jtl_file_info *fi,
                          enum jtl_err *err, enum jtl_err *rerr,
                          struct jtl_diag *diag);

/* Tests: blocks of N bytes instead of 1 MiB (files from 4 N bytes are
 * decoded in parallel), so small inputs cross many block boundaries. */
void jtl_pipe_set_block_size(size_t n);

#endif /* JTL_PIPELINE_INTERNAL_H */
