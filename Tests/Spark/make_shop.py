"""Writes the shop the Spark identity tests run on (Tests/Spark/README.md).

`opsetl sample` writes a deterministic shop (unknown users, bad rows, refunded re-exports of an
order in a later quarter's file); this splits users and events into two files each and plants,
deterministically, the cases a partitioned run must get right:
  - users duplicated across files: an identical copy in the later file (tie: the first in input
    order wins) and a copy in the later file with an earlier signup_at (the earliest wins);
  - events duplicated across files by event_id (the first wins) and by the tuple (no event_id);
  - sales duplicated across files: a later updated_at with status refunded (the later wins, and
    is then excluded) and an identical copy (tie: the last wins);
  - sales of users nobody has (unknown_user rejects);
and writes two pipelines without `since`:
  pipeline.json       no as_of either: both derived from all inputs;
  pipeline-asof.json  as_of 2025-10-31: every input has rows after it (after_as_of), and users
                      who sign up after it make their sales and events unknown_user.
Usage: python3 make_shop.py OPSETL_BINARY OUT_DIR [USERS]
"""

import json
import os
import subprocess
import sys


def lines_of(path):
    with open(path, "rb") as f:
        data = f.read()
    assert data.endswith(b"\n"), path
    lines = data[:-1].split(b"\n")
    for line in lines:
        assert line.count(b'"') % 2 == 0, "a quoted field spans lines in %s" % path
    return lines[0], lines[1:]


def write(path, header, rows):
    with open(path, "wb") as f:
        f.write(header + b"\n" + b"".join(r + b"\n" for r in rows))


def main():
    binary, out = sys.argv[1], sys.argv[2]
    users = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    subprocess.run([binary, "sample", "--users", str(users), "--seed", "14", "--out", out],
                   check=True, stdout=subprocess.DEVNULL)

    # users: two files; plant cross-file duplicates
    header, rows = lines_of(os.path.join(out, "users.csv"))
    os.remove(os.path.join(out, "users.csv"))
    half = len(rows) // 2
    first, second = rows[:half], rows[half:]
    valid = [r for r in first if r.count(b",") == 3 and r.split(b",")[1][:7] >= b"2025-03"]
    for r in valid[5:105:10]:                      # identical copy later: the first copy is kept
        second.append(r)
    for r in valid[7:107:10]:                      # later file, earlier signup: this copy is kept
        uid, _, _, country = r.split(b",")
        second.append(b",".join([uid, b"2025-01-02 08:00:00", b"planted", country]))
    write(os.path.join(out, "users_1.csv"), header, first)
    write(os.path.join(out, "users_2.csv"), header, second)

    # events: two files; duplicates by event_id and by tuple across them
    header, rows = lines_of(os.path.join(out, "events.csv"))
    os.remove(os.path.join(out, "events.csv"))
    half = len(rows) // 2
    first, second = rows[:half], rows[half:]
    with_id = [r for r in first if not r.startswith(b",")]
    without_id = [r for r in first if r.startswith(b",")]
    for r in with_id[3:3000:97]:                   # same event_id, other event name: first kept
        parts = r.split(b",")
        parts[2] = b"planted_event"
        second.insert(len(second) // 3, b",".join(parts))
    for r in without_id[:40:4]:                    # the same tuple, no event_id
        second.append(r)
    write(os.path.join(out, "events_1.csv"), header, first)
    write(os.path.join(out, "events_2.csv"), header, second)

    # sales: cross-file duplicates by order_id, and unknown users
    h1, s1 = lines_of(os.path.join(out, "sales_1.csv"))
    h3, s3 = lines_of(os.path.join(out, "sales_3.csv"))
    h4, s4 = lines_of(os.path.join(out, "sales_4.csv"))
    paid = [r for r in s1 if r.count(b",") == 5 and r.split(b",")[4] == b"paid"]
    for r in paid[10:400:40]:                      # refunded later: the later updated_at wins
        p = r.split(b",")
        p[4], p[5] = b"refunded", b"2025-12-20 09:00:00"
        s3.append(b",".join(p))
    for r in paid[30:400:40]:                      # identical copy in a later file
        s4.append(r)
    for i in range(12):                            # users nobody has
        s4.append(b"SOGHOST%02d,ghost%02d,2025-06-%02d 10:00:00,49.00,paid," % (i, i, i + 1))
    write(os.path.join(out, "sales_1.csv"), h1, s1)
    write(os.path.join(out, "sales_3.csv"), h3, s3)
    write(os.path.join(out, "sales_4.csv"), h4, s4)

    path = os.path.join(out, "pipeline.json")
    with open(path) as f:
        pipeline = json.load(f)
    pipeline.pop("since", None)
    pipeline.pop("as_of", None)
    pipeline["inputs"]["users"]["path"] = "users_*.csv"
    pipeline["inputs"]["events"]["path"] = "events_*.csv"
    pipeline["output"] = {"dir": "reports/{as_of}", "formats": ["csv", "json", "md", "html"]}
    pipeline["cleaning"]["max_reject_rate"] = 0.5
    with open(path, "w") as f:
        json.dump(pipeline, f, indent=2, ensure_ascii=False)
        f.write("\n")
    pipeline["name"] = pipeline["name"] + "-asof"
    pipeline["as_of"] = "2025-10-31"
    with open(os.path.join(out, "pipeline-asof.json"), "w") as f:
        json.dump(pipeline, f, indent=2, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
