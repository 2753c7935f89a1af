#!/usr/bin/env bash
# Installs what opsetl needs to build and test and is not there yet: libcsv (Debian's libcsv-dev),
# zlib (zlib1g-dev: `.gz` inputs are decompressed while read)
# and `script` (util-linux's bsdutils; the progress tests run opsetl under a pseudo-terminal).
# The Swift packages are fetched by SwiftPM on the first build. Safe to run again: it does
# nothing when everything is present.
#
# `--browser` also installs what the report's layout test needs (Tests/ReportLayout): Debian's
# chromium, chromium-driver and CJK fonts, and a venv `.venv/` (gitignored) with Selenium.
# `--spark` also installs what the Spark driver needs (docs/spark.md): a Java 17+ runtime
# (Debian's openjdk-17-jre-headless) when `java` is missing or older, and a venv `.venv-spark/`
# (gitignored) with PySpark from PyPI.
set -euo pipefail

WANT_BROWSER=0
WANT_SPARK=0
for arg in "$@"; do
  case "$arg" in
    --browser) WANT_BROWSER=1 ;;
    --spark) WANT_SPARK=1 ;;
    -h|--help) echo "usage: scripts/install-deps.sh [--browser] [--spark]"; exit 0 ;;
    *) echo "install-deps: unknown option '$arg' (usage: scripts/install-deps.sh [--browser] [--spark])" >&2; exit 2 ;;
  esac
done

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
if [ "$WANT_BROWSER" -eq 1 ]; then
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
  ( cd "$(dirname "$0")/.."
  if [ ! -x .venv/bin/python ]; then
    echo "install-deps: creating .venv (Python venv for the layout test)" >&2
    python3 -m venv .venv
  fi
  if ! .venv/bin/python -c "import selenium, sys; sys.exit(selenium.__version__ != '$SELENIUM_VERSION')" >/dev/null 2>&1; then
    echo "install-deps: installing selenium==$SELENIUM_VERSION into .venv" >&2
    .venv/bin/python -m pip install -q --disable-pip-version-check "selenium==$SELENIUM_VERSION"
  fi
  )
fi

if [ "$WANT_SPARK" -eq 1 ]; then
  PYSPARK_VERSION="${PYSPARK_VERSION:-4.3.0}"
  ROOT="$(cd "$(dirname "$0")/.." && pwd)"
  VENV="${OPSETL_SPARK_VENV:-$ROOT/.venv-spark}"

  # Java 17 or later: `java -version` prints e.g. `openjdk version "17.0.15"` (or "1.8.0_x" for 8).
  java_major() {
    command -v java >/dev/null 2>&1 || { echo 0; return; }
    java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)\(\.[0-9]*\)*.*".*/\1/p' | head -n 1
  }
  major="$(java_major)"
  if [ -z "$major" ] || [ "$major" -lt 17 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "install-deps: installing openjdk-17-jre-headless with apt-get (Spark 4 needs Java 17+)" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null
  fi

  if ! command -v python3 >/dev/null 2>&1; then
    echo "install-deps: 'python3' is not on PATH; install Python 3.10+ first" >&2
    exit 1
  fi
  if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import sys, pyspark; sys.exit(0 if pyspark.__version__ == '$PYSPARK_VERSION' else 1)" >/dev/null 2>&1; then
    echo "install-deps: creating $VENV with pyspark==$PYSPARK_VERSION (about 30 s, ~520 MB)" >&2
    python3 -m venv "$VENV"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "pyspark==$PYSPARK_VERSION"
  fi
fi
