/* SPDX-License-Identifier: MIT
 * test_escape.c - HTML, attribute and gnuplot-data escaping; file-name
 * slugs and the safe-name check. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "jtl/report/escape.h"

static char out[1024];

static const char *html(const char *s, size_t len)
{
    struct jtl_buf b;

    jtl_buf_init(&b, 0);
    jtl_html_escape(&b, s, len);
    snprintf(out, sizeof(out), "%s", b.p);
    jtl_buf_release(&b);
    return out;
}

static const char *attr(const char *s)
{
    struct jtl_buf b;

    jtl_buf_init(&b, 0);
    jtl_html_attr_escape(&b, s, strlen(s));
    snprintf(out, sizeof(out), "%s", b.p);
    jtl_buf_release(&b);
    return out;
}

static const char *gp(const char *s, size_t len, size_t max)
{
    struct jtl_buf b;

    jtl_buf_init(&b, 0);
    jtl_gpdata_escape(&b, s, len, max);
    snprintf(out, sizeof(out), "%s", b.p);
    jtl_buf_release(&b);
    return out;
}

#define HTML(s) html(s, sizeof(s) - 1)

static void test_html(void)
{
    CHECK_EQ_STR(HTML("GET /api/v2/users"), "GET /api/v2/users",
                 "plain text passes unchanged");
    CHECK_EQ_STR(HTML(""), "", "empty text gives an empty string, not NULL");
    CHECK_EQ_STR(HTML("<script>alert(1)</script>"),
                 "&lt;script&gt;alert(1)&lt;/script&gt;",
                 "angle brackets become references");
    CHECK_EQ_STR(HTML("\"><img src=x onerror=alert(1)>"),
                 "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;",
                 "a quote cannot end an attribute value");
    CHECK_EQ_STR(HTML("a&b 'c' `d`"), "a&amp;b &#39;c&#39; &#96;d&#96;",
                 "ampersand, apostrophe and backtick escaped");
    CHECK_EQ_STR(HTML("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"),
                 "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80",
                 "valid 2-, 3- and 4-byte UTF-8 is kept");
    CHECK_EQ_STR(HTML("a\xFFz"), "a\xEF\xBF\xBDz",
                 "an invalid byte becomes U+FFFD");
    CHECK_EQ_STR(HTML("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD",
                 "an overlong '/' is two U+FFFD, never a slash");
    CHECK_EQ_STR(HTML("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
                 "an encoded surrogate is invalid");
    CHECK_EQ_STR(HTML("\xE2\x82"), "\xEF\xBF\xBD\xEF\xBF\xBD",
                 "a sequence cut at the end is invalid");
    CHECK_EQ_STR(HTML("a\xE2\x80\xA8z\xE2\x80\xA9"), "a&#x2028;z&#x2029;",
                 "U+2028 and U+2029 become references");
    CHECK_EQ_STR(HTML("a\x01z\x7F"), "a\xEF\xBF\xBDz\xEF\xBF\xBD",
                 "C0 controls and DEL become U+FFFD");
    CHECK_EQ_STR(HTML("a\xC2\x85z"), "a\xEF\xBF\xBDz",
                 "a C1 control (NEL) becomes U+FFFD");
    CHECK_EQ_STR(HTML("l1\nl2\tx\r"), "l1\nl2\tx\r",
                 "tab, LF and CR stay in text");
    CHECK_EQ_STR(html("a\0b", 3),
                 "a\xEF\xBF\xBD"
                 "b",
                 "an embedded NUL becomes U+FFFD instead of cutting");
    CHECK_EQ_STR(attr("a\nb\tc\"d"), "a&#10;b&#9;c&quot;d",
                 "attribute values keep newlines and tabs as references");
}

static void test_utf8(void)
{
    uint32_t cp = 0;

    CHECK_EQ_INT(jtl_utf8_decode((const unsigned char *)"\xE2\x82\xAC", 3, &cp),
                 3, "euro sign is 3 bytes");
    CHECK_EQ_INT(cp, 0x20AC, "euro sign code point");
    CHECK_EQ_INT(
        jtl_utf8_decode((const unsigned char *)"\xF4\x90\x80\x80", 4, &cp), 0,
        "above U+10FFFF is invalid");
    CHECK_EQ_INT(jtl_utf8_decode((const unsigned char *)"\x80", 1, &cp), 0,
                 "a lone continuation byte is invalid");
}

/* The byte-at-a-time definition, to check the word-at-a-time one. */
static bool valid_slow(const unsigned char *s, size_t n)
{
    size_t i = 0, k;
    uint32_t cp;

    while (i < n) {
        k = jtl_utf8_decode(s + i, n - i, &cp);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

static void test_utf8_valid(void)
{
    static const char *const pieces[] = {"a",
                                         "GET /api/v2/flows",
                                         "\xC3\xA9",
                                         "\xE2\x82\xAC",
                                         "\xF0\x9F\x98\x80",
                                         "\xC3",
                                         "\x80",
                                         "\xED\xA0\x80",
                                         "z"};
    unsigned char buf[64];
    uint32_t lcg = 99;
    int i, agree = 1, nvalid = 0, ninvalid = 0;

    CHECK(jtl_utf8_valid((const unsigned char *)"", 0), "empty: valid");
    CHECK(jtl_utf8_valid((const unsigned char *)"Login \xE2\x82\xAC 12345678",
                         18),
          "ASCII around a 3-byte sequence, past 8 bytes");
    CHECK(!jtl_utf8_valid((const unsigned char *)"12345678\xE9", 9),
          "Latin-1 byte right after eight ASCII bytes");
    /* random strings of pieces: every length, every offset of the bad
     * byte against the 8-byte words */
    for (i = 0; i < 20000; i++) {
        size_t n = 0;
        while (n < 40) {
            const char *p;
            size_t k;
            lcg = lcg * 1103515245u + 12345u;
            p = pieces[(lcg >> 16) % 9];
            k = strlen(p);
            if ((lcg >> 8) % 7 == 0 || n + k > sizeof(buf))
                break;
            memcpy(buf + n, p, k);
            n += k;
        }
        if (jtl_utf8_valid(buf, n) != valid_slow(buf, n))
            agree = 0;
        if (valid_slow(buf, n))
            nvalid++;
        else
            ninvalid++;
    }
    CHECK(agree, "agrees with the byte-at-a-time check on 20 000 strings");
    CHECK(nvalid > 1000 && ninvalid > 1000, "both kinds were tried");
}

static void test_gpdata(void)
{
    CHECK_EQ_STR(gp("POST /flows/{id}/sessions", 25, 60),
                 "POST /flows/{id}/sessions", "ordinary label kept");
    CHECK_EQ_STR(gp("system(\"touch /tmp/x\")", 22, 60),
                 "system('touch /tmp/x')",
                 "a double quote cannot end the quoted data field");
    CHECK_EQ_STR(gp("a\tb\nc\rd", 7, 60), "a b c d",
                 "tab and newlines cannot split a field or a row");
    CHECK_EQ_STR(gp("a\\nb\\", 5, 60), "a\\\\nb\\\\",
                 "backslashes doubled: no \\n escape, no escaped quote");
    CHECK_EQ_STR(gp("`id` #x", 7, 60), "`id` #x",
                 "backticks and hashes are data, kept as shown");
    CHECK_EQ_STR(gp("ab\xFF", 3, 60), "ab\xEF\xBF\xBD",
                 "invalid UTF-8 becomes U+FFFD for cairo");
    CHECK_EQ_STR(gp("\xC3\xA9\xC3\xA9\xC3\xA9xyz", 9, 4),
                 "\xC3\xA9\xC3\xA9\xC3\xA9x...",
                 "cut after MAXCHARS code points, not bytes");
    CHECK_EQ_STR(gp("a\xE2\x80\xA8"
                    "b",
                    5, 60),
                 "a b",
                 "U+2028 (a line break to some readers) becomes a space");
}

static const char *md(const char *s, size_t max)
{
    struct jtl_buf b;

    jtl_buf_init(&b, 0);
    jtl_md_escape(&b, s, strlen(s), max);
    snprintf(out, sizeof(out), "%s", b.p);
    jtl_buf_release(&b);
    return out;
}

static void test_md(void)
{
    CHECK_EQ_STR(md("GET /api/v2/users?id=1", 0), "GET /api/v2/users?id=1",
                 "an ordinary label stays readable");
    CHECK_EQ_STR(md("a|b", 0), "a\\|b", "a pipe cannot split a table cell");
    CHECK_EQ_STR(md("<script>x</script>", 0), "&lt;script&gt;x&lt;/script&gt;",
                 "no raw HTML gets through");
    CHECK_EQ_STR(md("[x](javascript:alert(1))", 0),
                 "\\[x\\](javascript:alert(1))", "no link can be formed");
    CHECK_EQ_STR(md("*a* _b_ `c` ~d~ #e $f$ \\", 0),
                 "\\*a\\* \\_b\\_ \\`c\\` \\~d\\~ \\#e \\$f\\$ \\\\",
                 "emphasis, code, strike, heading, math, backslash escaped");
    CHECK_EQ_STR(md("a\nb\tc\xE2\x80\xA8"
                    "d",
                    0),
                 "a b c d", "line breaks cannot end a table row");
    CHECK_EQ_STR(md("x\xFFy", 0), "x\xEF\xBF\xBDy", "invalid UTF-8 -> U+FFFD");
    CHECK_EQ_STR(md("abcdef", 3), "abc...", "cut after MAXCHARS");
    CHECK_EQ_STR(md("&amp;", 0), "&amp;amp;", "an entity stays literal");
}

static void test_slug(void)
{
    char s[64];

    jtl_slug(s, sizeof(s), "Requests per second (accepted/429)");
    CHECK_EQ_STR(s, "requests-per-second-accepted-429",
                 "words joined by single dashes, lowercased");
    jtl_slug(s, sizeof(s), "../../etc/passwd");
    CHECK_EQ_STR(s, "etc-passwd", "no dots or slashes survive");
    jtl_slug(s, sizeof(s), "\xC3\xA9\xE2\x80\xA8!!");
    CHECK_EQ_STR(s, "x", "nothing usable gives x");
    jtl_slug(s, 8, "abcdefghijkl");
    CHECK_EQ_STR(s, "abcdefg", "cut to the buffer");

    CHECK(jtl_name_is_safe("chart-01-throughput.svg"), "chart name is safe");
    CHECK(!jtl_name_is_safe("../x"), "parent directory is unsafe");
    CHECK(!jtl_name_is_safe(".hidden"), "leading dot is unsafe");
    CHECK(!jtl_name_is_safe("-rf"), "leading dash is unsafe (option-like)");
    CHECK(!jtl_name_is_safe("a/b"), "slash is unsafe");
    CHECK(!jtl_name_is_safe(""), "empty is unsafe");
    CHECK(!jtl_name_is_safe("a b"), "space is unsafe");
}

int main(void)
{
    test_html();
    test_utf8();
    test_utf8_valid();
    test_gpdata();
    test_md();
    test_slug();
    return CHECK_DONE();
}
