/* SPDX-License-Identifier: MIT
 * utf8.h - UTF-8 sequences, one at a time or a whole string.  Stateless. */
#ifndef JTL_UTF8_H
#define JTL_UTF8_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed UTF-8 sequence at S (at most N bytes) and its
 * code point in *CP, or 0 when the bytes there are not valid UTF-8 (overlong
 * forms, surrogates and code points above U+10FFFF are invalid). */
size_t jtl_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* Whether the N bytes at S are well-formed UTF-8 (as jtl_utf8_decode). */
bool jtl_utf8_valid(const unsigned char *s, size_t n);

#endif /* JTL_UTF8_H */
