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

/* The digits at P[*I..LEN) after optional blanks and a colon; 0 when there
 * are none.  Saturates instead of overflowing. */
static uint32_t tc_number(const char *p, size_t len, size_t *i)
{
    uint64_t v = 0;

    while (*i < len && p[*i] == ' ')
        (*i)++;
    if (*i < len && p[*i] == ':')
        (*i)++;
    while (*i < len && p[*i] == ' ')
        (*i)++;
    while (*i < len && p[*i] >= '0' && p[*i] <= '9') {
        v = v * 10 + (uint64_t)(p[*i] - '0');
        if (v > UINT32_MAX)
            v = UINT32_MAX;
        (*i)++;
    }
    return (uint32_t)v;
}

unsigned jtl_tc_parse(struct jtl_str m, uint32_t *n, uint32_t *failing)
{
    static const char prefix[] = "Number of samples in transaction";
    static const char second[] = "number of failing samples";
    size_t k = sizeof(prefix) - 1, i = k, j;
    uint32_t count, fail = 0;
    unsigned flags = JTL_SAMPLE_TC_PARENT;

    if (m.len < k || memcmp(m.p, prefix, k) != 0)
        return 0;
    j = i;
    while (j < m.len && m.p[j] == ' ')
        j++;
    if (j < m.len && m.p[j] == ':')
        j++;
    while (j < m.len && m.p[j] == ' ')
        j++;
    /* "... : 0" and nothing more digits: an empty controller */
    if (j < m.len && m.p[j] == '0' &&
        (j + 1 == m.len || m.p[j + 1] < '0' || m.p[j + 1] > '9'))
        flags |= JTL_SAMPLE_TC_EMPTY;
    count = tc_number(m.p, m.len, &i);
    for (j = i; j + sizeof(second) - 1 <= m.len; j++)
        if (memcmp(m.p + j, second, sizeof(second) - 1) == 0) {
            i = j + sizeof(second) - 1;
            fail = tc_number(m.p, m.len, &i);
            break;
        }
    if (n)
        *n = count;
    if (failing)
        *failing = fail;
    return flags;
}
