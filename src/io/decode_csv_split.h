/* SPDX-License-Identifier: MIT
 * decode_csv_split.h - CSV bytes to records (fields), the layer under the CSV
 * decoder: libcsv for everything, plus a fast path for physical lines
 * without multi-line or malformed quoting that yields exactly libcsv's
 * fields (tests/unit/test_decode_csv.c checks this differentially).
 * Ownership: the caller embeds struct jtl_csvsplit; records handed to the
 * callback are borrowed (valid until it returns).
 *
 * libcsv is used with no space trimming (JMeter's reader keeps blanks), CR,
 * LF and CRLF as record ends, empty lines skipped.  Line numbers are
 * physical: LF, CR and CRLF each end one line, inside quotes too. */
#ifndef JTL_DECODE_CSV_SPLIT_H
#define JTL_DECODE_CSV_SPLIT_H
#include <csv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/buf.h"
#include "jtl/base/error.h"
#include "jtl/io/sample.h"

/* Documented caps (hostile input gets JTL_ERR_LIMIT or a skipped record,
 * never unbounded memory).  JMeter writes ~20 columns plus a few
 * sample_variables, and its longest fields (failureMessage, URL) are a few
 * KiB. */
#define JTL_CSV_FIELD_MAX (1u << 20)  /* bytes in one field: JTL_ERR_LIMIT */
#define JTL_CSV_RECORD_MAX (8u << 20) /* bytes in one record: skipped */
#define JTL_CSV_COLUMNS_MAX 1024      /* fields in one record: skipped */

enum {
    JTL_CSVREC_EOF = 1u << 0,        /* input ended before a record end */
    JTL_CSVREC_OPEN_QUOTE = 1u << 1, /* ... inside a quoted field */
    JTL_CSVREC_TOO_MANY = 1u << 2,   /* nfields > JTL_CSV_COLUMNS_MAX */
    JTL_CSVREC_TOO_LONG = 1u << 3,   /* over JTL_CSV_RECORD_MAX bytes */
    JTL_CSVREC_FAST = 1u << 4,       /* came from the fast path (tests) */
    JTL_CSVREC_FIELD_CAP = 1u << 5,  /* a field hit JTL_CSV_FIELD_MAX: the
                                        rest of its physical line is
                                        skipped, reading resumes after it */
};

struct jtl_csvrec {
    const struct jtl_str *fields; /* nstored of them */
    size_t nfields;               /* fields in the record */
    size_t nstored;               /* 0 when TOO_LONG, else min(nfields, MAX) */
    uint64_t line;                /* physical line of the first byte */
    unsigned flags;               /* JTL_CSVREC_* */
};

/* Return JTL_OK to go on; anything else stops the splitter, which returns
 * that code (DIAG filled by the callback). */
typedef enum jtl_err (*jtl_csvrec_fn)(void *ctx, const struct jtl_csvrec *rec,
                                      struct jtl_diag *diag);

struct jtl_csvsplit {
    char delim;
    bool fast; /* try the fast path before libcsv */
    bool simd; /* SSE2 line scan (off: the portable byte loop) */
    jtl_csvrec_fn fn;
    void *ctx;
    const char *name;     /* for messages */
    uint64_t line;        /* 1-based line of the next byte */
    bool prev_cr;         /* the last byte was a CR (CRLF is one line end) */
    bool partial;         /* bytes since the last line end */
    struct jtl_buf carry; /* an incomplete physical line (fast path) */
    /* libcsv state */
    struct csv_parser csv;
    bool csv_active; /* libcsv holds part of a record */
    uint64_t csv_line;
    struct jtl_buf rec; /* copies of the fields libcsv returned */
    size_t *offs;       /* offset, length pairs into rec */
    size_t nf;
    bool too_long;
    bool skip_line;     /* dropping the rest of a line after FIELD_CAP */
    unsigned eof_flags; /* flags of the record csv_fini submits */
    enum jtl_err err;   /* from a callback inside csv_parse */
    struct jtl_diag *diag;
    /* records handed out */
    struct jtl_str *fields;
    char *unq; /* fast path: quoted fields with "" unescaped */
    size_t unq_cap;
    uint64_t nfast, nslow; /* records per path (tests, benchmarks) */
};

void jtl_csvsplit_init(struct jtl_csvsplit *s, char delim, bool fast,
                       const char *name, jtl_csvrec_fn fn, void *ctx);
/* Start counting lines at LINE (a part of a file decoded on its own). */
void jtl_csvsplit_set_line(struct jtl_csvsplit *s, uint64_t line);
enum jtl_err jtl_csvsplit_feed(struct jtl_csvsplit *s, const char *p, size_t n,
                               struct jtl_diag *diag);
/* End of input: the last record, even without a line end. */
enum jtl_err jtl_csvsplit_finish(struct jtl_csvsplit *s, struct jtl_diag *diag);
/* Physical lines consumed so far (a last line without end counts). */
uint64_t jtl_csvsplit_lines(const struct jtl_csvsplit *s);
void jtl_csvsplit_release(struct jtl_csvsplit *s);

#endif /* JTL_DECODE_CSV_SPLIT_H */
