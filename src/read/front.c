/* SPDX-License-Identifier: MIT
 * front.c - what every sample meets before the sink, whichever way its file
 * is read: the time and label filters, the run's counters, the
 * plausibility warnings, and the hand-over of warnings and progress to the
 * caller's callbacks. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jtl/base/utf8.h"
#include "jtl/base/xalloc.h"
#include "read_internal.h"

void read_front_init(struct read_state *st, const struct jtl_read_opts *opts,
                     const struct jtl_sink *sink, struct jtl_run_info *info)
{
    memset(st, 0, sizeof(*st));
    st->opts = opts;
    st->sink = sink;
    st->info = info;
    st->from = INT64_MIN;
    st->to = INT64_MAX;
    st->progress = opts->progress != NULL;
    st->now_ms = (int64_t)time(NULL) * 1000;
    st->prev_end = INT64_MIN;
    st->warn = read_front_warn;
    st->warn_ctx = st;
}

enum jtl_err read_front_filters(struct read_state *st, struct jtl_diag *diag)
{
    const struct jtl_filter *f = &st->opts->filter;
    enum jtl_regex_mode mode =
        f->whole_match ? JTL_REGEX_WHOLE : JTL_REGEX_SEARCH;
    enum jtl_err err = JTL_OK;

    if (f->include)
        err = jtl_regex_new(f->include, mode, "--include", &st->include, diag);
    if (!err && f->exclude)
        err = jtl_regex_new(f->exclude, mode, "--exclude", &st->exclude, diag);
    return err;
}

void read_front_release(struct read_state *st)
{
    jtl_regex_free(st->include);
    jtl_regex_free(st->exclude);
    st->include = st->exclude = NULL;
}

void read_front_warn(const char *where, const char *msg, void *ctx)
{
    struct read_state *st = ctx;
    const struct jtl_read_opts *o = st->opts;

    st->info->warnings++;
    if (st->info->warnings > o->max_warnings || !o->note)
        return;
    st->info->warnings_delivered++;
    o->note(JTL_NOTE_WARNING, where, msg, o->cb_ctx);
}

void read_front_damage(struct read_state *st, const char *where,
                       const char *msg)
{
    const struct jtl_read_opts *o = st->opts;

    st->info->warnings++;
    if (!o->note)
        return;
    st->info->warnings_delivered++;
    o->note(JTL_NOTE_WARNING, where, msg, o->cb_ctx);
}

void read_front_file_error(struct read_state *st, const struct jtl_diag *d)
{
    const struct jtl_read_opts *o = st->opts;

    if (o->note)
        o->note(JTL_NOTE_FILE_ERROR, d->where,
                d->msg[0] ? d->msg : jtl_strerror(d->code), o->cb_ctx);
}

void read_front_progress(struct read_state *st, uint64_t rows)
{
    if (!st->progress)
        return;
    st->rows = rows;
    st->opts->progress(st->bytes, st->rows, st->opts->cb_ctx);
}

static void warn_line(struct read_state *st, const char *file, uint64_t line,
                      unsigned kind, const char *fmt, ...) JTL_PRINTF(5, 6);
static void warn_line(struct read_state *st, const char *file, uint64_t line,
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

void read_front_warn_back(struct read_state *st, const char *file,
                          uint64_t line, int64_t prev_end, int64_t end)
{
    char t1[64], t2[64];

    if (prev_end == INT64_MIN || end >= prev_end - 300000 ||
        (st->warned & READ_W_BACK))
        return;
    fmt_utc(prev_end, t1, sizeof(t1));
    fmt_utc(end, t2, sizeof(t2));
    warn_line(st, file, line, READ_W_BACK,
              "time goes back %" PRId64 " s (a sample ending at %s follows "
              "one ending at %s): files appended, or a clock change?",
              (prev_end - end) / 1000, t2, t1);
}

/* Readable but implausible: say so once per file and kind, naming the
 * line: epoch seconds instead of milliseconds, times near 1970 (relative
 * times?), times in the future, a jump backwards (files appended, a clock
 * change), labels that are not UTF-8 (a Latin-1 file).  Only warnings: the
 * values are kept as written. */
static void check_sample(struct read_state *st, const struct jtl_sample *s)
{
    char t1[64];
    int64_t end;

    if (!(st->warned & READ_W_UTF8) &&
        !jtl_utf8_valid((const unsigned char *)s->label.p, s->label.len)) {
        char shown[64];
        size_t k, n = s->label.len < 40 ? s->label.len : 40;
        for (k = 0; k < n; k++) {
            unsigned char c = (unsigned char)s->label.p[k];
            shown[k] = c < 0x20 || c >= 0x7f ? '?' : (char)c;
        }
        shown[n] = '\0';
        warn_line(st, s->file, s->line, READ_W_UTF8,
                  "label '%s' is not valid UTF-8 (a Latin-1 or "
                  "Windows-1252 file?); invalid bytes are shown as U+FFFD",
                  shown);
    }
    if (!JTL_HAS(s, JTL_F_TIMESTAMP))
        return;
    if (s->timestamp < INT64_C(100000000000) && !(st->warned & READ_W_EPOCH)) {
        fmt_utc(s->timestamp, t1, sizeof(t1));
        if (s->timestamp >= INT64_C(1000000000))
            warn_line(st, s->file, s->line, READ_W_EPOCH,
                      "timeStamp %" PRId64 " looks like epoch seconds, not "
                      "milliseconds (read as ms it is %s); durations and "
                      "rates will be off by 1000x",
                      s->timestamp, t1);
        else
            warn_line(st, s->file, s->line, READ_W_EPOCH,
                      "timeStamp %" PRId64 " is not an epoch time (%s): "
                      "relative times?",
                      s->timestamp, t1);
    }
    if (s->timestamp > st->now_ms + 86400000 && !(st->warned & READ_W_FUTURE)) {
        fmt_utc(s->timestamp, t1, sizeof(t1));
        warn_line(st, s->file, s->line, READ_W_FUTURE,
                  "timeStamp %" PRId64 " (%s) is in the future; is the load "
                  "generator's clock right?",
                  s->timestamp, t1);
    }
    /* JMeter writes a sample when it ends: end times go forward, give or
     * take the jitter between threads.  The first sample of a worker's
     * block is compared with the block before it when the workers are
     * drained (read_blocks.c). */
    end = s->timestamp + (JTL_HAS(s, JTL_F_ELAPSED) ? s->elapsed : 0);
    if (st->blk && !st->blk->has) {
        st->blk->has = true;
        st->blk->first_end = end;
        st->blk->first_line = s->line;
        st->blk->first_seq = *st->blk->seq;
        st->blk->file = s->file;
    } else if (!(st->warned & READ_W_BACK)) {
        read_front_warn_back(st, s->file, s->line, st->prev_end, end);
    }
    st->prev_end = end;
    if (st->blk)
        st->blk->last_end = end;
}

int read_front_sample(const struct jtl_sample *s, void *ctx)
{
    struct read_state *st = ctx;
    struct jtl_run_info *info = st->info;

    st->rows++;
    check_sample(st, s);
    if (st->progress && (st->rows & 0xFFFF) == 0)
        st->opts->progress(st->bytes, st->rows, st->opts->cb_ctx);
    if (JTL_HAS(s, JTL_F_TIMESTAMP) &&
        (s->timestamp < st->from || s->timestamp > st->to)) {
        info->filtered++;
        return 0;
    }
    if (st->include &&
        !jtl_regex_match(st->include, s->label.p, s->label.len)) {
        info->filtered++;
        return 0;
    }
    if (st->exclude && jtl_regex_match(st->exclude, s->label.p, s->label.len)) {
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
