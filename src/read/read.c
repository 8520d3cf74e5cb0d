/* SPDX-License-Identifier: MIT
 * pipeline.c - read every input into a sink, applying the filters. */
#include "jtl/read/read.h"

#include <inttypes.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "jtl/io/source.h"
#include "jtl/base/utf8.h"
#include "jtl/base/xalloc.h"
#include "read_internal.h"

#define READ_CHUNK (1024 * 1024)

void jtl_config_init(struct jtl_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->max_warnings = 10;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void jtl_pipe_on_warn(const char *where, const char *msg, void *ctx)
{
    struct run_state *st = ctx;

    st->info->warnings++;
    if (st->cfg->quiet || st->info->warnings > st->cfg->max_warnings)
        return;
    if (st->progress)
        fputs("\r\033[K", stderr);
    fprintf(stderr, "jtlscope: %s: %s\n", where, msg);
}

static bool label_matches(struct run_state *st, const regex_t *re,
                          struct jtl_str label)
{
    if (label.len + 1 > st->label_cap) {
        st->label_cap = label.len + 64;
        st->label_buf = jtl_xrealloc(st->label_buf, st->label_cap);
    }
    memcpy(st->label_buf, label.p, label.len);
    st->label_buf[label.len] = '\0';
    return regexec(re, st->label_buf, 0, NULL, 0) == 0;
}

static void show_progress(struct run_state *st)
{
    double t = now_s();
    double dt = t - st->t_start;
    uint64_t off = st->bytes;

    if (t - st->t_last < 0.25)
        return;
    st->t_last = t;
    fprintf(stderr, "\r\033[Kjtlscope: %.1f MB, %" PRIu64 " rows, %.1f MB/s, "
            "%.0f rows/s", (double)off / 1e6, st->rows,
            dt > 0 ? (double)off / 1e6 / dt : 0.0,
            dt > 0 ? (double)st->rows / dt : 0.0);
}

void jtl_pipe_progress(struct run_state *st, uint64_t rows)
{
    if (!st->progress)
        return;
    st->rows = rows;
    show_progress(st);
}

static void warn_line(struct run_state *st, const char *file, uint64_t line,
                      unsigned kind, const char *fmt, ...) JTL_PRINTF(5, 6);
static void warn_line(struct run_state *st, const char *file, uint64_t line,
                      unsigned kind, const char *fmt, ...)
{
    char where[160], msg[320];
    va_list ap;

    st->warned |= kind;
    snprintf(where, sizeof(where), "%s:%" PRIu64, file ? file : "-", line);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st->once = kind;
    st->warn(where, msg, st->warn_ctx);
    st->once = 0;
}

static void fmt_utc(int64_t ms, char *buf, size_t cap)
{
    time_t t = (time_t)(ms / 1000 - (ms % 1000 < 0));
    struct tm tm;

    if (!gmtime_r(&t, &tm) || !strftime(buf, cap, "%Y-%m-%d %H:%M:%S UTC", &tm))
        snprintf(buf, cap, "?");
}

/* Labels are nearly always ASCII: look for a high byte first. */
static bool utf8_valid(struct jtl_str s)
{
    const unsigned char *p = (const unsigned char *)s.p;
    size_t i = 0, k;
    uint32_t cp;

    while (i < s.len && p[i] < 0x80)
        i++;
    while (i < s.len) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        k = jtl_utf8_decode(p + i, s.len - i, &cp);
        if (!k)
            return false;
        i += k;
    }
    return true;
}

/* Readable but implausible: say so once per file and kind, naming the
 * line: epoch seconds instead of milliseconds, times near 1970 (relative
 * times?), times in the future, a jump backwards (files appended, a clock
 * change), labels that are not UTF-8 (a Latin-1 file).  Only warnings: the
 * values are kept as written. */
static void check_sample(struct run_state *st, const struct jtl_sample *s)
{
    char t1[64];
    int64_t end;

    if (!(st->warned & JTL_PIPE_W_UTF8) && !utf8_valid(s->label)) {
        char shown[64];
        size_t k, n = s->label.len < 40 ? s->label.len : 40;
        for (k = 0; k < n; k++) {
            unsigned char c = (unsigned char)s->label.p[k];
            shown[k] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
        }
        shown[n] = '\0';
        warn_line(st, s->file, s->line, JTL_PIPE_W_UTF8,
                    "label '%s' is not valid UTF-8 (a Latin-1 or "
                    "Windows-1252 file?); invalid bytes are shown as U+FFFD",
                    shown);
    }
    if (!JTL_HAS(s, JTL_F_TIMESTAMP))
        return;
    if (s->timestamp < INT64_C(100000000000) &&
        !(st->warned & JTL_PIPE_W_EPOCH)) {
        fmt_utc(s->timestamp, t1, sizeof(t1));
        if (s->timestamp >= INT64_C(1000000000))
            warn_line(st, s->file, s->line, JTL_PIPE_W_EPOCH,
                        "timeStamp %" PRId64 " looks like epoch seconds, not "
                        "milliseconds (read as ms it is %s); durations and "
                        "rates will be off by 1000x",
                        s->timestamp, t1);
        else
            warn_line(st, s->file, s->line, JTL_PIPE_W_EPOCH,
                        "timeStamp %" PRId64 " is not an epoch time (%s): "
                        "relative times?",
                        s->timestamp, t1);
    }
    if (s->timestamp > st->now_ms + 86400000 &&
        !(st->warned & JTL_PIPE_W_FUTURE)) {
        fmt_utc(s->timestamp, t1, sizeof(t1));
        warn_line(st, s->file, s->line, JTL_PIPE_W_FUTURE,
                    "timeStamp %" PRId64 " (%s) is in the future; is the load "
                    "generator's clock right?",
                    s->timestamp, t1);
    }
    /* JMeter writes a sample when it ends: end times go forward, give or
     * take the jitter between threads.  The first sample of a worker's
     * block is compared with the block before it in drain(). */
    end = s->timestamp + (JTL_HAS(s, JTL_F_ELAPSED) ? s->elapsed : 0);
    if (st->blk && !st->blk->has) {
        st->blk->has = true;
        st->blk->first_end = end;
        st->blk->first_line = s->line;
        st->blk->first_seq = *st->blk->seq;
        st->blk->file = s->file;
    } else if (!(st->warned & JTL_PIPE_W_BACK)) {
        jtl_pipe_warn_back(st, s->file, s->line, st->prev_end, end);
    }
    st->prev_end = end;
    if (st->blk)
        st->blk->last_end = end;
}

void jtl_pipe_warn_back(struct run_state *st, const char *file, uint64_t line,
                        int64_t prev_end, int64_t end)
{
    char t1[64], t2[64];

    if (prev_end == INT64_MIN || end >= prev_end - 300000 ||
        (st->warned & JTL_PIPE_W_BACK))
        return;
    fmt_utc(prev_end, t1, sizeof(t1));
    fmt_utc(end, t2, sizeof(t2));
    warn_line(st, file, line, JTL_PIPE_W_BACK,
              "time goes back %" PRId64 " s (a sample ending at %s follows "
              "one ending at %s): files appended, or a clock change?",
              (prev_end - end) / 1000, t2, t1);
}

int jtl_pipe_on_sample(const struct jtl_sample *s, void *ctx)
{
    struct run_state *st = ctx;
    struct jtl_run_info *info = st->info;

    st->rows++;
    check_sample(st, s);
    if (st->progress && (st->rows & 0xFFFF) == 0)
        show_progress(st);
    if (JTL_HAS(s, JTL_F_TIMESTAMP) &&
        (s->timestamp < st->from || s->timestamp > st->to)) {
        info->filtered++;
        return 0;
    }
    if (st->has_include && !label_matches(st, &st->include, s->label)) {
        info->filtered++;
        return 0;
    }
    if (st->has_exclude && label_matches(st, &st->exclude, s->label)) {
        info->filtered++;
        return 0;
    }
    info->samples++;
    if (JTL_HAS(s, JTL_F_TIMESTAMP)) {
        int64_t end = s->timestamp + (s->elapsed > 0 ? s->elapsed : 0);
        if (s->timestamp < info->first_ts)
            info->first_ts = s->timestamp;
        if (end > info->last_end)
            info->last_end = end;
    }
    return st->sink->add(s, st->sink->ctx);
}

/* Decode one file into FN.  Fills FI; returns an error only when the run
 * must stop (--strict, or the sink asked to stop: JTL_ERR_STOPPED, with
 * nothing printed). */
static enum jtl_err read_file(struct run_state *st, const char *path,
                              unsigned index, jtl_sample_fn fn, void *fnctx,
                              struct jtl_file_info *fi)
{
    struct jtl_decode_opts opts = st->cfg->decode;
    struct jtl_source *src = NULL;
    struct jtl_decoder *dec = NULL;
    struct jtl_diag d = {0};
    char *buf = NULL;
    size_t n = 0;
    enum jtl_err err, rerr = JTL_OK;

    fi->name = path;
    err = jtl_source_open(path, &src, &d);
    if (err) {
        fi->failed = true;
        goto out;
    }
    st->src = src;
    st->prev_end = INT64_MIN;
    st->warned = 0;
    fi->gzip = jtl_source_is_gzip(src);
    opts.name = jtl_source_name(src);
    opts.source_index = index;
    opts.warn = jtl_pipe_on_warn;
    opts.warn_ctx = st;
    /* Several threads when the sink can take them: a plain CSV file is
     * decoded in blocks by workers; otherwise reading (gzip inflation)
     * overlaps decoding. */
    if (fn == jtl_pipe_on_sample &&
        jtl_pipe_read_parallel(st, src, &opts, fi, &err, &d) == 0)
        goto decoded;
    err = jtl_decoder_new(&opts, fn, fnctx, &dec, &d);
    if (err) {
        fi->failed = true;
        goto out;
    }
    if (jtl_pipe_read_overlap(st, src, dec, fi, &err, &rerr, &d) != 0) {
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
        jtl_pipe_on_warn(d.where[0] ? d.where : path, d.msg, st);
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
        jtl_diag_print(&d);
    }
    st->src = NULL;
    free(buf);
    jtl_decoder_free(dec);
    jtl_source_close(src);
    if (err == JTL_ERR_STOPPED ||
        (err == JTL_ERR_PARSE && st->cfg->decode.strict))
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

enum jtl_err jtl_pipeline_run(const struct jtl_config *cfg,
                              const struct jtl_sink *sink,
                              struct jtl_run_info *info,
                              struct jtl_diag *diag)
{
    struct run_state st;
    enum jtl_err err = JTL_OK;
    size_t i, nread = 0;
    int rc;

    memset(info, 0, sizeof(*info));
    info->first_ts = INT64_MAX;
    info->last_end = INT64_MIN;
    info->files = jtl_xcalloc(cfg->ninputs ? cfg->ninputs : 1,
                              sizeof(*info->files));
    info->nfiles = cfg->ninputs;
    memset(&st, 0, sizeof(st));
    st.cfg = cfg;
    st.sink = sink;
    st.info = info;
    st.from = INT64_MIN;
    st.to = INT64_MAX;
    st.progress = cfg->progress;
    st.t_start = st.t_last = now_s();
    st.now_ms = (int64_t)time(NULL) * 1000;
    st.warn = jtl_pipe_on_warn;
    st.warn_ctx = &st;

    if (cfg->filter.include) {
        rc = regcomp(&st.include, cfg->filter.include, REG_EXTENDED | REG_NOSUB);
        if (rc)
            return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                                "invalid --include regex '%s'",
                                cfg->filter.include);
        st.has_include = true;
    }
    if (cfg->filter.exclude) {
        rc = regcomp(&st.exclude, cfg->filter.exclude, REG_EXTENDED | REG_NOSUB);
        if (rc) {
            err = jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                               "invalid --exclude regex '%s'",
                               cfg->filter.exclude);
            goto out;
        }
        st.has_exclude = true;
    }
    if ((cfg->filter.has_from && cfg->filter.from_rel) ||
        (cfg->filter.has_to && cfg->filter.to_rel)) {
        /* An offset from the start needs the start: one cheap extra pass.
         * stdin cannot be read twice. */
        int64_t first = INT64_MAX;
        struct run_state pre = st;
        pre.progress = false;
        for (i = 0; i < cfg->ninputs; i++) {
            struct jtl_file_info tmp = {0};
            if (strcmp(cfg->inputs[i], "-") == 0) {
                err = jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                                   "a relative --from/--to needs files, not "
                                   "stdin; give an absolute time");
                goto out;
            }
            pre.info = &(struct jtl_run_info){0};
            pre.cfg = &(struct jtl_config){.quiet = true,
                                           .decode = cfg->decode};
            read_file(&pre, cfg->inputs[i], (unsigned)i, find_start, &first,
                      &tmp);
        }
        if (first == INT64_MAX)
            first = 0;
        if (cfg->filter.has_from)
            st.from = cfg->filter.from_rel ? first + cfg->filter.from_ms
                                           : cfg->filter.from_ms;
        if (cfg->filter.has_to)
            st.to = cfg->filter.to_rel ? first + cfg->filter.to_ms
                                       : cfg->filter.to_ms;
    } else {
        if (cfg->filter.has_from)
            st.from = cfg->filter.from_ms;
        if (cfg->filter.has_to)
            st.to = cfg->filter.to_ms;
    }

    for (i = 0; i < cfg->ninputs; i++) {
        struct jtl_file_info *fi = &info->files[i];
        err = read_file(&st, cfg->inputs[i], (unsigned)i, jtl_pipe_on_sample, &st, fi);
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
    if (st.progress)
        fputs("\r\033[K", stderr);
    if (info->warnings > cfg->max_warnings && !cfg->quiet)
        fprintf(stderr, "jtlscope: %" PRIu64 " more warnings not shown\n",
                info->warnings - cfg->max_warnings);
    if (info->skipped && !cfg->quiet)
        fprintf(stderr, "jtlscope: warning: %" PRIu64 " malformed records "
                "skipped\n", info->skipped);
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
    if (st.has_include)
        regfree(&st.include);
    if (st.has_exclude)
        regfree(&st.exclude);
    free(st.label_buf);
    return err;
}

void jtl_run_info_release(struct jtl_run_info *info)
{
    if (!info)
        return;
    free(info->files);
    info->files = NULL;
    info->nfiles = 0;
}

enum jtl_err jtl_run_info_check(const struct jtl_run_info *info, bool quiet)
{
    if (info->samples == 0 && info->filtered == 0) {
        fprintf(stderr, "jtlscope: no sample in the input\n");
        return JTL_ERR_EMPTY;
    }
    if (info->samples == 0 && !quiet)
        fprintf(stderr, "jtlscope: warning: every sample was filtered out\n");
    return JTL_OK;
}
