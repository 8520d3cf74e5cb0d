/* SPDX-License-Identifier: MIT
 * read_internal.h - the state of one read and the per-sample front
 * (front.c) that every way of reading a file calls down into: the plain
 * loop (read.c), the threaded CSV blocks (read_blocks.c) and read-ahead
 * (read_ahead.c).
 * Ownership: struct read_state is owned by jtl_read_run(); the block
 * reader's workers get copies with their own counters and regexes. */
#ifndef JTL_READ_INTERNAL_H
#define JTL_READ_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/regex.h"
#include "jtl/io/source.h"
#include "jtl/read/read.h"

struct read_state {
    const struct jtl_read_opts *opts;
    const struct jtl_sink *sink;
    struct jtl_run_info *info;
    struct jtl_regex *include, *exclude; /* NULL: no such filter */
    int64_t from, to; /* absolute, ms; INT64_MIN/MAX when unset */
    uint64_t rows;
    uint64_t bytes; /* input bytes handed to the decoder (progress) */
    bool progress;  /* call opts->progress (off for workers, pre-pass) */
    /* Plausibility warnings about samples, at most one of each kind per
     * file (READ_W_* bits in WARNED).  They go to WARN: the run's
     * note callback, or a worker's held list, tagged with ONCE so that the
     * block reader keeps only the first of each kind in file order. */
    jtl_warn_fn warn;
    void *warn_ctx;
    unsigned warned, once;
    int64_t now_ms;
    int64_t prev_end;     /* end time of the previous sample, INT64_MIN: none */
    struct read_blk *blk; /* a worker's current block, else NULL */
};

/* One block of the block reader, as check_sample() saw it: a worker
 * cannot compare a block's first sample with the previous block's last, so
 * that comparison (the jump-back warning) is made when the workers are
 * drained, in file order, where FIRST_SEQ places it among the block's held
 * warnings. */
struct read_blk {
    uint64_t idx;
    const uint64_t *seq; /* the worker's held-warning counter */
    bool has;            /* the block delivered a sample */
    int64_t first_end, last_end;
    uint64_t first_line, first_seq;
    const char *file;
};

enum {
    READ_W_EPOCH = 1u << 0,  /* epoch seconds or a time near 1970 */
    READ_W_FUTURE = 1u << 1, /* more than a day ahead of this clock */
    READ_W_BACK = 1u << 2,   /* a jump back of more than 5 min */
    READ_W_UTF8 = 1u << 3,   /* a label that is not UTF-8 */
};

/* ---- front.c --------------------------------------------------------- */

/* Set up ST for OPTS/SINK/INFO: no filters yet (read_front_filters). */
void read_front_init(struct read_state *st, const struct jtl_read_opts *opts,
                     const struct jtl_sink *sink, struct jtl_run_info *info);
/* Compile the label filters; JTL_ERR_USAGE for a bad regex. */
enum jtl_err read_front_filters(struct read_state *st, struct jtl_diag *diag);
void read_front_release(struct read_state *st);
/* The filters and counters in front of the sink (a jtl_sample_fn; CTX is
 * a struct read_state). */
int read_front_sample(const struct jtl_sample *s, void *ctx);
/* The decoder's warning callback (a jtl_warn_fn; CTX is the run's struct
 * read_state): count, deliver the first few. */
void read_front_warn(const char *where, const char *msg, void *ctx);
/* A file's damage (a gzip stream cut short or corrupt, a read error): a
 * warning said whatever the cap on warnings, as it explains the records
 * missing or malformed around it. */
void read_front_damage(struct read_state *st, const char *where,
                       const char *msg);
/* A file that cannot be read: always delivered, never counted. */
void read_front_file_error(struct read_state *st, const struct jtl_diag *d);
/* Progress from a reader that decodes elsewhere (ROWS: lines read). */
void read_front_progress(struct read_state *st, uint64_t rows);
/* The jump-back warning of check_sample() (READ_W_BACK), for the block
 * reader's drain. */
void read_front_warn_back(struct read_state *st, const char *file,
                          uint64_t line, int64_t prev_end, int64_t end);

/* ---- read_blocks.c, read_ahead.c ------------------------------------- */

/* Each returns 1 when it did not take the file (not eligible) and the
 * caller reads it the plain way; otherwise 0 with ERR/FI filled like the
 * plain reader. */
int read_blocks(struct read_state *st, struct jtl_source *src,
                const struct jtl_decode_opts *opts, struct jtl_file_info *fi,
                enum jtl_err *err, struct jtl_diag *diag);
int read_ahead(struct read_state *st, struct jtl_source *src,
               struct jtl_decoder *dec, enum jtl_err *err, enum jtl_err *rerr,
               struct jtl_diag *diag);
/* Decoding threads for OPTS (--threads, or the online cores; 1..64). */
unsigned read_thread_count(const struct jtl_read_opts *opts);

/* Tests: blocks of N bytes instead of 1 MiB (files from 4 N bytes are
 * decoded in blocks), so small inputs cross many block boundaries; 0
 * restores the default. */
void jtl_read_set_block_size(size_t n);
size_t read_block_size(void);

#endif /* JTL_READ_INTERNAL_H */
