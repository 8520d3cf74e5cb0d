/* SPDX-License-Identifier: MIT
 * names.c - the names of the analysis' enums as the JSON writes them
 * ("threshold", "fixed-window", "supports", ...).  A leaf: every part of
 * the analysis and every writer may use it. */
#include "jtl/throttle/throttle.h"

#include <stdio.h>
#include <string.h>

const char *jtl_throttle_verdict_name(enum jtl_verdict v)
{
    switch (v) {
    case JTL_VERDICT_THRESHOLD:
        return "threshold";
    case JTL_VERDICT_RANDOM:
        return "random";
    case JTL_VERDICT_INCONCLUSIVE:
        return "inconclusive";
    case JTL_VERDICT_NONE:
        break;
    }
    return "none";
}

const char *jtl_throttle_mechanism_name(enum jtl_mechanism m)
{
    switch (m) {
    case JTL_MECH_RATE:
        return "rate";
    case JTL_MECH_FIXED_WINDOW:
        return "fixed-window";
    case JTL_MECH_SLIDING_WINDOW:
        return "sliding-window";
    case JTL_MECH_CONCURRENCY:
        return "concurrency";
    case JTL_MECH_DISTRIBUTED:
        return "distributed";
    case JTL_MECH_STACKED:
        return "stacked";
    case JTL_MECH_UNKNOWN:
        return "unknown";
    case JTL_MECH_NULL:
        break;
    }
    return NULL;
}

const char *jtl_throttle_scope_kind_name(enum jtl_scope_kind k)
{
    return k == JTL_SCOPE_LABEL   ? "label"
           : k == JTL_SCOPE_GROUP ? "group"
                                  : "run";
}

const char *jtl_throttle_bearing_name(enum jtl_bearing b)
{
    return b == JTL_BEARING_SUPPORTS  ? "supports"
           : b == JTL_BEARING_AGAINST ? "against"
                                      : "not-applicable";
}

uint64_t jtl_throttle_code_count(const struct jtl_throttle_result *r, int code)
{
    char c[16];
    size_t k;

    snprintf(c, sizeof(c), "%d", code);
    for (k = 0; k < r->nrcodes; k++)
        if (strcmp(r->rcodes[k].code, c) == 0)
            return r->rcodes[k].count;
    return 0;
}
