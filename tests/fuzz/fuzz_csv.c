/* SPDX-License-Identifier: MIT
 * fuzz_csv.c - the CSV decoder (format forced, all column/delimiter
 * detection paths live) on arbitrary bytes and chunk splits. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_decode(data, size, JTL_FORMAT_CSV);
    return 0;
}
