/* SPDX-License-Identifier: MIT
 * decoder.h - push decoders that turn JTL bytes (CSV or XML) into samples.
 * Ownership: a decoder owns its parser state and copies nothing it is fed;
 * samples handed to the callback are borrowed (see sample.h).
 *
 * Usage: jtl_decoder_new(), then jtl_decoder_feed() with the bytes in chunks
 * of ANY size (every decoder is tested split at every chunk size), then
 * jtl_decoder_finish() once, then jtl_decoder_free(). */
#ifndef JTL_DECODER_H
#define JTL_DECODER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/error.h"
#include "jtl/io/sample.h"

enum jtl_format {
    JTL_FORMAT_AUTO = 0, /* decided from the first bytes */
    JTL_FORMAT_CSV,
    JTL_FORMAT_XML,
};

/* Called for each recoverable problem (a malformed record that is skipped, a
 * truncated XML file, ...).  WHERE is "file:line" (or "file"), MSG a lowercase
 * sentence without final period.  The decoder counts; the caller decides
 * how many to show. */
typedef void (*jtl_warn_fn)(const char *where, const char *msg, void *ctx);

struct jtl_decode_opts {
    enum jtl_format format;
    char delimiter;               /* 0 = sniff from the first line */
    const char *columns;          /* --columns: comma-separated JMeter names
                                     for a header-less CSV; NULL = detect */
    const char *timestamp_format; /* SimpleDateFormat pattern; NULL = auto */
    bool strict;                  /* first malformed record is fatal */
    const char *name;             /* file name for messages and samples */
    unsigned source_index;        /* copied into jtl_sample.source */
    jtl_warn_fn warn;             /* may be NULL */
    void *warn_ctx;
};

/* What a decoder has seen so far (valid after finish, and during feeding). */
struct jtl_decode_counts {
    uint64_t records; /* data records seen (CSV rows, XML top samples) */
    uint64_t samples; /* samples delivered (XML: includes sub-samples) */
    uint64_t skipped; /* malformed records skipped */
    uint64_t lines;   /* physical lines consumed */
    bool truncated;   /* input ended inside a record or element */
    bool had_header;  /* CSV: first line was a header */
    char delimiter;   /* CSV: the delimiter used */
    enum jtl_format format;
};

/* The signature of a partial state (jtl/state/state.h), known here so that
 * a state fed to a decoder (from stdin, say) is named for what it is. */
#define JTL_STATE_MAGIC "\x89JTLS\r\n\x1a"
#define JTL_STATE_MAGIC_LEN 8

struct jtl_decoder; /* opaque */

enum jtl_err jtl_decoder_new(const struct jtl_decode_opts *opts,
                             jtl_sample_fn fn, void *ctx,
                             struct jtl_decoder **out, struct jtl_diag *diag);
/* Feed N bytes.  Errors: JTL_ERR_FORMAT (not a JTL we understand, decided
 * from the first bytes), JTL_ERR_PARSE (--strict and a malformed record, or
 * the callback asked to stop), JTL_ERR_LIMIT (a field or row over its cap). */
enum jtl_err jtl_decoder_feed(struct jtl_decoder *dec, const void *p, size_t n,
                              struct jtl_diag *diag);
/* End of input: flush the last record; a record cut short is counted as
 * skipped (CSV) or reported as truncation (XML), never fatal unless strict. */
enum jtl_err jtl_decoder_finish(struct jtl_decoder *dec, struct jtl_diag *diag);
void jtl_decoder_counts(const struct jtl_decoder *dec,
                        struct jtl_decode_counts *out);
void jtl_decoder_free(struct jtl_decoder *dec); /* NULL is a no-op */

/* Guess the format from the first bytes of a stream (BOM and blank lines
 * skipped): XML when the first significant byte is '<'. */
enum jtl_format jtl_detect_format(const void *p, size_t n);

#endif /* JTL_DECODER_H */
