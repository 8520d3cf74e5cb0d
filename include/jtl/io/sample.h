/* SPDX-License-Identifier: MIT
 * sample.h - one normalized JMeter sample, whatever file it came from, and
 * the sink that takes samples: the contract between the decoders and the
 * reader (which produce samples) and the consumers (statistics, the
 * throttle analysis, convert).
 * Ownership: samples are BORROWED.  A jtl_sample_fn receives a const pointer
 * whose strings are valid only until the callback returns; whatever must
 * outlive the call is copied or interned (struct jtl_strtab). */
#ifndef JTL_SAMPLE_H
#define JTL_SAMPLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A byte string that is NOT necessarily NUL-terminated (the CSV fast path
 * points straight into its read buffer). */
struct jtl_str {
    const char *p;
    size_t len;
};

/* JMeter's CSV columns in CSVSaveService's canonical order (the order a
 * header must follow to be recognized, and the order `convert` writes). */
enum jtl_field {
    JTL_F_TIMESTAMP,
    JTL_F_ELAPSED,
    JTL_F_LABEL,
    JTL_F_CODE,
    JTL_F_MESSAGE,
    JTL_F_THREAD,
    JTL_F_DATATYPE,
    JTL_F_SUCCESS,
    JTL_F_FAILMSG,
    JTL_F_BYTES,
    JTL_F_SENT_BYTES,
    JTL_F_GRP_THREADS,
    JTL_F_ALL_THREADS,
    JTL_F_URL,
    JTL_F_FILENAME,
    JTL_F_LATENCY,
    JTL_F_ENCODING,
    JTL_F_SAMPLE_COUNT,
    JTL_F_ERROR_COUNT,
    JTL_F_HOSTNAME,
    JTL_F_IDLE,
    JTL_F_CONNECT,
    JTL_F_COUNT
};

/* JMeter's header name of FIELD ("timeStamp", "elapsed", ...). */
const char *jtl_field_name(enum jtl_field f);
/* The field whose JMeter header name is S[0..LEN) (exact, case-sensitive as
 * JMeter writes it; a case-insensitive match is tried second), or -1. */
int jtl_field_lookup(const char *s, size_t len);

/* A sample_variables column (CSV) or an extra attribute (XML). */
struct jtl_var {
    struct jtl_str name;
    struct jtl_str value;
};

enum {
    /* responseMessage starts with "Number of samples in transaction"
     * (JMeter's own test, report/core/Sample.isController). */
    JTL_SAMPLE_TC_PARENT = 1u << 0,
    /* ... and the transaction had 0 samples ("... : 0"). */
    JTL_SAMPLE_TC_EMPTY = 1u << 1,
    /* nested inside another sample (XML child element). CSV sub-result rows
     * cannot be told apart and are top-level, as in JMeter's dashboard. */
    JTL_SAMPLE_SUBRESULT = 1u << 2,
    /* XML: holds nested samples (delivered before it): a container of the
     * requests it made (a Transaction Controller in "Generate parent
     * sample" mode, a redirect chain, a page with its resources). */
    JTL_SAMPLE_HAS_SUBRESULTS = 1u << 3,
};

#define JTL_HAS(s, f) (((s)->present >> (f)) & 1u)

/* Value ranges every decoder enforces (a value outside is a malformed
 * record in CSV, an ignored attribute in XML), so that sums, end times
 * (timestamp + elapsed) and time buckets downstream cannot overflow int64:
 * no JMeter run produces anything outside them. */
/* timeStamp: 9999-12-31 23:59:59.999 UTC */
#define JTL_TS_MAX INT64_C(253402300799999)
/* elapsed, Latency, Connect, IdleTime in ms: 24.8 days */
#define JTL_DURATION_MAX INT64_C(2147483647)
/* bytes, sentBytes: 1 TiB */
#define JTL_BYTES_MAX (INT64_C(1) << 40)

struct jtl_sample {
    uint32_t present; /* bit (1u << enum jtl_field) per field the input had */
    unsigned flags;   /* JTL_SAMPLE_* */
    unsigned depth;   /* 0 = top-level sample */

    int64_t timestamp; /* start time, epoch milliseconds */
    int64_t elapsed;   /* ms */
    int64_t latency;   /* ms */
    int64_t connect;   /* ms */
    int64_t idle;      /* ms */
    int64_t bytes;     /* received */
    int64_t sent_bytes;
    int32_t grp_threads;
    int32_t all_threads;
    int32_t sample_count;
    int32_t error_count;
    bool success;

    struct jtl_str label;
    struct jtl_str code;    /* responseCode as written: "200", "429", ... */
    struct jtl_str message; /* responseMessage */
    struct jtl_str thread;  /* threadName */
    struct jtl_str data_type;
    struct jtl_str failure_message;
    struct jtl_str url;
    struct jtl_str filename;
    struct jtl_str encoding;
    struct jtl_str hostname;

    /* Raw <responseHeader> block from XML (status line + "Name: value"
     * lines), empty when the input has none.  Parse it with jtl_headers_*. */
    struct jtl_str response_headers;

    const struct jtl_var *vars; /* sample_variables / extra XML attributes */
    size_t nvars;

    /* Where the sample came from, for messages and stable ordering. */
    const char *file; /* the name the user gave */
    uint64_t line;    /* 1-based line of the record's first byte */
    uint64_t seq;     /* 0-based index of the sample within its file */
    unsigned source;  /* index of the input file in the run */
};

/* Nonzero stops decoding (the decoder returns JTL_ERR_PARSE with the
 * callback's code kept in the diag message). */
typedef int (*jtl_sample_fn)(const struct jtl_sample *s, void *ctx);

/* Where samples go.  ADD is called once per sample that passed the filters,
 * in file order.  FORK/JOIN (both NULL or both set) allow the reader
 * (jtl_read_run) to decode parts of a file on other threads: FORK returns a
 * fresh empty sink state for a worker, JOIN merges a worker's state into CTX
 * and frees it. How parts are made (read/read_blocks.c): with --threads other
 * than 1, a CSV file (4 MiB or more; gzip: 512 KiB compressed) is cut into 1
 * MiB blocks at record ends as it is read (inflated); the first lines go to
 * CTX, each block to whichever of the N workers is free, and the N worker
 * states are joined in worker order at the end of the file.  Which blocks a
 * worker's state holds varies from run to run: JOIN (and the results) must not
 * depend on sample order or on how samples were split between states (counts,
 * sums, histograms, extremes).  Each state sees ADD from one thread at a time.
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

/* A Transaction Controller's sample: JMeter's message "Number of samples
 * in transaction : N, number of failing samples : M".  Returns its
 * JTL_SAMPLE_TC_* flags (0 for any other message) and, when given, N and
 * M (0 when the message does not say). */
unsigned jtl_tc_parse(struct jtl_str message, uint32_t *n, uint32_t *failing);

/* Convenience: is S[0..LEN) exactly the NUL-terminated LIT? */
bool jtl_str_eq(struct jtl_str s, const char *lit);
/* Parse a whole decimal integer (optional sign); false on anything else. */
bool jtl_parse_i64(const char *p, size_t len, int64_t *out);

#endif /* JTL_SAMPLE_H */
