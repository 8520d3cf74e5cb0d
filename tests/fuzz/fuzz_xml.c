/* SPDX-License-Identifier: MIT
 * fuzz_xml.c - the XML decoder on arbitrary bytes and chunk splits. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_decode(data, size, JTL_FORMAT_XML);
    return 0;
}
