/* SPDX-License-Identifier: MIT
 * read.c - read every input into a sink: the sequence over the files (and
 * the first pass that finds the start for a relative --from/--to), and for
 * each file the choice between the threaded block reader, read-ahead, and
 * the plain loop. */
#include "jtl/read/read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "jtl/base/xalloc.h"
#include "jtl/io/source.h"
#include "read_internal.h"

#define READ_CHUNK (1024 * 1024)

void jtl_read_opts_init(struct jtl_read_opts *opts)
{
    memset(opts, 0, sizeof(*opts));
    opts->max_warnings = 10;
}

/* How a file's samples are consumed: through the front (filters, counts,
 * the sink, threads where the sink allows), or by FN on one thread (the
 * first pass). */
struct consumer {
    jtl_sample_fn fn; /* NULL: the front */
    void *ctx;
};

/* Decode one file.  Fills FI; returns an error only when the run must stop
 * (--strict, or the sink asked to stop: JTL_ERR_STOPPED, with nothing
 * noted). */
static enum jtl_err read_file(struct read_state *st, const char *path,
                              unsigned index, const struct consumer *to,
                              struct jtl_file_info *fi)
{
    struct jtl_decode_opts opts = st->opts->decode;
    struct jtl_source *src = NULL;
    struct jtl_decoder *dec = NULL;
    struct jtl_diag d = {0};
    jtl_sample_fn fn = to->fn ? to->fn : read_front_sample;
    void *fnctx = to->fn ? to->ctx : st;
    char *buf = NULL;
    size_t n = 0;
    enum jtl_err err, rerr = JTL_OK;

    fi->name = path;
    err = jtl_source_open(path, &src, &d);
    if (err) {
        fi->failed = true;
        goto out;
    }
    st->prev_end = INT64_MIN;
    st->warned = 0;
    fi->gzip = jtl_source_is_gzip(src);
    opts.name = jtl_source_name(src);
    opts.source_index = index;
    opts.warn = read_front_warn;
    opts.warn_ctx = st;
    /* Several threads when the sink can take them: a plain CSV file is
     * decoded in blocks by workers; otherwise reading (gzip inflation)
     * overlaps decoding. */
    if (!to->fn && read_blocks(st, src, &opts, fi, &err, &d) == 0)
        goto decoded;
    err = jtl_decoder_new(&opts, fn, fnctx, &dec, &d);
    if (err) {
        fi->failed = true;
        goto out;
    }
    if (read_ahead(st, src, dec, &err, &rerr, &d) != 0) {
        buf = jtl_xmalloc(READ_CHUNK);
        for (;;) {
            rerr = jtl_source_read(src, buf, READ_CHUNK, &n, &d);
            if (rerr || n == 0)
                break;
            st->bytes += n;
            err = jtl_decoder_feed(dec, buf, n, &d);
            if (err)
                break;
        }
    }
    if (rerr) {
        /* Damaged input after some data: keep what decoded, say so. */
        fi->damaged = true;
        snprintf(fi->error, sizeof(fi->error), "%s", d.msg);
        read_front_damage(st, d.where[0] ? d.where : path, d.msg);
        err = JTL_OK;
    }
    if (!err)
        err = jtl_decoder_finish(dec, &d);
    jtl_decoder_counts(dec, &fi->counts);
decoded:
    /* a stop is not the file's fault: the consumer says why */
    if (err && err != JTL_ERR_STOPPED) {
        fi->failed = fi->counts.samples == 0;
        fi->damaged = !fi->failed;
    }
out:
    if (err && err != JTL_ERR_STOPPED) {
        snprintf(fi->error, sizeof(fi->error), "%s%s%s", d.where,
                 d.where[0] ? ": " : "", d.msg);
        read_front_file_error(st, &d);
    }
    free(buf);
    jtl_decoder_free(dec);
    jtl_source_close(src);
    if (err == JTL_ERR_STOPPED ||
        (err == JTL_ERR_PARSE && st->opts->decode.strict))
        return err;
    return err == JTL_ERR_PARSE && fi->counts.samples ? err : JTL_OK;
}

static int find_start(const struct jtl_sample *s, void *ctx)
{
    int64_t *first = ctx;

    if (JTL_HAS(s, JTL_F_TIMESTAMP) && s->timestamp < *first)
        *first = s->timestamp;
    return 0;
}

/* An offset from the start needs the start: one cheap extra pass, which
 * says nothing (the real pass says it all).  Stdin cannot be read twice. */
static enum jtl_err first_start(const struct jtl_read_opts *opts,
                                int64_t *first, struct jtl_diag *diag)
{
    struct jtl_read_opts quiet = *opts;
    struct jtl_run_info none;
    struct read_state pre;
    struct consumer to = {find_start, first};
    size_t i;

    quiet.note = NULL;
    quiet.progress = NULL;
    *first = INT64_MAX;
    for (i = 0; i < opts->ninputs; i++) {
        struct jtl_file_info tmp = {0};
        if (strcmp(opts->inputs[i], "-") == 0)
            return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                                "a relative --from/--to needs files, not "
                                "stdin; give an absolute time");
        memset(&none, 0, sizeof(none));
        read_front_init(&pre, &quiet, NULL, &none);
        read_file(&pre, opts->inputs[i], (unsigned)i, &to, &tmp);
    }
    if (*first == INT64_MAX)
        *first = 0;
    return JTL_OK;
}

/* Do the files A and B hold the same bytes (both SIZE long)? */
static bool same_bytes(const char *a, const char *b, off_t size)
{
    FILE *fa = fopen(a, "rb"), *fb = fa ? fopen(b, "rb") : NULL;
    char *x = jtl_xmalloc(1 << 16), *y = jtl_xmalloc(1 << 16);
    bool same = fa && fb;
    off_t done = 0;

    while (same && done < size) {
        size_t na = fread(x, 1, 1 << 16, fa), nb = fread(y, 1, 1 << 16, fb);
        same = na == nb && na > 0 && memcmp(x, y, na) == 0;
        done += (off_t)na;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    free(x);
    free(y);
    return same;
}

/* The same input given twice (the same file, a link to it, or a copy)
 * would count every request twice: the later one is read once, named, and
 * left out.  Files of different sizes are never compared. */
static void find_duplicates(const struct jtl_read_opts *opts,
                            struct jtl_run_info *info, struct read_state *st)
{
    struct stat *sb = jtl_xcalloc(opts->ninputs + 1, sizeof(*sb));
    bool *ok = jtl_xcalloc(opts->ninputs + 1, sizeof(*ok));
    size_t i, j;

    for (i = 0; i < opts->ninputs; i++) {
        info->files[i].duplicate_of = -1;
        ok[i] = strcmp(opts->inputs[i], "-") != 0 &&
                stat(opts->inputs[i], &sb[i]) == 0 && S_ISREG(sb[i].st_mode);
    }
    for (i = 1; i < opts->ninputs; i++) {
        for (j = 0; j < i && ok[i]; j++) {
            bool same_file, same;
            char msg[320];
            if (!ok[j] || info->files[j].duplicate_of >= 0 ||
                sb[i].st_size != sb[j].st_size)
                continue;
            same_file =
                sb[i].st_dev == sb[j].st_dev && sb[i].st_ino == sb[j].st_ino;
            same = same_file || (sb[i].st_size > 0 &&
                                 same_bytes(opts->inputs[j], opts->inputs[i],
                                            sb[i].st_size));
            if (!same)
                continue;
            info->files[i].duplicate_of = (long)j;
            snprintf(msg, sizeof(msg),
                     "%s '%s' (given as input %zu): read once, not twice",
                     same_file ? "the same file as" : "the same bytes as",
                     opts->inputs[j], j + 1);
            st->warn(opts->inputs[i], msg, st->warn_ctx);
            break;
        }
    }
    free(sb);
    free(ok);
}

enum jtl_err jtl_read_run(const struct jtl_read_opts *opts,
                          const struct jtl_sink *sink,
                          struct jtl_run_info *info, struct jtl_diag *diag)
{
    const struct jtl_filter *f = &opts->filter;
    struct read_state st;
    struct consumer front = {NULL, NULL};
    enum jtl_err err;
    size_t i, nread = 0;

    memset(info, 0, sizeof(*info));
    info->first_ts = INT64_MAX;
    info->last_end = INT64_MIN;
    info->files =
        jtl_xcalloc(opts->ninputs ? opts->ninputs : 1, sizeof(*info->files));
    info->nfiles = opts->ninputs;
    read_front_init(&st, opts, sink, info);
    err = read_front_filters(&st, diag);
    if (err)
        goto out;
    if ((f->has_from && f->from_rel) || (f->has_to && f->to_rel)) {
        int64_t first;
        err = first_start(opts, &first, diag);
        if (err)
            goto out;
        if (f->has_from)
            st.from = f->from_rel ? first + f->from_ms : f->from_ms;
        if (f->has_to)
            st.to = f->to_rel ? first + f->to_ms : f->to_ms;
    } else {
        if (f->has_from)
            st.from = f->from_ms;
        if (f->has_to)
            st.to = f->to_ms;
    }

    find_duplicates(opts, info, &st);
    for (i = 0; i < opts->ninputs; i++) {
        struct jtl_file_info *fi = &info->files[i];
        if (fi->duplicate_of >= 0) {
            fi->name = opts->inputs[i];
            nread++;
            continue;
        }
        err = read_file(&st, opts->inputs[i], (unsigned)i, &front, fi);
        info->skipped += fi->counts.skipped;
        /* A file that could not be read at all is damage too when other
         * files still produce a report (exit 4, not 0). */
        if (fi->counts.skipped || fi->counts.truncated || fi->damaged ||
            fi->failed)
            info->any_damage = true;
        if (!fi->failed)
            nread++;
        if (err)
            goto out;
    }
    if (nread == 0) {
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "no input could be read");
        goto out;
    }
    if (info->first_ts == INT64_MAX)
        info->first_ts = 0;
    if (info->last_end == INT64_MIN)
        info->last_end = info->first_ts;
out:
    if (err && diag && !diag->msg[0])
        jtl_diag_set(diag, err, NULL, "%s", jtl_strerror(err));
    read_front_release(&st);
    return err;
}

void jtl_run_info_release(struct jtl_run_info *info)
{
    size_t i;

    if (!info)
        return;
    for (i = 0; i < info->nfiles && info->files; i++)
        free(info->files[i].owned_name);
    free(info->files);
    info->files = NULL;
    info->nfiles = 0;
}
