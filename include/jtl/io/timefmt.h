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

/* How jtl_clock_format() writes an instant. */
enum jtl_clock_style {
    JTL_CLOCK_TIME,     /* "10:30:46.512 UTC": the time of day */
    JTL_CLOCK_DATETIME, /* "2026-11-22 10:30:46.512 UTC" */
    JTL_CLOCK_ISO,      /* "2026-11-22T10:30:46.512Z", always UTC (JSON) */
};
/* Epoch MS as a clock time in the zone TZ: NULL or "UTC" for UTC, a tz
 * database name ("Europe/Berlin"), or "local" for this process's zone.
 * OUT is always NUL-terminated.  Not for the decoding threads: a named
 * zone is read through the TZ variable, under a lock. */
void jtl_clock_format(int64_t ms, const char *tz, enum jtl_clock_style style,
                      char *out, size_t n);
/* Is TZ a zone jtl_clock_format() knows ("UTC", "local", or a name of the
 * tz database installed here)? */
bool jtl_clock_zone_valid(const char *tz);

#endif /* JTL_TIMEFMT_H */
