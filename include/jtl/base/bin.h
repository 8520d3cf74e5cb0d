/* SPDX-License-Identifier: MIT
 * bin.h - a little-endian byte writer and a bounds-checked reader, for the
 * partial states (state.h): every module writes its own part with these.
 *
 * The reader never reads past its end and never trusts a count: a get
 * past the end, or a count larger than what is left could hold, sets
 * BAD (sticky) and returns zeros from then on, so a loader reads on and
 * checks BAD once at the end of a part (the zstd/jq habit of one error
 * state instead of a check per field).
 * Ownership: struct jtl_bw owns its bytes (jtl_bw_release); struct jtl_br
 * borrows them. */
#ifndef JTL_BIN_H
#define JTL_BIN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jtl_bw {
    unsigned char *p;
    size_t len, cap;
    /* Optional, for a stream too large to hold: at jtl_bw_flush_point(),
     * once LEN reaches FLUSH_AT, FLUSH takes the bytes and sets LEN to 0.
     * The writer puts flush points only where a block may end (between
     * two records), so a reader never sees a record cut in two. */
    void (*flush)(struct jtl_bw *w, void *ctx);
    void *flush_ctx;
    size_t flush_at;
};

void jtl_bw_init(struct jtl_bw *w);
void jtl_bw_release(struct jtl_bw *w);
void jtl_bw_bytes(struct jtl_bw *w, const void *p, size_t n);
void jtl_bw_u8(struct jtl_bw *w, unsigned v);
void jtl_bw_u32(struct jtl_bw *w, uint32_t v);
void jtl_bw_u64(struct jtl_bw *w, uint64_t v);
void jtl_bw_i64(struct jtl_bw *w, int64_t v);
void jtl_bw_f64(struct jtl_bw *w, double v);
/* Unsigned LEB128: counts and ids, mostly small. */
void jtl_bw_uv(struct jtl_bw *w, uint64_t v);
/* Zigzag then LEB128: small signed numbers (time deltas). */
void jtl_bw_sv(struct jtl_bw *w, int64_t v);
/* Length (LEB128) and bytes. */
void jtl_bw_str(struct jtl_bw *w, const char *s, size_t n);
/* A place where the bytes so far may be handed to W's FLUSH. */
void jtl_bw_flush_point(struct jtl_bw *w);

struct jtl_br {
    const unsigned char *p, *end;
    bool bad;
    /* Optional, the reading side of FLUSH: at jtl_br_boundary(), when this
     * block is used up, REFILL loads the next one (false: there is none,
     * or it is damaged, then it sets BAD).  AFTER: the bytes of the blocks
     * still to come, so that a count is bounded by the whole stream. */
    bool (*refill)(struct jtl_br *r, void *ctx);
    void *refill_ctx;
    uint64_t after;
};

void jtl_br_init(struct jtl_br *r, const void *p, size_t n);
size_t jtl_br_left(const struct jtl_br *r);
/* N bytes, or NULL (BAD) when fewer are left. */
const void *jtl_br_bytes(struct jtl_br *r, size_t n);
unsigned jtl_br_u8(struct jtl_br *r);
uint32_t jtl_br_u32(struct jtl_br *r);
uint64_t jtl_br_u64(struct jtl_br *r);
int64_t jtl_br_i64(struct jtl_br *r);
double jtl_br_f64(struct jtl_br *r);
uint64_t jtl_br_uv(struct jtl_br *r);
int64_t jtl_br_sv(struct jtl_br *r);
/* A string written by jtl_bw_str: borrowed bytes, *N their length. */
const char *jtl_br_str(struct jtl_br *r, size_t *n);
/* A count of items that take at least MIN_BYTES each in the input: BAD
 * (and 0) when the rest of the input could not hold that many, so a
 * loader may allocate COUNT items without trusting the file.  MAX caps
 * it as well (0: no cap). */
size_t jtl_br_count(struct jtl_br *r, size_t min_bytes, size_t max);
/* An unsigned value below LIMIT, else BAD and 0. */
uint64_t jtl_br_below(struct jtl_br *r, uint64_t limit);
/* A place where a block may end: a used-up block is replaced by the next
 * (REFILL), if any. */
void jtl_br_boundary(struct jtl_br *r);

#endif /* JTL_BIN_H */
