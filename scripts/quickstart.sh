#!/usr/bin/env bash
# One command from a fresh clone to the main job running: installs what is missing
# (Debian's chromium and ffmpeg, the npm packages), builds, and runs the demo.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-system-deps.sh
ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
npm run build
npm run demo
