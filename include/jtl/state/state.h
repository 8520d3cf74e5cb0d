/* SPDX-License-Identifier: MIT
 * state.h - partial states (.jtls): what reading some JTL files gathered,
 * saved so that the files need not travel.  A state holds the statistics
 * as they stand before the results are made (exact histograms, the
 * per-interval and per-second series, error tables, the label table), the
 * throttling analysis' compact request records, and what was read (files,
 * counts, damage).  Reading states into an analysis equals reading their
 * files together: every part is merged the way a reading thread's is.
 *
 * The file: a fixed header (magic, format version), the options that
 * shaped the state (uncompressed, so that a state made with other options
 * is refused before anything is inflated) and a CRC-32 of the header,
 * then the statistics, one gzip member, and the request records, gzip
 * members of about 4 MB of content each up to an empty one (every member
 * with gzip's CRC-32 of its content): a reader of the statistics alone
 * reads and inflates only that part of the file, and neither the writer
 * nor a reader holds more than one block of records at a time.
 * Ownership: encode/decode borrow their inputs; what decode adds to the
 * caller's agg, analysis and run info belongs to them. */
#ifndef JTL_STATE_H
#define JTL_STATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/bin.h"
#include "jtl/base/error.h"
#include "jtl/io/decoder.h"
#include "jtl/read/runinfo.h"
#include "jtl/stats/agg.h"
#include "jtl/throttle/throttle.h"

/* JTL_STATE_MAGIC, its signature: in jtl/io/decoder.h */
#define JTL_STATE_VERSION 2u

/* The options a state was made with, which every reader of it must share:
 * they decide what was counted (not how it is shown: percentiles, label
 * grouping, pacing margin are applied when the results are made). */
struct jtl_state_shape {
    int64_t granularity_ms; /* 0 = automatic */
    int64_t apdex_t, apdex_f;
    bool subresults;
    /* throttling codes; the per-second refusals of the report's charts
     * count the same ones (summarize gives them to the statistics) */
    int codes[JTL_THROTTLE_MAX_CODES];
    size_t ncodes;
    const char *message_regex; /* NULL: none */
    const char *ra_column;     /* NULL: found by name */
    const char *filters;       /* --from/--to/--include/--exclude as text */
    /* Not compared: summarize --generator, the load generator of its files'
     * rows without a Hostname column (NULL: each file is one, by name). */
    const char *generator;
    bool hostnames; /* not compared: the rows named their host */
};

/* What a reader of states checks of the shape: the parts it uses. */
enum {
    JTL_SHAPE_STATS = 1,    /* granularity, Apdex, sub-results */
    JTL_SHAPE_THROTTLE = 2, /* codes, message, Retry-After column */
};

/* The shape from the options of the statistics and the analysis. */
void jtl_state_shape_of(struct jtl_state_shape *s,
                        const struct jtl_agg_opts *agg,
                        const struct jtl_throttle_opts *th,
                        const char *filters);

/* The whole file of a state: INFO, AGG and TH (not finished) under SHAPE,
 * appended to OUT. */
void jtl_state_encode(const struct jtl_state_shape *shape,
                      const struct jtl_run_info *info,
                      const struct jtl_agg *agg, const struct jtl_throttle *th,
                      struct jtl_bw *out);

/* Is P[0..N) the start of a state (its magic)? */
bool jtl_state_sniff(const void *p, size_t n);

/* A state's file, opened: its header read and checked, its two members
 * found (read later, each only when wanted). */
struct jtl_state_file {
    const char *name; /* set by the caller */
    /* after jtl_state_open(): */
    int fd;
    struct jtl_state_shape shape; /* its strings in STRS */
    char *strs;
    /* the statistics: one member at OFF[0]; the records: members from
     * OFF[1] (the first one's head), then an empty one; CLEN[1] and
     * ZLEN[1] are their totals (ZLEN with the blocks' heads) */
    uint64_t off[2], clen[2], zlen[2];
    uint64_t size;
    /* what says two files hold the same state: the header's CRC-32 and
     * each member's gzip trailer (CRC-32 and length of its content) */
    uint32_t head_crc;
    uint64_t trailer[2];
};

/* Open F->NAME and check its header (signature, version, the header's
 * CRC-32, the shape, the members' lengths against the file's).
 * JTL_ERR_PARSE with the reason in DIAG: not a state, another format
 * version, damaged or cut short; JTL_ERR_IO when it cannot be read. */
enum jtl_err jtl_state_open(struct jtl_state_file *f, struct jtl_diag *diag);
void jtl_state_close(struct jtl_state_file *f);
/* Do A and B hold the same state (the same file, or a copy)? */
bool jtl_state_same(const struct jtl_state_file *a,
                    const struct jtl_state_file *b);

/* Does F's shape agree with WANT on the parts PARTS?  Else JTL_ERR_USAGE
 * naming the first option that differs, with both values. */
enum jtl_err jtl_state_check_shape(const struct jtl_state_file *f,
                                   const struct jtl_state_shape *want,
                                   unsigned parts, struct jtl_diag *diag);

/* A state read (inflated, every part checked), not yet added. */
struct jtl_state_part;
/* Inflate F and read its content with the options of AGG and TH (NULL:
 * that part is left out).  AGG and TH are only read, so several states
 * may be read at once on several threads.  JTL_ERR_PARSE when the content
 * is damaged. */
enum jtl_err jtl_state_read(const struct jtl_state_file *f,
                            const struct jtl_agg *agg,
                            const struct jtl_throttle *th,
                            struct jtl_state_part **out, struct jtl_diag *diag);
/* Add P: its files and counts to INFO, its statistics to AGG, its records
 * to TH (the ones it was read for); P is freed. */
void jtl_state_join(struct jtl_state_part *p, struct jtl_run_info *info,
                    struct jtl_agg *agg, struct jtl_throttle *th);
void jtl_state_part_free(struct jtl_state_part *p); /* NULL: no-op */

#endif /* JTL_STATE_H */
