#!/usr/bin/env bash
# Render the policymaker report in a real headless browser and save a screenshot.
#   scripts/render_report.sh [OUT_DIR]
# Needs Chromium (Debian: apt-get install chromium). Writes OUT_DIR/report.html and
# OUT_DIR/report.png; fails if the browser cannot render the page.
set -euo pipefail
out="${1:-report-check}"
mkdir -p "$out"
coordgap compare --html "$out/report.html" > /dev/null
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome)"
"$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d)" --window-size=1200,3000 \
  --screenshot="$out/report.png" "file://$(realpath "$out/report.html")" 2> "$out/browser.log"
test -s "$out/report.png"
echo "rendered: $out/report.png"
