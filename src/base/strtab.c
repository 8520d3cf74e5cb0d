/* SPDX-License-Identifier: MIT
 * strtab.c - open-addressing intern table over an append-only arena. */
#include "jtl/base/strtab.h"

#include <stdlib.h>
#include <string.h>

#include "jtl/base/bin.h"
#include "jtl/base/xalloc.h"

struct jtl_strtab_chunk {
    struct jtl_strtab_chunk *next;
    size_t used, cap;
    char data[];
};

/* FNV-1a over 8-byte words would be faster, but labels are short and the
 * byte loop keeps the hash independent of alignment and endianness. */
uint64_t jtl_hash_bytes(const void *p, size_t len)
{
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ULL;
    size_t i;

    for (i = 0; i < len; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

void jtl_strtab_init(struct jtl_strtab *t)
{
    memset(t, 0, sizeof(*t));
}

void jtl_strtab_release(struct jtl_strtab *t)
{
    struct jtl_strtab_chunk *c, *next;

    if (!t)
        return;
    for (c = t->arena; c; c = next) {
        next = c->next;
        free(c);
    }
    free(t->slots);
    free(t->strs);
    free(t->lens);
    free(t->hashes);
    memset(t, 0, sizeof(*t));
}

static char *arena_copy(struct jtl_strtab *t, const char *s, size_t len)
{
    struct jtl_strtab_chunk *c = t->arena;
    char *d;

    if (!c || c->cap - c->used < len + 1) {
        size_t cap = len + 1 > 65536 ? len + 1 : 65536;
        c = jtl_xmalloc(sizeof(*c) + cap);
        c->used = 0;
        c->cap = cap;
        c->next = t->arena;
        t->arena = c;
    }
    d = c->data + c->used;
    memcpy(d, s, len);
    d[len] = '\0';
    c->used += len + 1;
    return d;
}

static void rehash(struct jtl_strtab *t, size_t nslots)
{
    uint32_t *slots = jtl_xcalloc(nslots, sizeof(*slots));
    size_t i;

    for (i = 0; i < t->count; i++) {
        size_t j = (size_t)t->hashes[i] & (nslots - 1);
        while (slots[j])
            j = (j + 1) & (nslots - 1);
        slots[j] = (uint32_t)i + 1;
    }
    free(t->slots);
    t->slots = slots;
    t->nslots = nslots;
}

uint32_t jtl_strtab_find(const struct jtl_strtab *t, const char *s, size_t len)
{
    uint64_t h;
    size_t j;

    if (!t->nslots)
        return UINT32_MAX;
    h = jtl_hash_bytes(s, len);
    for (j = (size_t)h & (t->nslots - 1); t->slots[j];
         j = (j + 1) & (t->nslots - 1)) {
        uint32_t id = t->slots[j] - 1;
        if (t->hashes[id] == h && t->lens[id] == len &&
            memcmp(t->strs[id], s, len) == 0)
            return id;
    }
    return UINT32_MAX;
}

uint32_t jtl_strtab_intern(struct jtl_strtab *t, const char *s, size_t len)
{
    uint64_t h;
    size_t j;
    uint32_t id;

    if (!s)
        s = "";
    if ((t->count + 1) * 2 > t->nslots)
        rehash(t, t->nslots ? t->nslots * 2 : 64);
    h = jtl_hash_bytes(s, len);
    for (j = (size_t)h & (t->nslots - 1); t->slots[j];
         j = (j + 1) & (t->nslots - 1)) {
        id = t->slots[j] - 1;
        if (t->hashes[id] == h && t->lens[id] == len &&
            memcmp(t->strs[id], s, len) == 0)
            return id;
    }
    if (t->count == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 64;
        t->strs = jtl_xrealloc(t->strs, cap * sizeof(*t->strs));
        t->lens = jtl_xrealloc(t->lens, cap * sizeof(*t->lens));
        t->hashes = jtl_xrealloc(t->hashes, cap * sizeof(*t->hashes));
        t->cap = cap;
    }
    id = (uint32_t)t->count++;
    t->strs[id] = arena_copy(t, s, len);
    t->lens[id] = len;
    t->hashes[id] = h;
    t->slots[j] = id + 1;
    return id;
}

int jtl_bytes_cmp(const char *a, size_t la, const char *b, size_t lb)
{
    int c = memcmp(a, b, la < lb ? la : lb);

    if (c)
        return c;
    return (la > lb) - (la < lb);
}

struct sort_key {
    const char *s;
    size_t len;
    uint64_t count;
    uint32_t id;
};

static int cmp_key(const void *pa, const void *pb)
{
    const struct sort_key *a = pa, *b = pb;

    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return jtl_bytes_cmp(a->s, a->len, b->s, b->len);
}

void jtl_strtab_sort_ids(const struct jtl_strtab *t, uint32_t *ids, size_t n,
                         const uint64_t *count)
{
    struct sort_key *k = jtl_xmalloc((n + 1) * sizeof(*k));
    size_t i;

    for (i = 0; i < n; i++) {
        k[i].s = t->strs[ids[i]];
        k[i].len = t->lens[ids[i]];
        k[i].count = count ? count[ids[i]] : 0;
        k[i].id = ids[i];
    }
    qsort(k, n, sizeof(*k), cmp_key);
    for (i = 0; i < n; i++)
        ids[i] = k[i].id;
    free(k);
}

void jtl_strtab_save(const struct jtl_strtab *t, struct jtl_bw *w)
{
    size_t i;

    jtl_bw_uv(w, t->count);
    for (i = 0; i < t->count; i++)
        jtl_bw_str(w, t->strs[i], t->lens[i]);
}

bool jtl_strtab_load(struct jtl_strtab *t, struct jtl_br *r, size_t max)
{
    size_t n = jtl_br_count(r, 1, max), i;

    for (i = 0; i < n && !r->bad; i++) {
        size_t len;
        const char *s = jtl_br_str(r, &len);
        if (r->bad || jtl_strtab_intern(t, s, len) != (uint32_t)i)
            return false;
    }
    return !r->bad && t->count == n;
}
