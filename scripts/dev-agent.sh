#!/usr/bin/env bash
# README command (1): set everything up, then run a dev agent in the foreground
# (server + client, in-memory state, the API on http://127.0.0.1:4646). Ctrl-C stops it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
echo "==> Starting: roam agent -dev $*"
exec "$root/bin/roam" agent -dev "$@"
