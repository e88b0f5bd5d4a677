#!/usr/bin/env bash
# Builds the web UI (ui/, its own npm project) into ui/dist, which the agent serves at /ui.
# Idempotent and quick when nothing changed: `npm ci` runs only when ui/package-lock.json changed
# (stamp in ui/node_modules), the build only when a source file changed (stamp in ui/dist).
# `--force` rebuilds regardless. Needs Node.js 20.19+ and the npm registry (first run only).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/ui"

say() { printf '==> %s\n' "$*"; }
force=0
[ "${1:-}" = "--force" ] && force=1

lock_stamp="node_modules/.roam-lock-stamp"
lockhash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ "$force" = 1 ] || [ ! -f "$lock_stamp" ] || [ "$(cat "$lock_stamp")" != "$lockhash" ]; then
  say "Installing the web UI's npm dependencies (npm ci in ui/)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lockhash" > "$lock_stamp"
fi

# Everything the bundle is made from; a change to any of it means a rebuild.
srchash="$( (find src -type f -print0 | sort -z | xargs -0 sha256sum; sha256sum index.html vite.config.ts tsconfig.json package-lock.json) | sha256sum | cut -d' ' -f1)"
build_stamp="dist/.roam-build-stamp"
if [ "$force" = 1 ] || [ ! -f dist/index.html ] || [ ! -f "$build_stamp" ] || [ "$(cat "$build_stamp")" != "$srchash" ]; then
  say "Building the web UI (ui/dist)"
  npm run --silent build
  echo "$srchash" > "$build_stamp"
else
  say "The web UI is up to date (ui/dist)"
fi
