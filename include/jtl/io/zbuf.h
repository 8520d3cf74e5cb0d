/* SPDX-License-Identifier: MIT
 * zbuf.h - a whole buffer as one gzip member and back: the content of the
 * partial states (state.h).  ISA-L when it was built in (several times
 * zlib's speed both ways), else zlib; either reads what the other wrote,
 * and the engine follows jtl_source_use_inflater() (JTLSCOPE_INFLATER).
 * Ownership: OUT belongs to the caller. */
#ifndef JTL_ZBUF_H
#define JTL_ZBUF_H
#include <stdbool.h>
#include <stddef.h>

#include "jtl/base/bin.h"

/* IN[0..N) compressed (fast level) and appended to OUT. */
void jtl_zbuf_compress(const void *in, size_t n, struct jtl_bw *out);
/* IN[0..N), one gzip member, inflated into exactly OUT[0..OUT_LEN): false
 * when it is damaged, longer or shorter, or followed by other bytes. */
bool jtl_zbuf_inflate(const void *in, size_t n, void *out, size_t out_len);

#endif /* JTL_ZBUF_H */
