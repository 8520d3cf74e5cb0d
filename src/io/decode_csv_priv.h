/* SPDX-License-Identifier: MIT
 * decode_csv_priv.h - CSV decoder hooks for tests, beyond the public
 * contract (decode_csv.h).  Ownership as in decoder.h. */
#ifndef JTL_DECODE_CSV_PRIV_H
#define JTL_DECODE_CSV_PRIV_H
#include <stdbool.h>
#include <stdint.h>

#include "decode_internal.h"

/* Off: every record goes through libcsv (the reference the fast path is
 * tested against).  Call before the first feed. */
void jtl_dcsv_set_fast(struct jtl_dcsv *d, bool on);

/* The column names D uses (header or detected set), in order; valid
 * until D is freed. */
const char *const *jtl_dcsv_columns(const struct jtl_dcsv *d, size_t *n);

#endif /* JTL_DECODE_CSV_PRIV_H */
