/* SPDX-License-Identifier: MIT
 * fuzz_timefmt.c - SimpleDateFormat compiler and parser: the input is
 * "pattern\0value"; both halves are untrusted (the pattern comes from the
 * command line, the value from the file). */
#include <string.h>

#include "jtl/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char pattern[128];
    const char *s = (const char *)data;
    const char *nul = memchr(s, '\0', size);
    size_t plen = nul ? (size_t)(nul - s) : size;
    struct jtl_timefmt tf;
    const struct jtl_timefmt *which = NULL;
    int64_t ms;

    if (plen >= sizeof(pattern))
        plen = sizeof(pattern) - 1;
    memcpy(pattern, s, plen);
    pattern[plen] = '\0';
    if (jtl_timefmt_compile(&tf, pattern) && nul)
        jtl_timefmt_parse(&tf, nul + 1, size - (size_t)(nul + 1 - s), &ms);
    jtl_timefmt_parse_auto(s, size, &ms, &which);
    if (size < 200) {
        char iso[200];
        memcpy(iso, s, size);
        iso[size] = '\0';
        jtl_time_parse_iso(iso, &ms);
    }
    return 0;
}
