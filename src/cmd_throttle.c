/* SPDX-License-Identifier: MIT
 * cmd_throttle.c - placeholder until the throttle command lands. */
#include "cli.h"

static int run(struct jtl_config *cfg)
{
    (void)cfg;
    fprintf(stderr, "jtlscope: 'throttle' is not built yet\n");
    return JTL_EXIT_ERROR;
}

const struct jtl_cmd jtl_cmd_throttle = {
    .name = "throttle",
    .summary = "(not built yet)",
    .run = run,
};
