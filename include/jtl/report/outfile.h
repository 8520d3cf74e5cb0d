/* SPDX-License-Identifier: MIT
 * outfile.h - write outputs under a temporary name and rename them into
 * place only when complete, so a failed run never leaves half a report.
 * Ownership: struct jtl_outfile owns its FILE and temporary path until
 * jtl_outfile_commit() or jtl_outfile_abort(). */
#ifndef JTL_OUTFILE_H
#define JTL_OUTFILE_H
#include <stdbool.h>
#include <stdio.h>

#include "jtl/base/error.h"

struct jtl_outfile {
    FILE *fp;   /* write here */
    char *path; /* final name; NULL for stdout */
    char *tmp;  /* temporary name in the same directory; NULL when PATH
                 * is written in place */
};

/* Whether PATH is written in place rather than renamed over: it is a
 * symbolic link (/dev/stdout, a link a user made: the link stays), or it
 * exists and is neither a file nor a folder (a device, a pipe, a socket).
 * A failed run may then leave part of its output there, as on stdout. */
bool jtl_outfile_in_place(const char *path);

/* PATH NULL or "-" writes to stdout (nothing to rename).  A PATH that is a
 * device, a pipe or a symbolic link (/dev/null, /dev/stdout, a FIFO:
 * jtl_outfile_in_place) is written in place, as renaming over it would
 * replace it with a file. */
enum jtl_err jtl_outfile_open(struct jtl_outfile *of, const char *path,
                              struct jtl_diag *diag);
/* Flush, fsync-free close, and rename over PATH.  Errors (disk full) leave
 * PATH untouched and remove the temporary file. */
enum jtl_err jtl_outfile_commit(struct jtl_outfile *of, struct jtl_diag *diag);
/* Drop the temporary file; safe on a zeroed or committed struct. */
void jtl_outfile_abort(struct jtl_outfile *of);

/* What a writer returns once it has written everything to FP: JTL_OK, or
 * JTL_ERR_IO with the reason when a write failed (the stream's error
 * flag).  The caller closes FP and names the file. */
enum jtl_err jtl_write_status(FILE *fp, struct jtl_diag *diag);

/* Close FP; 0, or why writing to it failed (an errno value): a write that
 * failed earlier (disk full) or the flush at the close. */
int jtl_fclose_reason(FILE *fp);

#endif /* JTL_OUTFILE_H */
