#!/usr/bin/env python3
"""The report's look, checked in a real browser (issue 12): headless Chromium through Selenium.

    .venv/bin/python Tests/ReportLayout/report_layout_test.py REPORT.html [REPORT.html ...]
    .venv/bin/python Tests/ReportLayout/report_layout_test.py --self-test-only

Each report is opened at 1280 × 900 (desktop) and 390 × 900 (a phone, mobile viewport) and
two things a reader would notice are measured in the rendered page:

  overflow    an element whose content is wider than its box (scrollWidth > clientWidth + 1)
              while neither it nor an ancestor is a scroll area (overflow-x auto or scroll):
              the content is clipped, or pushes the page sideways;
  small text  SVG text rendering below 10 CSS px (its computed font size × the scale at which
              its SVG is drawn: rendered width / viewBox width, taken from the element's screen
              transform so nested transforms count too), and plain HTML text inside a chart
              (figure, .chart, legends, bars) below 10 px.

Every finding is one line: page, width, element path, sizes. The exit code is 1 when there is
any finding, 2 when the browser cannot be started. Before the reports, a self-test runs the
checker on two hand-made pages: a bad one (an overflowing table, 6 px SVG text) that must be
flagged for both reasons and a good one that must pass, so that a green run is known to test
something. This file is glue: no analysis logic, nothing about opsetl's numbers.

The browser is Debian's: /usr/bin/chromium driven by /usr/bin/chromedriver (never a
downloaded driver; there is no internet here). `make deps-browser` installs both and a venv
with Selenium (scripts/install-deps.sh --browser).
"""
from __future__ import annotations

import argparse
import os
import pathlib
import sys
import tempfile

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WIDTHS = (1280, 390)
HEIGHT = 900
MIN_PX = 10.0

# Runs in the page; returns a list of findings as dicts. Kept in one place so the self-test
# exercises exactly what the reports get.
MEASURE_JS = r"""
const MIN_PX = arguments[0];
function path(el) {
  const parts = [];
  for (let e = el; e && e.nodeType === 1 && parts.length < 8; e = e.parentElement) {
    let p = e.tagName.toLowerCase();
    if (e.id) { parts.unshift(p + '#' + e.id); break; }
    const cls = (typeof e.className === 'string' ? e.className : (e.className && e.className.baseVal) || '')
      .trim().split(/\s+/).filter(Boolean).slice(0, 2);
    if (cls.length) p += '.' + cls.join('.');
    const parent = e.parentElement;
    if (parent) {
      const same = Array.from(parent.children).filter(c => c.tagName === e.tagName);
      if (same.length > 1) p += ':nth-of-type(' + (same.indexOf(e) + 1) + ')';
    }
    parts.unshift(p);
  }
  return parts.join(' > ');
}
function scrolls(el) {
  for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
    const ox = getComputedStyle(e).overflowX;
    if (ox === 'auto' || ox === 'scroll') return true;
  }
  return false;
}
function visible(el) {
  const cs = getComputedStyle(el);
  if (cs.display === 'none' || cs.visibility === 'hidden') return false;
  const r = el.getBoundingClientRect();
  return r.width > 0 || r.height > 0;
}
function snippet(el) {
  return (el.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 40);
}
const out = [];
// 1. overflow outside a scroll area (html and body included: a page that scrolls sideways)
for (const el of document.querySelectorAll('*')) {
  if (el instanceof SVGElement && el.tagName.toLowerCase() !== 'svg') continue;
  if (['script', 'style', 'title', 'head', 'meta', 'link'].includes(el.tagName.toLowerCase())) continue;
  const sw = el.scrollWidth, cw = el.clientWidth;
  if (!cw && !sw) continue;
  if (el === document.body && document.documentElement.scrollWidth <= document.documentElement.clientWidth + 1) continue;
  if (sw > cw + 1 && !scrolls(el) && visible(el)) {
    out.push({kind: 'overflow', path: path(el), detail: 'scrollWidth ' + sw + ' > clientWidth ' + cw,
              text: snippet(el)});
  }
}
// 2. SVG text below MIN_PX as rendered
for (const t of document.querySelectorAll('svg text, svg tspan')) {
  if (t.tagName.toLowerCase() === 'tspan' && t.parentElement && t.parentElement.closest('text')
      && getComputedStyle(t).fontSize === getComputedStyle(t.parentElement).fontSize) continue;
  if (!snippet(t) || !visible(t)) continue;
  const fs = parseFloat(getComputedStyle(t).fontSize);
  const svg = t.ownerSVGElement;
  let scale = 1, how = 'no viewBox';
  const ctm = t.getScreenCTM();
  if (ctm) { scale = Math.hypot(ctm.a, ctm.b); how = 'screen transform'; }
  if (svg && svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width) {
    const vw = svg.viewBox.baseVal.width, rw = svg.getBoundingClientRect().width;
    how = 'svg ' + rw.toFixed(1) + ' px / viewBox ' + vw;
    if (!ctm) scale = rw / vw;
  }
  const px = fs * scale;
  if (px < MIN_PX - 0.05) {
    out.push({kind: 'small-text', path: path(t),
              detail: 'renders ' + px.toFixed(1) + ' px (font-size ' + fs + ' px × ' + scale.toFixed(3) + ', ' + how + ')',
              text: snippet(t)});
  }
}
// 3. plain HTML text in charts below MIN_PX
const chartSel = 'figure, .chart, [class*="chart"], [class*="legend"], [class*="bar"], [class*="spark"], [class*="heatmap"]';
const seen = new Set();
for (const box of document.querySelectorAll(chartSel)) {
  if (box instanceof SVGElement) continue;
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || el instanceof SVGElement || seen.has(el) || !n.textContent.trim()) continue;
    seen.add(el);
    if (!visible(el)) continue;
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (px < MIN_PX - 0.05) {
      out.push({kind: 'small-text', path: path(el), detail: 'HTML chart text at ' + px.toFixed(1) + ' px',
                text: snippet(el)});
    }
  }
}
return out;
"""

BAD_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>bad</title>
<style>body{margin:0;font:14px sans-serif} .box{width:300px;overflow:hidden}</style></head><body>
<div class="box" id="clipped"><table><tr><td>a_very_long_column_heading_that_cannot_wrap</td>
<td>another_long_heading_reject_rate</td><td>1234567890.123456</td></tr></table></div>
<svg viewBox="0 0 1200 200" width="390" class="chart" id="tiny"><text x="10" y="50" font-size="18">six px</text></svg>
</body></html>"""

GOOD_PAGE = """<!doctype html><html><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>good</title>
<style>body{margin:0;font:14px sans-serif} .scroll{overflow-x:auto;max-width:300px}</style></head><body>
<div class="scroll"><table><tr><td>a_very_long_column_heading_that_cannot_wrap</td>
<td>another_long_heading_reject_rate</td></tr></table></div>
<svg viewBox="0 0 300 100" style="width:100%;max-width:300px" class="chart"><text x="10" y="50" font-size="12">twelve px</text></svg>
<figure class="chart"><figcaption style="font-size:12px">caption</figcaption></figure>
</body></html>"""


def start_browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for a in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
              "--hide-scrollbars", f"--window-size={WIDTHS[0]},{HEIGHT}"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)


def measure(driver, url: str, width: int):
    """Loads url at width × HEIGHT (a mobile viewport below 600 px) and returns the findings."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": width < 600})
    driver.get(url)
    driver.execute_script("return document.fonts ? document.fonts.ready.then(() => true) : true")
    inner = driver.execute_script("return window.innerWidth")
    if inner != width:
        raise RuntimeError(f"viewport is {inner} px wide, wanted {width}")
    return driver.execute_script(MEASURE_JS, MIN_PX)


def line(page: str, width: int, f: dict) -> str:
    text = f" “{f['text']}”" if f.get("text") else ""
    return f"{page} @ {width}px: {f['kind']}: {f['path']}: {f['detail']}{text}"


def self_test(driver) -> list[str]:
    """The checker must flag the bad page for both reasons and pass the good one."""
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, html in (("bad", BAD_PAGE), ("good", GOOD_PAGE)):
            p = pathlib.Path(tmp, f"{name}.html")
            p.write_text(html, encoding="utf-8")
            for w in WIDTHS:
                found = measure(driver, p.as_uri(), w)
                kinds = {f["kind"] for f in found}
                if name == "bad":
                    clipped = any(f["kind"] == "overflow" and "#clipped" in f["path"] for f in found)
                    tiny = any(f["kind"] == "small-text" and "#tiny" in f["path"] for f in found)
                    if not (clipped and tiny):
                        problems.append(f"self-test: bad page @ {w}px not flagged as expected "
                                        f"(overflow of #clipped: {clipped}, small text in #tiny: {tiny}; got {sorted(kinds)})")
                elif found:
                    problems.extend("self-test: good page flagged: " + line("good.html", w, f) for f in found)
    return problems


def main() -> int:
    ap = argparse.ArgumentParser(description="Checks report.html files for overflow and small chart text in headless Chromium.")
    ap.add_argument("reports", nargs="*", help="report.html files")
    ap.add_argument("--self-test-only", action="store_true", help="only run the self-test")
    args = ap.parse_args()
    if not args.reports and not args.self_test_only:
        ap.error("name at least one report.html (or --self-test-only)")
    missing = [r for r in args.reports if not os.path.isfile(r)]
    if missing:
        print("report-layout: no such file: " + ", ".join(missing), file=sys.stderr)
        return 2
    try:
        driver = start_browser()
    except Exception as e:  # noqa: BLE001 - one line on why the browser did not start
        print(f"report-layout: cannot start {CHROMIUM} via {CHROMEDRIVER}: {str(e).strip().splitlines()[0]} "
              "(run `make deps-browser`)", file=sys.stderr)
        return 2
    findings: list[str] = []
    checked = 0
    try:
        problems = self_test(driver)
        for p in problems:
            print(p)
        print(f"self-test: {'FAILED' if problems else 'ok'} (bad page flagged, good page clean, at "
              + " and ".join(f"{w}px" for w in WIDTHS) + ")")
        if problems:
            return 1
        for r in args.reports:
            page = r
            for w in WIDTHS:
                found = measure(driver, pathlib.Path(r).resolve().as_uri(), w)
                checked += 1
                findings.extend(line(page, w, f) for f in found)
    finally:
        driver.quit()
    for f in findings:
        print(f)
    if findings:
        # a summary by page, width, kind and the element's parent: where to look first
        groups: dict[str, int] = {}
        for f in findings:
            head, _, rest = f.partition(": ")
            kind, _, el = rest.partition(": ")
            parent = el.split(": ")[0].rsplit(" > ", 1)[0]
            key = f"{head}: {kind} in {parent}"
            groups[key] = groups.get(key, 0) + 1
        print("summary:")
        for key, n in sorted(groups.items(), key=lambda kv: -kv[1]):
            print(f"  {n:5d} × {key}")
    if args.reports:
        print(f"report-layout: {checked} page views ({len(args.reports)} reports × {len(WIDTHS)} widths), "
              f"{len(findings)} findings")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
