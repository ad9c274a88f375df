#!/usr/bin/env bash
# Runs the browser tests (npm run test:browser) in Debian's chromium, installing it and the Noto
# fonts (Bengali glyphs) with apt-get when missing. Screenshots land in test-artifacts/screenshots/.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium > /dev/null || ! fc-list 2> /dev/null | grep -qi "Noto Sans Bengali"; then
  echo "Installing chromium and fonts-noto-core"
  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-core > /dev/null
fi
npm run test:browser
