#!/usr/bin/env bash
# README command (2) and CI: set up, start what the tests need, run lint, type-check, build and
# the whole test suite (node's test runner), then stop what was started — also on failure.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash scripts/setup.sh

# This run's own record of what it started: a dockerd that was already running (another run's, or
# the machine's) is neither started nor stopped here.
ROAM_SERVICES_DIR="$(mktemp -d /tmp/roam-services.XXXXXX)"
export ROAM_SERVICES_DIR

cleanup() {
  local rc=$?
  # Services started for the tests are stopped here, by PID (scripts/services.sh records them).
  if [ -x scripts/services.sh ]; then bash scripts/services.sh stop || true; fi
  rm -rf "$ROAM_SERVICES_DIR"
  exit $rc
}
trap cleanup EXIT
if [ -x scripts/services.sh ]; then bash scripts/services.sh start; fi

npm run --silent lint
echo "==> lint passed"
npm run --silent typecheck
echo "==> type-check passed"
node scripts/run-tests.mjs "$@"
