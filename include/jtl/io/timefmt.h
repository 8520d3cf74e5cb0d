/* SPDX-License-Identifier: MIT
 * timefmt.h - timestamps as JMeter writes them: epoch milliseconds or a
 * java.text.SimpleDateFormat pattern
 * (jmeter.save.saveservice.timestamp_format). Ownership: a compiled struct
 * jtl_timefmt is a plain value, no heap. Formatted times carry no zone in
 * JMeter's output; they are read in the local zone of this process (TZ), as
 * JMeter wrote them in its JVM's zone. */
#ifndef JTL_TIMEFMT_H
#define JTL_TIMEFMT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jtl_timefmt {
    /* compiled pattern: a small program of fields and literals */
    unsigned char ops[64];
    char lits[64];
    size_t nops;
    bool valid;
};

/* Compile a SimpleDateFormat PATTERN (letters y M d H h m s S a Z X, quotes
 * for literals).  False when the pattern uses letters we do not support. */
bool jtl_timefmt_compile(struct jtl_timefmt *tf, const char *pattern);
/* Parse S[0..LEN) with TF into epoch ms.  Non-lenient: month 13 fails. */
bool jtl_timefmt_parse(const struct jtl_timefmt *tf, const char *s, size_t len,
                       int64_t *ms);
/* Try epoch ms, then JMeter's fallback formats (yyyy/MM/dd HH:mm:ss.SSS,
 * yyyy/MM/dd HH:mm:ss, yyyy-MM-dd HH:mm:ss.SSS, yyyy-MM-dd HH:mm:ss,
 * MM/dd/yy HH:mm:ss) and ISO 8601 with T and zone.  Stores the pattern that
 * worked in *which (may be NULL) so later rows try it first. */
bool jtl_timefmt_parse_auto(const char *s, size_t len, int64_t *ms,
                            const struct jtl_timefmt **which);
/* "YYYY-MM-DD HH:MM:SS[.mmm]" or with 'T', read as UTC unless it carries a
 * zone; for --from/--to. */
bool jtl_time_parse_iso(const char *s, int64_t *ms);

#endif /* JTL_TIMEFMT_H */
