#!/usr/bin/env python3
"""Writes the seed corpus of the fuzz targets (fuzz/corpus/<target>/), small real-looking inputs.

ingest seeds: the first byte selects the input and dialect (see Sources/OpsETLFuzzTargets/
IngestTarget.swift: s = byte % 24, input = s % 4 (users, sales, channels, events), delimiter =
s / 4 % 3 (',' ';' tab), unknown_users ignore when s >= 12); the rest is the CSV file, taken from
sample-data/ (re-headed to the canonical column names) plus every dialect quirk of SPEC §3.2/§9.
values seeds: one field each, valid and invalid timestamps, amounts, counts and channel names.
Run from the repository root: python3 fuzz/make_seeds.py
"""
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEL = {("users", ","): "0", ("sales", ","): "1", ("channels", ","): "2", ("events", ","): "3",
       ("users", ";"): "4", ("sales", ";"): "5", ("channels", ";"): "6", ("events", ";"): "7",
       ("users", "\t"): "8", ("sales", "\t"): "9", ("channels", "\t"): ":", ("events", "\t"): ";",
       ("users", ",", "ignore"): "<", ("sales", ",", "ignore"): "=", ("events", ",", "ignore"): "?"}


def head(name, n, header=None):
    with open(os.path.join(ROOT, "sample-data", name), "rb") as fh:
        lines = fh.read().split(b"\n")[: n + 1]
    if header is not None:
        lines[0] = header
    return b"\n".join(lines) + b"\n"


def main():
    out = os.path.join(ROOT, "fuzz", "corpus", "ingest")
    os.makedirs(out, exist_ok=True)
    seeds = {
        "users-sample": ("0", head("users.csv", 25, b"\xef\xbb\xbfuser_id,signup_at,channel,country,device\r")),
        "sales-sample": ("1", head("sales_2025-q1.csv", 25)),
        "channels-sample": ("2", head("channel_spend.csv", 25)),
        "events-sample": ("3", head("events.csv", 25)),
        "users-quirks": ("0", b"\xef\xbb\xbf user_id ,SIGNUP_AT,channel\r\nu1,2025-01-05 10:00,Facebook  Ads\r\n\r\n"
                              b"u2,2025/01/06 08:00:00.123456789+08:00,\"fb, inc\"\r\nu3,1735689600000,\xe3\x80\x80google\xc2\xa0\r\n"
                              b"u4,2025-02-30,x\r\n,2025-01-07,y\r\nu5\r\n   \r\n\"u6\",\"2025-01-08T23:59:59Z\",\"multi\r\nline\"\r\n"
                              b"u1,2025-01-04,earlier\r\nu7,2025-07-01,after"),
        "sales-quirks": ("1", b"order_id,user_id,ordered_at,amount,status,updated_at\no1,u1,2025-01-07,\"\xc2\xa51,234.50\",paid,2025-01-07\n"
                              b"o1,u1,2025-01-07,1234.5, REFUNDED ,2025-01-08 09:00\no2,u2,2025-01-08,$-12,paid,\no3,u3,2025-01-09,-12$,paid,\n"
                              b"o4,u9,2025-01-09,5,paid,\no5,u1,bad,abc,paid,\no6,,2025-01-04,,paid,\no7,u1,2025-01-10,1,23,paid,\n"
                              b"o8,u1,2025-01-10,.5,paid,\no9,u1,2025-01-10,12.,paid,\no10,u1,2025-01-10,1.23456,paid,\no11,u1,2025-01-10,5,paid,2025-01-0x"),
        "channels-quirks": ("2", b"date,channel,campaign,spend,impressions,clicks\n2025-01-05,Facebook Ads,spring,100.00,1000,10\n"
                                 b"2025-01-05,facebook,spring,120,\"1,200\",12\n2025-01-05,facebook,,50,,\n2025-01-05,FB,,60,,\n"
                                 b"2025-01-06,google,x,-5,,\n2025-01-06,google,x,n/a,,\n2025-01-06,google,x,5,-1,\n2025-07-06,google,x,5,,\n"),
        "events-quirks": ("3", b"user_id,event,occurred_at,event_id\nu1, view_item ,2025-01-05 11:00,e1\nu1,view_item,2025-01-05 11:00,e1\n"
                               b"u1,add_to_cart,2025-01-05T11:05:00-05:00,\nu1,add_to_cart,2025-01-05T16:05:00Z,\nu9,view_item,2025-01-06,e2\n"
                               b"u2,\"quoted \"\"event\"\"\",2025-01-06 10:00,\nu2,purchase,2025-01-06 10:00,\"unterminated\n"),
        "users-semicolon": ("4", b"user_id;signup_at;channel\nu1;2025-01-05;a,b\nu2;2025-01-06;\"x;y\"\nu3;2025-01-07\n"),
        "sales-tab": ("9", b"order_id\tuser_id\tordered_at\tamount\no1\tu1\t2025-01-07\t10\no2\tu2\t2025-01-08\t\xe2\x82\xac20\n"),
        "sales-ignore-unknown": ("=", b"order_id,user_id,ordered_at,amount\no1,u1,2025-01-07,10\no2,u77,2025-01-08,20\no3,u78,2025-01-08,30\n"),
        "users-missing-column": ("0", b"user_id,created\nu1,2025-01-05\n"),
        "users-header-only": ("0", b"user_id,signup_at\n"),
        "users-empty": ("0", b""),
        "users-no-final-newline": ("0", b"user_id,signup_at\nu1,2025-01-05"),
        "users-not-utf8": ("0", b"user_id,signup_at\nu1,2025-01-05\xff\n"),
        "users-cr-only": ("0", b"user_id,signup_at\ru1,2025-01-05\ru2,2025-01-06\r"),
    }
    for name, (sel, body) in seeds.items():
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(sel.encode() + body)

    out = os.path.join(ROOT, "fuzz", "corpus", "values")
    os.makedirs(out, exist_ok=True)
    values = ["2025-03-01", "2025-03-01 10:15", "2025-03-01T10:15:30.123", "2025/03/01 10:15:30.123456789Z",
              "2025-03-01T10:15:30+08:00", "2025-03-01T10:15:30-0530", "2025-03-01+08:00", "1735689600", "1735689600123",
              "2025-02-30", "2025-3-1", "2025-03-01t10:15", "2025-03-01 24:00", "2025-03-01 10:15:60", "2025-03-01 +08:00",
              "2025-03-09 02:30", "2025-11-02 01:30", "17356896001", "-1735689600", "1735689600.5",
              "1234.5", "-3.50", "\u00a51,234.50", "$-12", "-$12", "12\u20ac", "-12$", "\uffe5100", "\u00a3 12", "$$12",
              ".5", "12.", "1,23", "1,2345", "1,234,567.8901", "12.34567", "922337203685477.5807", "922337203685477.5808",
              "1,000", "0", "007", "+5", "  \u3000 facebook\u00a0 Ads \t", "Facebook  Ads", "\u0130stanbul", "TikTok\u2028Ads",
              "", " ", "=HYPERLINK(1)",
              # SPEC §9 date range ends and the value settings' shapes (timestamp_formats, decimal_separator, round_money)
              "0001-01-01T00:00:00Z", "1899-12-30", "1899-12-31T23:00:00-05:00", "1900-01-01", "2199-12-31T23:59:59Z",
              "2199-12-31T20:00-05:00", "2200-01-01", "7258118399", "7258118400", "9999999999999", "01/02/2025",
              "2025\u5e741\u67082\u65e5 08:30", "20250102", "2025.01.02", "1.234,50", "1\u00a0234,50", "1\u202f234,50",
              "-12,5", "1.429999948", "0.00005", "922337203685477.58075"]
    for i, v in enumerate(values):
        with open(os.path.join(out, f"value-{i:02d}"), "wb") as fh:
            fh.write(v.encode())


if __name__ == "__main__":
    main()
