/* SPDX-License-Identifier: MIT
 * labels.h - endpoints, not ids: a sampler named after its path with an id
 * in it ("PUT /api/v2/architect/flows/3f2a...") gives one label per
 * request; its endpoint template ("PUT /api/v2/architect/flows/{id}") is
 * what the requests have in common.  Stateless. */
#ifndef JTL_LABELS_H
#define JTL_LABELS_H
#include <stdbool.h>
#include <stddef.h>

#include "jtl/base/buf.h"

#define JTL_LABEL_ID "{id}"

/* The endpoint template of LABEL[0..LEN) into OUT (cleared first): UUIDs
 * anywhere, and as path segments or query values also numbers, long hex
 * strings (12 or more hex digits) and tokens (20 or more letters, digits,
 * '-' or '_' with both letters and digits) become {id}.  Words outside a
 * path ("Step 2") stay.  Returns true when anything was replaced; OUT is
 * then NUL-terminated. */
bool jtl_label_template(const char *label, size_t len, struct jtl_buf *out);

#endif /* JTL_LABELS_H */
