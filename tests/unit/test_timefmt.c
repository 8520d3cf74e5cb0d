/* SPDX-License-Identifier: MIT
 * test_timefmt.c - SimpleDateFormat compilation and non-lenient parsing,
 * JMeter's fallback formats, local zone handling, --from/--to ISO times. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "jtl/io/timefmt.h"

static bool parse(const char *pattern, const char *s, int64_t *ms)
{
    struct jtl_timefmt tf;

    if (!jtl_timefmt_compile(&tf, pattern))
        return false;
    return jtl_timefmt_parse(&tf, s, strlen(s), ms);
}

static void test_patterns(void)
{
    int64_t ms = 0;
    struct jtl_timefmt tf;

    /* 2014-02-24 07:42:21.256 UTC = 1393227741256 (date -u -d ... +%s%3N) */
    CHECK(parse("yyyy/MM/dd HH:mm:ss.SSS", "2014/02/24 07:42:21.256", &ms) &&
              ms == 1393227741256LL,
          "yyyy/MM/dd HH:mm:ss.SSS");
    CHECK(parse("yyyy-MM-dd'T'HH:mm:ss.SSSZ", "2014-02-24T08:42:21.256+0100",
                &ms) &&
              ms == 1393227741256LL,
          "quoted literal T and an RFC 822 zone");
    CHECK(parse("yyyy-MM-dd'T'HH:mm:ssXXX", "2014-02-24T02:12:21-05:30", &ms) &&
              ms == 1393227741000LL,
          "ISO zone with colon, negative half-hour offset");
    CHECK(parse("yyyy-MM-dd HH:mm:ssX", "2014-02-24 07:42:21Z", &ms) &&
              ms == 1393227741000LL,
          "X accepts Z");
    CHECK(parse("dd.MM.yy hh:mm:ss a", "24.02.14 07:42:21 AM", &ms) &&
              ms == 1393227741000LL,
          "two-digit year, 12-hour clock AM");
    CHECK(parse("dd.MM.yy hh:mm:ss a", "24.02.14 07:42:21 PM", &ms) &&
              ms == 1393227741000LL + 12 * 3600000LL,
          "PM adds twelve hours");
    CHECK(parse("dd.MM.yy hh:mm:ss a", "24.02.14 12:00:00 AM", &ms) &&
              ms == 1393200000000LL,
          "12 AM is midnight");
    CHECK(parse("yyyyMMddHHmmssSSS", "20140224074221256", &ms) &&
              ms == 1393227741256LL,
          "abutting numeric fields take their letter count");
    CHECK(parse("EEE, d MMM yyyy HH:mm:ss", "Mon, 24 Feb 2014 07:42:21", &ms) &&
              ms == 1393227741000LL,
          "day and month names");
    CHECK(parse("yyyy/MM/dd HH:mm:ss.SSS", "2014/2/24 7:42:21.5", &ms) &&
              ms == 1393227741005LL,
          "S counts milliseconds as in Java: .5 is 5 ms");
    CHECK(parse("''yyyy''", "'2014'", &ms) && ms == 1388534400000LL,
          "'' is a literal quote");

    /* non-lenient */
    CHECK(!parse("yyyy/MM/dd HH:mm:ss.SSS", "2001/20/20 12:05:05.123", &ms),
          "month 20 fails");
    CHECK(!parse("yyyy-MM-dd", "2023-02-29", &ms), "Feb 29 in 2023 fails");
    CHECK(parse("yyyy-MM-dd", "2024-02-29", &ms), "Feb 29 in 2024 parses");
    CHECK(!parse("yyyy-MM-dd", "2024-04-31", &ms), "April 31 fails");
    CHECK(!parse("HH:mm", "24:00", &ms), "hour 24 fails with H");
    CHECK(parse("kk:mm", "24:00", &ms) && ms == 0, "k takes 24 as 0");
    CHECK(!parse("HH:mm:ss", "10:00:60", &ms), "second 60 fails");
    CHECK(!parse("HH:mm:ss.SSS", "10:00:00.1000", &ms), "1000 ms fails");
    CHECK(!parse("yyyy/MM/dd HH:mm:ss", "2014/02/24 07:42:21.256", &ms),
          "trailing text fails (we require the whole field)");
    CHECK(!parse("yyyy/MM/dd", "2014/02/", &ms), "short input fails");
    CHECK(!parse("yyyy/MM/dd", "", &ms), "empty input fails");

    CHECK(!jtl_timefmt_compile(&tf, "yyyy-MM-dd z"), "z is not supported");
    CHECK(!jtl_timefmt_compile(&tf, "D"), "day of year is not supported");
    CHECK(!jtl_timefmt_compile(&tf, "'open"), "unterminated quote fails");
    CHECK(!jtl_timefmt_compile(&tf, ""), "empty pattern fails");
    CHECK(!jtl_timefmt_compile(
              &tf, "y-M-d-H-m-s-S-y-M-d-H-m-s-S-y-M-d-H-m-s-S-y-M-d-H-m-s"),
          "a pattern beyond 32 items fails instead of overflowing");
}

static void test_auto(void)
{
    int64_t ms = 0;
    const struct jtl_timefmt *which = NULL;

    CHECK(jtl_timefmt_parse_auto("1393227741256", 13, &ms, &which) &&
              ms == 1393227741256LL && which != NULL,
          "epoch milliseconds");
    CHECK(jtl_timefmt_parse_auto("2014/02/24 07:42:21.256", 23, &ms, &which) &&
              ms == 1393227741256LL,
          "JMeter fallback yyyy/MM/dd HH:mm:ss.SSS");
    CHECK(jtl_timefmt_parse(which, "2014/02/24 07:42:22.256", 23, &ms) &&
              ms == 1393227742256LL,
          "the returned format parses the next row");
    CHECK(jtl_timefmt_parse_auto("2014-02-24 07:42:21", 19, &ms, NULL) &&
              ms == 1393227741000LL,
          "yyyy-MM-dd HH:mm:ss");
    CHECK(jtl_timefmt_parse_auto("02/24/14 07:42:21", 17, &ms, NULL) &&
              ms == 1393227741000LL,
          "MM/dd/yy HH:mm:ss");
    CHECK(jtl_timefmt_parse_auto("2014-02-24T07:42:21.5Z", 22, &ms, NULL) &&
              ms == 1393227741500LL,
          "ISO 8601: the digits after the point are a fraction");
    CHECK(!jtl_timefmt_parse_auto("2001/20/20 12:05:05.123", 23, &ms, NULL),
          "invalid month is not auto-detected either");
    CHECK(!jtl_timefmt_parse_auto("12abc", 5, &ms, NULL), "junk fails");
}

static void test_local_zone(void)
{
    int64_t ms = 0;

    /* Berlin: CET (+1) in February, CEST (+2) in July. */
    setenv("TZ", "Europe/Berlin", 1);
    tzset();
    CHECK(parse("yyyy-MM-dd HH:mm:ss", "2014-02-24 08:42:21", &ms) &&
              ms == 1393227741000LL,
          "local winter time (TZ=Europe/Berlin) is UTC+1");
    CHECK(parse("yyyy-MM-dd HH:mm:ss", "2014-07-01 14:00:00", &ms) &&
              ms == 1404216000000LL,
          "local summer time is UTC+2");
    CHECK(parse("yyyy-MM-dd HH:mm:ssZ", "2014-07-01 12:00:00+0000", &ms) &&
              ms == 1404216000000LL,
          "an explicit zone wins over TZ");
    setenv("TZ", "UTC", 1);
    tzset();
    CHECK(parse("yyyy-MM-dd HH:mm:ss", "2014-07-01 12:00:00", &ms) &&
              ms == 1404216000000LL,
          "TZ=UTC again: the zone cache follows TZ");
}

static void test_iso(void)
{
    int64_t ms = 0;

    CHECK(jtl_time_parse_iso("2014-02-24 07:42:21", &ms) &&
              ms == 1393227741000LL,
          "--from with a space");
    CHECK(jtl_time_parse_iso("2014-02-24T07:42:21.500", &ms) &&
              ms == 1393227741500LL,
          "--from with T and milliseconds");
    CHECK(jtl_time_parse_iso("2014-02-24T08:42:21+01:00", &ms) &&
              ms == 1393227741000LL,
          "--from with an offset");
    CHECK(jtl_time_parse_iso("2014-02-24", &ms) && ms == 1393200000000LL,
          "--from with a date only");
    CHECK(!jtl_time_parse_iso("2014-13-01", &ms), "month 13 fails");
    CHECK(!jtl_time_parse_iso(" 2014-02-24", &ms), "leading blank fails");
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    test_patterns();
    test_auto();
    test_local_zone();
    test_iso();
    return CHECK_DONE();
}
