/* SPDX-License-Identifier: MIT
 * fuzz_decode.c - the decoder front (format detection, BOM and blank-line
 * hold-back) with the options a user can give: byte 0 picks the chunk size
 * (see fuzz_common.h), byte 1 the options: bit 0 --strict, bits 1-2
 * --timestamp-format (auto, ms, a pattern), bits 3-4 --delimiter (sniffed,
 * ',', ';', TAB), bit 5 --columns (JMeter 5.x default set), bits 6-7 the
 * format (auto, auto, CSV, XML). */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const tsf[] = {NULL, "ms", "yyyy/MM/dd HH:mm:ss.SSS",
                                      "dd-MMM-yyyy hh:mm:ss a Z"};
    static const char delims[] = {0, ',', ';', '\t'};
    static const enum jtl_format fmts[] = {JTL_FORMAT_AUTO, JTL_FORMAT_AUTO,
                                           JTL_FORMAT_CSV, JTL_FORMAT_XML};
    struct jtl_decode_opts opts = {0};
    unsigned o;

    if (size < 2)
        return 0;
    o = data[1];
    opts.strict = o & 1;
    opts.timestamp_format = tsf[(o >> 1) & 3];
    opts.delimiter = delims[(o >> 3) & 3];
    if (o & 0x20)
        opts.columns = "timeStamp,elapsed,label,responseCode,responseMessage,"
                       "threadName,dataType,success,failureMessage,bytes,"
                       "sentBytes,grpThreads,allThreads,URL,Latency,"
                       "IdleTime,Connect";
    opts.format = fmts[o >> 6];
    /* Keep byte 0 (the chunk size) in front of the document. */
    {
        uint8_t *copy = malloc(size - 1);
        copy[0] = data[0];
        memcpy(copy + 1, data + 2, size - 2);
        fuzz_decode_opts(copy, size - 1, opts);
        free(copy);
    }
    return 0;
}
