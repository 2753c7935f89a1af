"""Compares two opsetl output folders byte for byte (docs/spark.md, issue 14's rule).

Every file must exist in both and be identical, except summary.json, which is compared as JSON
without `timings_seconds` (stage timings) and `execution` (how the run was executed).
Usage: python3 compare_outputs.py EXPECTED ACTUAL  → exit 0 when equal, 1 listing every difference.
"""

import json
import os
import sys

IGNORED_SUMMARY_KEYS = ("timings_seconds", "execution")


def files(root):
    out = set()
    for folder, _, names in os.walk(root):
        for name in names:
            out.add(os.path.relpath(os.path.join(folder, name), root))
    return out


def summary(path):
    with open(path, "rb") as f:
        data = json.load(f)
    for key in IGNORED_SUMMARY_KEYS:
        data.pop(key, None)
    return data


def differences(expected, actual):
    diffs = []
    a, b = files(expected), files(actual)
    for rel in sorted(a - b):
        diffs.append("missing in %s: %s" % (actual, rel))
    for rel in sorted(b - a):
        diffs.append("unexpected in %s: %s" % (actual, rel))
    for rel in sorted(a & b):
        pa, pb = os.path.join(expected, rel), os.path.join(actual, rel)
        if os.path.basename(rel) == "summary.json":
            sa, sb = summary(pa), summary(pb)
            if sa != sb:
                keys = sorted(k for k in set(sa) | set(sb) if sa.get(k) != sb.get(k))
                diffs.append("%s differs (keys: %s)" % (rel, ", ".join(keys)))
            continue
        with open(pa, "rb") as fa, open(pb, "rb") as fb:
            da, db = fa.read(), fb.read()
        if da != db:
            la, lb = da.split(b"\n"), db.split(b"\n")
            line = next((i for i, (x, y) in enumerate(zip(la, lb)) if x != y), min(len(la), len(lb)))
            diffs.append("%s differs from line %d: %r vs %r" % (
                rel, line + 1, la[line][:160] if line < len(la) else b"<eof>",
                lb[line][:160] if line < len(lb) else b"<eof>"))
    return diffs


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    diffs = differences(sys.argv[1], sys.argv[2])
    for d in diffs:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
