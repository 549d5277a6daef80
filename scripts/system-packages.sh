#!/usr/bin/env bash
# The system packages nseers needs beside Python: what `make run` and `make test` call first.
#
#   scripts/system-packages.sh python venv for $PYTHON (Debian's python3-venv), and ICU's
#                                     headers with pkg-config and g++, which PyICU builds on
#   scripts/system-packages.sh run    Tesseract and the OCR-B font (reading travel documents
#                                     from photographs, docs/documents.md)
#   scripts/system-packages.sh test   the same, and Debian's Chromium for the browser tests
#                                     (docs/web.md; Playwright drives /usr/bin/chromium and
#                                     never downloads a browser)
#
# What is already there is left alone. What is missing is installed with apt-get when this
# runs as root (or with sudo when it asks no password); otherwise it stops and prints the
# exact command to run. Set NSEERS_SKIP_SYSTEM_PACKAGES=1 to skip the check (a machine
# that provides these some other way).
set -euo pipefail

purpose="${1:-test}"
[ "${NSEERS_SKIP_SYSTEM_PACKAGES:-0}" = 1 ] && exit 0

missing=()
if [ "$purpose" = python ]; then
  "${PYTHON:-python3}" -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
  # PyICU (under rigour: names in every script) builds against ICU with pkg-config and g++.
  command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
  pkg-config --exists icu-uc 2>/dev/null || missing+=(libicu-dev)
  command -v g++ >/dev/null 2>&1 || missing+=(g++)
else
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
# The OCR-B font renders the specimen data pages that the OCR tests and demo read back.
{ command -v dpkg >/dev/null 2>&1 && dpkg -s fonts-ocr-b >/dev/null 2>&1; } \
  || [ -n "$(find /usr/share/fonts -iname 'ocrb*' -print -quit 2>/dev/null)" ] \
  || missing+=(fonts-ocr-b)
if [ "$purpose" = test ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

command="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
if ! command -v apt-get >/dev/null 2>&1; then
  echo "nseers needs these system packages (Debian names): ${missing[*]}" >&2
  echo "Install them with your system's package manager, then run make again." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "Installing system packages with sudo: ${missing[*]}"
  sudo -n apt-get update -qq
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
else
  echo "nseers needs system packages that are not installed: ${missing[*]}" >&2
  echo "Installing them needs root. Run this, then run make again:" >&2
  echo "  sudo sh -c '$command'" >&2
  exit 1
fi
