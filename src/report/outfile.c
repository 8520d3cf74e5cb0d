/* SPDX-License-Identifier: MIT
 * outfile.c - temp-then-rename output files; devices, pipes and symbolic
 * links named as the output are written in place. */
#include "jtl/report/outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jtl/base/xalloc.h"

/* The mode a file made by open(2) would get: mkstemp() makes 0600, and a
 * report a CI server or a colleague should read must not be private
 * because it went through a temporary name.  umask() can only be read by
 * setting it, so it is set back at once (before any thread writes). */
static mode_t file_mode(void)
{
    static mode_t mode = (mode_t)-1;

    if (mode == (mode_t)-1) {
        mode_t mask = umask(022);
        umask(mask);
        mode = 0666 & ~mask;
    }
    return mode;
}

bool jtl_outfile_in_place(const char *path)
{
    struct stat st;

    if (!path || lstat(path, &st) != 0)
        return false;
    if (S_ISLNK(st.st_mode))
        return true; /* the link stays; what it names gets the bytes */
    return !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

enum jtl_err jtl_outfile_open(struct jtl_outfile *of, const char *path,
                              struct jtl_diag *diag)
{
    size_t n;
    int fd;

    memset(of, 0, sizeof(*of));
    if (!path || strcmp(path, "-") == 0) {
        of->fp = stdout;
        return JTL_OK;
    }
    if (jtl_outfile_in_place(path)) {
        /* -o /dev/null, /dev/stdout, a named pipe, a symbolic link: a
         * rename would put a file where the device or the link was (as
         * root, /dev/null itself) */
        of->fp = fopen(path, "w");
        if (!of->fp)
            return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot open '%s': %s",
                                path, strerror(errno));
        of->path = jtl_xstrdup(path);
        return JTL_OK;
    }
    n = strlen(path);
    of->path = jtl_xstrdup(path);
    of->tmp = jtl_xmalloc(n + 16);
    snprintf(of->tmp, n + 16, "%s.tmp.XXXXXX", path);
    fd = mkstemp(of->tmp);
    if (fd < 0) {
        enum jtl_err err =
            jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot create '%s': %s", path,
                         strerror(errno));
        free(of->path);
        free(of->tmp);
        memset(of, 0, sizeof(*of));
        return err;
    }
    jtl_xtemp_add(of->tmp, false);
    (void)fchmod(fd, file_mode());
    of->fp = fdopen(fd, "w");
    if (!of->fp) {
        close(fd);
        jtl_xtemp_remove(of->tmp, false);
        free(of->path);
        free(of->tmp);
        memset(of, 0, sizeof(*of));
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot create '%s'", path);
    }
    return JTL_OK;
}

int jtl_fclose_reason(FILE *fp)
{
    int why;

    /* a write that failed earlier set the error flag and, most likely,
     * left its errno; fclose() flushes what is left and, if that fails
     * too, gives a fresh reason */
    why = ferror(fp) ? (errno ? errno : EIO) : 0;
    errno = 0;
    if (fclose(fp) != 0)
        why = errno ? errno : EIO;
    return why;
}

enum jtl_err jtl_outfile_commit(struct jtl_outfile *of, struct jtl_diag *diag)
{
    enum jtl_err err = JTL_OK;
    int failed, why;

    if (!of->fp)
        return JTL_OK;
    if (!of->path) {
        failed = fflush(of->fp) != 0 || ferror(of->fp);
        of->fp = NULL;
        if (failed)
            return jtl_diag_set(diag, JTL_ERR_IO, NULL,
                                "cannot write to standard output: %s",
                                strerror(errno));
        return JTL_OK;
    }
    why = jtl_fclose_reason(of->fp);
    of->fp = NULL;
    if (why)
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot write '%s': %s",
                           of->path, strerror(why));
    else if (of->tmp && rename(of->tmp, of->path) != 0)
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot rename to '%s': %s",
                           of->path, strerror(errno));
    if (of->tmp) { /* else written in place */
        if (err)
            jtl_xtemp_remove(of->tmp, false);
        else
            jtl_xtemp_drop(of->tmp);
    }
    free(of->path);
    free(of->tmp);
    of->path = of->tmp = NULL;
    return err;
}

void jtl_outfile_abort(struct jtl_outfile *of)
{
    if (!of)
        return;
    if (of->fp && of->path) {
        fclose(of->fp);
        if (of->tmp)
            jtl_xtemp_remove(of->tmp, false);
    }
    of->fp = NULL;
    free(of->path);
    free(of->tmp);
    of->path = of->tmp = NULL;
}

enum jtl_err jtl_write_status(FILE *fp, struct jtl_diag *diag)
{
    if (!ferror(fp))
        return JTL_OK;
    return jtl_diag_set(diag, JTL_ERR_IO, NULL, "write failed: %s",
                        strerror(errno ? errno : EIO));
}
