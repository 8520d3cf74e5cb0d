/* SPDX-License-Identifier: MIT
 * csv_blocks.h - record boundaries of CSV bytes, to cut a file into blocks
 * that decode on their own, each with its exact first line number.
 * Stateless; nothing is allocated. */
#ifndef JTL_CSV_BLOCKS_H
#define JTL_CSV_BLOCKS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct jtl_csv_cut {
    size_t cut;     /* just past the last record-ending LF; 0 = none */
    uint64_t lines; /* physical line ends in [0, cut) */
    bool broken;    /* quoting a parity scan cannot follow */
};

/* P[0..N) starts at a record boundary, DELIM is the file's delimiter;
 * AT_EOF: nothing follows N.  Fills OUT with the last record end, or
 * OUT->broken when the quoting is not one the parity scan can follow (the
 * caller then decodes the rest in order). */
void jtl_csv_block_cut(const char *p, size_t n, char delim, bool at_eof,
                       struct jtl_csv_cut *out);
/* Physical line ends in P[0..N) (CR, LF, CRLF once); a CR as the last
 * byte counts only when nothing follows (AT_EOF). */
uint64_t jtl_csv_line_ends(const char *p, size_t n, bool at_eof);

#endif /* JTL_CSV_BLOCKS_H */
