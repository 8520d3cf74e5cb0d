/* SPDX-License-Identifier: MIT
 * decode_csv_priv.h - CSV decoder hooks for tests and the parallel reader,
 * beyond the decode_internal.h contract.  Ownership as in decoder.h. */
#ifndef JTL_DECODE_CSV_PRIV_H
#define JTL_DECODE_CSV_PRIV_H
#include <stdbool.h>

#include "decode_internal.h"

/* Off: every record goes through libcsv (the reference the fast path is
 * tested against).  Call before the first feed. */
void jtl_dcsv_set_fast(struct jtl_dcsv *d, bool on);

#endif /* JTL_DECODE_CSV_PRIV_H */
