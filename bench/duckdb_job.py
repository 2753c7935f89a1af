#!/usr/bin/env python3
"""Runs bench/duckdb_job.sql on a generated shop and writes opsetl's tables from its results.

Usage: duckdb_job.py DATA_DIR OUT_DIR  — prints {"seconds": …} (the SQL's wall time) on stdout.

The SQL computes every number exactly (integers, DECIMAL sums); this script only formats them
as SPEC §7/§9 asks (rates 6 decimals, money 2, medians 1, half away from zero) and derives the
ROI ratios from the exact sums, so the files can be compared byte for byte with opsetl's.
"""
import json
import os
import sys
import time
from decimal import Decimal, ROUND_HALF_UP, getcontext

import duckdb

getcontext().prec = 60
MARGIN = Decimal("0.6")
STEPS = ["signup", "view_item", "add_to_cart", "purchase", "purchase"]
PERIODS = 8


def fixed(value, places):
    if value is None:
        return ""
    q = Decimal(1).scaleb(-places)
    return str(Decimal(value).quantize(q, rounding=ROUND_HALF_UP))


def ratio(num, den):
    if num is None or den is None or Decimal(den) == 0:
        return None
    return Decimal(num) / Decimal(den)


def write(path, header, rows):
    def cell(v):
        s = "" if v is None else str(v)
        return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"\n\r') else s
    with open(path, "w", newline="") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(cell(v) for v in r) + "\n")


def main():
    data, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    sql = open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "duckdb_job.sql")).read()
    con = duckdb.connect()
    start = time.perf_counter()
    con.execute(sql.replace("{data}", data))
    quality = con.execute("SELECT * FROM data_quality").fetchall()
    cells = con.execute("SELECT * FROM retention_cells").fetchall()
    funnel = con.execute("SELECT * FROM funnel_steps").fetchall()
    roi = con.execute("SELECT * FROM roi_sums").fetchall()
    seconds = time.perf_counter() - start

    write(os.path.join(out, "data_quality.csv"),
          ["input", "rows_read", "rows_kept", "rejected", "duplicates", "after_as_of", "excluded_status",
           "unknown_user_ignored", "reject_rate"],
          [[i, n, n - rej - dup - after - excl, rej, dup, after, excl, 0, fixed(ratio(rej, n) or 0, 6)]
           for i, n, rej, dup, after, excl in quality])

    write(os.path.join(out, "cohort_retention.csv"),
          ["cohort", "cohort_size", "period", "active_users", "retention_rate", "revenue", "partial"],
          [[c, size, k, active, fixed(ratio(active, size), 6), fixed(rev, 2), "true" if partial else "false"]
           for c, size, k, active, rev, partial in cells])
    matrix = {}
    for c, size, k, active, rev, partial in cells:
        matrix.setdefault((c, size), [None] * (PERIODS + 1))[k] = fixed(ratio(active, size), 6)
    write(os.path.join(out, "cohort_retention_matrix.csv"),
          ["cohort", "cohort_size"] + [f"p{k}" for k in range(PERIODS + 1)],
          [[c, size] + rates for (c, size), rates in sorted(matrix.items())])

    rows = []
    order = sorted(funnel, key=lambda r: (r[0] != "all", r[0].encode()))
    for seg, *rest in order:
        users, medians = rest[:5], [None] + rest[5:]
        for j, name in enumerate(STEPS):
            prev = users[j - 1] if j else None
            rows.append([seg, j + 1, name, users[j],
                         fixed(1 if users[0] else None, 6) if j == 0 else fixed(ratio(users[j], prev), 6),
                         # SPEC §9: from the first step, null only without entrants.
                         fixed(1 if users[0] else None, 6) if j == 0 else fixed(ratio(users[j], users[0]), 6),
                         0 if j == 0 else prev - users[j],
                         None if j == 0 or medians[j] is None else fixed(Decimal(medians[j]) / 2 / 1_000_000, 1)])
    write(os.path.join(out, "funnel.csv"),
          ["segment", "step", "name", "users", "conversion_from_previous", "conversion_from_first", "drop_off",
           "median_seconds_from_previous"], rows)

    def roi_row(name, spend, impressions, clicks, signups, paying, revenue):
        profit = revenue * MARGIN
        return [name, fixed(spend, 2), impressions, clicks, signups, paying, fixed(revenue, 2), fixed(profit, 2),
                fixed(ratio(profit - spend, spend), 6), fixed(ratio(revenue, spend), 6), fixed(ratio(spend, signups), 2),
                fixed(ratio(spend, paying), 2), fixed(ratio(revenue, signups), 2), fixed(ratio(clicks, impressions), 6),
                fixed(ratio(signups, clicks), 6), fixed(ratio(paying, signups), 6)]

    def total(rs):
        def nsum(i):
            vals = [r[i] for r in rs if r[i] is not None]
            return sum(vals) if vals else None
        return [sum((r[1] for r in rs), Decimal(0)), nsum(2), nsum(3), sum(r[4] for r in rs), sum(r[5] for r in rs),
                sum((r[6] for r in rs), Decimal(0))]

    channels = sorted(roi, key=lambda r: (-r[1], r[0].encode()))
    write(os.path.join(out, "channel_roi.csv"),
          ["channel", "spend", "impressions", "clicks", "signups", "paying_users", "revenue", "gross_profit", "roi", "roas",
           "cpa", "cac", "arpu", "ctr", "signup_rate", "pay_rate"],
          [roi_row(*r) for r in channels] + [roi_row("total", *total(channels)),
                                              roi_row("total_paid", *total([r for r in channels if r[1] > 0]))])
    print(json.dumps({"seconds": seconds}))


if __name__ == "__main__":
    main()
