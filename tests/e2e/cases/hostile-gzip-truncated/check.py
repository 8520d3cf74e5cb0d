import zlib

from jtlcheck import equal, path, stats

# complete lines zlib gets out of the cut stream, minus the header
d = zlib.decompressobj(31).decompress(open(path("cut.csv.gz"), "rb").read())
equal(stats()["Total"]["sampleCount"], d.count(b"\n") - 1, "samples")
