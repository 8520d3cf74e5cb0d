/* SPDX-License-Identifier: MIT
 * regex.c - user patterns with PCRE2 (regex.h).  JIT-compiled when the
 * platform has it: a filter runs once per sample, tens of millions of
 * times. */
#include "jtl/base/regex.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"

struct jtl_regex {
    pcre2_code *code; /* read-only once compiled: shared by threads */
    enum jtl_regex_mode mode;
    char *pattern;
};

/* The match data of the calling thread, for every pattern: PCRE2's
 * compiled code may be shared, its match data may not.  One pair of
 * offsets is enough: a match is all we ask, and pcre2_match() then still
 * succeeds (with 0).  Freed when the thread ends. */
static pthread_key_t md_key;
static pthread_once_t md_once = PTHREAD_ONCE_INIT;

static void md_free(void *md)
{
    pcre2_match_data_free(md);
}

static void md_key_create(void)
{
    if (pthread_key_create(&md_key, md_free) != 0)
        jtl_out_of_memory(0);
}

static pcre2_match_data *thread_md(void)
{
    pcre2_match_data *md;

    pthread_once(&md_once, md_key_create);
    md = pthread_getspecific(md_key);
    if (!md) {
        md = pcre2_match_data_create(1, NULL);
        if (!md || pthread_setspecific(md_key, md) != 0)
            jtl_out_of_memory(0);
    }
    return md;
}

static pcre2_code *compile(const char *pattern, enum jtl_regex_mode mode,
                           int *errcode, PCRE2_SIZE *erroffset)
{
    /* UTF so that (?i) and '.' see characters, MATCH_INVALID_UTF so that a
     * label in Latin-1 is still a subject and never an error; without UCP
     * \d and \w stay ASCII, as in Java */
    uint32_t opts = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    pcre2_code *code;

    if (mode == JTL_REGEX_WHOLE)
        opts |= PCRE2_ANCHORED | PCRE2_ENDANCHORED;
    code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, opts,
                         errcode, erroffset, NULL);
    if (code)
        (void)pcre2_jit_compile(code,
                                PCRE2_JIT_COMPLETE); /* else interpreted */
    return code;
}

static struct jtl_regex *wrap(pcre2_code *code, const char *pattern,
                              enum jtl_regex_mode mode)
{
    struct jtl_regex *re = jtl_xcalloc(1, sizeof(*re));

    re->code = code;
    re->mode = mode;
    re->pattern = jtl_xstrdup(pattern);
    return re;
}

enum jtl_err jtl_regex_new(const char *pattern, enum jtl_regex_mode mode,
                           const char *what, struct jtl_regex **out,
                           struct jtl_diag *diag)
{
    int errcode = 0;
    PCRE2_SIZE off = 0;
    pcre2_code *code = compile(pattern, mode, &errcode, &off);

    *out = NULL;
    if (!code) {
        PCRE2_UCHAR why[160];
        if (pcre2_get_error_message(errcode, why, sizeof(why)) < 0)
            strcpy((char *)why, "not a regular expression");
        if (!what)
            return jtl_diag_set(diag, JTL_ERR_USAGE, NULL, "%s at offset %zu",
                                (const char *)why, (size_t)off);
        return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                            "invalid %s regex '%s': %s at offset %zu", what,
                            pattern, (const char *)why, (size_t)off);
    }
    *out = wrap(code, pattern, mode);
    return JTL_OK;
}

bool jtl_regex_match(const struct jtl_regex *re, const char *s, size_t len)
{
    return pcre2_match(re->code, (PCRE2_SPTR)(s ? s : ""), len, 0, 0,
                       thread_md(), NULL) >= 0;
}

const char *jtl_regex_pattern(const struct jtl_regex *re)
{
    return re->pattern;
}

void jtl_regex_free(struct jtl_regex *re)
{
    if (!re)
        return;
    pcre2_code_free(re->code);
    free(re->pattern);
    free(re);
}

const char *jtl_regex_library(void)
{
    static char v[48];

    if (!v[0]) {
        char ver[32] = "";
        pcre2_config(PCRE2_CONFIG_VERSION, ver);
        snprintf(v, sizeof(v), "PCRE2 %.24s", ver);
    }
    return v;
}
