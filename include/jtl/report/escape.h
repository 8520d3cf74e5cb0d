/* SPDX-License-Identifier: MIT
 * escape.h - make untrusted text (JTL labels, codes, messages) safe for the
 * places reports put it: HTML text and attributes, gnuplot data files, and
 * file names (which are never derived from labels: see jtl_name_is_safe).
 * Ownership: every function appends to a caller-owned struct jtl_buf and
 * keeps no state.  All functions accept any bytes, including NUL and invalid
 * UTF-8, which becomes U+FFFD. */
#ifndef JTL_ESCAPE_H
#define JTL_ESCAPE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/buf.h"
#include "jtl/base/utf8.h"

/* HTML text or a double-quoted attribute value: & < > " ' ` become character
 * references, invalid UTF-8 and control characters other than tab, LF and CR
 * (C0, DEL, C1) become U+FFFD, and U+2028/U+2029 become &#x2028;/&#x2029;
 * so the text reads the same if it ever lands in a script.  The result is
 * safe in element content and in attribute values quoted with " or '. */
void jtl_html_escape(struct jtl_buf *out, const char *s, size_t len);
/* Same, and tab, LF and CR become references too, so an attribute value
 * keeps them literally instead of being normalized to spaces. */
void jtl_html_attr_escape(struct jtl_buf *out, const char *s, size_t len);

/* One text field of a gnuplot data file (written with separator tab and
 * the field in double quotes).  gnuplot's data reader has no escape for a
 * double quote, so " becomes ' ; a backslash is doubled (gnuplot reads
 * backslash escapes there); tab, CR, LF and other control characters
 * become a space; invalid UTF-8 becomes U+FFFD; at most MAXCHARS code points
 * are kept (then "..." is appended).  Quotes are NOT added.  Data files are
 * never evaluated by gnuplot (no backticks, no system()), but a raw quote or
 * tab would shift columns. */
void jtl_gpdata_escape(struct jtl_buf *out, const char *s, size_t len,
                       size_t maxchars);

/* Text inside a Markdown table cell or paragraph, not at the start of a
 * line (GitHub, GitLab, CommonMark): the characters that mean something
 * there (\ ` * _ [ ] | ~ # and $ for math) are backslash-escaped, < > &
 * become character references (so no raw HTML gets through), tab, CR, LF
 * and control characters become a space, invalid UTF-8 U+FFFD, and at most
 * MAXCHARS code points are kept (0 = all; then "..." is appended). */
void jtl_md_escape(struct jtl_buf *out, const char *s, size_t len,
                   size_t maxchars);

/* A file-name slug of S: ASCII letters and digits lowercased, every other
 * run of bytes becomes one '-', no leading/trailing '-', at most CAP-1
 * bytes, "x" when nothing is left.  For names WE choose (chart titles), so
 * a file name is predictable; labels from a JTL never name a file. */
void jtl_slug(char *out, size_t cap, const char *s);
/* True when NAME is a plain file name we may create inside an output
 * directory: 1-128 bytes of [A-Za-z0-9._-], not starting with '.' or '-'. */
bool jtl_name_is_safe(const char *name);

#endif /* JTL_ESCAPE_H */
