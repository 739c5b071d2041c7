#!/usr/bin/env bash
# Install Debian's chromium for the browser tests (tests/test_report_browser.py) when it is missing.
# Used by .ci/run. It never fails the CI: without chromium those tests skip.
set -u
if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install_chromium: no apt-get here; browser tests will skip" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo -n"
  else
    echo "install_chromium: not root and no password-less sudo; browser tests will skip" >&2
    exit 0
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! timeout 300 $SUDO apt-get install -y -qq chromium >/dev/null 2>&1; then
  timeout 180 $SUDO apt-get update -qq >/dev/null 2>&1 || true
  timeout 300 $SUDO apt-get install -y -qq chromium >/dev/null 2>&1 \
    || echo "install_chromium: could not install chromium; browser tests will skip" >&2
fi
exit 0
