/* SPDX-License-Identifier: MIT
 * sample.c - JMeter column names and small helpers shared by every decoder. */
#include "jtl/io/sample.h"

#include <stdint.h>
#include <string.h>
#include <strings.h>

/* clang-format off */
static const char *const field_names[JTL_F_COUNT] = {
    "timeStamp", "elapsed", "label", "responseCode", "responseMessage",
    "threadName", "dataType", "success", "failureMessage", "bytes",
    "sentBytes", "grpThreads", "allThreads", "URL", "Filename", "Latency",
    "Encoding", "SampleCount", "ErrorCount", "Hostname", "IdleTime",
    "Connect",
};
/* clang-format on */

const char *jtl_field_name(enum jtl_field f)
{
    return (unsigned)f < JTL_F_COUNT ? field_names[f] : "?";
}

int jtl_field_lookup(const char *s, size_t len)
{
    int i;

    for (i = 0; i < JTL_F_COUNT; i++)
        if (strlen(field_names[i]) == len &&
            memcmp(field_names[i], s, len) == 0)
            return i;
    for (i = 0; i < JTL_F_COUNT; i++)
        if (strlen(field_names[i]) == len &&
            strncasecmp(field_names[i], s, len) == 0)
            return i;
    return -1;
}

bool jtl_str_eq(struct jtl_str s, const char *lit)
{
    size_t n = strlen(lit);

    return s.len == n && (n == 0 || memcmp(s.p, lit, n) == 0);
}

bool jtl_parse_i64(const char *p, size_t len, int64_t *out)
{
    uint64_t v = 0;
    size_t i = 0;
    bool neg = false;

    if (len == 0)
        return false;
    if (p[0] == '-' || p[0] == '+') {
        neg = p[0] == '-';
        i = 1;
        if (len == 1)
            return false;
    }
    for (; i < len; i++) {
        unsigned d = (unsigned char)p[i] - '0';
        if (d > 9)
            return false;
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return false;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)v;
    }
    return true;
}
