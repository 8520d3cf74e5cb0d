/* SPDX-License-Identifier: MIT
 * cmd_convert.c - placeholder until the convert command lands. */
#include "cli.h"

static int run(struct jtl_config *cfg)
{
    (void)cfg;
    fprintf(stderr, "jtlscope: 'convert' is not built yet\n");
    return JTL_EXIT_ERROR;
}

const struct jtl_cmd jtl_cmd_convert = {
    .name = "convert",
    .summary = "(not built yet)",
    .run = run,
};
