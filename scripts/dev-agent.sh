#!/usr/bin/env bash
# README command (1): set everything up, start dockerd (for the docker driver) unless one runs,
# build the local images, then run a dev agent in the foreground (server + client, in-memory
# state, the API and the web UI on http://127.0.0.1:4646). Ctrl-C stops the agent, and the
# dockerd this script started.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/setup.sh"
# This run's record of what it starts (a dockerd already running is left alone).
ROAM_SERVICES_DIR="$(mktemp -d /tmp/roam-services.XXXXXX)"
export ROAM_SERVICES_DIR
bash "$root/scripts/services.sh" start
trap 'bash "$root/scripts/services.sh" stop; rm -rf "$ROAM_SERVICES_DIR"' EXIT
echo "==> Starting: roam agent -dev $*"
"$root/bin/roam" agent -dev "$@" &
agent=$!
trap 'kill -INT "$agent" 2>/dev/null || true' INT TERM
wait "$agent" || true
wait "$agent" 2>/dev/null || true
