/* SPDX-License-Identifier: MIT
 * read.h - the reader: every input file through source -> decoder ->
 * filters -> a sink (sample.h), on several threads where the sink allows,
 * and what was read in struct jtl_run_info (runinfo.h).
 * The reader prints nothing: warnings, unreadable files and progress go to
 * the caller's callbacks, which decide what to show.
 * Ownership: the options only borrow (inputs, regexes, names). */
#ifndef JTL_READ_H
#define JTL_READ_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/error.h"
#include "jtl/io/decoder.h"
#include "jtl/io/sample.h"
#include "jtl/read/runinfo.h"

struct jtl_filter {
    /* Time window on sample start.  *_rel: the value is an offset in ms from
     * the start of the run (needs a first pass to find the start). */
    bool has_from, has_to;
    bool from_rel, to_rel;
    int64_t from_ms, to_ms;
    const char *include; /* a regex on the label (regex.h), or NULL */
    const char *exclude;
    bool whole_match; /* the whole label must match (JMeter's way, with
                         --jmeter-compat); else found anywhere in it */
};

/* What the reader tells its caller while it reads (CTX: the options'
 * cb_ctx).  WHERE is "file:line" or "file", MSG a lowercase sentence
 * without final period. */
enum jtl_read_note {
    JTL_NOTE_WARNING,    /* a skipped record, a damaged file, an implausible
                          * value: the first MAX_WARNINGS are delivered, the
                          * rest only counted (run_info.warnings) */
    JTL_NOTE_FILE_ERROR, /* a file that could not be read (always) */
};
typedef void (*jtl_read_note_fn)(enum jtl_read_note kind, const char *where,
                                 const char *msg, void *ctx);
/* Progress: input bytes handed to the decoders and rows read so far
 * (an estimate while blocks are decoded elsewhere).  Called often (every
 * 64 Ki rows and every block): the callee decides when to show it. */
typedef void (*jtl_read_progress_fn)(uint64_t bytes, uint64_t rows, void *ctx);

struct jtl_read_opts {
    const char *const *inputs; /* FILE... ("-" = stdin) */
    size_t ninputs;
    struct jtl_decode_opts decode; /* format, delimiter, columns, ...; name,
                                      source_index and warn are set per
                                      file by the reader */
    struct jtl_filter filter;
    unsigned threads;      /* decoding threads; 0 = the machine's cores */
    unsigned max_warnings; /* warnings delivered to NOTE; others counted */
    jtl_read_note_fn note; /* may be NULL */
    jtl_read_progress_fn progress; /* may be NULL */
    void *cb_ctx;
};

/* Zeroes OPTS, with max_warnings 10. */
void jtl_read_opts_init(struct jtl_read_opts *opts);

/* Read every input of OPTS into SINK.  Returns JTL_OK when at least one file
 * was read (even with skipped records: see info->any_damage); a file that
 * cannot be opened is noted (JTL_NOTE_FILE_ERROR) and the others are still
 * read.  Returns an error only when nothing could be read (JTL_ERR_IO), on
 * a bad filter (JTL_ERR_USAGE), on --strict (JTL_ERR_PARSE), or when the
 * sink asked to stop (JTL_ERR_STOPPED). */
enum jtl_err jtl_read_run(const struct jtl_read_opts *opts,
                          const struct jtl_sink *sink,
                          struct jtl_run_info *info, struct jtl_diag *diag);

#endif /* JTL_READ_H */
