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
