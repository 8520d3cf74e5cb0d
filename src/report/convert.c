/* SPDX-License-Identifier: MIT
 * convert.c - any JTL (CSV in any dialect, XML, gzip, several files) to one
 * CSV in JMeter 5.x's format.
 *
 * Nothing is invented.  The columns are JMeter's, in CSVSaveService's
 * order, and they are the ones the input has: a JMeter 5.x file gives the
 * 17 default columns, a 2.13 file gives its 12.  A value a sample lacks is
 * an empty field, never a made-up 0.  JMeter's dashboard reads every column
 * it needs by name and defaults only Connect and sentBytes, so a column
 * that no input sample has is left out (the dashboard then behaves as on
 * the original file); jtl_convert_missing() names those it needs.
 *
 * The columns are known only at the end (XML attributes vary per sample),
 * so samples are spooled to an unlinked temporary file next to the output
 * in a compact binary form, then written once the header is known.  Stdin
 * works, and every sample is read once. */
#include "jtl/report/convert.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jtl/base/strtab.h"
#include "jtl/base/xalloc.h"
#include "jtl/report/csvout.h"
#include "jtl/report/outfile.h"

#define NNUMS 11
#define NSTRS 10

/* One sample in the spool: this header, then the string bytes, then per
 * variable an id, a length and the bytes. */
struct spool_rec {
    uint32_t present;
    uint32_t nvars;
    uint8_t success;
    int64_t nums[NNUMS];
    uint32_t slen[NSTRS];
};

struct jtl_convert {
    FILE *spool;
    int werr;               /* errno of a failed spool write, 0 = none */
    uint32_t present;       /* union over the samples */
    struct jtl_strtab vars; /* variable names, first seen first */
    uint64_t rows;
    bool no_subresults;
};

static void sample_strs(const struct jtl_sample *s, struct jtl_str *out)
{
    out[0] = s->label;
    out[1] = s->code;
    out[2] = s->message;
    out[3] = s->thread;
    out[4] = s->data_type;
    out[5] = s->failure_message;
    out[6] = s->url;
    out[7] = s->filename;
    out[8] = s->encoding;
    out[9] = s->hostname;
}

static int spool_add(const struct jtl_sample *s, void *ctx)
{
    struct jtl_convert *c = ctx;
    struct spool_rec r;
    struct jtl_str strs[NSTRS];
    size_t i;

    if (c->no_subresults && s->depth > 0)
        return 0;
    memset(&r, 0, sizeof(r));
    r.present = s->present;
    r.nvars = (uint32_t)s->nvars;
    r.success = s->success;
    r.nums[0] = s->timestamp;
    r.nums[1] = s->elapsed;
    r.nums[2] = s->latency;
    r.nums[3] = s->connect;
    r.nums[4] = s->idle;
    r.nums[5] = s->bytes;
    r.nums[6] = s->sent_bytes;
    r.nums[7] = s->grp_threads;
    r.nums[8] = s->all_threads;
    r.nums[9] = s->sample_count;
    r.nums[10] = s->error_count;
    sample_strs(s, strs);
    for (i = 0; i < NSTRS; i++)
        r.slen[i] = (uint32_t)strs[i].len;
    fwrite(&r, sizeof(r), 1, c->spool);
    for (i = 0; i < NSTRS; i++)
        if (strs[i].len)
            fwrite(strs[i].p, 1, strs[i].len, c->spool);
    for (i = 0; i < s->nvars; i++) {
        uint32_t id =
            jtl_strtab_intern(&c->vars, s->vars[i].name.p, s->vars[i].name.len);
        uint32_t len = (uint32_t)s->vars[i].value.len;
        fwrite(&id, sizeof(id), 1, c->spool);
        fwrite(&len, sizeof(len), 1, c->spool);
        if (len)
            fwrite(s->vars[i].value.p, 1, len, c->spool);
    }
    c->present |= s->present;
    c->rows++;
    if (ferror(c->spool)) {
        c->werr = errno ? errno : EIO;
        return 1;
    }
    return 0;
}

/* Where spooled samples are read back into: the strings and the
 * variable values of one sample in BUF, its variables in VARS (offsets into
 * BUF in OFFS until BUF stops growing). */
struct spool_reader {
    char *buf;
    size_t cap;
    struct jtl_var *vars;
    size_t *offs;
    size_t vcap;
};

static void reader_release(struct spool_reader *rd)
{
    free(rd->buf);
    free(rd->vars);
    free(rd->offs);
}

/* Append N bytes of the spool to RD's buffer at *USED. */
static bool read_bytes(struct jtl_convert *c, struct spool_reader *rd,
                       size_t *used, size_t n)
{
    if (*used + n + 1 > rd->cap) {
        rd->cap = (*used + n + 1) * 2 + 1024;
        rd->buf = jtl_xrealloc(rd->buf, rd->cap);
    }
    if (n && fread(rd->buf + *used, 1, n, c->spool) != n)
        return false;
    *used += n;
    return true;
}

/* Read one spooled sample back into S; its bytes live in RD until the
 * next call. */
static bool spool_next(struct jtl_convert *c, struct jtl_sample *s,
                       struct spool_reader *rd)
{
    struct spool_rec r;
    struct jtl_str *strs[NSTRS];
    size_t i, used = 0, off = 0;

    if (fread(&r, sizeof(r), 1, c->spool) != 1)
        return false;
    memset(s, 0, sizeof(*s));
    s->present = r.present;
    s->success = r.success != 0;
    s->timestamp = r.nums[0];
    s->elapsed = r.nums[1];
    s->latency = r.nums[2];
    s->connect = r.nums[3];
    s->idle = r.nums[4];
    s->bytes = r.nums[5];
    s->sent_bytes = r.nums[6];
    s->grp_threads = (int32_t)r.nums[7];
    s->all_threads = (int32_t)r.nums[8];
    s->sample_count = (int32_t)r.nums[9];
    s->error_count = (int32_t)r.nums[10];
    strs[0] = &s->label;
    strs[1] = &s->code;
    strs[2] = &s->message;
    strs[3] = &s->thread;
    strs[4] = &s->data_type;
    strs[5] = &s->failure_message;
    strs[6] = &s->url;
    strs[7] = &s->filename;
    strs[8] = &s->encoding;
    strs[9] = &s->hostname;
    for (i = 0; i < NSTRS; i++)
        if (!read_bytes(c, rd, &used, r.slen[i]))
            return false;
    if (r.nvars > rd->vcap) {
        rd->vcap = r.nvars;
        rd->vars = jtl_xrealloc(rd->vars, rd->vcap * sizeof(*rd->vars));
        rd->offs = jtl_xrealloc(rd->offs, rd->vcap * sizeof(*rd->offs));
    }
    for (i = 0; i < r.nvars; i++) {
        uint32_t id, len;
        if (fread(&id, sizeof(id), 1, c->spool) != 1 ||
            fread(&len, sizeof(len), 1, c->spool) != 1 ||
            id >= jtl_strtab_count(&c->vars))
            return false;
        rd->offs[i] = used;
        if (!read_bytes(c, rd, &used, len))
            return false;
        rd->vars[i].name.p = jtl_strtab_str(&c->vars, id);
        rd->vars[i].name.len = jtl_strtab_len(&c->vars, id);
        rd->vars[i].value.len = len;
    }
    /* BUF is final now: point into it */
    for (i = 0; i < NSTRS; i++) {
        strs[i]->p = rd->buf + off;
        strs[i]->len = r.slen[i];
        off += r.slen[i];
    }
    for (i = 0; i < r.nvars; i++)
        rd->vars[i].value.p = rd->buf + rd->offs[i];
    s->vars = rd->vars;
    s->nvars = r.nvars;
    return true;
}

/* An unlinked temporary file in the output's directory (big conversions
 * should not land in a small /tmp), or in TMPDIR for stdout and for a
 * device or a pipe (-o /dev/null). */
static enum jtl_err open_spool(const char *output, FILE **out,
                               struct jtl_diag *diag)
{
    char *path;
    const char *dir = getenv("TMPDIR");
    size_t n;
    int fd;
    FILE *fp;

    if (!dir || !*dir)
        dir = "/tmp";
    if (output && strcmp(output, "-") != 0 && !jtl_outfile_in_place(output)) {
        const char *slash = strrchr(output, '/');
        n = (size_t)(slash ? slash - output + 1 : 0);
        path = jtl_xmalloc(n + 32);
        memcpy(path, output, n);
        snprintf(path + n, 32, ".jtlscope-spool.XXXXXX");
    } else {
        n = strlen(dir);
        path = jtl_xmalloc(n + 32);
        snprintf(path, n + 32, "%s/jtlscope-spool.XXXXXX", dir);
    }
    fd = mkstemp(path);
    if (fd < 0) {
        enum jtl_err err = jtl_diag_set(diag, JTL_ERR_IO, NULL,
                                        "cannot create a temporary file "
                                        "'%s': %s",
                                        path, strerror(errno));
        free(path);
        return err;
    }
    unlink(path);
    free(path);
    fp = fdopen(fd, "w+b");
    if (!fp) {
        close(fd);
        return jtl_diag_set(diag, JTL_ERR_IO, NULL,
                            "cannot open a temporary file: %s",
                            strerror(errno));
    }
    *out = fp;
    return JTL_OK;
}

enum jtl_err jtl_convert_new(const char *output, bool no_subresults,
                             struct jtl_convert **out, struct jtl_diag *diag)
{
    struct jtl_convert *c = jtl_xcalloc(1, sizeof(*c));
    enum jtl_err err = open_spool(output, &c->spool, diag);

    if (err) {
        free(c);
        return err;
    }
    setvbuf(c->spool, NULL, _IOFBF, 1 << 20);
    jtl_strtab_init(&c->vars);
    c->no_subresults = no_subresults;
    *out = c;
    return JTL_OK;
}

void jtl_convert_sink(struct jtl_convert *c, struct jtl_sink *sink)
{
    memset(sink, 0, sizeof(*sink));
    sink->add = spool_add;
    sink->ctx = c;
}

int jtl_convert_spool_error(const struct jtl_convert *c)
{
    return c->werr;
}

uint64_t jtl_convert_rows(const struct jtl_convert *c)
{
    return c->rows;
}

uint32_t jtl_convert_missing(const struct jtl_convert *c)
{
    return JTL_CSVOUT_DASHBOARD_NEEDS & ~c->present;
}

enum jtl_err jtl_convert_write(struct jtl_convert *c, FILE *fp,
                               struct jtl_diag *diag)
{
    struct jtl_csvout w = {0};
    struct jtl_sample s;
    struct spool_reader rd = {0};
    const char **names = NULL;
    size_t nv;
    uint64_t i;
    enum jtl_err err = JTL_OK;

    if (fflush(c->spool) != 0 || fseek(c->spool, 0, SEEK_SET) != 0)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL,
                            "cannot read back the temporary file: %s",
                            strerror(errno));
    setvbuf(fp, NULL, _IOFBF, 1 << 20);
    nv = jtl_strtab_count(&c->vars);
    names = jtl_xcalloc(nv ? nv : 1, sizeof(*names));
    for (i = 0; i < nv; i++)
        names[i] = jtl_strtab_str(&c->vars, (uint32_t)i);
    jtl_csvout_init(&w, fp, c->present, names, nv);
    if (jtl_csvout_header(&w) != 0)
        goto write_failed;
    for (i = 0; i < c->rows; i++) {
        if (!spool_next(c, &s, &rd)) {
            err = jtl_diag_set(diag, JTL_ERR_IO, NULL,
                               "cannot read back the temporary file");
            goto out;
        }
        if (jtl_csvout_row(&w, &s) != 0)
            goto write_failed;
    }
    goto out;
write_failed:
    err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "write failed: %s",
                       strerror(errno));
out:
    jtl_csvout_release(&w);
    free(names);
    reader_release(&rd);
    return err;
}

void jtl_convert_free(struct jtl_convert *c)
{
    if (!c)
        return;
    if (c->spool)
        fclose(c->spool);
    jtl_strtab_release(&c->vars);
    free(c);
}
