/* SPDX-License-Identifier: MIT
 * fuzz_criteria.c - the pass/fail criterion reader (criteria.h): any bytes
 * read or are refused with a message and a column inside the text; a
 * criterion that reads reads again the same from its own text; its value
 * formats. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/check/check.h"
#include "jtl/check/compare.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const char *text)
{
    fprintf(stderr, "criteria: %s: '%s'\n", what, text);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), msg[256], out[64];
    struct jtl_criterion c, again;
    size_t col = 0, n;

    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = 0;
    n = strlen(text); /* the reader sees a C string */
    {
        struct jtl_fail_if f;
        if (jtl_fail_if_parse(text, &f, &col, msg, sizeof(msg))) {
            if (!f.text || (!f.slower && !(f.amount != 0)) ||
                !isfinite(f.amount))
                fail("a --fail-if rule that reads is not well formed", text);
            jtl_fail_if_release(&f);
        } else if (col < 1 || col > n + 1 || !msg[0]) {
            fail("a --fail-if error without its column or message", text);
        }
    }
    if (!jtl_criterion_parse(text, &c, &col, msg, sizeof(msg))) {
        if (col < 1 || col > n + 1)
            fail("error column outside the text", text);
        if (!msg[0])
            fail("error without a message", text);
        free(text);
        return 0;
    }
    if (!c.text || (c.scope != JTL_CRIT_TOTAL && !c.label) ||
        (c.scope == JTL_CRIT_TOTAL && c.label) || c.window < 0 ||
        (c.subject == JTL_CRIT_PCT && !(c.pct > 0 && c.pct <= 100)) ||
        (c.subject != JTL_CRIT_VERDICT && !isfinite(c.value)))
        fail("a criterion that reads is not well formed", text);
    if (!jtl_criterion_parse(c.text, &again, &col, msg, sizeof(msg)))
        fail("its own text does not read again", text);
    if (again.subject != c.subject || again.op != c.op ||
        again.scope != c.scope || again.window != c.window ||
        again.value != c.value || again.verdict != c.verdict ||
        (c.label && strcmp(again.label, c.label) != 0) ||
        (!c.name) != (!again.name) ||
        (c.name && strcmp(again.name, c.name) != 0))
        fail("its own text reads differently", text);
    jtl_check_format(out, sizeof(out), &c, c.value, c.verdict);
    (void)jtl_crit_holds(c.op, c.value, c.value);
    jtl_criterion_release(&again);
    jtl_criterion_release(&c);
    free(text);
    return 0;
}
