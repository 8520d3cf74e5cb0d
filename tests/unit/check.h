/* SPDX-License-Identifier: MIT
 * check.h - a minimal unit-test harness (minunit / Redis testhelp.h style).
 * Each CHECK names the behaviour it asserts; main() ends with CHECK_DONE(),
 * which prints "N passed, N failed" and returns nonzero on any failure. */
#ifndef JTL_CHECK_H
#define JTL_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_passed, check_failed;

#define CHECK(cond, what)                                                      \
    do {                                                                       \
        if (cond) {                                                            \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "FAIL %s:%d: %s  [%s]\n", __FILE__, __LINE__,      \
                    what, #cond);                                              \
        }                                                                      \
    } while (0)

#define CHECK_EQ_INT(a, b, what)                                               \
    do {                                                                       \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);        \
        if (check_a_ == check_b_) {                                            \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "FAIL %s:%d: %s  [%s == %lld, expected %lld]\n",   \
                    __FILE__, __LINE__, what, #a, check_a_, check_b_);         \
        }                                                                      \
    } while (0)

#define CHECK_EQ_STR(a, b, what)                                               \
    do {                                                                       \
        const char *check_a_ = (a), *check_b_ = (b);                           \
        if (check_a_ && check_b_ && strcmp(check_a_, check_b_) == 0) {         \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "FAIL %s:%d: %s  [\"%s\", expected \"%s\"]\n",     \
                    __FILE__, __LINE__, what, check_a_ ? check_a_ : "(null)",  \
                    check_b_ ? check_b_ : "(null)");                           \
        }                                                                      \
    } while (0)

#define CHECK_NEAR(a, b, eps, what)                                            \
    do {                                                                       \
        double check_a_ = (double)(a), check_b_ = (double)(b);                 \
        double check_d_ = check_a_ - check_b_;                                 \
        if (check_d_ < 0)                                                      \
            check_d_ = -check_d_;                                              \
        if (check_d_ <= (eps)) {                                               \
            check_passed++;                                                    \
        } else {                                                               \
            check_failed++;                                                    \
            fprintf(stderr, "FAIL %s:%d: %s  [%s == %.17g, expected %.17g]\n", \
                    __FILE__, __LINE__, what, #a, check_a_, check_b_);         \
        }                                                                      \
    } while (0)

#define CHECK_DONE()                                                           \
    (printf("%d passed, %d failed\n", check_passed, check_failed),             \
     check_failed != 0)

#endif /* JTL_CHECK_H */
