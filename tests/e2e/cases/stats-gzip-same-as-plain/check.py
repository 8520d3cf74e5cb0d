from jtlcheck import check, load


def stripped(name):
    """The statistics without _meta, which names the file."""
    s = load(name)
    for row in s.values():
        row.pop("_meta", None)
    return s


check(stripped("plain.json") == stripped("gz.json"), "gzip CSV = plain CSV")
check(stripped("xplain.json") == stripped("xgz.json"), "gzip XML = plain XML")
