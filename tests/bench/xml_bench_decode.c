/* SPDX-License-Identifier: MIT
 * xml_bench_decode.c - the measured side of the XML decoder benchmark: the
 * jtlscope XML decoder over a file, fed in 1 MiB chunks read like
 * xml_sax_bare.c reads them, with a callback that only counts.
 * Usage: xml_bench_decode FILE */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "jtl/io/decoder.h"

#define CHUNK (1024 * 1024)

struct tally {
    unsigned long long n, top, elapsed, hdr;
};

static int on_sample(const struct jtl_sample *s, void *ctx)
{
    struct tally *t = ctx;

    t->n++;
    t->top += s->depth == 0;
    t->elapsed += (unsigned long long)s->elapsed;
    t->hdr += s->response_headers.len;
    return 0;
}

int main(int argc, char **argv)
{
    struct jtl_decode_opts o = {0};
    struct jtl_decoder *dec = NULL;
    struct jtl_diag d;
    struct tally t = {0, 0, 0, 0};
    enum jtl_err err = JTL_OK;
    char *buf;
    ssize_t n;
    int fd;

    if (argc != 2) {
        fprintf(stderr, "usage: xml_bench_decode FILE\n");
        return 2;
    }
    fd = open(argv[1], O_RDONLY);
    if (fd < 0) {
        perror(argv[1]);
        return 1;
    }
    buf = malloc(CHUNK);
    o.format = JTL_FORMAT_XML;
    o.name = argv[1];
    jtl_decoder_new(&o, on_sample, &t, &dec, &d);
    while (!err && (n = read(fd, buf, CHUNK)) > 0)
        err = jtl_decoder_feed(dec, buf, (size_t)n, &d);
    if (!err)
        err = jtl_decoder_finish(dec, &d);
    if (err)
        fprintf(stderr, "decode: %s: %s\n", d.where, d.msg);
    fprintf(stderr,
            "decode: %llu samples (%llu top-level), %llu header bytes\n", t.n,
            t.top, t.hdr);
    jtl_decoder_free(dec);
    free(buf);
    close(fd);
    return err ? 1 : 0;
}
