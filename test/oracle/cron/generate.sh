#!/usr/bin/env bash
# Regenerates table.tsv from expressions.txt with hashicorp/cronexpr, the library Nomad uses.
# Needs `go` (Debian's golang-go is enough; no module proxy) and a checkout of
# https://github.com/hashicorp/cronexpr: pass its path as $CRONEXPR_SRC. The output is committed;
# the tests never run Go.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
src="${CRONEXPR_SRC:?set CRONEXPR_SRC to a checkout of github.com/hashicorp/cronexpr}"
gopath="$(mktemp -d)"
trap 'rm -rf "$gopath"' EXIT
mkdir -p "$gopath/src/github.com/hashicorp" "$gopath/src/oracle"
cp -r "$src" "$gopath/src/github.com/hashicorp/cronexpr"
cp "$here/main.go" "$gopath/src/oracle/"
( cd "$gopath/src/oracle" && GO111MODULE=off GOPATH="$gopath" GOCACHE="$gopath/cache" GOFLAGS= go build -o "$gopath/cron-oracle" . )
"$gopath/cron-oracle" "$here/expressions.txt" > "$here/table.tsv"
echo "wrote $here/table.tsv ($(grep -vc '^#' "$here/table.tsv") rows)"
