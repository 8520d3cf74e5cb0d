/* SPDX-License-Identifier: MIT
 * fuzz_source.c - the byte source (plain and gzip: members, truncation,
 * trailing garbage, corrupt deflate data) on arbitrary files: the bytes
 * read, the error and its message must not depend on how the caller reads
 * (a peek first or not, caps of 1 byte up to 64 KiB), and reading must end.
 * Byte 0 picks the peek size and byte 1 the read cap; the rest is the file,
 * often a gzip stream (seeds), sometimes made one by the target (byte 1 bit
 * 7: the rest is compressed here as two members, so the member boundary
 * and the trailer get fuzzed with valid CRCs around them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jtl/base/xalloc.h"
#include "sourcecheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    struct got a, b;
    size_t peek, cap;
    FILE *fp;

    if (size < 2)
        return 0;
    if (!path[0])
        snprintf(path, sizeof(path), "/tmp/jtl-fuzz-source-%ld",
                 (long)getpid());
    peek = data[0] & 0x80 ? (size_t)(data[0] & 0x7f) * 37 : 0;
    cap = 1 + (size_t)(data[1] & 0x7f) * 513;
    fp = fopen(path, "wb");
    if (!fp)
        return 0;
    if (data[1] & 0x80) {
        /* two gzip members of the rest, then its first bytes again raw */
        size_t half = (size - 2) / 2, zcap = 2 * size + 64, k;
        unsigned char *z = jtl_xmalloc(zcap);
        k = gzip_member(data + 2, half, z, zcap);
        fwrite(z, 1, k, fp);
        k = gzip_member(data + 2 + half, size - 2 - half, z, zcap);
        fwrite(z, 1, k, fp);
        fwrite(data + 2, 1, half < 8 ? half : 8, fp);
        free(z);
    } else {
        fwrite(data + 2, 1, size - 2, fp);
    }
    fclose(fp);

    drain(path, JTL_INFLATER_AUTO, peek, cap, &a);
    drain(path, JTL_INFLATER_AUTO, 0, 65536, &b);
    if (a.err != b.err || a.len != b.len ||
        (a.len && memcmp(a.p, b.p, a.len) != 0) || strcmp(a.msg, b.msg) != 0) {
        fprintf(stderr,
                "source: peek %zu, cap %zu read %zu bytes (error %d "
                "'%s'), cap 65536 %zu bytes (error %d '%s')\n",
                peek, cap, a.len, (int)a.err, a.msg, b.len, (int)b.err, b.msg);
        abort();
    }
    free(a.p);
    free(b.p);
    return 0;
}
