/* SPDX-License-Identifier: MIT
 * fuzz_inflate.c - ISA-L against zlib: a file read with ISA-L (a peek
 * first or not, caps of 1 byte up to 64 KiB) gives zlib's bytes, error
 * and message (zlib read 64 KiB at a time, the reference): members,
 * truncation, trailing garbage, corrupt deflate data, bad trailers.
 * Byte 0 picks the peek size and byte 1 the read cap; the rest is the
 * file, often a gzip stream (seeds), sometimes made one here (byte 1 bit
 * 7: the rest compressed as two members with a changed byte, so that
 * damage lands inside valid deflate data).  In a build without ISA-L the
 * comparison is zlib with itself (the target still replays). */
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
    struct got ref, got;
    size_t peek, cap;
    enum jtl_inflater other = jtl_inflater_name(JTL_INFLATER_ISAL)
                                  ? JTL_INFLATER_ISAL
                                  : JTL_INFLATER_ZLIB;
    FILE *fp;

    if (size < 3)
        return 0;
    if (!path[0])
        snprintf(path, sizeof(path), "/tmp/jtl-fuzz-inflate-%ld",
                 (long)getpid());
    peek = data[0] & 0x80 ? (size_t)(data[0] & 0x7f) * 37 : 0;
    cap = 1 + (size_t)(data[1] & 0x7f) * 513;
    fp = fopen(path, "wb");
    if (!fp)
        return 0;
    if (data[1] & 0x80) {
        /* two members of the rest; byte 2 says which byte of the result
         * to change (0: none) */
        size_t half = (size - 3) / 2, zcap = 2 * size + 64, k, at;
        unsigned char *z = jtl_xmalloc(2 * zcap);
        k = gzip_member(data + 3, half, z, zcap);
        k += gzip_member(data + 3 + half, size - 3 - half, z + k, zcap);
        if (data[2] && k) {
            at = (size_t)data[2] * 131 % k;
            z[at] ^= (unsigned char)(data[2] | 1);
        }
        fwrite(z, 1, k, fp);
        free(z);
    } else {
        fwrite(data + 2, 1, size - 2, fp);
    }
    fclose(fp);

    drain(path, JTL_INFLATER_ZLIB, 0, 65536, &ref);
    drain(path, other, peek, cap, &got);
    if (ref.err != got.err || ref.len != got.len ||
        (ref.len && memcmp(ref.p, got.p, ref.len) != 0) ||
        strcmp(ref.msg, got.msg) != 0) {
        fprintf(stderr,
                "inflate: %s (peek %zu, cap %zu) read %zu bytes (error %d "
                "'%s'), zlib %zu bytes (error %d '%s')\n",
                jtl_inflater_name(other), peek, cap, got.len, (int)got.err,
                got.msg, ref.len, (int)ref.err, ref.msg);
        abort();
    }
    free(ref.p);
    free(got.p);
    return 0;
}
