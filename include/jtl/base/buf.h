/* SPDX-License-Identifier: MIT
 * buf.h - a growable byte buffer with a hard cap (curl dynbuf).
 * Ownership: the caller embeds struct jtl_buf; jtl_buf_release() frees the
 * bytes.  Any append may move the bytes: pointers into buf.p are invalidated.
 */
#ifndef JTL_BUF_H
#define JTL_BUF_H
#include <stdarg.h>
#include <stddef.h>

#include "jtl/base/error.h"

struct jtl_buf {
    char *p; /* always NUL-terminated once anything was appended */
    size_t len;
    size_t cap;
    size_t max; /* appends beyond this fail with JTL_ERR_LIMIT */
};

void jtl_buf_init(struct jtl_buf *b, size_t max);
void jtl_buf_release(struct jtl_buf *b);
void jtl_buf_clear(struct jtl_buf *b); /* keep the memory, len = 0 */
enum jtl_err jtl_buf_add(struct jtl_buf *b, const void *p, size_t n);
enum jtl_err jtl_buf_adds(struct jtl_buf *b, const char *s);
enum jtl_err jtl_buf_addc(struct jtl_buf *b, char c);
enum jtl_err jtl_buf_printf(struct jtl_buf *b, const char *fmt, ...)
    JTL_PRINTF(2, 3);
enum jtl_err jtl_buf_vprintf(struct jtl_buf *b, const char *fmt, va_list ap)
    JTL_PRINTF(2, 0);
/* Hand the bytes over to the caller (free() them); the buffer is reset. */
char *jtl_buf_detach(struct jtl_buf *b, size_t *len);

#endif /* JTL_BUF_H */
