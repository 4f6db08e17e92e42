#!/usr/bin/env bash
# Makes a fresh machine ready, and does nothing when it already is:
#   scripts/setup.sh test   dependencies + Debian's Chromium (for Playwright)
#   scripts/setup.sh app    dependencies (the Electron binary is fetched by start.mjs)
# The Electron binary is never downloaded during install (its download host
# may be out of reach; npm's registry is not), hence ELECTRON_SKIP_BINARY_DOWNLOAD.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-test}"

# Dependencies: `npm ci` only when package-lock.json changed since the last install.
stamp=node_modules/.cuttings-lock-hash
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing npm dependencies (npm ci)"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

if [ "$mode" = test ]; then
  chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
  if [ ! -x "$chromium" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "setup: installing Debian's chromium (Playwright drives it; browser downloads are not reachable)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "setup: $chromium is missing; install Chromium (Debian: sudo apt-get install chromium) or set CHROMIUM_PATH" >&2
      exit 1
    fi
  fi
fi
