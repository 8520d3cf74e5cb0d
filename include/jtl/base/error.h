/* SPDX-License-Identifier: MIT
 * error.h - error codes and the diagnostic record every fallible call fills.
 * Ownership: a struct jtl_diag is a plain value owned by the caller. */
#ifndef JTL_ERROR_H
#define JTL_ERROR_H

#if defined(__GNUC__) || defined(__clang__)
#define JTL_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define JTL_PRINTF(fmt, args)
#endif

enum jtl_err { /* values are stable; append only */
               JTL_OK = 0,
               JTL_ERR_IO, /* open/read/write failed; strerror(errno) in diag */
               JTL_ERR_FORMAT, /* not a JMeter CSV/XML result file we understand
                                */
               JTL_ERR_PARSE,  /* malformed record and --strict, or too many */
               JTL_ERR_LIMIT,  /* field/row/label count larger than its cap */
               JTL_ERR_USAGE,  /* bad option or option value */
               JTL_ERR_TEMPLATE, /* template syntax error or unknown name */
               JTL_ERR_EXTERNAL, /* gnuplot missing or failed */
               JTL_ERR_EMPTY,    /* input held no sample at all */
               JTL_ERR_STOPPED,  /* the sample consumer asked to stop (a failed
                                    write, say); it reports why itself */
};

struct jtl_diag {
    enum jtl_err code;
    char where[160]; /* "file" or "file:line", may be empty */
    char msg[320];
};

const char *jtl_strerror(enum jtl_err err);

/* Fill DIAG (may be NULL) and return ERR, so callers can write
 * `return jtl_diag_set(diag, JTL_ERR_IO, path, "cannot open: %s", ...)`. */
enum jtl_err jtl_diag_set(struct jtl_diag *diag, enum jtl_err err,
                          const char *where, const char *fmt, ...)
    JTL_PRINTF(4, 5);

#endif /* JTL_ERROR_H */
