/* SPDX-License-Identifier: MIT
 * source.c - plain, gzip and stdin byte sources.
 *
 * Gzip is inflated member by member (inflate.c: ISA-L or zlib) rather than
 * with gzread(): gzread hides the two cases a support engineer must hear
 * about (a stream cut short by a full disk, and garbage after the last
 * member), and we want both reported while keeping every byte that decoded
 * cleanly. */
#include "jtl/io/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inflate.h"
#include "jtl/base/xalloc.h"

#define RAW_CAP (256 * 1024)

/* The inflater of the sources opened from now on (tests compare them). */
static enum jtl_inflater inflater = JTL_INFLATER_AUTO;

struct jtl_source {
    int fd;
    bool own_fd;
    bool gzip;
    bool raw_eof;  /* read() returned 0 */
    bool z_done;   /* clean end of the last member, nothing follows */
    bool z_failed; /* stream damaged; PENDING holds the message */
    char pending[200];
    char *name;
    int64_t size;
    unsigned char *raw; /* raw input buffer */
    size_t raw_len, raw_pos;
    int64_t raw_off; /* the file offset of raw[raw_len] */
    /* the gzip member being read: where it starts in the file, the bytes
     * it gave, and the bytes still to drop when it is read again */
    int64_t member_at;
    uint64_t member_out, skip;
    struct jtl_inflate *z;
    unsigned char *peek; /* decompressed look-ahead */
    size_t peek_len, peek_pos;
};

/* One read() of the file into BUF[CAP]: *GOT bytes, 0 at its end. */
static enum jtl_err read_fd(struct jtl_source *src, unsigned char *buf,
                            size_t cap, size_t *got, struct jtl_diag *diag)
{
    ssize_t r;

    do {
        r = read(src->fd, buf, cap);
    } while (r < 0 && errno == EINTR);
    if (r < 0)
        return jtl_diag_set(diag, JTL_ERR_IO, src->name, "read error: %s",
                            strerror(errno));
    *got = (size_t)r;
    src->raw_off += r;
    if (r == 0)
        src->raw_eof = true;
    return JTL_OK;
}

static enum jtl_err fill_raw(struct jtl_source *src, struct jtl_diag *diag)
{
    enum jtl_err err;
    size_t got;

    if (src->raw_pos < src->raw_len || src->raw_eof)
        return JTL_OK;
    err = read_fd(src, src->raw, RAW_CAP, &got, diag);
    if (err)
        return err;
    src->raw_len = got;
    src->raw_pos = 0;
    return JTL_OK;
}

/* At least K bytes buffered at RAW_POS, unless the file ends first. */
static enum jtl_err want_raw(struct jtl_source *src, size_t k,
                             struct jtl_diag *diag)
{
    while (src->raw_len - src->raw_pos < k && !src->raw_eof) {
        size_t have = src->raw_len - src->raw_pos, got;
        enum jtl_err err;
        memmove(src->raw, src->raw + src->raw_pos, have);
        src->raw_pos = 0;
        src->raw_len = have;
        err = read_fd(src, src->raw + have, RAW_CAP - have, &got, diag);
        if (err)
            return err;
        src->raw_len += got;
    }
    return JTL_OK;
}

/* A member starts at RAW_POS: a header ISA-L would read more leniently
 * than zlib (an unknown method, reserved flag bits) goes to zlib, whose
 * verdict is the reference. */
static void member_starts(struct jtl_source *src)
{
    const unsigned char *h = src->raw + src->raw_pos;
    struct jtl_inflate *z;

    if (jtl_inflate_engine(src->z) != JTL_INFLATER_ISAL ||
        src->raw_len - src->raw_pos < 4 || (h[2] == 8 && !(h[3] & 0xe0)))
        return;
    z = jtl_inflate_new(JTL_INFLATER_ZLIB);
    if (!z)
        return;
    jtl_inflate_free(src->z);
    src->z = z;
}

enum jtl_err jtl_source_open(const char *path, struct jtl_source **out,
                             struct jtl_diag *diag)
{
    struct jtl_source *src;
    struct stat st;
    int fd;
    enum jtl_err err;

    if (strcmp(path, "-") == 0) {
        fd = STDIN_FILENO;
    } else {
        do {
            fd = open(path, O_RDONLY | O_CLOEXEC);
        } while (fd < 0 && errno == EINTR);
        if (fd < 0)
            return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot open '%s': %s",
                                path, strerror(errno));
    }
    if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
        if (fd != STDIN_FILENO)
            close(fd);
        return jtl_diag_set(diag, JTL_ERR_IO, NULL,
                            "cannot read '%s': Is a directory", path);
    }
    src = jtl_xcalloc(1, sizeof(*src));
    src->fd = fd;
    src->own_fd = fd != STDIN_FILENO;
    src->name = jtl_xstrdup(strcmp(path, "-") == 0 ? "<stdin>" : path);
    src->size = S_ISREG(st.st_mode) ? (int64_t)st.st_size : -1;
    src->raw = jtl_xmalloc(RAW_CAP);
    /* where the first gzip member starts, to read it again (stdin
     * redirected from a file need not be at 0) */
    src->raw_off = src->size >= 0 ? lseek(fd, 0, SEEK_CUR) : 0;
    if (src->raw_off < 0)
        src->raw_off = 0;
    src->member_at = src->raw_off;

    /* Sniff the gzip magic without a seek so pipes work too (4 bytes:
     * the magic, the method and the flags). */
    err = want_raw(src, 4, diag);
    if (err) {
        jtl_source_close(src);
        return err;
    }
    if (src->raw_len - src->raw_pos >= 2 && src->raw[src->raw_pos] == 0x1f &&
        src->raw[src->raw_pos + 1] == 0x8b) {
        src->gzip = true;
        src->z = jtl_inflate_new(inflater);
        if (!src->z) {
            jtl_source_close(src);
            return jtl_diag_set(diag, JTL_ERR_IO, path,
                                "cannot start the gzip inflater");
        }
        member_starts(src);
    }
    *out = src;
    return JTL_OK;
}

static enum jtl_err read_plain(struct jtl_source *src, unsigned char *buf,
                               size_t cap, size_t *n, struct jtl_diag *diag)
{
    enum jtl_err err;
    size_t k;

    /* Nothing buffered and a big request: read() straight into the
     * caller's buffer (one copy less per byte on a 1 GB file). */
    if (src->raw_pos == src->raw_len && !src->raw_eof && cap >= RAW_CAP)
        return read_fd(src, buf, cap, n, diag);
    err = fill_raw(src, diag);

    if (err)
        return err;
    k = src->raw_len - src->raw_pos;
    if (k > cap)
        k = cap;
    memcpy(buf, src->raw + src->raw_pos, k);
    src->raw_pos += k;
    *n = k;
    return JTL_OK;
}

static bool at_gzip_magic(struct jtl_source *src)
{
    struct jtl_diag ignored;

    /* Called right after a member ended: a next member's magic, method
     * and flags (a read error here ends the stream like its end) */
    if (want_raw(src, 4, &ignored))
        src->raw_eof = true;
    return src->raw_len - src->raw_pos >= 2 && src->raw[src->raw_pos] == 0x1f &&
           src->raw[src->raw_pos + 1] == 0x8b;
}

/* A gzip problem found after some bytes were inflated is held in PENDING and
 * reported on the next call, so the caller always gets the good data first. */
static enum jtl_err gzip_fail(struct jtl_source *src, const char *msg)
{
    src->z_failed = true;
    snprintf(src->pending, sizeof(src->pending), "%s", msg);
    return JTL_OK;
}

/* ISA-L found the member damaged: read it again from its start with zlib,
 * which gives every byte before the damage (ISA-L drops the block it was
 * decoding), dropping the bytes already given.  Only where the file can
 * be read again (not a pipe).  False: it cannot. */
static bool reread_with_zlib(struct jtl_source *src)
{
    struct jtl_inflate *z;

    if (jtl_inflate_engine(src->z) != JTL_INFLATER_ISAL || src->size < 0 ||
        lseek(src->fd, src->member_at, SEEK_SET) != src->member_at)
        return false;
    z = jtl_inflate_new(JTL_INFLATER_ZLIB);
    if (!z)
        return false;
    jtl_inflate_free(src->z);
    src->z = z;
    src->raw_len = src->raw_pos = 0;
    src->raw_eof = false;
    src->raw_off = src->member_at;
    src->skip = src->member_out;
    return true;
}

static enum jtl_err read_gzip(struct jtl_source *src, unsigned char *buf,
                              size_t cap, size_t *n, struct jtl_diag *diag)
{
    enum jtl_err err;
    size_t made = 0;
    unsigned char scratch[16384];

    *n = 0;
    if (src->z_done || src->z_failed)
        return JTL_OK;
    while (made < cap) {
        size_t in_len, out_len;
        unsigned char *out;
        const char *why = NULL;
        enum jtl_inflate_step step;

        err = fill_raw(src, diag);
        if (err)
            return err;
        in_len = src->raw_len - src->raw_pos;
        if (src->skip) { /* read again: what was given goes nowhere */
            out = scratch;
            out_len = src->skip < sizeof(scratch) ? (size_t)src->skip
                                                  : sizeof(scratch);
        } else {
            out = buf + made;
            out_len = cap - made;
        }
        /* called even with no input left: the inflater may still hold
         * output (a match half copied when the last buffer filled), and a
         * stream cut there must give the same bytes whatever the read
         * sizes (fuzz source crash-9ff7a741: 2 bytes fewer with small
         * reads) */
        step = jtl_inflate_run(src->z, src->raw + src->raw_pos, &in_len, out,
                               &out_len, &why);
        src->raw_pos += in_len;
        if (out == scratch) {
            src->skip -= out_len;
        } else {
            made += out_len;
            src->member_out += out_len;
        }
        if (step == JTL_INFLATE_END) {
            src->skip = 0; /* never into the next member */
            if (at_gzip_magic(src)) {
                jtl_inflate_reset(src->z);
                member_starts(src);
                src->member_at =
                    src->raw_off - (int64_t)(src->raw_len - src->raw_pos);
                src->member_out = 0;
                continue;
            }
            src->z_done = true;
            if (src->raw_pos < src->raw_len)
                gzip_fail(src, "trailing garbage after the gzip data "
                               "(ignored)");
            break;
        }
        if (step == JTL_INFLATE_BAD) {
            char msg[200];
            if (reread_with_zlib(src))
                continue;
            snprintf(msg, sizeof(msg),
                     "corrupt gzip data (%s); the data before it was read",
                     why);
            gzip_fail(src, msg);
            break;
        }
        if (out_len == 0 && in_len == 0 && src->raw_pos == src->raw_len &&
            src->raw_eof) {
            size_t k;
            /* a cut before any byte of the member is zlib's to judge: ISA-L
             * reads some damaged headers as a cut (reading again costs
             * nothing there; later, the two agree on every cut) */
            if (src->member_out == 0 && reread_with_zlib(src))
                continue;
            /* the bytes before the cut, also those held back */
            k = src->skip ? 0
                          : jtl_inflate_release(src->z, buf + made, cap - made);
            if (k) {
                made += k;
                src->member_out += k;
                continue;
            }
            gzip_fail(src, "gzip stream is truncated (unexpected end of "
                           "file); the data before the cut was read");
            break;
        }
    }
    *n = made;
    return JTL_OK;
}

static enum jtl_err read_any(struct jtl_source *src, unsigned char *buf,
                             size_t cap, size_t *n, struct jtl_diag *diag)
{
    enum jtl_err err;

    *n = 0;
    if (src->gzip)
        err = read_gzip(src, buf, cap, n, diag);
    else
        err = read_plain(src, buf, cap, n, diag);
    if (err || *n || !src->pending[0])
        return err;
    err = jtl_diag_set(diag, JTL_ERR_IO, src->name, "%s", src->pending);
    src->pending[0] = '\0';
    return err;
}

enum jtl_err jtl_source_peek(struct jtl_source *src, void *buf, size_t cap,
                             size_t *n, struct jtl_diag *diag)
{
    enum jtl_err err;
    struct jtl_diag d;

    if (!src->peek)
        src->peek = jtl_xmalloc(cap);
    while (src->peek_len < cap) {
        size_t k = 0;
        err = read_any(src, src->peek + src->peek_len, cap - src->peek_len, &k,
                       &d);
        if (err && src->peek_len == 0) {
            /* keep it for the reads too: a caller that gives up on the
             * peek and reads instead must not see a clean, empty file */
            snprintf(src->pending, sizeof(src->pending), "%s", d.msg);
            if (diag)
                *diag = d;
            return err;
        }
        if (err) {
            /* Report it after the peeked bytes have been consumed. */
            snprintf(src->pending, sizeof(src->pending), "%s", d.msg);
            break;
        }
        if (k == 0)
            break;
        src->peek_len += k;
    }
    *n = src->peek_len < cap ? src->peek_len : cap;
    memcpy(buf, src->peek, *n);
    return JTL_OK;
}

enum jtl_err jtl_source_read(struct jtl_source *src, void *buf, size_t cap,
                             size_t *n, struct jtl_diag *diag)
{
    if (src->peek_pos < src->peek_len) {
        size_t k = src->peek_len - src->peek_pos;
        if (k > cap)
            k = cap;
        memcpy(buf, src->peek + src->peek_pos, k);
        src->peek_pos += k;
        *n = k;
        return JTL_OK;
    }
    return read_any(src, buf, cap, n, diag);
}

bool jtl_source_use_inflater(enum jtl_inflater engine)
{
    if (!jtl_inflater_name(engine))
        return false;
    inflater = engine;
    return true;
}

enum jtl_inflater jtl_source_current_inflater(void)
{
    if (inflater != JTL_INFLATER_AUTO)
        return inflater;
    return jtl_inflater_name(JTL_INFLATER_ISAL) ? JTL_INFLATER_ISAL
                                                : JTL_INFLATER_ZLIB;
}

enum jtl_inflater jtl_source_inflater(const struct jtl_source *src)
{
    return src->z ? jtl_inflate_engine(src->z) : JTL_INFLATER_AUTO;
}

bool jtl_source_is_gzip(const struct jtl_source *src)
{
    return src->gzip;
}

const char *jtl_source_name(const struct jtl_source *src)
{
    return src->name;
}

int64_t jtl_source_size(const struct jtl_source *src)
{
    return src->size;
}

void jtl_source_close(struct jtl_source *src)
{
    if (!src)
        return;
    jtl_inflate_free(src->z);
    if (src->own_fd)
        close(src->fd);
    free(src->raw);
    free(src->peek);
    free(src->name);
    free(src);
}
