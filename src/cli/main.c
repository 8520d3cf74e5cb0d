/* SPDX-License-Identifier: MIT
 * main.c - entry point; the only place that turns results into exit(). */
#include "cli.h"

int main(int argc, char **argv)
{
    return cli_main(argc, argv);
}
