/* SPDX-License-Identifier: MIT
 * suggest.c - "did you mean" for a mistyped command or option: the
 * candidate at the smallest edit distance (insertions, deletions,
 * substitutions and swaps of two neighbours, each 1: the typos hands make),
 * when it is close enough to be a typo and not another word. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Optimal string alignment distance of A and B, or a large number when
 * either is too long to be a command or option name. */
static size_t distance(const char *a, const char *b)
{
    enum { MAX = 64 };
    size_t la = strlen(a), lb = strlen(b), i, j;
    size_t d[MAX + 1][MAX + 1];

    if (la > MAX || lb > MAX)
        return (size_t)-1;
    for (i = 0; i <= la; i++)
        d[i][0] = i;
    for (j = 0; j <= lb; j++)
        d[0][j] = j;
    for (i = 1; i <= la; i++)
        for (j = 1; j <= lb; j++) {
            size_t cost = a[i - 1] != b[j - 1];
            size_t v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v)
                v = d[i][j - 1] + 1;
            if (d[i - 1][j - 1] + cost < v)
                v = d[i - 1][j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[la][lb];
}

const char *cli_suggest(const char *word, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, len = strlen(word), i;
    /* one typo in a short word, two in a longer one: "stat" is "stats",
     * but "plot" is not "stats" */
    size_t limit = len <= 4 ? 1 : len <= 10 ? 2 : 3;

    for (i = 0; i < n; i++) {
        size_t d = distance(word, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best_d <= limit ? best : NULL;
}
