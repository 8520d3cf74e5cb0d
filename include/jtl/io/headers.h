/* SPDX-License-Identifier: MIT
 * headers.h - HTTP response header blocks as JMeter saves them (the XML
 * <responseHeader> text: a status line, then "Name: value" lines), the
 * rate-limit header families, and the Retry-After of one sample.
 * Ownership: nothing here allocates.  Every jtl_str a function returns points
 * into the block it was given and lives exactly as long as that block (for a
 * sample: until the sample callback returns).
 *
 * Parsing rules (lenient, never fatal): lines end with LF or CRLF; a line
 * starting with SP or HT continues the previous header (obsolete folding);
 * names match case-insensitively; a line without ':' or with an empty name
 * is ignored; a line starting with "HTTP/" is a status line and starts a new
 * response section (a block may hold "100 Continue" before the final
 * response): lookups answer from the LAST section.  NUL bytes are ordinary
 * bytes (they just never match a name). */
#ifndef JTL_HEADERS_H
#define JTL_HEADERS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/io/sample.h"

struct jtl_header {
    struct jtl_str name;  /* without surrounding blanks */
    struct jtl_str value; /* trimmed; may span folded lines (raw bytes) */
    unsigned section;     /* 0 before the first status line, +1 at each */
};

/* Iterator over the headers of a block, in order. */
struct jtl_header_iter {
    const char *p, *end;
    unsigned section;
};

void jtl_headers_iter_init(struct jtl_header_iter *it, struct jtl_str block);
/* Store the next header in *OUT; false at the end of the block. */
bool jtl_headers_next(struct jtl_header_iter *it, struct jtl_header *out);

/* The value of the first header called NAME in the last response section of
 * BLOCK.  False (and *VALUE untouched) when there is none. */
bool jtl_headers_get(struct jtl_str block, const char *name,
                     struct jtl_str *value);
/* The status code of the last status line ("HTTP/1.1 429 Too Many
 * Requests" -> 429); false when the block has none. */
bool jtl_headers_status(struct jtl_str block, int *code);
/* Copy VALUE into BUF (CAP bytes, NUL-terminated) with every line fold
 * (CR? LF followed by blanks) turned into one space; returns the length
 * written, truncated to CAP - 1. */
size_t jtl_headers_unfold(struct jtl_str value, char *buf, size_t cap);

/* ------------------------------------------------------------------ */
/* Values */

/* An HTTP-date in any of the three forms RFC 9110 §5.6.7 requires readers to
 * accept: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", RFC 850
 * "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit years: 70-99 are 19xx, 00-69
 * 20xx) and asctime "Sun Nov  6 08:49:37 1994".  Stores epoch seconds (UTC);
 * false on anything else (bad day-of-month, hour 24, ...). */
bool jtl_http_date_parse(const char *p, size_t len, int64_t *epoch_s);

/* How a time value was written. */
enum jtl_time_kind {
    JTL_TK_NONE = 0,
    JTL_TK_DELTA,    /* seconds from the response */
    JTL_TK_DATE,     /* HTTP-date */
    JTL_TK_EPOCH_S,  /* a number >= 1e9 */
    JTL_TK_EPOCH_MS, /* a number >= 1e12 */
};

/* Retry-After: delta-seconds (digits; a decimal fraction is accepted, a sign
 * is not) or an HTTP-date.  A date is turned into seconds relative to REF_MS
 * (epoch ms: the response's Date header, or the sample's end time); a date
 * in the past gives 0.  With REF_MS == INT64_MIN a date cannot be converted
 * and the call fails.  Values above 1e9 seconds are refused as garbage. */
bool jtl_retry_after_parse(struct jtl_str value, int64_t ref_ms, double *secs,
                           enum jtl_time_kind *kind);

/* ------------------------------------------------------------------ */
/* Rate-limit header families
 *
 * Kept for what the server says about its own limit: RateLimit-*,
 * RateLimit-Policy and X-RateLimit-* carry the advertised limit, remaining
 * and reset, which the throttling analysis reports beside the limit it
 * infers (issue #10: "advertised_limit").  Until that lands it is reached
 * only from the tests and the headers fuzz target. */

/* One family's view; each number is meaningful only with its has_ bit. */
struct jtl_rl_counter {
    bool has_limit, has_remaining, has_used, has_reset, has_window;
    double limit;     /* requests (or quota units) per window */
    double remaining; /* left in the current window */
    double used;      /* counted so far (Genesys inin-ratelimit-count) */
    double reset_s;   /* seconds from the response until the reset */
    enum jtl_time_kind reset_kind; /* how the reset was written */
    double window_s;               /* policy window (w=) */
    struct jtl_str policy; /* policy name ("default", "burst"), may be empty */
};

struct jtl_ratelimit {
    bool has_date; /* the response's Date header */
    int64_t date_ms;
    bool has_retry_after;
    double retry_after_s;
    enum jtl_time_kind retry_after_kind;
    struct jtl_rl_counter x;     /* X-RateLimit-* and X-Rate-Limit-* */
    struct jtl_rl_counter draft; /* RateLimit-Limit/-Remaining/-Reset */
    struct jtl_rl_counter sf;    /* RateLimit + RateLimit-Policy fields */
    struct jtl_rl_counter inin;  /* Genesys inin-ratelimit-* (until 2021) */
};

/* Read every family from BLOCK.  NOW_MS (epoch ms, the time the response
 * arrived: sample timestamp + elapsed; INT64_MIN if unknown) is the reference
 * for HTTP-dates and epoch resets when the block has no Date header; with a
 * Date header, that (server) clock is used.  Reset values are classified as
 * the reference doc says: letters or a comma -> HTTP-date, >= 1e12 -> epoch
 * ms, >= 1e9 -> epoch s, otherwise delta seconds.
 *
 * RateLimit (IETF draft) in both shapes: "limit=100, remaining=50, reset=5"
 * (draft 07) and a list of items '"default";r=50;t=30' (draft 08+), of which
 * the one with the fewest remaining is kept; RateLimit-Policy "100;w=60" or
 * '"burst";q=100;w=60' gives limit and window (the policy named like the
 * kept RateLimit item, else the first).  Returns true when any rate-limit
 * information (including Retry-After) was found. */
bool jtl_ratelimit_parse(struct jtl_str block, int64_t now_ms,
                         struct jtl_ratelimit *out);

/* Genesys Cloud's normalized 429 body: "... Retry the request in [N]
 * seconds" (brackets optional, case-insensitive).  Stores N. */
bool jtl_body_retry_in(struct jtl_str text, double *secs);

/* Where jtl_retry_after_seconds() found its value. */
enum jtl_ra_source {
    JTL_RA_NONE = 0,
    JTL_RA_HEADER, /* Retry-After in response_headers */
    JTL_RA_VAR,    /* a sample variable (retryAfter, Retry-After, ...) */
    JTL_RA_BODY,   /* "Retry the request in [N] seconds" in a message */
};

/* The Retry-After of sample S in seconds, tried in this order:
 *  1. the Retry-After header of S->response_headers (an HTTP-date relative
 *     to the block's Date header, else to the sample end time);
 *  2. a sample variable whose name, ignoring case, '-' and '_', is
 *     "retryafter" (CSV sample_variables column or extra XML attribute),
 *     read like the header; JMeter's "null" for an unset variable is skipped;
 *  3. the Genesys body sentence in S->message, then S->failure_message.
 * A source that is present but unreadable falls through to the next one.
 * Returns the source used (JTL_RA_NONE = 0 when none, *SECS untouched), so it
 * also reads as a boolean.  Meant to be called per 429 sample. */
enum jtl_ra_source jtl_retry_after_seconds(const struct jtl_sample *s,
                                           double *secs);

#endif /* JTL_HEADERS_H */
