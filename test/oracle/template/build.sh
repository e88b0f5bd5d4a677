#!/usr/bin/env bash
# Builds the text/template oracle (test/oracle/template → dist/oracle/template-oracle) from
# Debian's golang-go, standard library only, for src/template/oracle.test.ts. Exits 3 without `go`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
if ! command -v go >/dev/null 2>&1; then
  echo "go not found: install Debian's golang-go (scripts/setup.sh) to build the template oracle" >&2
  exit 3
fi
mkdir -p "$root/dist/oracle"
out="$root/dist/oracle/template-oracle"
src="$root/test/oracle/template/main.go"
if [ -x "$out" ] && [ "$out" -nt "$src" ]; then exit 0; fi
cache="${GOCACHE:-$root/node_modules/.cache/go-build}"
mkdir -p "$cache"
( cd "$root/test/oracle/template" && GO111MODULE=off GOCACHE="$cache" GOFLAGS= go build -o "$out" . )
echo "built $out"
