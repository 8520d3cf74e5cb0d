/* SPDX-License-Identifier: MIT
 * tplfiles.h - the files of templates/, embedded into the binary at build time
 * by cmake/Embed.cmake.  Ownership: static, read-only data. */
#ifndef JTL_TPLFILES_H
#define JTL_TPLFILES_H
#include <stddef.h>

struct jtl_tplfile {
    const char *name;          /* file name inside templates/, NULL ends */
    const unsigned char *data; /* NUL-terminated for convenience */
    size_t len;                /* bytes, without the terminating NUL */
};
extern const struct jtl_tplfile jtl_tplfiles[];
#endif /* JTL_TPLFILES_H */
