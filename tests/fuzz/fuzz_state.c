/* SPDX-License-Identifier: MIT
 * fuzz_state.c - the partial-state reader (state.h) and what it feeds:
 * any content read into the statistics and the throttling analysis either
 * is refused as damaged or is analysed to the end (jtl_agg_finish,
 * jtl_throttle_finish) without a crash, a leak or undefined behaviour.
 *
 * Checksums guard a real state (the header's, gzip's of each member), so
 * mutated files would mostly test them.  Byte 0 picks the mode: bit 0 the input
 * is a whole file (header, shape, checksum: the header's checks); else the rest
 * is the content of the statistics and of the records (its first 4 bytes: the
 * statistics' length), put here under a good header and checksum, so that
 * mutations reach the decoders of every module.  Bit 1: read it without the
 * statistics, bit 2: without the analysis.  Bit 3: the records in two blocks,
 * cut where the next 2 bytes say (a cut inside a record is damage the reader
 * must find).  Bit 4: every per-request array spilled to a temporary file
 * (--memory 0). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jtl/base/bigmem.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/zbuf.h"
#include "jtl/state/state.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put_member(struct jtl_bw *out, const uint8_t *p, size_t n)
{
    struct jtl_bw z;

    jtl_bw_init(&z);
    jtl_zbuf_compress(p, n, &z);
    jtl_bw_u64(out, n);
    jtl_bw_u64(out, z.len);
    jtl_bw_bytes(out, z.p, z.len);
    jtl_bw_release(&z);
}

/* A file around IN: the header of a real state with these options (made
 * by jtl_state_encode, so it follows the format), then the statistics'
 * member (IN's first 4 bytes: its length) and the records' blocks (the
 * rest: one block, or two when SPLIT), ended by an empty one. */
static void wrap(const uint8_t *in, size_t n, bool split, struct jtl_bw *out,
                 const struct jtl_agg_opts *ao,
                 const struct jtl_throttle_opts *to,
                 const struct jtl_state_shape *shape)
{
    static struct jtl_bw header; /* made once: the options never change */
    size_t a = 0;

    if (!header.len) {
        struct jtl_agg *agg = jtl_agg_new(ao);
        struct jtl_throttle *th = NULL;
        struct jtl_run_info none;
        struct jtl_diag diag = {0};
        struct jtl_bw empty;
        size_t head;
        memset(&none, 0, sizeof(none));
        if (jtl_throttle_new(to, &th, &diag) != JTL_OK)
            abort();
        jtl_bw_init(&empty);
        jtl_state_encode(shape, &none, agg, th, &empty);
        /* magic, version, shape length, shape, the header's CRC-32 */
        head = 20 + ((size_t)empty.p[12] | (size_t)empty.p[13] << 8 |
                     (size_t)empty.p[14] << 16 | (size_t)empty.p[15] << 24);
        jtl_bw_bytes(&header, empty.p, head);
        jtl_bw_release(&empty);
        jtl_agg_free(agg);
        jtl_throttle_free(th);
    }
    jtl_bw_bytes(out, header.p, header.len);
    if (n >= 4) {
        a = (size_t)in[0] | (size_t)in[1] << 8 | (size_t)in[2] << 16 |
            (size_t)in[3] << 24;
        in += 4;
        n -= 4;
    }
    if (a > n)
        a = n;
    put_member(out, in, a);
    in += a;
    n -= a;
    if (split && n >= 2) {
        size_t v = (size_t)in[0] | (size_t)in[1] << 8, cut;
        in += 2;
        n -= 2;
        cut = n ? v % n : 0; /* 0 (one block) to n - 1 */
        if (cut) {
            put_member(out, in, cut);
            in += cut;
            n -= cut;
        }
    }
    if (n)
        put_member(out, in, n);
    jtl_bw_u64(out, 0);
    jtl_bw_u64(out, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jtl_agg_opts ao;
    struct jtl_throttle_opts to;
    struct jtl_state_shape shape;
    struct jtl_state_file f;
    struct jtl_run_info info;
    struct jtl_diag diag = {0};
    struct jtl_agg *agg;
    struct jtl_throttle *th = NULL;
    struct jtl_throttle_result res;
    struct jtl_bw file;
    struct jtl_state_part *part = NULL;
    static char path[64];
    FILE *fp;
    unsigned mode;

    if (size < 1)
        return 0;
    mode = data[0];
    jtl_bigmem_configure(mode & 16 ? 0 : JTL_BIGMEM_UNLIMITED, NULL);
    jtl_agg_opts_init(&ao);
    jtl_throttle_opts_init(&to);
    to.threads = 1;
    ao.refusal_codes[0] = 429;
    ao.refusal_codes[1] = 503;
    ao.nrefusal_codes = 2;
    jtl_state_shape_of(&shape, &ao, &to, "");
    jtl_bw_init(&file);
    if (mode & 1)
        jtl_bw_bytes(&file, data + 1, size - 1);
    else
        wrap(data + 1, size - 1, (mode & 8) != 0, &file, &ao, &to, &shape);
    /* the reader reads files: the state goes through one */
    if (!path[0])
        snprintf(path, sizeof(path), "/tmp/jtl-fuzz-state-%ld", (long)getpid());
    fp = fopen(path, "wb");
    if (!fp) {
        jtl_bw_release(&file);
        return 0;
    }
    if (file.len)
        fwrite(file.p, 1, file.len, fp);
    fclose(fp);
    memset(&f, 0, sizeof(f));
    f.name = path;
    memset(&info, 0, sizeof(info));
    info.first_ts = INT64_MAX;
    info.last_end = INT64_MIN;
    agg = mode & 2 ? NULL : jtl_agg_new(&ao);
    if (!(mode & 4) && jtl_throttle_new(&to, &th, &diag) != JTL_OK)
        abort();
    if (jtl_state_open(&f, &diag) == JTL_OK &&
        jtl_state_check_shape(&f, &shape, JTL_SHAPE_STATS | JTL_SHAPE_THROTTLE,
                              &diag) == JTL_OK &&
        jtl_state_read(&f, agg, th, &part, &diag) == JTL_OK) {
        jtl_state_join(part, &info, agg, th);
        if (agg) {
            jtl_agg_finish(agg);
            if (!jtl_agg_stats(agg))
                abort();
        }
        if (th && info.samples > 0 &&
            jtl_throttle_finish(th, &res, &diag) == JTL_OK)
            jtl_throttle_result_release(&res);
    } else if (!diag.msg[0]) {
        fprintf(stderr, "state: refused without a reason\n");
        abort();
    }
    jtl_state_close(&f);
    jtl_run_info_release(&info);
    jtl_agg_free(agg);
    jtl_throttle_free(th);
    jtl_bw_release(&file);
    return 0;
}
