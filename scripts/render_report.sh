#!/usr/bin/env bash
# Render the policymaker report in a real headless browser: two screenshots and a PDF.
#   scripts/render_report.sh [OUT_DIR] [MODEL]
# Writes OUT_DIR/report.html, OUT_DIR/report-laptop.png (1366x768, the first screen a reader
# sees on a laptop), OUT_DIR/report-a4.png (794x1123 px, one A4 page at 96 dpi) and
# OUT_DIR/report.pdf (printed on A4 with the report's print style sheet).
# Needs Chromium (Debian/Ubuntu: apt-get install chromium) or Google Chrome; exits 3 with
# instructions when no browser is found, 1 when the browser fails to render.
set -euo pipefail
out="${1:-report-check}"
model="${2:-}"

browser="${CHROMIUM:-}"
if [ -z "$browser" ]; then
  for name in chromium chromium-browser google-chrome google-chrome-stable chrome; do
    if command -v "$name" > /dev/null 2>&1; then
      browser="$(command -v "$name")"
      break
    fi
  done
fi
if [ -z "$browser" ]; then
  cat >&2 << 'MSG'
render_report.sh: no headless browser found (looked for chromium, chromium-browser,
google-chrome, google-chrome-stable and chrome on PATH, and the CHROMIUM variable).
Install one, then run this script again:
  Debian/Ubuntu:  sudo apt-get install chromium
  Fedora:         sudo dnf install chromium
  macOS:          brew install --cask chromium
or point CHROMIUM at a Chrome/Chromium binary: CHROMIUM=/path/to/chrome scripts/render_report.sh
MSG
  exit 3
fi

if command -v coordgap > /dev/null 2>&1; then
  cg=(coordgap)
else
  cg=("${PYTHON:-python3}" -m coordgap)
fi

mkdir -p "$out"
if [ -n "$model" ]; then
  "${cg[@]}" compare "$model" --html "$out/report.html" > /dev/null
else
  "${cg[@]}" compare --html "$out/report.html" > /dev/null
fi
url="file://$(cd "$out" && pwd)/report.html"
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT

render() {
  "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --hide-scrollbars --user-data-dir="$profile" "$@" "$url" 2>> "$out/browser.log"
}

: > "$out/browser.log"
render --window-size=1366,768 --screenshot="$out/report-laptop.png"
render --window-size=794,1123 --screenshot="$out/report-a4.png"
render --no-pdf-header-footer --print-to-pdf="$out/report.pdf"

for file in report-laptop.png report-a4.png report.pdf; do
  if [ ! -s "$out/$file" ]; then
    echo "render_report.sh: the browser did not write $out/$file; see $out/browser.log" >&2
    exit 1
  fi
done
echo "rendered: $out/report-laptop.png $out/report-a4.png $out/report.pdf"
