/* SPDX-License-Identifier: MIT
 * labels.c - the endpoint template of a label (labels.h).
 *
 * Only what is certainly an id is replaced: a UUID anywhere (its shape is
 * unmistakable), and inside a URL path or query a segment that is all
 * digits, a long hex string or a long token.  A path segment starts after
 * '/', a query value after '='; the segment ends at the next '/', '?',
 * '&', '=', '#', ';', ',' or blank.  "v2", "users", "me" and "Step 2" stay
 * as they are, so distinct endpoints never merge. */
#include "jtl/io/labels.h"

#include <string.h>

static bool is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
           (c >= 'A' && c <= 'F');
}

static bool is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

static bool is_end(char c)
{
    return c == '/' || c == '?' || c == '&' || c == '=' || c == '#' ||
           c == ';' || c == ',' || c == ' ' || c == '\t';
}

/* 8-4-4-4-12 hex digits at P (at least 36 bytes), not followed by more. */
static bool is_uuid(const char *p, size_t n)
{
    static const size_t dash[] = {8, 13, 18, 23};
    size_t i, d = 0;

    if (n < 36 || (n > 36 && (is_hex(p[36]) || p[36] == '-')))
        return false;
    for (i = 0; i < 36; i++) {
        if (d < 4 && i == dash[d]) {
            if (p[i] != '-')
                return false;
            d++;
        } else if (!is_hex(p[i])) {
            return false;
        }
    }
    return true;
}

/* Is the segment P[0..N) an id (all digits, long hex, long token)? */
static bool is_id_segment(const char *p, size_t n)
{
    size_t i, digits = 0, hex = 0, letters = 0, other = 0;

    if (n == 0)
        return false;
    for (i = 0; i < n; i++) {
        char c = p[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (is_alnum(c))
            letters++;
        else if (c == '-' || c == '_')
            other++;
        else
            return false;
        hex += is_hex(c);
    }
    if (digits == n)
        return true;
    if (hex == n && n >= 12 && digits > 0)
        return true;
    return n >= 20 && digits > 0 && letters > 0;
}

bool jtl_label_template(const char *s, size_t len, struct jtl_buf *out)
{
    size_t i = 0, copied = 0;
    bool changed = false, in_url = false;

    jtl_buf_clear(out);
    while (i < len) {
        size_t start = i, j;
        bool candidate;
        if (is_uuid(s + i, len - i)) {
            jtl_buf_add(out, s + copied, i - copied);
            jtl_buf_adds(out, JTL_LABEL_ID);
            i += 36;
            copied = i;
            changed = true;
            continue;
        }
        if (s[i] == '/')
            in_url = true;
        else if (s[i] == ' ' || s[i] == '\t')
            in_url = false;
        candidate = in_url && (s[i] == '/' || s[i] == '=');
        i++;
        if (!candidate)
            continue;
        start = i;
        for (j = i; j < len && !is_end(s[j]); j++)
            ;
        if (j > start && is_id_segment(s + start, j - start) &&
            !is_uuid(s + start, len - start)) {
            jtl_buf_add(out, s + copied, start - copied);
            jtl_buf_adds(out, JTL_LABEL_ID);
            copied = j;
            changed = true;
            i = j;
        }
    }
    if (!changed)
        return false;
    jtl_buf_add(out, s + copied, len - copied);
    return true;
}
