/* SPDX-License-Identifier: MIT
 * cmd_report.c - placeholder until the report command lands. */
#include "cli.h"

static int run(struct jtl_config *cfg)
{
    (void)cfg;
    fprintf(stderr, "jtlscope: 'report' is not built yet\n");
    return JTL_EXIT_ERROR;
}

const struct jtl_cmd jtl_cmd_report = {
    .name = "report",
    .summary = "(not built yet)",
    .run = run,
};
