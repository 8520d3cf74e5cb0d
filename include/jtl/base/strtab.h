/* SPDX-License-Identifier: MIT
 * strtab.h - string interning: labels, thread names, codes and messages repeat
 * millions of times, so each distinct byte string gets a dense uint32_t id.
 * Ownership: the caller embeds struct jtl_strtab; interned bytes live in an
 * arena until jtl_strtab_release().  Returned pointers stay valid until then
 * (interning never moves earlier strings). */
#ifndef JTL_STRTAB_H
#define JTL_STRTAB_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jtl_strtab {
    uint32_t *slots;   /* open addressing: id + 1, 0 = empty */
    size_t nslots;     /* power of two */
    const char **strs; /* id -> bytes (NUL-terminated) */
    size_t *lens;
    uint64_t *hashes;
    size_t count, cap;
    struct jtl_strtab_chunk *arena;
};

void jtl_strtab_init(struct jtl_strtab *t);
void jtl_strtab_release(struct jtl_strtab *t);
/* Id of the bytes S[0..LEN), adding them when new. */
uint32_t jtl_strtab_intern(struct jtl_strtab *t, const char *s, size_t len);
/* Id of S or UINT32_MAX when absent; never adds. */
uint32_t jtl_strtab_find(const struct jtl_strtab *t, const char *s, size_t len);
static inline const char *jtl_strtab_str(const struct jtl_strtab *t,
                                         uint32_t id)
{
    return t->strs[id];
}
static inline size_t jtl_strtab_len(const struct jtl_strtab *t, uint32_t id)
{
    return t->lens[id];
}
static inline size_t jtl_strtab_count(const struct jtl_strtab *t)
{
    return t->count;
}
uint64_t jtl_hash_bytes(const void *p, size_t len);

/* A table in a partial state (state.h): its strings in id order.  LOAD
 * fills an empty table T so that every id is the saved one; false when
 * the input is damaged (a string twice, more than MAX strings). */
struct jtl_bw;
struct jtl_br;
void jtl_strtab_save(const struct jtl_strtab *t, struct jtl_bw *w);
bool jtl_strtab_load(struct jtl_strtab *t, struct jtl_br *r, size_t max);

/* The one order of labels, codes and names in every output: bytes
 * (memcmp), a prefix first.  <0, 0, >0 like memcmp. */
int jtl_bytes_cmp(const char *a, size_t la, const char *b, size_t lb);
/* Sort the N ids IDS of T by their strings in that order; with COUNT (by
 * id), by COUNT descending first.  No global state: safe on any thread. */
void jtl_strtab_sort_ids(const struct jtl_strtab *t, uint32_t *ids, size_t n,
                         const uint64_t *count);

#endif /* JTL_STRTAB_H */
