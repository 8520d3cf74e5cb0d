/* SPDX-License-Identifier: MIT
 * regex.h - the patterns users write for labels and messages (--include,
 * --exclude, --throttle-message, a criterion's "of /REGEX/"), matched with
 * PCRE2: the Perl and Java syntax JMeter users already write in their test
 * plans (\d, \w, \s, (?i), (?:...), lookarounds, \Q...\E), where POSIX ERE
 * would refuse \d or read it as a plain 'd'.  Labels are bytes: invalid
 * UTF-8 in a label never fails a match, and a NUL in it is matched like
 * any other byte.
 * Ownership: struct jtl_regex owns its compiled pattern, which threads
 * share: jtl_regex_match() keeps its match data per thread, so the reader
 * threads, the throttling analysis and the criteria's windows may all
 * match with one regex at once. */
#ifndef JTL_REGEX_H
#define JTL_REGEX_H
#include <stdbool.h>
#include <stddef.h>

#include "jtl/base/error.h"

enum jtl_regex_mode {
    JTL_REGEX_SEARCH, /* matches when found anywhere (grep, our default) */
    JTL_REGEX_WHOLE,  /* the whole text must match (JMeter's
                         sample_filter, Java's Matcher.matches()) */
};

struct jtl_regex;

/* Compile PATTERN.  WHAT names it in the error ("--include"): JTL_ERR_USAGE
 * with "invalid WHAT regex 'PATTERN': REASON at offset N"; with WHAT NULL
 * the message is "REASON at offset N" alone, for a caller that says the
 * rest. */
enum jtl_err jtl_regex_new(const char *pattern, enum jtl_regex_mode mode,
                           const char *what, struct jtl_regex **out,
                           struct jtl_diag *diag);
bool jtl_regex_match(const struct jtl_regex *re, const char *s, size_t len);
const char *jtl_regex_pattern(const struct jtl_regex *re);
void jtl_regex_free(struct jtl_regex *re); /* NULL is a no-op */
/* "PCRE2 10.42": the library and its version (--version). */
const char *jtl_regex_library(void);

#endif /* JTL_REGEX_H */
