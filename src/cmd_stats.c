/* SPDX-License-Identifier: MIT
 * cmd_stats.c - placeholder until the stats command lands. */
#include "cli.h"

static int run(struct jtl_config *cfg)
{
    (void)cfg;
    fprintf(stderr, "jtlscope: 'stats' is not built yet\n");
    return JTL_EXIT_ERROR;
}

const struct jtl_cmd jtl_cmd_stats = {
    .name = "stats",
    .summary = "(not built yet)",
    .run = run,
};
