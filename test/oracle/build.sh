#!/usr/bin/env bash
# Builds the test oracles from Debian's Go packages (no Go module proxy): test/oracle/hcl →
# dist/oracle/hcl-oracle, HashiCorp's hclsyntax and hclwrite behind a tiny CLI for the differential
# tests (test/hcl-oracle.test.ts). Needs `go` and /usr/share/gocode (scripts/setup.sh installs
# golang-go and golang-github-hashicorp-hcl-v2-dev). Does nothing, successfully, without `go`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
if ! command -v go >/dev/null 2>&1; then
  echo "go not found: skipping the HCL oracle build (run scripts/setup.sh as root to install it)" >&2
  exit 0
fi
mkdir -p "$root/dist/oracle"
out="$root/dist/oracle/hcl-oracle"
src="$root/test/oracle/hcl/main.go"
if [ -x "$out" ] && [ "$out" -nt "$src" ]; then exit 0; fi
cache="${GOCACHE:-$root/node_modules/.cache/go-build}"
mkdir -p "$cache"
( cd "$root/test/oracle/hcl" && GO111MODULE=off GOPATH=/usr/share/gocode GOCACHE="$cache" GOFLAGS= go build -o "$out" . )
echo "built $out"
