/* SPDX-License-Identifier: MIT
 * gzread_bench.c - the baseline for gzip input: zlib's gzread() of a whole
 * file into a 1 MiB buffer, bytes discarded.  Prints the byte count. */
#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

int main(int argc, char **argv)
{
    static char buf[1 << 20];
    unsigned long long total = 0;
    gzFile gz;
    int n;

    if (argc != 2)
        return 2;
    gz = gzopen(argv[1], "rb");
    if (!gz)
        return 1;
    gzbuffer(gz, 256 * 1024);
    while ((n = gzread(gz, buf, sizeof(buf))) > 0)
        total += (unsigned long long)n;
    gzclose(gz);
    printf("bytes=%llu\n", total);
    return n < 0;
}
