/* SPDX-License-Identifier: MIT
 * error.c - error names and diagnostic records. */
#include "jtl/base/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *jtl_strerror(enum jtl_err err)
{
    switch (err) {
    case JTL_OK:
        return "success";
    case JTL_ERR_IO:
        return "input/output error";
    case JTL_ERR_FORMAT:
        return "unrecognized format";
    case JTL_ERR_PARSE:
        return "malformed record";
    case JTL_ERR_LIMIT:
        return "limit exceeded";
    case JTL_ERR_USAGE:
        return "usage error";
    case JTL_ERR_TEMPLATE:
        return "template error";
    case JTL_ERR_EXTERNAL:
        return "external program failed";
    case JTL_ERR_EMPTY:
        return "no samples";
    case JTL_ERR_STOPPED:
        return "stopped by the sample consumer";
    }
    return "unknown error";
}

enum jtl_err jtl_diag_set(struct jtl_diag *diag, enum jtl_err err,
                          const char *where, const char *fmt, ...)
{
    va_list ap;

    if (!diag)
        return err;
    diag->code = err;
    snprintf(diag->where, sizeof(diag->where), "%s", where ? where : "");
    va_start(ap, fmt);
    vsnprintf(diag->msg, sizeof(diag->msg), fmt, ap);
    va_end(ap);
    return err;
}
