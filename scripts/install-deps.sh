#!/usr/bin/env bash
# Installs what opsetl needs to build and test and is not there yet: libcsv (Debian's libcsv-dev),
# zlib (zlib1g-dev: `.gz` inputs are decompressed while read)
# and `script` (util-linux's bsdutils; the progress tests run opsetl under a pseudo-terminal).
# The Swift packages are fetched by SwiftPM on the first build. Safe to run again: it does
# nothing when everything is present.
set -euo pipefail

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: 'swift' is not on PATH; install the Swift 6.x toolchain first" >&2
  exit 1
fi

if [ ! -f /usr/include/csv.h ] || ! ls /usr/lib/*/libcsv.so >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing libcsv-dev with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq libcsv-dev >/dev/null
fi

if [ ! -f /usr/include/zlib.h ] || ! ls /usr/lib/*/libz.so >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing zlib1g-dev with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq zlib1g-dev >/dev/null
fi

if ! command -v script >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "install-deps: installing bsdutils (script) with apt-get" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq bsdutils >/dev/null
fi

# --browser: what the report's layout test needs (Tests/ReportLayout, `make test-report`):
# Debian's chromium and chromium-driver (/usr/bin/chromium, /usr/bin/chromedriver), CJK fonts so the
# Chinese report renders with real glyphs, and a Python venv .venv/ (gitignored) holding a pinned
# Selenium from PyPI. Selenium is pointed at the Debian driver; it never downloads one.
SELENIUM_VERSION="4.38.0"
if [ "${1:-}" = "--browser" ]; then
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  [ -x /usr/bin/chromedriver ] || missing="$missing chromium-driver"
  dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$missing fonts-noto-cjk"
  if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then missing="$missing python3-venv"; fi
  if [ -n "$missing" ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "install-deps: installing$missing with apt-get" >&2
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  cd "$(dirname "$0")/.."
  if [ ! -x .venv/bin/python ]; then
    echo "install-deps: creating .venv (Python venv for the layout test)" >&2
    python3 -m venv .venv
  fi
  if ! .venv/bin/python -c "import selenium, sys; sys.exit(selenium.__version__ != '$SELENIUM_VERSION')" >/dev/null 2>&1; then
    echo "install-deps: installing selenium==$SELENIUM_VERSION into .venv" >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check "selenium==$SELENIUM_VERSION"
  fi
fi
