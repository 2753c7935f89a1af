#!/usr/bin/env python3
"""Deterministic generator of the opsetl sample data set.

    python3 scripts/make_sample_data.py           # (re)write sample-data/ byte for byte
    python3 scripts/make_sample_data.py --check   # parse sample-data/ independently and verify it

The shop: a small Chinese online home-goods store that soft-launched on 2024-03-01 and
grows to about 2,500 sign-ups by mid-2025, 16 months of history so that year-over-year
changes have a year-ago week (see sample-data/README.md).

Everything is derived from SEED with random.Random (Python 3.11 standard library only),
so every run writes identical bytes. Every planted defect is recorded together with the
outcome SPEC section 3.4 prescribes for it, the physical line numbers are computed while
the files are written, and sample-data/README.md is emitted from the same records.

--check re-implements the SPEC's parsing and cleaning rules (csv module, no code shared
with the generator's bookkeeping), compares its per-row outcome with the planned one,
and prints per-input counts plus reference values for retention, funnel and ROI, the weekly
KPIs of segment `all` (SPEC §4.4) and the time-bound goals of the sample pipeline (§6),
which must come out one `on_track` and one `behind`.
"""
from __future__ import annotations

import argparse
import csv
import fnmatch
import glob
import io
import json
import math
import os
import re
import random
import sys
from collections import Counter, OrderedDict, defaultdict
from datetime import date, datetime, time, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal

SEED = 20250630
TZ = timezone(timedelta(hours=8))          # Asia/Shanghai: UTC+8, no DST since 1991
UTC = timezone.utc
LAUNCH = date(2024, 3, 1)                  # soft launch: first spend and first sign-ups
SINCE = date(2024, 4, 1)                   # a Monday: 65 complete weeks up to as_of (year-over-year)
AS_OF = date(2025, 6, 30)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA_DIR = os.path.join(ROOT, "sample-data")
PIPELINE = os.path.join(ROOT, "pipelines", "sample.json")

USERS_CSV = "users.csv"
SALES_2024 = "sales_2024.csv"
SALES_Q1 = "sales_2025-q1.csv"
SALES_Q2 = "sales_2025-q2.csv"
SPEND_CSV = "channel_spend.csv"
EVENTS_CSV = "events.csv"
ALL_FILES = [USERS_CSV, SALES_2024, SALES_Q1, SALES_Q2, SPEND_CSV, EVENTS_CSV]
INPUT_OF = {USERS_CSV: "users", SALES_2024: "sales", SALES_Q1: "sales", SALES_Q2: "sales",
            SPEND_CSV: "channels", EVENTS_CSV: "events"}


def L(d: date, h=0, m=0, s=0, us=0) -> datetime:
    """A local (Asia/Shanghai) wall-clock time."""
    return datetime(d.year, d.month, d.day, h, m, s, us, tzinfo=TZ)


EV_END = L(date(2025, 7, 1))               # the events export stops at as_of
SALES_END = L(date(2025, 7, 4))            # the Q2 sales export covers up to 2025-07-03
Y24_LAST = date(2024, 12, 31)              # the 2024 export: orders up to 2024-12-31 ...
E0 = L(date(2025, 1, 2), 6)                # ... exported on 2025-01-02
Q1_FIRST = date(2025, 1, 1)                # the Q1 export: orders from 2025-01-01 ...
Q1_LAST = date(2025, 4, 5)                 # Q1 export: orders up to 2025-04-05 ...
Q2_FIRST = date(2025, 4, 1)                # ... Q2 export: orders from 2025-04-01
E1 = L(date(2025, 4, 6), 6)                # when the Q1 file was exported
E2 = L(date(2025, 7, 4), 6)                # when the Q2 file was exported


# ----------------------------------------------------------------------------- formatting

def f_local(t: datetime) -> str:
    return t.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S")


def f_utc_ms(t: datetime) -> str:
    u = t.astimezone(UTC)
    return u.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (u.microsecond // 1000)


def epoch_s(t: datetime) -> int:
    return int((t - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds())


def epoch_ms(t: datetime) -> int:
    d = t - datetime(1970, 1, 1, tzinfo=UTC)
    return (d.days * 86400 + d.seconds) * 1000 + d.microseconds // 1000


def money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}{c // 100}.{c % 100:02d}"


def money_grouped(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    c = abs(cents)
    return f"{sign}{c // 100:,}.{c % 100:02d}"


def quote(field: str) -> str:
    if any(ch in field for ch in ',"\r\n'):
        return '"' + field.replace('"', '""') + '"'
    return field


def csv_line(fields) -> str:
    return ",".join(quote(f) for f in fields)


def show(v: str, limit=60) -> str:
    """A value as shown in the README (visible whitespace, escaped newlines)."""
    r = (v.replace("\u00a0", "\\u00A0").replace("\u3000", "\\u3000")
         .replace("\r", "\\r").replace("\n", "\\n").replace("|", "\\|"))
    if len(r) > limit:
        r = r[:limit] + f"… ({len(v):,} chars)"
    return "`" + r + "`" if r.strip() == r and r else "`'" + r + "'`"


# ----------------------------------------------------------------------------- records

class Rec:
    """One physical record of a file, with the outcome SPEC 3.4 prescribes for it.

    outcome: kept | reject:<reason> | duplicate | after_as_of | excluded_status | blank
    planted: True for an injected defect/quirk; False for a natural row.
    group:   label for the README's grouped tables (quirks kept, natural exclusions).
    """
    __slots__ = ("text", "outcome", "planted", "what", "group", "line", "sort")

    def __init__(self, text, outcome="kept", planted=False, what="", group=None, sort=None):
        self.text = text
        self.outcome = outcome
        self.planted = planted
        self.what = what
        self.group = group
        self.line = None
        self.sort = sort


def render(header: str, recs, eol: str, bom: bool, final_newline: bool) -> bytes:
    parts = [header]
    line = 2
    for r in recs:
        r.line = line
        line += 1 + r.text.count("\n")
        parts.append(r.text)
    text = eol.join(parts) + (eol if final_newline else "")
    data = text.encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


# ----------------------------------------------------------------------------- the shop

CHANNELS = OrderedDict([
    # base: sign-ups per day at demand 1.0; cpa: CNY per sign-up; q: purchase propensity;
    # b: browsing propensity; cpm: CNY per 1000 impressions; ctr: click-through rate
    ("organic", dict(base=3.9, q=1.00, b=1.00)),
    ("facebook", dict(base=3.1, cpa=158, q=0.90, b=1.00, cpm=35, ctr=0.012, camps=[
        ("FB_Prospecting", 0.50, None, None), ("FB_Retargeting", 0.30, None, None),
        ("Spring, Sale", 0.35, date(2025, 3, 1), date(2025, 4, 30))])),
    ("google", dict(base=2.8, cpa=105, q=1.50, b=1.10, cpm=55, ctr=0.040, camps=[
        ("Search_Brand", 0.25, None, None), ("Search_Generic", 0.45, None, None),
        ("Shopping_PMax", 0.30, None, None)])),
    ("tiktok", dict(base=3.9, cpa=68, q=0.15, b=0.90, cpm=18, ctr=0.008, camps=[
        ("TT_Awareness", 0.45, None, None), ("TT_Conversions", 0.55, None, None)])),
    ("wechat", dict(base=1.4, cpa=132, q=1.05, b=1.00, cpm=40, ctr=0.010, camps=[
        ("春节大促", 0.60, date(2025, 1, 13), date(2025, 2, 12)), ("Moments_Ads", 0.50, None, None),
        ("618预热", 0.50, date(2025, 6, 1), date(2025, 6, 18)), ("618预热", 0.50, date(2024, 6, 1), date(2024, 6, 18)),
        ("双11", 0.55, date(2024, 10, 21), date(2024, 11, 11))])),
    ("email", dict(base=0.45, cpa=22, q=1.30, b=1.10, cpm=15, ctr=0.030, camps=[
        ("Newsletter", 0.60, None, None), ("Winback", 0.40, date(2025, 3, 1), None)])),
])
PAID = [c for c in CHANNELS if "cpa" in CHANNELS[c]]

# channel spellings in the users export (utm_source), all resolved by normalisation
# or by the pipeline's channel_aliases
USER_VARIANTS = OrderedDict([
    ("facebook", ["Facebook", " facebook ", "FB", "fb", "Facebook Ads"]),
    ("google", ["GOOGLE", "Google Ads", "google  ads"]),
    ("tiktok", ["TikTok", "TIKTOK"]),
    ("wechat", ["WeChat", "\u3000wechat"]),
    ("organic", ["(direct)", "Organic"]),
    ("email", ["newsletter", "Email"]),
])

COUNTRIES = [("China", 86), ("Hong Kong", 3), ("Singapore", 3), ("Malaysia", 2),
             ("United States", 1.5), ("Japan", 1), ("Korea, Republic of", 1.2),
             ("Australia", 1), ("Canada", 0.7), ("Germany", 0.6)]
DEVICES = [("android", 40), ("ios", 33), ("mini_program", 17), ("web", 10)]
HOURS = [2, 1, 0.6, 0.4, 0.3, 0.4, 0.8, 1.5, 2.5, 3.5, 4.5, 5, 6, 5.5, 4.5, 4.2, 4.2, 4.8,
         5.5, 7, 8.5, 9, 7, 4]
HMAX = max(HOURS)
PRICES = [39, 49, 59, 69, 79, 89, 99, 119, 129, 149, 169, 199, 229, 259, 299, 349, 399,
          499, 599, 699, 899]
PRICE_W = [8, 9, 11, 8, 9, 6, 11, 7, 8, 6, 4, 6, 3, 3, 4, 2, 2, 1.5, 1, 0.6, 0.5]
PAYMENTS = [("alipay", 48), ("wechat_pay", 42), ("unionpay", 6), ("card", 4)]

# purchase (R) probability in week k after the sign-up week, before channel/user factors
R_BUY = [0.52, 0.45, 0.35, 0.28, 0.23, 0.19, 0.16, 0.14, 0.125]


def r_buy(k):
    return R_BUY[k] if k < len(R_BUY) else max(0.04, 0.12 * 0.965 ** (k - 8))


# the whole shop's scale: sign-ups per day and spend are SCALE × the channel bases below
SCALE = 0.42


def demand(d: date) -> float:
    # a slow launch month, then growth from 0.35 (April 2024) to about 1.25 (late June 2025)
    g = 0.22 if d < SINCE else 0.35 + 0.90 * (d - SINCE).days / 455
    if d.weekday() >= 5:
        g *= 1.12
    if date(2025, 1, 27) <= d <= date(2025, 2, 4):     # Spring Festival holidays
        g *= 0.70
    if d.month == 6 and 10 <= d.day <= 18:
        g *= 1.30                                       # the "618" shopping festival, both years
    if d.month == 11 and 1 <= d.day <= 11:             # Singles' Day (双11) 2024
        g *= 1.25
    return SCALE * g


def days(a: date, b: date):
    d = a
    while d <= b:
        yield d
        d += timedelta(days=1)


def monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def poisson(rng, lam):
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def wchoice(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def rand_time(rng, lo: datetime, hi: datetime) -> datetime:
    """A whole-second time in [lo, hi) following the shop's hour-of-day profile."""
    span = int((hi - lo).total_seconds())
    for _ in range(60):
        t = lo + timedelta(seconds=rng.randrange(span))
        if rng.random() * HMAX < HOURS[t.astimezone(TZ).hour]:
            return t.replace(microsecond=0)
    return (lo + timedelta(seconds=rng.randrange(span))).replace(microsecond=0)


class User:
    __slots__ = ("uid", "signup", "channel", "raw_channel", "country", "device", "ts_text",
                 "q", "b", "uf", "active", "orders", "events", "note")


class Order:
    __slots__ = ("t", "user", "cents", "final", "status_time", "paid_time", "pm",
                 "no_upd", "oid", "special", "uid_text")


class Ev:
    __slots__ = ("t", "uid", "name", "props", "eid")

    def __init__(self, t, uid, name, props=""):
        self.t, self.uid, self.name, self.props, self.eid = t, uid, name, props, None


# ----------------------------------------------------------------------------- generator

class Generator:
    def __init__(self):
        self.files = {}        # name -> bytes
        self.recs = {}         # name -> [Rec]
        self.spend_rows = []   # (date, channel, campaign, cents, impressions, clicks)

    def rng(self, part):
        return random.Random(f"{SEED}:{part}")

    # --- spend and sign-ups -------------------------------------------------------------
    def simulate_acquisition(self):
        rs, ru = self.rng("spend"), self.rng("signups")
        raw_users = []
        for d in days(LAUNCH, date(2025, 7, 2)):
            g = demand(d)
            for ch, cfg in CHANNELS.items():
                if ch == "organic":
                    n = poisson(ru, cfg["base"] * g) if d <= AS_OF else 0
                else:
                    total = cfg["base"] * g * cfg["cpa"] * rs.uniform(0.85, 1.15)
                    camps = [c for c in cfg["camps"]
                             if (c[2] is None or c[2] <= d) and (c[3] is None or d <= c[3])]
                    ws = [c[1] * rs.uniform(0.8, 1.2) for c in camps]
                    for c, w in zip(camps, ws):
                        cents = int(round(total * w / sum(ws) * 100))
                        imps = int(cents / 100 / (cfg["cpm"] * rs.uniform(0.8, 1.25)) * 1000)
                        clicks = int(imps * cfg["ctr"] * rs.uniform(0.75, 1.3))
                        self.spend_rows.append([d, ch, c[0], cents, imps, clicks])
                    n = poisson(ru, total / cfg["cpa"] * ru.uniform(0.85, 1.15)) if d <= AS_OF else 0
                for _ in range(n):
                    t = rand_time(ru, L(d), L(d + timedelta(days=1)))
                    raw_users.append((t, ch))
        raw_users.sort(key=lambda x: (x[0], list(CHANNELS).index(x[1])))
        self.users = []
        for i, (t, ch) in enumerate(raw_users, 1):
            u = User()
            u.uid, u.signup, u.channel, u.raw_channel = f"u{i:05d}", t, ch, ch
            u.country, u.device = wchoice(ru, COUNTRIES), wchoice(ru, DEVICES)
            u.ts_text, u.active, u.orders, u.events, u.note = f_local(t), True, [], [], None
            u.uf = min(3.0, ru.gammavariate(1.6, 1 / 1.6))
            self.users.append(u)
        self.by_uid = {u.uid: u for u in self.users}

    # --- planting on users (before behaviour, as some change the sign-up instant) ----------
    def plant_user_quirks(self):
        r = self.rng("user-quirks")
        pool = [u for u in self.users if u.signup.date() >= date(2025, 1, 6)
                and u.signup.date() <= date(2025, 6, 20)]
        taken = set()

        def pick(pred=lambda u: True):
            while True:
                u = r.choice(pool)
                if u.uid not in taken and pred(u):
                    taken.add(u.uid)
                    return u

        self.pick_user = pick
        # empty channel -> unknown
        for _ in range(12):
            u = pick(lambda u: u.channel == "organic")
            u.channel, u.raw_channel = "unknown", ""
        # channel spelling variants: each at least once, then ~3 % of the users
        for ch, vs in USER_VARIANTS.items():
            for v in vs:
                pick(lambda u: u.channel == ch).raw_channel = v
        for u in self.users:
            if u.uid not in taken and u.channel in USER_VARIANTS and r.random() < 0.03:
                u.raw_channel = r.choice(USER_VARIANTS[u.channel])
                taken.add(u.uid)
        # timestamp forms other than "YYYY-MM-DD HH:MM:SS" (all valid)
        forms = ["iso_offset"] * 6 + ["slash"] * 6 + ["zulu"] * 6 + ["epoch10"] * 5 + \
                ["epoch13"] * 5 + ["date_only"] * 5 + ["offset_nocolon"] * 3 + ["fraction"] * 3
        self.ts_forms = {}
        for form in forms:
            u = pick()
            t = u.signup
            if form == "iso_offset":
                u.ts_text = t.strftime("%Y-%m-%dT%H:%M:%S+08:00")
            elif form == "slash":
                t = t.replace(second=0)
                u.ts_text = t.strftime("%Y/%m/%d %H:%M")
            elif form == "zulu":
                u.ts_text = t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            elif form == "epoch10":
                u.ts_text = str(epoch_s(t))
            elif form == "epoch13":
                t = t.replace(microsecond=r.randrange(1000) * 1000)
                u.ts_text = str(epoch_ms(t))
            elif form == "date_only":
                t = L(t.date())
                u.ts_text = t.strftime("%Y-%m-%d")
            elif form == "offset_nocolon":
                u.ts_text = t.strftime("%Y-%m-%dT%H:%M:%S+0800")
            elif form == "fraction":
                t = t.replace(microsecond=r.randrange(1, 1000000))
                u.ts_text = t.strftime("%Y-%m-%d %H:%M:%S.%f")
            u.signup = t
            self.ts_forms[u.uid] = form
        # users whose row will be rejected: no behaviour (one keeps an order, see sales)
        self.bad_users = OrderedDict()
        for kind in ["2025-02-30", "03/01/2025", "yesterday", "hour24", "missing_uid",
                     "missing_signup"]:
            u = pick(lambda u: u.channel != "unknown" and u.raw_channel == u.channel)
            u.active = False
            self.bad_users[kind] = u
        # duplicate users (behaviour follows the row that is kept)
        self.dup_users = OrderedDict()
        for kind in ["identical", "second_earlier", "second_later", "same_instant",
                     "padded_uid", "second_after_as_of", "truncated_row"]:
            self.dup_users[kind] = pick(lambda u: u.raw_channel == u.channel
                                        and u.uid not in self.ts_forms)
        self.korea_ml = pick(lambda u: u.raw_channel == u.channel and u.uid not in self.ts_forms)
        # a user who signs up after as_of (2025-07-02)
        j = User()
        j.uid, j.signup, j.channel, j.raw_channel = f"u{len(self.users) + 1:05d}", \
            L(date(2025, 7, 2), 10, 21, 7), "google", "google"
        j.country, j.device, j.ts_text, j.active = "China", "ios", None, False
        j.uf, j.orders, j.events, j.note = 1.0, [], [], None
        j.ts_text = f_local(j.signup)
        self.july_user = j

    # --- behaviour -----------------------------------------------------------------------
    def simulate_behaviour(self):
        r = self.rng("behaviour")
        self.orders = []
        self.events = []
        for u in self.users:
            if not u.active:
                continue
            cfg = CHANNELS.get(u.channel, CHANNELS["organic"])
            q, b = cfg["q"] * (0.95 if u.channel == "unknown" else 1), cfg["b"]
            s = u.signup
            # the sign-up session
            if r.random() < min(0.95, 0.62 * b):
                self.browse(r, u, s + timedelta(seconds=r.randint(20, 1500)), r.random() < 0.2)
            w0 = L(monday(s.astimezone(TZ).date()))
            for k in range(0, 75):
                ws = w0 + timedelta(days=7 * k)
                if ws >= SALES_END:
                    break
                lo = max(ws, s + timedelta(minutes=45))
                hi = min(ws + timedelta(days=7), SALES_END)
                if (hi - lo).total_seconds() < 3 * 3600:
                    continue
                if r.random() < min(0.92, r_buy(k) * q * u.uf):
                    n = wchoice(r, [(1, 78), (2, 18), (3, 4)])
                    for t in sorted(rand_time(r, lo, hi) for _ in range(n)):
                        self.order(r, u, t)
                pb = min(0.95, (r_buy(k) * 0.8 + 0.03) * b * (0.5 + 0.5 * u.uf))
                if r.random() < pb:
                    self.browse(r, u, rand_time(r, lo, hi), r.random() < 0.3)
        self.events.sort(key=lambda e: (e.t, e.uid, e.name))
        self.orders.sort(key=lambda o: (o.t, o.user.uid))

    def browse(self, r, u, t, to_cart):
        evs = []
        for _ in range(wchoice(r, [(1, 40), (2, 30), (3, 18), (4, 8), (5, 4)])):
            evs.append(Ev(t, u.uid, "view_item"))
            t += timedelta(seconds=r.randint(10, 240), milliseconds=r.randrange(1000))
        if to_cart:
            evs.append(Ev(t, u.uid, "add_to_cart", self.sku(r)))
            if r.random() < 0.18:
                evs.append(Ev(t + timedelta(seconds=r.randint(30, 300)), u.uid, "checkout"))
        self.add_events(r, evs)

    def add_events(self, r, evs):
        for e in evs:
            e.t = e.t.replace(microsecond=(e.t.microsecond // 1000) * 1000)
            if e.t < EV_END:
                self.events.append(e)

    def sku(self, r):
        return '{"sku":"SKU-%d"}' % r.randint(1001, 1240)

    def order(self, r, u, t):
        o = Order()
        o.t, o.user, o.special, o.oid, o.uid_text = t, u, None, None, None
        n_items = wchoice(r, [(1, 72), (2, 22), (3, 6)])
        cents = 0
        for _ in range(n_items):
            p = r.choices(PRICES, weights=PRICE_W)[0] * 100
            if r.random() < 0.2:
                p -= 10
            cents += p
        if cents > 10000 and r.random() < 0.15:
            cents -= r.choice([1000, 2000])
        o.cents = cents
        o.paid_time = t + timedelta(seconds=r.randint(3, 90))
        x = r.random()
        if x < 0.03:
            o.final, o.status_time = "refunded", t + timedelta(days=r.randint(1, 20), seconds=r.randint(0, 86399))
        elif x < 0.05:
            o.final, o.status_time = "cancelled", t + timedelta(seconds=r.randint(300, 21600))
        elif x < 0.065:
            o.final, o.status_time = "failed", t + timedelta(seconds=r.randint(5, 120))
        else:
            o.final, o.status_time = "paid", o.paid_time
        o.pm = wchoice(r, PAYMENTS)
        o.no_upd = r.random() < 0.02
        self.orders.append(o)
        u.orders.append(o)
        # what the user did right before ordering
        cart = t - timedelta(seconds=r.randint(90, 900), milliseconds=r.randrange(1000))
        evs = []
        vt = cart
        for _ in range(wchoice(r, [(1, 55), (2, 33), (3, 12)])):
            vt = vt - timedelta(seconds=r.randint(20, 500), milliseconds=r.randrange(1000))
            evs.append(Ev(vt, u.uid, "view_item"))
        evs.append(Ev(cart, u.uid, "add_to_cart", self.sku(r)))
        evs.append(Ev(t - timedelta(seconds=r.randint(15, 90), milliseconds=r.randrange(1000)),
                      u.uid, "checkout"))
        self.add_events(r, evs)

    # --- users.csv -----------------------------------------------------------------------
    def build_users(self):
        r = self.rng("users-file")
        recs = []
        by_uid_rec = {}
        forms_txt = {
            "iso_offset": "ISO 8601 with `+08:00`", "slash": "`YYYY/MM/DD HH:MM` (no seconds)",
            "zulu": "UTC with `Z`", "epoch10": "10-digit Unix epoch (seconds)",
            "epoch13": "13-digit Unix epoch (milliseconds)", "date_only": "date only (local midnight)",
            "offset_nocolon": "offset `+0800` without colon", "fraction": "fractional seconds (6 digits)"}
        for u in self.users:
            fields = [u.uid, u.ts_text, u.raw_channel, u.country, u.device]
            rec = Rec(csv_line(fields))
            if u.uid in self.ts_forms:
                rec.planted, rec.group = True, "signup_at as " + forms_txt[self.ts_forms[u.uid]] + " → parsed, kept"
            elif u.raw_channel == "":
                rec.planted, rec.group = True, "empty utm_source → channel `unknown`, kept"
            elif u.raw_channel != u.channel:
                canon = u.channel
                rec.planted = True
                rec.group = f"utm_source {show(u.raw_channel)} → `{canon}`, kept"
            elif u.country == "Korea, Republic of":
                rec.planted, rec.group = True, 'country `"Korea, Republic of"` (quoted comma), kept'
            recs.append(rec)
            by_uid_rec[u.uid] = rec
        # rejects
        bu = self.bad_users
        def setrow(u, fields, outcome, what):
            rec = by_uid_rec[u.uid]
            rec.text, rec.outcome, rec.planted, rec.what, rec.group = csv_line(fields), outcome, True, what, None
        u = bu["2025-02-30"]
        setrow(u, [u.uid, "2025-02-30", u.raw_channel, u.country, u.device],
               "reject:bad_timestamp:signup_at", "created_at `2025-02-30` (impossible date)")
        u = bu["03/01/2025"]
        setrow(u, [u.uid, "03/01/2025", u.raw_channel, u.country, u.device],
               "reject:bad_timestamp:signup_at", "created_at `03/01/2025` (US-style date); this user's order in the sales file becomes `unknown_user`")
        u = bu["yesterday"]
        setrow(u, [u.uid, "yesterday", u.raw_channel, u.country, u.device],
               "reject:bad_timestamp:signup_at", "created_at `yesterday`")
        u = bu["hour24"]
        setrow(u, [u.uid, u.signup.strftime("%Y-%m-%d") + " 24:00:00", u.raw_channel, u.country, u.device],
               "reject:bad_timestamp:signup_at", "created_at with hour `24:00:00` (fine print: hour 24 is a reject)")
        u = bu["missing_uid"]
        setrow(u, ["", u.ts_text, u.raw_channel, u.country, u.device],
               "reject:missing:user_id", "empty uid")
        u = bu["missing_signup"]
        setrow(u, [u.uid, "", u.raw_channel, u.country, u.device],
               "reject:missing:signup_at", "empty created_at")
        # multi-line country
        u = self.korea_ml
        u.country = "Hong Kong\nSAR"
        rec = by_uid_rec[u.uid]
        rec.text = csv_line([u.uid, u.ts_text, u.raw_channel, u.country, u.device])
        rec.planted, rec.group = True, "country `\"Hong Kong\\nSAR\"`: quoted field with an embedded newline (record spans 2 lines), kept"

        # duplicates: extra rows inserted later in the file
        inserts = []   # (after index, Rec)
        def later(u, min_gap=40, max_gap=400):
            i = recs.index(by_uid_rec[u.uid])
            return min(len(recs) - 1, i + r.randint(min_gap, max_gap))
        du = self.dup_users
        u = du["identical"]
        first = by_uid_rec[u.uid]
        first.planted, first.group = True, None
        inserts.append((later(u), Rec(first.text, "duplicate", True,
                                      f"uid `{u.uid}` exported twice, identical rows → first kept")))
        first.what = f"uid `{u.uid}` (first of two identical rows)"
        first.outcome = "kept"
        u = du["second_earlier"]
        first = by_uid_rec[u.uid]
        first.text = csv_line([u.uid, f_local(u.signup + timedelta(hours=26, minutes=13)),
                               u.raw_channel, u.country, u.device])
        first.outcome, first.planted = "duplicate", True
        first.what = f"uid `{u.uid}` with a later created_at than its second row → the earlier (second) row is kept"
        inserts.append((later(u), Rec(csv_line([u.uid, u.ts_text, u.raw_channel, u.country, u.device]),
                                      "kept", True, f"uid `{u.uid}` second row, earlier created_at → kept")))
        u = du["second_later"]
        by_uid_rec[u.uid].planted = True
        by_uid_rec[u.uid].what = f"uid `{u.uid}` first row, earliest created_at → kept"
        inserts.append((later(u), Rec(csv_line([u.uid, f_local(u.signup + timedelta(days=2, hours=3)),
                                                u.raw_channel, u.country, u.device]),
                                      "duplicate", True, f"uid `{u.uid}` again with a later created_at → earliest (first) kept")))
        u = du["same_instant"]
        by_uid_rec[u.uid].planted = True
        by_uid_rec[u.uid].what = f"uid `{u.uid}` first row → kept (tie on the instant)"
        inserts.append((later(u), Rec(csv_line([u.uid, u.signup.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                                u.raw_channel, u.country, u.device]),
                                      "duplicate", True, f"uid `{u.uid}` again, same instant written in UTC (`Z`) → tie, first kept")))
        u = du["padded_uid"]
        by_uid_rec[u.uid].planted = True
        by_uid_rec[u.uid].what = f"uid `{u.uid}` → kept"
        inserts.append((later(u), Rec(csv_line([f"  {u.uid} ", f_local(u.signup + timedelta(hours=5)),
                                                u.raw_channel, u.country, u.device]),
                                      "duplicate", True, f"uid `'  {u.uid} '` (padded; trims to an existing uid), later created_at → duplicate")))
        u = du["second_after_as_of"]
        by_uid_rec[u.uid].planted = True
        by_uid_rec[u.uid].what = f"uid `{u.uid}` → kept"
        inserts.append((len(recs) - 1, Rec(csv_line([u.uid, "2025-07-05 09:12:44", u.raw_channel, u.country, u.device]),
                                           "after_as_of", True,
                                           f"uid `{u.uid}` again with created_at 2025-07-05 (after as_of) → `after_as_of`, not a duplicate")))
        u = du["truncated_row"]
        by_uid_rec[u.uid].planted = True
        by_uid_rec[u.uid].what = f"uid `{u.uid}` → kept"
        inserts.append((later(u, 5, 60), Rec(csv_line([u.uid, u.ts_text, u.raw_channel]), "reject:malformed_row", True,
                                             f"truncated re-export of `{u.uid}`: 3 fields instead of 5")))
        # the July sign-up
        j = self.july_user
        inserts.append((len(recs) - 1, Rec(csv_line([j.uid, j.ts_text, j.raw_channel, j.country, j.device]),
                                           "after_as_of", True,
                                           f"uid `{j.uid}` signed up 2025-07-02 (after as_of) → `after_as_of`; "
                                           "its events/sales are `unknown_user` or `after_as_of`")))
        # blank lines
        inserts.append((r.randint(800, 1600), Rec("", "blank", True, "empty line")))
        for pos, rec in sorted(inserts, key=lambda x: x[0], reverse=True):
            recs.insert(pos + 1, rec)
        recs.append(Rec("", "blank", True, "empty line at the end of the file (file ends CRLF CRLF)"))
        header = " UID ,Created_At,UTM_Source , Country,Device"
        self.recs[USERS_CSV] = recs
        self.files[USERS_CSV] = render(header, recs, "\r\n", bom=True, final_newline=True)

    # --- sales ---------------------------------------------------------------------------
    def build_sales(self):
        r = self.rng("sales-file")
        orders = [o for o in self.orders if o.t < SALES_END]
        # extra orders: unknown users, the cascade, the July user, refund lines
        def extra(t, uid_text, cents, special):
            o = Order()
            o.t, o.user, o.cents, o.final, o.special = t, None, cents, "paid", special
            o.paid_time = o.status_time = t + timedelta(seconds=r.randint(3, 60))
            o.pm, o.no_upd, o.oid = wchoice(r, PAYMENTS), False, None
            o.uid_text = uid_text
            orders.append(o)
            return o
        real = self.users[41]
        unknown_specs = [
            (L(date(2025, 2, 11), 15, 2, 51), "u99999", "user_id `u99999` does not exist"),
            (L(date(2025, 3, 2), 20, 14, 9), self.bad_users["03/01/2025"].uid,
             f"user `{self.bad_users['03/01/2025'].uid}` whose users row was rejected (bad created_at)"),
            (L(date(2025, 5, 7), 12, 40, 3), "U" + real.uid[1:], f"user_id `U{real.uid[1:]}`: ids are case-sensitive (`{real.uid}` exists)"),
            (L(date(2025, 5, 21), 21, 5, 33), "guest", "user_id `guest`"),
            (L(date(2025, 6, 12), 9, 58, 12), f"u{len(self.users) + 57:05d}", "user_id beyond the last registered user"),
        ]
        specials = {}
        for t, uid, what in unknown_specs:
            o = extra(t, uid, r.choice([5900, 9900, 12900, 19900]), ("unknown", what))
        j = self.july_user
        extra(L(date(2025, 7, 2), 10, 48, 30), j.uid, 29900, ("july_user", None))
        # refund lines (negative amount, status paid)
        def refund_line(window, cents):
            while True:
                o = r.choice(self.orders)
                if window[0] <= o.t.date() <= window[1] and o.final == "paid" and o.special is None \
                        and o.cents > -cents and o.t.date() not in overlap_days:
                    o.special = ("refunded_part", None)
                    x = extra(o.t + timedelta(days=r.randint(2, 6), hours=r.randint(1, 9)), o.user.uid, cents,
                              ("refund_line", o))
                    x.user = o.user
                    return x
        overlap_days = set(days(Q2_FIRST, Q1_LAST))
        refund_line((date(2025, 1, 10), date(2025, 3, 20)), -5900)
        refund_line((date(2025, 4, 12), date(2025, 6, 15)), -3000)
        orders.sort(key=lambda o: (o.t, o.user.uid if o.user else o.uid_text))
        n = 100001
        for o in orders:
            if o.special and o.special[0] == "refund_line":
                continue
            o.oid = f"SO{n}"
            n += 1
        for o in orders:
            if o.special and o.special[0] == "refund_line":
                o.oid = o.special[1].oid + "-R1"

        def state(o, export_time):
            if o.final == "refunded" and o.status_time > export_time:
                return "paid", o.paid_time
            return o.final, o.status_time

        def fields(o, export_time):
            st, ts = state(o, export_time)
            uid = o.user.uid if o.user is not None else o.uid_text
            return [o.oid, uid, f_local(o.t), money(o.cents), st, o.pm, "" if o.no_upd else f_local(ts)]

        # choose orders to plant on (natural, paid, active user, not in the overlap)
        taken = set()
        def pick(lo, hi, final="paid"):
            while True:
                o = r.choice(self.orders)
                if lo <= o.t.date() <= hi and o.final == final and o.special is None and \
                        o.oid not in taken and o.t.date() not in overlap_days and \
                        o.user.uid not in self.dup_users_uids and not (o.final == "refunded" and o.status_time > E1 and o.t.date() <= Q1_LAST):
                    taken.add(o.oid)
                    return o
        self.dup_users_uids = {u.uid for u in self.dup_users.values()}
        Q1R = (date(2025, 1, 3), date(2025, 3, 28))
        Q2R = (date(2025, 4, 8), date(2025, 6, 27))
        mods = {}   # oid -> (fields-modifier, outcome, what, group)
        def plant(o, fn, outcome, what=None, group=None, raw=None):
            mods[o.oid] = (fn, outcome, what, group, raw)
        def set_amount(o, cents, text, outcome="kept", what=None, group=None):
            o.cents = cents
            plant(o, lambda f: f.__setitem__(3, text), outcome, what, group)
        # valid amount forms (kept)
        set_amount(pick(*Q1R), 123450, "¥1,234.50", group="amount `¥1,234.50` (symbol + grouping) → 1234.50, kept")
        set_amount(pick(*Q2R), 108800, "¥1,088.00", group="amount `¥1,088.00` → 1088.00, kept")
        set_amount(pick(*Q1R), 9900, "￥99", group="amount `￥99` (full-width yen, no decimals) → 99.00, kept")
        set_amount(pick(*Q2R), 9900, "￥99", group="amount `￥99` (full-width yen, no decimals) → 99.00, kept")
        set_amount(pick(*Q1R), 129900, "1,299", group="amount `\"1,299\"` (quoted, grouping) → 1299.00, kept")
        set_amount(pick(*Q2R), 159800, "1,598.00", group="amount `\"1,598.00\"` (quoted, grouping) → 1598.00, kept")
        # bad amounts
        plant(pick(*Q1R), lambda f: f.__setitem__(3, "CNY 12"), "reject:bad_number:amount", "amount `CNY 12`")
        plant(pick(*Q2R), lambda f: f.__setitem__(3, "12,34"), "reject:bad_number:amount", "amount `\"12,34\"` (bad grouping)")
        plant(pick(*Q1R), lambda f: f.__setitem__(3, "1.23456"), "reject:bad_number:amount", "amount `1.23456` (5 decimals)")
        plant(pick(*Q2R), lambda f: f.__setitem__(3, ""), "reject:missing:amount", "empty amount")
        # bad timestamps
        plant(pick(date(2025, 2, 27), date(2025, 3, 2)), lambda f: f.__setitem__(2, "2025-02-29 11:20:00"),
              "reject:bad_timestamp:ordered_at", "ordered_at `2025-02-29 11:20:00` (2025 is not a leap year)")
        plant(pick(date(2025, 3, 29), date(2025, 3, 31)), lambda f: f.__setitem__(2, "31/03/2025 14:05"),
              "reject:bad_timestamp:ordered_at", "ordered_at `31/03/2025 14:05` (day-first)")
        def two_faults(f):
            f[2] = "2025-05-32 10:00:00"
            f[3] = "abc"
        plant(pick(date(2025, 5, 28), date(2025, 5, 31)), two_faults, "reject:bad_timestamp:ordered_at",
              "ordered_at `2025-05-32 10:00:00` and amount `abc`: two bad values → the first in canonical order")
        def missing_and_bad(f):
            f[2] = "2025-06-31 09:00:00"
            f[3] = ""
        plant(pick(date(2025, 6, 24), date(2025, 6, 27)), missing_and_bad, "reject:missing:amount",
              "empty amount and ordered_at `2025-06-31 09:00:00`: `missing:` wins over a bad value")
        plant(pick(*Q2R), lambda f: f.__setitem__(6, "N/A"), "reject:bad_timestamp:updated_at",
              "updated_at `N/A` (optional column, but present and not a timestamp)")
        plant(pick(*Q2R), lambda f: f.__setitem__(0, ""), "reject:missing:order_id", "empty order_id")
        o = pick(*Q1R)
        o.cents = 129900
        plant(o, None, "reject:malformed_row", "amount `1,299` written unquoted → 8 fields instead of 7",
              raw=lambda f: ",".join(f[:3] + ["1,299"] + f[4:]))
        # statuses in mixed case
        for text, rng_ in [("PAID", Q1R), ("PAID", Q1R), ("Paid", Q1R), ("Paid", Q1R), (" paid ", Q1R),
                           ("PAID", Q2R), ("PAID", Q2R), ("Paid", Q2R)]:
            plant(pick(*rng_), lambda f, t=text: f.__setitem__(4, t), "kept",
                  group=f"status {show(text)} (case/space variant of paid) → kept")
        for text, final, rng_ in [("Refunded", "refunded", Q1R), ("CANCELLED", "cancelled", Q1R),
                                  ("canceled", "cancelled", Q2R), ("FAILED", "failed", Q2R),
                                  ("Cancelled", "cancelled", Q2R)]:
            o = pick(*rng_, final=final)
            plant(o, lambda f, t=text: f.__setitem__(4, t), "excluded_status",
                  f"status {show(text)} → excluded (case-insensitive)")
        plant(pick(*Q2R), lambda f: f.__setitem__(4, ""), "kept",
              group="empty status (null is not an excluded status) → kept")
        o = pick(*Q1R)
        plant(o, lambda f: f.__setitem__(1, f[1] + "\u00a0"), "kept",
              group="user_id with a trailing NBSP (U+00A0) → trimmed, kept")
        o = pick(*Q2R)
        plant(o, lambda f: f.__setitem__(1, "  " + f[1] + " "), "kept",
              group="user_id padded with spaces → trimmed, kept")

        # overlap handling: forced re-exports
        overlap = [o for o in orders if Q2_FIRST <= o.t.date() <= Q1_LAST and o.special is None]
        forced = []
        while len(forced) < 2:
            o = r.choice(overlap)
            if o.final == "paid" and o not in forced and o.oid not in taken and not o.no_upd:
                o.final = "refunded"
                o.status_time = L(date(2025, 4, 8 + 7 * len(forced)), 11, 30) + timedelta(seconds=r.randint(0, 3000))
                o.special = ("forced_refund", None)
                forced.append(o)
        def pick_overlap():
            while True:
                o = r.choice(overlap)
                if o.special is None and not o.no_upd and o.final == "paid":
                    return o
        o_q1_empty = pick_overlap()
        o_q1_empty.special = ("q1_no_upd", None)
        o_q2_empty = pick_overlap()
        o_q2_empty.special = ("q2_no_upd", None)

        # rows of each file
        s24, q1, q2 = [], [], []
        for o in orders:
            d = o.t.date()
            for fname, rows, export_time, inside in [(SALES_2024, s24, E0, d <= Y24_LAST),
                                                     (SALES_Q1, q1, E1, Q1_FIRST <= d <= Q1_LAST),
                                                     (SALES_Q2, q2, E2, d >= Q2_FIRST)]:
                if not inside:
                    continue
                f = fields(o, export_time)
                rec = Rec(None, sort=(o.t, o.oid))
                rec.outcome = "kept"
                sp = o.special[0] if o.special else None
                if o.oid in mods:
                    fn, outcome, what, group, raw = mods[o.oid]
                    if fn:
                        fn(f)
                    rec.text = raw(f) if raw else csv_line(f)
                    rec.outcome, rec.what, rec.group, rec.planted = outcome, what or "", group, True
                    rows.append(rec)
                    continue
                if sp == "unknown":
                    rec.outcome, rec.planted, rec.what = "reject:unknown_user", True, o.special[1]
                elif sp == "july_user":
                    rec.outcome, rec.planted = "after_as_of", True
                    rec.what = f"order of `{o.uid_text}` (signed up 2025-07-02), ordered 2025-07-02 → `after_as_of` (step 2 comes before the user check)"
                elif sp == "refund_line":
                    rec.planted = True
                    rec.group = (f"refund line `{o.oid}` (refunds part of `{o.special[1].oid}`): amount `{money(o.cents)}` "
                                 "with status paid → kept, lowers revenue, no purchase event")
                elif sp == "q1_no_upd" and fname == SALES_Q1:
                    f[6] = ""
                elif sp == "q2_no_upd" and fname == SALES_Q2:
                    f[6] = ""
                rec.text = csv_line(f)
                if rec.outcome == "kept":
                    st = f[4].strip().lower()
                    if d > AS_OF:
                        rec.outcome, rec.group = "after_as_of", "order dated 2025-07-01…03 (after as_of)"
                    elif Q2_FIRST <= d <= Q1_LAST:
                        # exported twice: keep the greatest updated_at, ties -> the later file
                        u1 = None if (o.no_upd or sp == "q1_no_upd") else state(o, E1)[1]
                        u2 = None if (o.no_upd or sp == "q2_no_upd") else state(o, E2)[1]
                        keep_q2 = (u1 is None) or (u2 is not None and u2 >= u1)
                        mine_kept = keep_q2 == (fname == SALES_Q2)
                        if not mine_kept:
                            rec.outcome = "duplicate"
                        elif st in ("refunded", "cancelled", "canceled", "failed"):
                            rec.outcome = "excluded_status"
                        if sp == "forced_refund":
                            rec.planted = True
                            rec.what = (f"order `{o.oid}` exported as `paid` on 2025-04-06 → duplicate of its Q2 re-export"
                                        if fname == SALES_Q1 else
                                        f"order `{o.oid}` re-exported as `refunded` with a later updated_at → wins the dedup, then `excluded_status`")
                        elif sp == "q1_no_upd":
                            rec.planted = True
                            rec.what = (f"order `{o.oid}` without updated_at in Q1 (ranks lowest) → duplicate" if fname == SALES_Q1
                                        else f"order `{o.oid}` with updated_at in Q2 → kept")
                        elif sp == "q2_no_upd":
                            rec.planted = True
                            rec.what = (f"order `{o.oid}` with updated_at in Q1 → kept (the Q2 copy has none)" if fname == SALES_Q1
                                        else f"order `{o.oid}` re-exported without updated_at (ranks lowest) → duplicate although later in input order")
                        elif rec.outcome == "duplicate" and state(o, E1) != state(o, E2):
                            rec.group = "order exported as `paid` in Q1 and refunded before the Q2 export (later updated_at in Q2) → the Q1 copy is the duplicate"
                        elif rec.outcome == "duplicate":
                            rec.group = "order exported in both files (2025-04-01…05), identical rows → the Q1 copy is the duplicate (ties: last in input order)"
                        elif rec.outcome == "excluded_status":
                            rec.group = f"status `{st}` → excluded"
                    elif st in ("refunded", "cancelled", "canceled", "failed"):
                        rec.outcome, rec.group = "excluded_status", f"status `{st}` → excluded"
                    if rec.outcome == "kept" and f[6] == "" and not rec.planted:
                        rec.planted, rec.group = True, "empty updated_at (optional column, null) → kept"
                rows.append(rec)
        # an order exported twice within the Q2 file (identical rows: the last one is kept)
        for rows, win, outcome, what1, what2 in [
                (q2, (date(2025, 5, 3), date(2025, 5, 25)), "kept",
                 "order `{}` exported twice in a row in the same file → first copy is a duplicate",
                 "order `{}` second identical copy → kept (tie: last in input order)"),
                (q2, (date(2025, 7, 1), date(2025, 7, 3)), "after_as_of",
                 "order `{}` dated 2025-07 exported twice → `after_as_of` (not a duplicate)",
                 "order `{}` second copy → `after_as_of`")]:
            while True:
                i = r.randrange(len(rows))
                rec = rows[i]
                if not rec.planted and rec.group is None and rec.outcome == "kept" or \
                        (outcome == "after_as_of" and rec.outcome == "after_as_of" and not rec.planted):
                    if win[0] <= rec.sort[0].date() <= win[1]:
                        break
            oid = rec.sort[1]
            rec.planted, rec.group = True, None
            rec.what = what2.format(oid)
            dup = Rec(rec.text, "duplicate" if outcome == "kept" else "after_as_of", True, what1.format(oid), sort=rec.sort)
            rows.insert(i, dup)
        header = "order_id,user_id,ordered_at,amount,status,payment_method,updated_at"
        self.recs[SALES_2024], self.recs[SALES_Q1], self.recs[SALES_Q2] = s24, q1, q2
        self.files[SALES_2024] = render(header, s24, "\n", bom=False, final_newline=True)
        self.files[SALES_Q1] = render(header, q1, "\n", bom=False, final_newline=True)
        self.files[SALES_Q2] = render(header, q2, "\n", bom=False, final_newline=False)
        self.sales_orders = orders

    # --- channel_spend.csv -----------------------------------------------------------------
    def build_spend(self):
        r = self.rng("spend-file")
        rows = sorted(self.spend_rows, key=lambda x: (x[0], x[1], x[2]))
        recs = []
        forms = {}
        # big promo days written with symbol and grouping
        for d, ch, camp, new in [(date(2025, 3, 1), "facebook", "Spring, Sale", 120000),
                                 (date(2025, 6, 18), "google", "Search_Generic", 158040)]:
            for row in rows:
                if row[0] == d and row[1] == ch and row[2] == camp:
                    row[4] = int(row[4] * new / max(1, row[3]))
                    row[5] = int(row[5] * new / max(1, row[3]))
                    row[3] = new
                    forms[id(row)] = ("spend", "¥" + money_grouped(new),
                                      f"spend `\"¥{money_grouped(new)}\"` (symbol + grouping, quoted) → kept")
        # the usual rows
        in_range = [row for row in rows if row[0] <= AS_OF]
        taken = set(forms)
        def pick(pred=lambda row: True):
            while True:
                row = r.choice(in_range)
                if id(row) not in taken and row[0] >= SINCE and pred(row):
                    taken.add(id(row))
                    return row
        for _ in range(25):
            row = pick()
            forms[id(row)] = ("spend", "¥" + money(row[3]), "spend with a leading `¥` → kept")
        n = 0
        while n < 12:
            row = pick(lambda row: row[3] % 10 == 0)
            txt = money(row[3])
            txt = txt[:-1] if not txt.endswith("00") else txt[:-3]
            forms[id(row)] = ("spend", txt, "spend without two decimals (e.g. `850.5`, `120`) → kept")
            n += 1
        for ch, text in [("facebook", "Facebook Ads"), ("facebook", "Facebook Ads"), ("facebook", "FB"),
                         ("facebook", "FB"), ("google", "Google Ads"), ("google", "Google Ads"),
                         ("tiktok", " TikTok "), ("tiktok", "TIKTOK"), ("wechat", "WeChat"), ("email", "Email")]:
            row = pick(lambda row: row[1] == ch)
            forms[id(row)] = ("channel", text, f"channel {show(text)} → `{ch}`, kept")
        row = pick(lambda row: row[1] == "email")
        row[3], row[4], row[5] = 0, 0, 0
        forms[id(row)] = ("spend", "0.00", "campaign paused: spend `0.00`, 0 impressions → kept")
        row = pick(lambda row: row[1] == "google")
        forms[id(row)] = ("date", row[0].strftime("%Y/%m/%d"), "date written `YYYY/MM/DD` → kept")
        rejects = {}
        rejects[id(pick(lambda row: row[1] == "wechat"))] = ("spend", "n/a", "reject:bad_number:spend", "spend `n/a`")
        rejects[id(pick(lambda row: row[1] == "facebook"))] = ("impressions", "12k", "reject:bad_number:impressions",
                                                               "impressions `12k`")
        rejects[id(pick(lambda row: row[1] == "tiktok"))] = ("clicks", "-5", "reject:bad_number:clicks",
                                                             "clicks `-5` (counts are non-negative)")
        restate = pick(lambda row: row[1] == "facebook" and row[2] == "FB_Retargeting")
        exact = pick(lambda row: row[1] == "google" and row[2] == "Search_Brand")
        adjust = pick(lambda row: row[1] == "tiktok" and row[2] == "TT_Conversions")
        null_camp = pick(lambda row: row[1] == "email")
        col = {"date": 0, "channel": 1, "campaign": 2, "spend": 3, "impressions": 4, "clicks": 5}

        def text_of(row, override=None):
            f = [row[0].strftime("%Y-%m-%d"), row[1], row[2], money(row[3]), str(row[4]), str(row[5])]
            if row[1] == "tiktok" and date(2025, 2, 10) <= row[0] <= date(2025, 2, 16):
                f[5] = ""
            if override:
                f[col[override[0]]] = override[1]
            return csv_line(f)

        for row in rows:
            rec = Rec(text_of(row, forms.get(id(row))))
            if id(row) in forms:
                rec.planted, rec.group = True, forms[id(row)][2]
            elif row[1] == "tiktok" and date(2025, 2, 10) <= row[0] <= date(2025, 2, 16):
                rec.planted, rec.group = True, "tiktok 2025-02-10…16: clicks empty (reporting outage) → null, kept"
            elif row[2] == "Spring, Sale":
                rec.planted, rec.group = True, 'campaign `"Spring, Sale"` (quoted comma) → kept'
            if id(row) in rejects:
                c, v, outcome, what = rejects[id(row)]
                rec.text = text_of(row, (c, v))
                rec.outcome, rec.what, rec.planted, rec.group = outcome, what, True, None
            if row[0] > AS_OF:
                rec.outcome, rec.group = "after_as_of", "spend dated 2025-07-01…02 (after as_of)"
            recs.append(rec)
            if row is restate:
                rec.outcome, rec.planted, rec.group = "duplicate", True, None
                rec.what = f"({row[0]}, facebook, FB_Retargeting) first version → replaced by the restated row below"
                new = list(row)
                new[3] = row[3] + 1234
                recs.append(Rec(text_of(new, ("channel", "Facebook Ads")), "kept", True,
                                "same key restated as `Facebook Ads` with a corrected spend → last in input order kept"))
            if row is exact:
                rec.outcome, rec.planted, rec.group = "duplicate", True, None
                rec.what = f"({row[0]}, google, Search_Brand) exported twice, identical → first dropped"
                recs.append(Rec(rec.text, "kept", True, "second identical copy → kept (last in input order)"))
            if row is adjust:
                f = [row[0].strftime("%Y-%m-%d"), row[1], row[2], "-120.00", "", ""]
                recs.append(Rec(csv_line(f), "reject:negative_spend", True,
                                "platform credit `-120.00` booked as its own row → `negative_spend`"))
            if row is null_camp:
                f = [row[0].strftime("%Y-%m-%d"), "email", "", "35.00", "", ""]
                recs.append(Rec(csv_line(f), "kept", True,
                                "email row without campaign and without impressions/clicks → kept (campaign null)"))
        header = "date,channel,campaign,spend,impressions,clicks"
        self.recs[SPEND_CSV] = recs
        self.files[SPEND_CSV] = render(header, recs, "\n", bom=False, final_newline=True)

    # --- events.csv ----------------------------------------------------------------------
    def build_events(self):
        r = self.rng("events-file")
        evs = self.events
        used = set()
        for e in evs:
            while True:
                x = "%010x" % r.getrandbits(40)
                if x not in used:
                    used.add(x)
                    e.eid = x
                    break
        recs = []
        for e in evs:
            recs.append(Rec(csv_line([e.eid, e.uid, e.name, f_utc_ms(e.t), e.props]), sort=e.t))
        idx = list(range(len(evs)))
        taken = set()

        def pick(lo, hi, name=None, pred=lambda e: True):
            while True:
                i = r.choice(idx)
                e = evs[i]
                if i not in taken and lo <= e.t.astimezone(TZ).date() <= hi and (name is None or e.name == name) \
                        and e.uid not in self.dup_users_uids and pred(e):
                    taken.add(i)
                    return i, e

        def settext(i, fields, outcome="kept", what="", group=None):
            rec = recs[i]
            rec.text, rec.outcome, rec.what, rec.group, rec.planted = csv_line(fields), outcome, what, group, True

        # legacy web SDK without event ids (7 Jan - 12 Jan): keyed by the tuple
        legacy = [i for i, e in enumerate(evs)
                  if date(2025, 1, 7) <= e.t.astimezone(TZ).date() <= date(2025, 1, 12)
                  and self.by_uid[e.uid].device == "web" and e.uid not in self.dup_users_uids]
        for i in legacy:
            e = evs[i]
            taken.add(i)
            settext(i, ["", e.uid, e.name, f_utc_ms(e.t), e.props],
                    group="empty event_id (legacy web SDK) → deduplicated by (user_id, event, occurred_at), kept")
        inserts = []   # (index to insert after, Rec)
        dl = r.sample(legacy, 5)
        for k, i in enumerate(dl):
            e = evs[i]
            if k < 3:
                inserts.append((i, Rec(csv_line(["", e.uid, e.name, f_utc_ms(e.t), e.props]), "duplicate", True,
                                       "no event_id, same (user_id, event, occurred_at) as the row before → duplicate")))
            elif k == 3:
                inserts.append((i, Rec(csv_line(["", e.uid, e.name, e.t.astimezone(TZ).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3], e.props]),
                                       "duplicate", True,
                                       "no event_id, same tuple with occurred_at written as local time (same instant) → duplicate")))
            else:
                inserts.append((i, Rec(csv_line(["", e.uid, f"  {e.name} ", f_utc_ms(e.t), e.props]), "duplicate", True,
                                       "no event_id, event name padded with spaces (trims to the same tuple) → duplicate")))
        # re-sent events with the same event_id
        for k in range(6):
            i, e = pick(date(2025, 2, 1), date(2025, 6, 25))
            t = e.t + (timedelta(seconds=2) if k == 5 else timedelta(0))
            what = ("event_id re-sent with occurred_at 2 s later → duplicate (same event_id, first kept)" if k == 5
                    else "event_id re-sent, identical row → duplicate (first kept)")
            inserts.append((i + r.randint(1, 6), Rec(csv_line([e.eid, e.uid, e.name, f_utc_ms(t), e.props]),
                                                     "duplicate", True, what)))
            recs[i].planted, recs[i].what = True, f"event_id `{e.eid}` first occurrence → kept"
        # a row without event_id whose tuple equals an id-keyed row: not a duplicate
        i, e = pick(date(2025, 3, 1), date(2025, 3, 31))
        recs[i].planted, recs[i].what = True, f"event_id `{e.eid}` → kept"
        inserts.append((i, Rec(csv_line(["", e.uid, e.name, f_utc_ms(e.t), e.props]), "kept", True,
                               "no event_id but the same tuple as the id-keyed row before → kept (keys never match)")))
        # event name with spaces (id-keyed)
        i, e = pick(date(2025, 2, 1), date(2025, 6, 25), "add_to_cart")
        settext(i, [e.eid, e.uid, " add_to_cart ", f_utc_ms(e.t), e.props], group="event `' add_to_cart '` → trimmed, kept")
        # timestamp forms (valid)
        for form, n in [("epoch13", 4), ("iso_offset", 4), ("slash", 3), ("naive", 3), ("offset_nocolon", 2), ("epoch10", 2)]:
            for _ in range(n):
                i, e = pick(date(2025, 1, 15), date(2025, 6, 25))
                lt = e.t.astimezone(TZ)
                if form == "epoch13":
                    txt, g = str(epoch_ms(e.t)), "occurred_at as a 13-digit epoch (ms) → kept"
                elif form == "iso_offset":
                    txt, g = lt.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "+08:00", "occurred_at with `+08:00` → kept"
                elif form == "slash":
                    txt, g = lt.strftime("%Y/%m/%d %H:%M:%S"), "occurred_at `YYYY/MM/DD HH:MM:SS` (local) → kept"
                elif form == "naive":
                    txt, g = lt.strftime("%Y-%m-%d %H:%M:%S"), "occurred_at without offset (local time) → kept"
                elif form == "offset_nocolon":
                    txt, g = lt.strftime("%Y-%m-%dT%H:%M:%S+0800"), "occurred_at with `+0800` → kept"
                else:
                    txt, g = str(epoch_s(e.t)), "occurred_at as a 10-digit epoch (s) → kept"
                settext(i, [e.eid, e.uid, e.name, txt, e.props], group=g)
        # rejects
        for txt, reason, what in [
                ("2025-06-31T10:00:00Z", "reject:bad_timestamp:occurred_at", "occurred_at `2025-06-31T10:00:00Z` (June has 30 days)"),
                ("2025-3-5 10:00:00", "reject:bad_timestamp:occurred_at", "occurred_at `2025-3-5 10:00:00` (single-digit month/day)"),
                ("17400000000", "reject:bad_timestamp:occurred_at", "occurred_at `17400000000` (11-digit epoch)"),
                ("2025-05-10t10:00:00z", "reject:bad_timestamp:occurred_at", "occurred_at `2025-05-10t10:00:00z` (lower-case t/z)")]:
            i, e = pick(date(2025, 2, 1), date(2025, 6, 25))
            settext(i, [e.eid, e.uid, e.name, txt, e.props], reason, what)
        i, e = pick(date(2025, 2, 1), date(2025, 6, 25))
        settext(i, [e.eid, e.uid, "", f_utc_ms(e.t), e.props], "reject:missing:event", "empty event")
        i, e = pick(date(2025, 2, 1), date(2025, 6, 25))
        settext(i, [e.eid, "", e.name, f_utc_ms(e.t), e.props], "reject:missing:user_id", "empty user_id")
        i, e = pick(date(2025, 2, 1), date(2025, 6, 25))
        settext(i, [e.eid, e.uid, e.name, "", e.props], "reject:missing:occurred_at", "empty occurred_at")
        i, e = pick(date(2025, 2, 1), date(2025, 6, 25), "view_item")
        recs[i].text = csv_line([e.eid, e.uid, e.name, f_utc_ms(e.t), e.props]) + ","
        recs[i].outcome, recs[i].planted = "reject:malformed_row", True
        recs[i].what = "a trailing comma → 6 fields instead of 5"
        i, e = pick(date(2025, 4, 1), date(2025, 4, 30))
        inserts.append((i, Rec("   ", "reject:malformed_row", True, "a line of three spaces → a one-field row (fine print)")))
        # unknown users
        real = self.users[41]
        for uid, what in [("u99999", "user_id `u99999` does not exist"), ("u99999", "user_id `u99999` does not exist"),
                          ("U" + real.uid[1:], f"user_id `U{real.uid[1:]}`: ids are case-sensitive")]:
            i, e = pick(date(2025, 2, 1), date(2025, 6, 25), "view_item")
            nid = "%010x" % r.getrandbits(40)
            inserts.append((i, Rec(csv_line([nid, uid, "view_item", f_utc_ms(e.t + timedelta(seconds=7)), self.sku(r)]),
                                   "reject:unknown_user", True, what)))
        j = self.july_user
        i, e = pick(date(2025, 6, 29), date(2025, 6, 29))
        inserts.append((i, Rec(csv_line(["%010x" % r.getrandbits(40), j.uid, "view_item", f_utc_ms(e.t + timedelta(seconds=3)), self.sku(r)]),
                               "reject:unknown_user", True,
                               f"`{j.uid}` browsing on 2025-06-29; that user's sign-up is after as_of so it is not kept → `unknown_user`")))
        # a huge field and a multi-line field
        i, e = pick(date(2025, 5, 1), date(2025, 5, 31), "add_to_cart")
        items = [{"sku": f"SKU-{1001 + k}", "name": f'Ceramic mug "Nordic" {k % 7 + 2}00ml, gift box',
                  "qty": 1 + k % 3, "price": money(PRICES[k % len(PRICES)] * 100)} for k in range(120)]
        big = json.dumps({"cart": items, "note": "bulk order for an office, \"handle with care\""}, ensure_ascii=False,
                         separators=(",", ":"))
        settext(i, [e.eid, e.uid, e.name, f_utc_ms(e.t), big],
                group=f"props holding a {len(big):,}-character JSON with `\"\"` quotes and commas → extra column ignored, kept")
        i, e = pick(date(2025, 5, 1), date(2025, 5, 31), "checkout")
        pretty = json.dumps({"coupon": "SPRING10", "address": {"city": "上海", "line": "No. 88, \"Lane\" 3"}},
                            ensure_ascii=False, indent=2)
        settext(i, [e.eid, e.uid, e.name, f_utc_ms(e.t), pretty],
                group=f"props holding pretty-printed JSON over {pretty.count(chr(10)) + 1} lines → kept")
        # the last minutes of as_of, and after it
        last = self.users[-1]
        tail = [
            (Ev(L(date(2025, 6, 30), 23, 59, 59, 999000), self.users[-3].uid, "view_item", self.sku(r)), "kept",
             "occurred_at `2025-06-30T15:59:59.999Z` = 23:59:59.999 local on as_of → kept"),
            (Ev(L(date(2025, 7, 1), 0, 30), last.uid, "view_item", self.sku(r)), "after_as_of",
             "occurred_at `2025-06-30T16:30:00.000Z` = 2025-07-01 00:30 local → `after_as_of`"),
            (Ev(L(date(2025, 7, 1), 8, 15), self.users[-2].uid, "add_to_cart", self.sku(r)), "after_as_of",
             "occurred_at `2025-07-01T08:15:00+08:00` → `after_as_of`"),
            (Ev(L(date(2025, 7, 1), 9, 0), self.users[-5].uid, "view_item", self.sku(r)), "after_as_of",
             "occurred_at as epoch ms on 2025-07-01 09:00 local → `after_as_of`"),
        ]
        tail_recs = []
        for k, (e, outcome, what) in enumerate(tail):
            txt = [f_utc_ms(e.t), f_utc_ms(e.t), e.t.strftime("%Y-%m-%dT%H:%M:%S+08:00"), str(epoch_ms(e.t))][k]
            tail_recs.append(Rec(csv_line(["%010x" % r.getrandbits(40), e.uid, e.name, txt, e.props]), outcome, True, what))
        for pos, rec in sorted(inserts, key=lambda x: x[0], reverse=True):
            recs.insert(pos + 1, rec)
        recs.extend(tail_recs)
        header = "event_id,user_id,event,occurred_at,props"
        self.recs[EVENTS_CSV] = recs
        self.files[EVENTS_CSV] = render(header, recs, "\n", bom=False, final_newline=True)

    # --- run -----------------------------------------------------------------------------
    def run(self):
        self.simulate_acquisition()
        self.plant_user_quirks()
        self.simulate_behaviour()
        self.dup_users_uids = {u.uid for u in self.dup_users.values()}
        self.build_users()
        self.build_sales()
        self.build_spend()
        self.build_events()
        self.files["README.md"] = self.readme().encode("utf-8")
        return self

    # --- expected counts -------------------------------------------------------------------
    def expected(self):
        out = OrderedDict()
        for inp in ["users", "sales", "channels", "events"]:
            c = dict(rows_read=0, rejected=Counter(), duplicates=0, after_as_of=0, excluded_status=0, blank=0)
            for f in ALL_FILES:
                if INPUT_OF[f] != inp:
                    continue
                for rec in self.recs[f]:
                    o = rec.outcome
                    if o == "blank":
                        c["blank"] += 1
                        continue
                    c["rows_read"] += 1
                    if o.startswith("reject:"):
                        c["rejected"][o[7:]] += 1
                    elif o == "duplicate":
                        c["duplicates"] += 1
                    elif o in ("after_as_of", "excluded_status"):
                        c[o] += 1
            c["rows_kept"] = c["rows_read"] - sum(c["rejected"].values()) - c["duplicates"] - c["after_as_of"] - c["excluded_status"]
            out[inp] = c
        return out

    # --- README ----------------------------------------------------------------------------
    def readme(self):
        exp = self.expected()
        O = []
        w = O.append
        nrows = {f: sum(1 for r in self.recs[f] if r.outcome != "blank") for f in ALL_FILES}
        sizes = {f: len(self.files[f]) for f in ALL_FILES}
        n_users = len(self.users)
        w("# Sample data: a small online shop, 2024-03-01 … 2025-07-03\n")
        w("Generated by `python3 scripts/make_sample_data.py` (deterministic, seed "
          f"{SEED}; re-running rewrites every file here byte for byte). "
          "`python3 scripts/make_sample_data.py --check` parses the files independently "
          "(Python `csv`), applies SPEC §3.2–§3.4 and verifies every row's outcome against the "
          "tables below. The pipeline is `pipelines/sample.json` (timezone `Asia/Shanghai`, "
          "since `2024-04-01`, as_of `2025-06-30`: 65 complete weeks, so that every week of the last quarter has "
          "a year-ago week to compare with). **Do not edit these files by hand** — change the "
          "generator and re-run it; this README is emitted by it too.\n")
        w("## The shop\n")
        n_dec = sum(1 for u in self.users if u.signup.astimezone(TZ).date() < SINCE)
        n_24 = sum(1 for u in self.users if u.signup.astimezone(TZ).date() <= Y24_LAST)
        w("A Chinese online home-goods store (mugs, bedding, kitchenware; prices 39–899 CNY) that "
          f"soft-launched on 2024-03-01. {n_users:,} accounts were created by 2025-06-30 "
          f"({n_24:,} in 2024, {n_dec} of them in March 2024, before `since`), acquired through six channels:\n")
        w("| channel | spend | what the data shows |\n|---|---|---|")
        w("| organic | none | steady sign-ups, average buyers |")
        w("| facebook | 3 campaigns (`FB_Prospecting`, `FB_Retargeting`, `\"Spring, Sale\"` in Mar–Apr) | average buyers, the most expensive sign-ups |")
        w("| google | 3 campaigns (`Search_Brand`, `Search_Generic`, `Shopping_PMax`) | the best buyers: strong ROAS |")
        w("| tiktok | 2 campaigns (`TT_Awareness`, `TT_Conversions`) | cheap sign-ups that browse but rarely pay: negative ROI |")
        w("| wechat | `Moments_Ads` plus seasonal `春节大促` (Spring Festival) and `618预热` (618 warm-up, June of both years), `双11` (Singles' Day, Oct 21 – Nov 11 2024) | good buyers |")
        w("| email | `Newsletter`, `Winback` (from March) | tiny spend, loyal buyers |\n")
        w("Sign-ups grow steadily over the 16 months (about 15 a week in April 2024, about 60 in June 2025), "
          "rise for Singles' Day (November 1–11), dip over the Spring Festival (late January 2025) and peak "
          "around the 618 festival (June 10–18, both years). Purchases decay week by week after sign-up "
          "(about a third of a cohort buys in the week after its sign-up week, about a tenth in week 8; "
          "see the reference values at the end). Before each order "
          "the user views items, adds to the cart and checks out; most sessions end without an "
          "order. About 6.5 % of orders are refunded, cancelled or failed.\n")
        w("## Files\n")
        w("| file | bytes | data rows | encoding / line ends | content |\n|---|---|---|---|---|")
        w(f"| `users.csv` | {sizes[USERS_CSV]:,} | {nrows[USERS_CSV]:,} | UTF-8 **with BOM**, **CRLF**, ends with a blank line | one row per sign-up |")
        w(f"| `sales_2024.csv` | {sizes[SALES_2024]:,} | {nrows[SALES_2024]:,} | UTF-8, LF | orders placed 2024-03-01 … 2024-12-31, exported 2025-01-02 06:00 |")
        w(f"| `sales_2025-q1.csv` | {sizes[SALES_Q1]:,} | {nrows[SALES_Q1]:,} | UTF-8, LF | orders placed 2025-01-01 … 2025-04-05, exported 2025-04-06 06:00 |")
        w(f"| `sales_2025-q2.csv` | {sizes[SALES_Q2]:,} | {nrows[SALES_Q2]:,} | UTF-8, LF, **no final newline** | orders placed 2025-04-01 … 2025-07-03, exported 2025-07-04 06:00 |")
        w(f"| `channel_spend.csv` | {sizes[SPEND_CSV]:,} | {nrows[SPEND_CSV]:,} | UTF-8, LF | ad spend per day, channel and campaign, 2024-03-01 … 2025-07-02 |")
        w(f"| `events.csv` | {sizes[EVENTS_CSV]:,} | {nrows[EVENTS_CSV]:,} | UTF-8, LF | product analytics up to 2025-06-30 |\n")
        w("Data rows count records, not physical lines (a quoted field may span lines) and not blank lines. "
          "Line numbers below are **physical** lines, the header being line 1; a record's line is the "
          "line it starts on (as in `rejects/<input>.csv`).\n")
        w("### Columns\n")
        w("**users.csv** — header `\" UID ,Created_At,UTM_Source , Country,Device\"` (odd case and "
          "spacing on purpose; the pipeline maps `user_id`→`uid`, `signup_at`→`created_at`, "
          "`channel`→`utm_source`, `country`→`country`, matched after trimming and case-insensitively):\n")
        w("- `UID` — user id `u00001`…, case-sensitive\n"
          "- `Created_At` — sign-up time; mostly `YYYY-MM-DD HH:MM:SS` local (Asia/Shanghai), with a few other valid forms\n"
          "- `UTM_Source` — acquisition channel, in assorted spellings resolved by normalisation and `channel_aliases`; empty = `unknown`\n"
          "- `Country` — free text (some quoted)\n"
          "- `Device` — not used by opsetl (extra column, ignored)\n")
        w("**sales_2024.csv, sales_2025-q1.csv, sales_2025-q2.csv** — `order_id,user_id,ordered_at,amount,status,payment_method,updated_at`:\n")
        w("- `order_id` — `SO100001`…; a partial refund is its own line `SO…-R1` with a negative amount and status `paid`\n"
          "- `ordered_at`, `updated_at` — local `YYYY-MM-DD HH:MM:SS`; `updated_at` is the time of the last status change and is empty on ~2 % of rows\n"
          "- `amount` — CNY, mostly `129.00`, sometimes `¥1,234.50`, `￥99`, `\"1,299\"`\n"
          "- `status` — `paid`, `refunded`, `cancelled`, `failed` (a few in other cases)\n"
          "- `payment_method` — not used by opsetl\n"
          "- The two 2025 files overlap on 2025-04-01 … 2025-04-05: those orders are in both. An order refunded after "
          "the Q1 export shows `paid` in Q1 and `refunded` (later `updated_at`) in Q2. The 2024 file "
          "shares no order with them; an order refunded after its export (2025-01-02) stays `paid` there.\n")
        w("**channel_spend.csv** — `date,channel,campaign,spend,impressions,clicks`: one row per day, channel "
          "and campaign; spend in CNY (mostly `123.45`); impressions and clicks are counts, sometimes empty.\n")
        w("**events.csv** — `event_id,user_id,event,occurred_at,props`: events `view_item`, `add_to_cart`, "
          "`checkout` (purchases come from the sales files), `occurred_at` mostly UTC with milliseconds "
          "(`2025-03-01T02:15:00.123Z`); `event_id` is 10 hex digits, empty for a legacy SDK; `props` is "
          "JSON, not used by opsetl.\n")
        w("## Expected data quality (SPEC §3.4, §5)\n")
        w("What `opsetl run pipelines/sample.json` must report in `data_quality.csv` "
          "(`unknown_users: reject`, so `unknown_user_ignored` is 0 everywhere):\n")
        w("| input | rows_read | rows_kept | rejected | duplicates | after_as_of | excluded_status | reject_rate | rejects by reason |\n|---|---|---|---|---|---|---|---|---|")
        for inp, c in exp.items():
            rej = sum(c["rejected"].values())
            reasons = ", ".join(f"`{k}` {v}" for k, v in sorted(c["rejected"].items()))
            w(f"| {inp} | {c['rows_read']} | {c['rows_kept']} | {rej} | {c['duplicates']} | {c['after_as_of']} | "
              f"{c['excluded_status']} | {rej / c['rows_read']:.6f} | {reasons} |")
        w("\nBlank lines (skipped, not rows): " + ", ".join(
            f"`{f}` line {r.line}" for f in ALL_FILES for r in self.recs[f] if r.outcome == "blank") + ".\n")
        w("## Planted defects, one row per record\n")
        w("Every injected record that opsetl must not simply keep, plus the kept rows they pair with.\n")
        w("| file | line | what it is | opsetl must |\n|---|---|---|---|")
        for f in ALL_FILES:
            for rec in self.recs[f]:
                if rec.planted and rec.group is None:
                    w(f"| `{f}` | {rec.line} | {rec.what or '—'} | {outcome_text(rec.outcome)} |")
        w("\n## Planted quirks that parse and are kept\n")
        w("| file | lines | quirk → expected |\n|---|---|---|")
        groups = OrderedDict()
        for f in ALL_FILES:
            for rec in self.recs[f]:
                if rec.planted and rec.group is not None and rec.outcome == "kept":
                    groups.setdefault((f, rec.group), []).append(rec.line)
        for (f, g), lines in groups.items():
            w(f"| `{f}` | {ranges(lines)} | {g} |")
        w("\n## Natural rows that are not kept\n")
        w("Realistic rows that the rules exclude: refunds and cancellations, the two sales exports' "
          "overlap, and the days after as_of that the exports include.\n")
        w("| file | count | what | opsetl must | lines |\n|---|---|---|---|---|")
        groups = OrderedDict()
        for f in ALL_FILES:
            for rec in self.recs[f]:
                if rec.group is not None and rec.outcome not in ("kept",):
                    groups.setdefault((f, rec.group, rec.outcome), []).append(rec.line)
        for (f, g, o), lines in groups.items():
            w(f"| `{f}` | {len(lines)} | {g} | {outcome_text(o)} | {ranges(lines)} |")
        if os.path.exists(PIPELINE):
            pipeline = json.load(open(PIPELINE, encoding="utf-8"))
            res, tz, aliases = clean(pipeline, os.path.dirname(PIPELINE), files={n: self.files[n] for n in ALL_FILES})
            w("\n## Reference values for `pipelines/sample.json`\n")
            w("Computed by the `--check` code, an independent Python reading of SPEC §3–§4 (not by opsetl). "
              "The SPEC is authoritative: when opsetl and these numbers disagree, find out which one is wrong.\n")
            w(metrics_markdown(reference_metrics(res, tz, aliases, pipeline), pipeline))
            w("\n" + trends_markdown(reference_trends(res, tz, pipeline)))
        w("")
        return "\n".join(O)


def outcome_text(o):
    if o == "kept":
        return "keep"
    if o == "blank":
        return "skip (blank line, not a row)"
    if o.startswith("reject:"):
        return f"reject `{o[7:]}`"
    if o == "duplicate":
        return "drop as duplicate"
    if o == "after_as_of":
        return "exclude: `after_as_of`"
    if o == "excluded_status":
        return "keep for counting only: `excluded_status`"
    return o


def ranges(lines):
    lines = sorted(lines)
    out, i = [], 0
    while i < len(lines):
        j = i
        while j + 1 < len(lines) and lines[j + 1] == lines[j] + 1:
            j += 1
        out.append(str(lines[i]) if i == j else f"{lines[i]}–{lines[j]}")
        i = j + 1
    return ", ".join(out)


# ============================================================================== the checker
# An independent reading of SPEC 3.2-3.4: it knows nothing of the generator's records except
# in compare(), which matches its own per-row outcome with the planned one.

SYMS = "¥￥$€£"
NUM = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]{1,4})?"
MONEY_RE = re.compile(rf"([+-]?)([{SYMS}]?)([+-]?)({NUM})([{SYMS}]?)")
COUNT_RE = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+")
TS_RE = re.compile(r"([0-9]{4})([-/])([0-9]{2})\2([0-9]{2})"
                   r"(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?)?"
                   r"(Z|[+-][0-9]{2}:[0-9]{2}|[+-][0-9]{4})?")
EPOCH0 = datetime(1970, 1, 1, tzinfo=UTC)

CANON = {
    "users": (["user_id", "signup_at"], ["channel", "country"]),
    "sales": (["order_id", "user_id", "ordered_at", "amount"], ["status", "updated_at"]),
    "channels": (["date", "channel", "spend"], ["campaign", "impressions", "clicks"]),
    "events": (["user_id", "event", "occurred_at"], ["event_id"]),
}
OWN_DATE = {"users": "signup_at", "sales": "ordered_at", "channels": "date", "events": "occurred_at"}
TS_COLS = {"signup_at", "ordered_at", "updated_at", "occurred_at", "date"}


def parse_ts(s, tz):
    if re.fullmatch(r"[0-9]{10}", s):
        return EPOCH0 + timedelta(seconds=int(s))
    if re.fullmatch(r"[0-9]{13}", s):
        return EPOCH0 + timedelta(milliseconds=int(s))
    m = TS_RE.fullmatch(s)
    if not m:
        return None
    y, _, mo, d, hh, mi, ss, frac, off = m.groups()
    hh, mi, ss = int(hh or 0), int(mi or 0), int(ss or 0)
    if hh > 23 or mi > 59 or ss > 59:
        return None
    us = int((frac or "0")[:6].ljust(6, "0"))
    if off is None:
        zone = tz
    elif off == "Z":
        zone = UTC
    else:
        oh, om = int(off[1:3]), int(off[-2:])
        if oh > 23 or om > 59:
            return None
        zone = timezone((1 if off[0] == "+" else -1) * timedelta(hours=oh, minutes=om))
    try:
        return datetime(int(y), int(mo), int(d), hh, mi, ss, us, tzinfo=zone)
    except ValueError:
        return None


def parse_money(s):
    m = MONEY_RE.fullmatch(s)
    if not m:
        return None
    s1, lead, s2, num, trail = m.groups()
    if (s1 and s2) or (s2 and not lead) or (lead and trail):
        return None
    v = Decimal(num.replace(",", ""))
    return -v if "-" in (s1 + s2) else v


def parse_count(s):
    return int(s.replace(",", "")) if COUNT_RE.fullmatch(s) else None


def norm_channel(v, aliases):
    if v is None:
        return "unknown"
    n = re.sub(r"\s+", " ", v.strip()).lower()
    return aliases.get(n, n)


def read_input(paths, delimiter, columns, inp, tz, base, files=None):
    """Rows of one input: dicts with file, line, reason, values, instants."""
    req, opt = CANON[inp]
    rows, blanks, headers = [], [], None
    for path in paths:
        raw = files[os.path.basename(path)] if files is not None else open(path, "rb").read()
        text = raw.decode("utf-8")                 # raises on non-UTF-8
        if text.startswith("\ufeff"):
            text = text[1:]
        rd = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        header = next(rd)
        norm = [h.strip().lower() for h in header]
        col_index = {}
        for c in req + opt:
            name = (columns or {}).get(c, c).strip().lower()
            if name in norm:
                col_index[c] = norm.index(name)
            elif c in req:
                raise SystemExit(f"{path}: required column {c} missing from {header}")
        headers = header
        prev = rd.line_num
        rel = os.path.relpath(path, base)
        for fields in rd:
            line = prev + 1
            prev = rd.line_num
            if fields == []:
                blanks.append((rel, line))
                continue
            row = dict(file=rel, line=line, reason=None, v={})
            rows.append(row)
            if len(fields) != len(header):
                row["reason"] = "malformed_row"
                continue
            v = {c: (fields[i].strip() or None) for c, i in col_index.items()}
            row["v"] = v
            miss = [c for c in req if v.get(c) is None]
            if miss:
                row["reason"] = "missing:" + miss[0]
                continue
            for c in req + opt:
                x = v.get(c)
                if x is None:
                    continue
                if c in TS_COLS:
                    t = parse_ts(x, tz)
                    if t is None:
                        row["reason"] = "bad_timestamp:" + c
                        break
                    v[c] = t
                elif c in ("amount", "spend"):
                    m = parse_money(x)
                    if m is None:
                        row["reason"] = "bad_number:" + c
                        break
                    if c == "spend" and m < 0:
                        row["reason"] = "negative_spend"
                        break
                    v[c] = m
                elif c in ("impressions", "clicks"):
                    n = parse_count(x)
                    if n is None:
                        row["reason"] = "bad_number:" + c
                        break
                    v[c] = n
    return rows, blanks, headers


def clean(pipeline, base, files=None):
    tzname = pipeline.get("timezone", "UTC")
    try:
        from zoneinfo import ZoneInfo
        tz = ZoneInfo(tzname)
    except Exception:            # noqa: BLE001 - fall back to the fixed offset of Shanghai
        tz = TZ
    as_of = date.fromisoformat(pipeline["as_of"])
    cl = pipeline.get("cleaning", {})
    aliases = {re.sub(r"\s+", " ", k.strip()).lower(): re.sub(r"\s+", " ", v.strip()).lower()
               for k, v in cl.get("channel_aliases", {}).items()}
    excl = {s.strip().lower() for s in cl.get("exclude_statuses", ["refunded", "cancelled", "canceled", "failed"])}
    res = OrderedDict()
    for inp in ["users", "sales", "channels", "events"]:
        spec = pipeline["inputs"][inp]
        pattern = os.path.join(base, spec["path"])
        if files is None:
            paths = glob.glob(pattern)
        else:                    # the generator's in-memory files, as if they were in sample-data/
            paths = [os.path.join(os.path.dirname(pattern), n) for n in files
                     if fnmatch.fnmatchcase(n, os.path.basename(pattern))]
        paths = sorted(paths, key=lambda p: p.encode())
        rows, blanks, _ = read_input(paths, spec.get("delimiter", ","), spec.get("columns"), inp, tz, base, files)
        for r in rows:
            r["out"] = "reject:" + r["reason"] if r["reason"] else None
            if r["out"] is None and r["v"][OWN_DATE[inp]].astimezone(tz).date() > as_of:
                r["out"] = "after_as_of"
        res[inp] = dict(rows=rows, blanks=blanks)
    # dedup
    live = lambda inp: [r for r in res[inp]["rows"] if r["out"] is None]
    groups = OrderedDict()
    for i, r in enumerate(live("users")):
        groups.setdefault(r["v"]["user_id"], []).append((r["v"]["signup_at"], i, r))
    for g in groups.values():
        best = min(g, key=lambda x: (x[0], x[1]))
        for x in g:
            if x is not best:
                x[2]["out"] = "duplicate"
    groups = OrderedDict()
    for i, r in enumerate(live("sales")):
        u = r["v"].get("updated_at")
        groups.setdefault(r["v"]["order_id"], []).append(((u is not None, u or EPOCH0), i, r))
    for g in groups.values():
        best = max(g, key=lambda x: (x[0], x[1]))
        for x in g:
            if x is not best:
                x[2]["out"] = "duplicate"
    groups = OrderedDict()
    for i, r in enumerate(live("channels")):
        v = r["v"]
        key = (v["date"].astimezone(tz).date(), norm_channel(v["channel"], aliases), v.get("campaign"))
        groups.setdefault(key, []).append(r)
    for g in groups.values():
        for r in g[:-1]:
            r["out"] = "duplicate"
    seen = set()
    for r in live("events"):
        v = r["v"]
        key = ("id", v["event_id"]) if v.get("event_id") is not None else ("tuple", v["user_id"], v["event"], v["occurred_at"])
        if key in seen:
            r["out"] = "duplicate"
        seen.add(key)
    users = {r["v"]["user_id"]: r for r in live("users")}
    for inp in ["sales", "events"]:
        for r in live(inp):
            if r["v"]["user_id"] not in users:
                r["out"] = "reject:unknown_user"
    for r in live("sales"):
        st = r["v"].get("status")
        if st is not None and st.lower() in excl:
            r["out"] = "excluded_status"
    for inp in res:
        for r in live(inp):
            r["out"] = "kept"
    return res, tz, aliases


def reference_metrics(res, tz, aliases, pipeline):
    """Retention, funnel (all + by channel) and ROI computed from the cleaned rows."""
    since, as_of = date.fromisoformat(pipeline["since"]), date.fromisoformat(pipeline["as_of"])
    ld = lambda t: t.astimezone(tz).date()
    users = {r["v"]["user_id"]: r["v"] for r in res["users"]["rows"] if r["out"] == "kept"}
    uch = {u: norm_channel(v.get("channel"), aliases) for u, v in users.items()}
    sales = [r["v"] for r in res["sales"]["rows"] if r["out"] == "kept"]
    events = [r["v"] for r in res["events"]["rows"] if r["out"] == "kept"]
    spend = [r["v"] for r in res["channels"]["rows"] if r["out"] == "kept"]
    out = OrderedDict()
    # retention (week, monday, activity purchase, cohort by signup)
    periods = pipeline["retention"]["periods"]
    act = defaultdict(set)
    for s in sales:
        if s["amount"] > 0:
            act[s["user_id"]].add(monday(ld(s["ordered_at"])))
    cohorts = defaultdict(list)
    for u, v in users.items():
        d = ld(v["signup_at"])
        if since <= d <= as_of:
            cohorts[monday(d)].append(u)
    pk = []
    for k in range(periods + 1):
        num = den = 0
        for c, us in cohorts.items():
            start = c + timedelta(days=7 * k)
            if start + timedelta(days=6) > as_of:
                continue
            den += len(us)
            num += sum(1 for u in us if start in act[u])
        pk.append((num, den))
    out["retention"] = pk
    # funnel: the only step-1 events are sign-ups (one per user), so the earliest-event
    # greedy match is exact
    steps = pipeline["funnel"]["steps"]
    win = timedelta(days=pipeline["funnel"]["window_days"])
    stream = defaultdict(list)
    for u, v in users.items():
        stream[u].append((v["signup_at"], "signup"))
    for s in sales:
        if s["amount"] > 0:
            stream[s["user_id"]].append((s["ordered_at"], "purchase"))
    for e in events:
        stream[e["user_id"]].append((e["occurred_at"], e["event"]))
    fun = defaultdict(lambda: [0] * len(steps))
    for u, st in stream.items():
        st.sort(key=lambda x: x[0])
        best = 0
        for i0, (t1, n1) in enumerate(st):
            if n1 != steps[0] or not (since <= ld(t1) <= as_of):
                continue
            reached, j = 1, i0
            for name in steps[1:]:
                j2 = next((k for k in range(j + 1, len(st)) if st[k][1] == name and st[k][0] - t1 <= win), None)
                if j2 is None:
                    break
                reached, j = reached + 1, j2
            best = max(best, reached)
        for seg in ("all", uch.get(u, "unknown")):
            for k in range(best):
                fun[seg][k] += 1
    out["funnel"] = fun
    # ROI
    gm = Decimal(str(pipeline["roi"]["gross_margin"]))
    rw = timedelta(days=pipeline["roi"]["revenue_window_days"])
    roi = defaultdict(lambda: dict(spend=Decimal(0), signups=0, paying=0, revenue=Decimal(0), imps=None, clicks=None))
    for s in spend:
        if since <= ld(s["date"]) <= as_of:
            x = roi[norm_channel(s["channel"], aliases)]
            x["spend"] += s["spend"]
            for k, c in (("imps", "impressions"), ("clicks", "clicks")):
                if s.get(c) is not None:
                    x[k] = (x[k] or 0) + s[c]
    by_user = defaultdict(list)
    for s in sales:
        by_user[s["user_id"]].append(s)
    for u, v in users.items():
        if not (since <= ld(v["signup_at"]) <= as_of):
            continue
        x = roi[uch[u]]
        x["signups"] += 1
        att = [s for s in by_user[u] if v["signup_at"] <= s["ordered_at"] <= v["signup_at"] + rw]
        x["revenue"] += sum((s["amount"] for s in att), Decimal(0))
        x["paying"] += any(s["amount"] > 0 for s in att)
    tot = dict(spend=Decimal(0), signups=0, paying=0, revenue=Decimal(0), imps=None, clicks=None)
    paid = dict(tot)
    for ch, x in roi.items():
        for k in tot:
            for agg in ([tot, paid] if x["spend"] > 0 else [tot]):
                if x[k] is not None:
                    agg[k] = (agg[k] or 0) + x[k]
    rows = sorted(roi.items(), key=lambda kv: (-kv[1]["spend"], kv[0])) + [("total", tot), ("total_paid", paid)]
    out["roi"] = [(ch, x, gm) for ch, x in rows]
    out["revenue_all"] = sum((s["amount"] for s in sales), Decimal(0))
    return out


TREND_KPIS = ["signups", "total_users", "active_users", "paying_users", "new_paying_users", "orders",
              "revenue", "spend", "aov", "arppu", "roas", "stickiness"]


def reference_trends(res, tz, pipeline):
    """SPEC §4.4 (segment `all`, weekly periods) and the SMART goals of §6, from the cleaned rows.

    Returns the trend rows, the kpi_changes of the latest complete week and every time-bound
    target evaluated (baseline, target, actual, projected, status). Independent of opsetl: plain
    Python over the checker's own cleaned rows, exact fractions for the least-squares projection.
    """
    from fractions import Fraction
    since, as_of = date.fromisoformat(pipeline["since"]), date.fromisoformat(pipeline["as_of"])
    tr = pipeline.get("trends", {})
    assert tr.get("period", "week") == "week" and pipeline["retention"].get("week_start", "monday") == "monday"
    n_rows = tr.get("periods", 12)
    activity = set(tr.get("activity", pipeline["retention"].get("activity", ["purchase"])))
    ld = lambda t: t.astimezone(tz).date()
    users = {r["v"]["user_id"]: ld(r["v"]["signup_at"]) for r in res["users"]["rows"] if r["out"] == "kept"}
    sales = [r["v"] for r in res["sales"]["rows"] if r["out"] == "kept"]
    events = [r["v"] for r in res["events"]["rows"] if r["out"] == "kept"]
    spend = [r["v"] for r in res["channels"]["rows"] if r["out"] == "kept"]
    # activity per user and date (§3.5 stream: purchase = sale with amount > 0)
    act_days = defaultdict(set)          # date -> users active that day
    purchases = [(ld(s["ordered_at"]), s["user_id"]) for s in sales if s["amount"] > 0]
    for d, u in purchases:
        if "purchase" in activity:
            act_days[d].add(u)
    for e in events:
        if e["event"] in activity:
            act_days[ld(e["occurred_at"])].add(e["user_id"])
    if "signup" in activity:
        for u, d in users.items():
            act_days[d].add(u)
    first_buy = {}
    for d, u in purchases:
        first_buy[u] = min(d, first_buy.get(u, d))

    def kpis(p):
        """The KPIs of the week starting p, and whether it is complete."""
        dates = [p + timedelta(days=i) for i in range(7) if since <= p + timedelta(days=i) <= as_of]
        complete = len(dates) == 7
        if not dates:
            return None, False
        ds = set(dates)
        k = OrderedDict()
        k["signups"] = sum(1 for d in users.values() if d in ds)
        k["total_users"] = sum(1 for d in users.values() if d <= dates[-1])
        active = set().union(*(act_days[d] for d in dates))
        k["active_users"] = len(active)
        k["paying_users"] = len({u for d, u in purchases if d in ds})
        k["new_paying_users"] = sum(1 for d in first_buy.values() if d in ds)
        k["orders"] = sum(1 for d, u in purchases if d in ds)
        k["revenue"] = sum((s["amount"] for s in sales if ld(s["ordered_at"]) in ds), Decimal(0))
        k["spend"] = sum((s["spend"] for s in spend if ld(s["date"]) in ds), Decimal(0))
        k["aov"] = Fraction(k["revenue"]) / k["orders"] if k["orders"] else None
        k["arppu"] = Fraction(k["revenue"]) / k["paying_users"] if k["paying_users"] else None
        k["roas"] = Fraction(k["revenue"]) / Fraction(k["spend"]) if k["spend"] else None
        k["stickiness"] = (Fraction(sum(len(act_days[d]) for d in dates), len(dates)) / len(active)
                           if active else None)
        return k, complete

    last = monday(as_of)
    rows = []
    for i in range(n_rows - 1, -1, -1):
        p = last - timedelta(days=7 * i)
        if p + timedelta(days=6) < since:
            continue
        k, complete = kpis(p)
        rows.append((p, not complete, k))
    complete_rows = [p for p, partial, _ in rows if not partial]
    out = OrderedDict(rows=rows, changes=None, goals=[])
    if not complete_rows:
        return out
    L = complete_rows[-1]
    cur = kpis(L)[0]

    def value_if_complete(p):
        k, complete = kpis(p)
        return k if complete else None
    prev, ago = value_if_complete(L - timedelta(days=7)), value_if_complete(L - timedelta(days=364))
    ch = []
    for name in TREND_KPIS:
        v = cur[name]
        pv = prev[name] if prev else None
        av = ago[name] if ago else None
        change = None if v is None or pv is None else Fraction(v) - Fraction(pv)
        rate = None if change is None or not pv else change / Fraction(pv)
        yrate = None if v is None or av is None or not av else (Fraction(v) - Fraction(av)) / Fraction(av)
        ch.append((name, v, pv, change, rate, av, yrate))
    out["changes"] = (L, L - timedelta(days=7), L - timedelta(days=364), ch)
    # time-bound targets (§6)
    for t in pipeline.get("targets", []):
        if "start" not in t:
            continue
        kpi = t["metric"].split(".", 1)[1]
        start, by = date.fromisoformat(t["start"]), date.fromisoformat(t["by"]) if "by" in t else None
        sp = monday(start)
        base_k = value_if_complete(sp - timedelta(days=7))
        baseline = None if base_k is None or base_k[kpi] is None else Fraction(base_k[kpi])
        kind, target = None, None
        for key, sign, rel, kd in [("increase_by", 1, False, "min"), ("increase_by_rate", 1, True, "min"),
                                   ("decrease_by", -1, False, "max"), ("decrease_by_rate", -1, True, "max")]:
            if key in t:
                x = Fraction(str(t[key]))
                kind = kd
                if baseline is not None:
                    target = baseline * (1 + sign * x) if rel else baseline + sign * x
        actual = None if cur[kpi] is None else Fraction(cur[kpi])
        pts = []
        p = sp
        while p <= L:                    # every complete week from the start's to L, rows or not
            k, complete = kpis(p)
            if complete and k[kpi] is not None:
                pts.append((Fraction((p - sp).days // 7), Fraction(k[kpi])))
            p += timedelta(days=7)
        projected = None
        if len(pts) >= 2 and by is not None:
            n = len(pts)
            mx = sum(x for x, _ in pts) / n
            my = sum(y for _, y in pts) / n
            slope = sum((x - mx) * (y - my) for x, y in pts) / sum((x - mx) ** 2 for x, _ in pts)
            at = Fraction((monday(by) - sp).days // 7)
            projected = my + slope * (at - mx)
        reaches = (lambda v: v >= target) if kind == "min" else (lambda v: v <= target)
        if actual is None or target is None:
            status = "no_data"
        elif reaches(actual):
            status = "met"
        elif by is None or as_of >= by:
            status = "missed"
        elif projected is not None and reaches(projected):
            status = "on_track"
        else:
            status = "behind"
        out["goals"].append(dict(metric=t["metric"], label=t.get("label", ""), start=sp, deadline=by,
                                 baseline=baseline, target=target, actual=actual, projected=projected,
                                 status=status, points=len(pts)))
    return out


def fmt(v, places=2):
    """A value as the checker prints it: integers as they are, others rounded half up."""
    if v is None:
        return "null"
    if isinstance(v, int):
        return str(v)
    from fractions import Fraction
    if isinstance(v, Fraction) and v.denominator == 1:
        return str(v.numerator)
    if isinstance(v, Fraction):
        v = Decimal(v.numerator) / Decimal(v.denominator)
    return str(Decimal(v).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def trends_markdown(t):
    money_kpis = {"revenue", "spend", "aov", "arppu"}
    places = lambda name: 2 if name in money_kpis else 6
    O = []
    w = O.append
    w("Weekly KPIs, segment `all` (SPEC §4.4; `trends.csv` rows, activity = purchase):\n")
    w("| period | partial | " + " | ".join(TREND_KPIS) + " |")
    w("|---|---|" + "---|" * len(TREND_KPIS))
    for p, partial, k in t["rows"]:
        w(f"| {p} | {str(partial).lower()} | " + " | ".join(fmt(k[n], places(n)) for n in TREND_KPIS) + " |")
    if t["changes"]:
        L, P, A, ch = t["changes"]
        w(f"\nChanges of the latest complete week {L} against {P} (previous) and {A} (a year earlier, "
          "`kpi_changes.csv`):\n")
        w("| kpi | value | previous_value | change | change_rate | year_ago_value | year_ago_change_rate |")
        w("|---|---|---|---|---|---|---|")
        for name, v, pv, c, r, av, yr in ch:
            pl = places(name)
            w(f"| {name} | {fmt(v, pl)} | {fmt(pv, pl)} | {fmt(c, pl)} | {fmt(r, 6)} | {fmt(av, pl)} | {fmt(yr, 6)} |")
    if t["goals"]:
        w("\nTime-bound goals of `pipelines/sample.json` (SPEC §6; projection = exact least squares at the "
          "deadline's week):\n")
        w("| metric | start week | deadline | baseline | target | actual | projected | points | status |")
        w("|---|---|---|---|---|---|---|---|---|")
        for g in t["goals"]:
            pl = places(g["metric"].split(".", 1)[1])
            w(f"| {g['metric']} | {g['start']} | {g['deadline']} | {fmt(g['baseline'], pl)} | {fmt(g['target'], pl)} | "
              f"{fmt(g['actual'], pl)} | {fmt(g['projected'], pl)} | {g['points']} | **{g['status']}** |")
    return "\n".join(O)


def q6(a, b):
    return "null" if not b else str((Decimal(a) / Decimal(b)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP))


def q2(a, b=1):
    return "null" if not b else str((Decimal(a) / Decimal(b)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def nul(v):
    return "null" if v is None else str(v)


def metrics_markdown(m, pipeline):
    O = []
    w = O.append
    w("Retention (`retention.pK` = Σ active / Σ cohort size over the complete cells of period k):\n")
    w("| k | " + " | ".join(str(k) for k in range(len(m["retention"]))) + " |")
    w("|---|" + "---|" * len(m["retention"]))
    w("| active / size | " + " | ".join(f"{n}/{d}" for n, d in m["retention"]) + " |")
    w("| retention.pK | " + " | ".join(q6(n, d) for n, d in m["retention"]) + " |\n")
    steps = pipeline["funnel"]["steps"]
    w("Funnel (users per step; window 14 days; the only step-1 events are sign-ups):\n")
    w("| segment | " + " | ".join(f"{i + 1} {n}" for i, n in enumerate(steps)) + " | funnel.conversion |")
    w("|---|" + "---|" * (len(steps) + 1))
    for seg in ["all"] + sorted(k for k in m["funnel"] if k != "all"):
        us = m["funnel"][seg]
        w(f"| {seg} | " + " | ".join(str(x) for x in us) + f" | {q6(us[-1], us[0])} |")
    w("\nChannel ROI (revenue window 90 days, gross margin 0.6; rows ordered as in `channel_roi.csv`):\n")
    w("| channel | spend | impressions | clicks | signups | paying_users | revenue | roi | roas | cpa | cac |")
    w("|---|---|---|---|---|---|---|---|---|---|---|")
    for ch, x, gm in m["roi"]:
        sp = x["spend"]
        w(f"| {ch} | {q2(sp)} | {nul(x['imps'])} | {nul(x['clicks'])} | {x['signups']} | {x['paying']} | {q2(x['revenue'])} | "
          f"{q6(x['revenue'] * gm - sp, sp)} | {q6(x['revenue'], sp)} | {q2(sp, x['signups'])} | {q2(sp, x['paying'])} |")
    w(f"\nRevenue of all kept, non-excluded sales (any date in the files up to as_of): {q2(m['revenue_all'])}.")
    return "\n".join(O)


def compare_outputs(out_dir, res, t):
    """opsetl's tables in out_dir against the checker's own figures: data_quality.csv, the `all`
    rows of trends.csv and kpi_changes.csv, and the time-bound rows of goals.csv. A figure
    matches when the checker's exact value, rounded as opsetl printed it, is the same text."""
    def table(name):
        with open(os.path.join(out_dir, name), encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        return [dict(zip(rows[0], r)) for r in rows[1:]]

    def same(text, v):
        if v is None or text == "":
            return v is None and text == ""
        places = len(text.split(".")[1]) if "." in text else 0
        from fractions import Fraction
        want = Fraction(v) if not isinstance(v, Decimal) else Fraction(str(v))
        want = Decimal(want.numerator) / Decimal(want.denominator)
        return Decimal(text) == want.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)

    bad = []
    n = 0
    for row in table("data_quality.csv"):
        oc = Counter(r["out"] for r in res[row["input"]]["rows"])
        rej = sum(v for k, v in oc.items() if k.startswith("reject:"))
        want = dict(rows_read=len(res[row["input"]]["rows"]), rows_kept=oc["kept"], rejected=rej,
                    duplicates=oc["duplicate"], after_as_of=oc["after_as_of"], excluded_status=oc["excluded_status"])
        for k, v in want.items():
            n += 1
            if row[k] != str(v):
                bad.append(f"data_quality.csv {row['input']}.{k}: opsetl {row[k]}, checker {v}")
    trows = {r["period"]: r for r in table("trends.csv") if r["segment"] == "all"}
    for p, partial, k in t["rows"]:
        r = trows.get(str(p))
        if r is None:
            bad.append(f"trends.csv: no row all,{p}")
            continue
        n += 1
        if r["partial"] != str(partial).lower():
            bad.append(f"trends.csv all,{p}.partial: opsetl {r['partial']}, checker {str(partial).lower()}")
        for name in TREND_KPIS:
            n += 1
            if not same(r[name], k[name]):
                bad.append(f"trends.csv all,{p}.{name}: opsetl {r[name]!r}, checker {fmt(k[name], 6)}")
    if len(trows) != len(t["rows"]):
        bad.append(f"trends.csv: {len(trows)} rows for all, checker {len(t['rows'])}")
    if t["changes"]:
        L, P, A, ch = t["changes"]
        crows = {r["metric"]: r for r in table("kpi_changes.csv") if r["segment"] == "all"}
        for name, v, pv, c, rate, av, yr in ch:
            r = crows.get(name)
            if r is None:
                bad.append(f"kpi_changes.csv: no row all,{name}")
                continue
            for col, want in [("period", str(L)), ("previous_period", str(P)), ("year_ago_period", str(A))]:
                n += 1
                if r[col] != want:
                    bad.append(f"kpi_changes.csv all,{name}.{col}: opsetl {r[col]}, checker {want}")
            for col, want in [("value", v), ("previous_value", pv), ("change", c), ("change_rate", rate),
                              ("year_ago_value", av), ("year_ago_change_rate", yr)]:
                n += 1
                if not same(r[col], want):
                    bad.append(f"kpi_changes.csv all,{name}.{col}: opsetl {r[col]!r}, checker {fmt(want, 6)}")
    grows = [r for r in table("goals.csv") if r["start"]]
    if len(grows) != len(t["goals"]):
        bad.append(f"goals.csv: {len(grows)} time-bound rows, checker {len(t['goals'])}")
    for r, g in zip(grows, t["goals"]):
        for col, want in [("metric", g["metric"]), ("status", g["status"]),
                          ("deadline", str(g["deadline"]) if g["deadline"] else "")]:
            n += 1
            if r[col] != want:
                bad.append(f"goals.csv {g['metric']}.{col}: opsetl {r[col]}, checker {want}")
        for col in ["baseline", "target", "actual", "projected"]:
            n += 1
            if not same(r[col], g[col]):
                bad.append(f"goals.csv {g['metric']}.{col}: opsetl {r[col]!r}, checker {fmt(g[col], 6)}")
    return n, bad


def check(gen, compare=None):
    ok = True
    # 1. the files on disk are what the generator writes
    for name, data in gen.files.items():
        path = os.path.join(DATA_DIR, name)
        disk = open(path, "rb").read() if os.path.exists(path) else None
        if disk != data:
            print(f"MISMATCH: {name} on disk differs from the generator's output (re-run without --check)")
            ok = False
    # 2. byte-level dialect facts
    u = open(os.path.join(DATA_DIR, USERS_CSV), "rb").read()
    q2 = open(os.path.join(DATA_DIR, SALES_Q2), "rb").read()
    facts = [
        ("users.csv starts with a UTF-8 BOM", u.startswith(b"\xef\xbb\xbf")),
        ("users.csv: every line break outside quotes is CRLF", u.count(b"\r\n") == u.count(b"\r")
         and u.count(b"\n") - u.count(b"\r\n") == sum(r.text.count("\n") for r in gen.recs[USERS_CSV])),
        ("users.csv ends with CRLF CRLF (a trailing blank line)", u.endswith(b"\r\n\r\n")),
        ("sales_2025-q2.csv has no final newline", not q2.endswith(b"\n")),
        ("sales/channel/events files have no CR", all(b"\r" not in open(os.path.join(DATA_DIR, f), "rb").read()
                                                     for f in [SALES_2024, SALES_Q1, SALES_Q2, SPEND_CSV, EVENTS_CSV])),
    ]
    for what, good in facts:
        print(f"  [{'ok' if good else 'FAIL'}] {what}")
        ok &= good
    # 3. independent cleaning
    pipeline = json.load(open(PIPELINE, encoding="utf-8"))
    base = os.path.dirname(PIPELINE)
    res, tz, aliases = clean(pipeline, base)
    planned = {}
    for f in ALL_FILES:
        for rec in gen.recs[f]:
            planned[(os.path.join("..", "sample-data", f), rec.line)] = rec
    mism = 0
    for inp, d in res.items():
        for r in d["rows"]:
            rec = planned.get((r["file"], r["line"]))
            want = rec.outcome if rec else "<no record starts here>"
            if want != r["out"]:
                mism += 1
                if mism <= 20:
                    print(f"  MISMATCH {r['file']}:{r['line']}: checker says {r['out']}, generator planned {want}")
        for f, line in d["blanks"]:
            rec = planned.get((f, line))
            if not rec or rec.outcome != "blank":
                mism += 1
                print(f"  MISMATCH {f}:{line}: blank line not planned")
    nplanned = sum(1 for f in ALL_FILES for _ in gen.recs[f])
    nseen = sum(len(d["rows"]) + len(d["blanks"]) for d in res.values())
    if nplanned != nseen:
        print(f"  MISMATCH: {nplanned} records planned, {nseen} parsed")
        mism += 1
    print(f"  per-row outcomes: {nseen} records compared, {mism} mismatches")
    ok &= mism == 0
    # 4. per file: rows read and planted defects
    print("\nPer file (planted = injected defects and quirks; outcome counts from the checker's own parse):")
    for f in ALL_FILES:
        recs = gen.recs[f]
        rel = os.path.join("..", "sample-data", f)
        rows = [r for d in res.values() for r in d["rows"] if r["file"] == rel]
        blanks = [b for d in res.values() for b in d["blanks"] if b[0] == rel]
        print(f"  {f}: {len(rows)} rows read, {len(blanks)} blank lines, {len(open(os.path.join(DATA_DIR, f), 'rb').read()):,} bytes")
        pc = Counter(r.outcome for r in recs if r.planted and r.outcome != "kept")
        pk = Counter(r.group for r in recs if r.planted and r.outcome == "kept" and r.group)
        pk_single = sum(1 for r in recs if r.planted and r.outcome == "kept" and not r.group)
        print("    planted, not kept: " + ", ".join(f"{k} {v}" for k, v in sorted(pc.items())))
        print(f"    planted, kept: {sum(pk.values()) + pk_single} rows ({len(pk)} quirk kinds + {pk_single} partner rows)")
        oc = Counter(r["out"] for r in rows)
        print("    checker outcomes: " + ", ".join(f"{k} {v}" for k, v in sorted(oc.items())))
    # 5. per input: the data_quality table
    print("\nExpected data_quality (checker):")
    print(f"  {'input':9} {'read':>6} {'kept':>6} {'rej':>4} {'dup':>4} {'after':>5} {'excl':>4} {'rate':>9}  reasons")
    for inp, d in res.items():
        oc = Counter(r["out"] for r in d["rows"])
        rej = Counter(o[7:] for o in oc.elements() if o.startswith("reject:"))
        n = len(d["rows"])
        rate = sum(rej.values()) / n if n else 0
        print(f"  {inp:9} {n:>6} {oc['kept']:>6} {sum(rej.values()):>4} {oc['duplicate']:>4} {oc['after_as_of']:>5} "
              f"{oc['excluded_status']:>4} {rate:>9.6f}  " + ", ".join(f"{k}={v}" for k, v in sorted(rej.items())))
        good = rate < 0.05
        ok &= good
        if not good:
            print(f"  FAIL: reject rate of {inp} is not below 5 %")
    # 6. reference metrics
    print("\nReference metrics (checker's own computation, also in README.md):\n")
    print(metrics_markdown(reference_metrics(res, tz, aliases, pipeline), pipeline))
    # 7. weekly KPIs and the SMART goals; the sample must show one goal on track and one behind
    t = reference_trends(res, tz, pipeline)
    print("\n" + trends_markdown(t))
    statuses = sorted(g["status"] for g in t["goals"])
    good = statuses == ["behind", "on_track"]
    print(f"\n  [{'ok' if good else 'FAIL'}] the two time-bound goals are one on_track and one behind ({', '.join(statuses)})")
    ok &= good
    # 8. opsetl's own tables, when a report folder is given (make sample-check)
    if compare:
        n, bad = compare_outputs(compare, res, t)
        for b in bad:
            print(f"  MISMATCH {b}")
        print(f"\nopsetl's tables in {compare}: {n} figures compared with the checker's, {len(bad)} mismatches")
        ok &= not bad
    print("\nRESULT: " + ("OK" if ok else "FAILED"))
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="verify sample-data/ instead of writing it")
    ap.add_argument("--compare", metavar="DIR", help="with --check: also compare opsetl's tables in DIR "
                    "(a run of pipelines/sample.json) with the checker's figures")
    args = ap.parse_args()
    if args.compare and not args.check:
        ap.error("--compare needs --check")
    gen = Generator().run()
    if args.check:
        sys.exit(0 if check(gen, args.compare) else 1)
    os.makedirs(DATA_DIR, exist_ok=True)
    for name, data in gen.files.items():
        with open(os.path.join(DATA_DIR, name), "wb") as fh:
            fh.write(data)
    exp = gen.expected()
    for name in ALL_FILES:
        print(f"wrote sample-data/{name}: {len(gen.files[name]):,} bytes, "
              f"{sum(1 for r in gen.recs[name] if r.outcome != 'blank'):,} rows")
    print("wrote sample-data/README.md")
    for inp, c in exp.items():
        print(f"  {inp}: rows_read={c['rows_read']} rows_kept={c['rows_kept']} rejected={dict(sorted(c['rejected'].items()))} "
              f"duplicates={c['duplicates']} after_as_of={c['after_as_of']} excluded_status={c['excluded_status']}")


if __name__ == "__main__":
    main()
