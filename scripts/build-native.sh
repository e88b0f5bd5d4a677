#!/usr/bin/env bash
# Builds Roam's native helpers with the system C compiler: dist/native/roam-executor, the per-task
# supervisor shim the process drivers (raw_exec) start tasks under (native/roam-executor.c).
# Rebuilds only when the source is newer than the binary; `--force` rebuilds anyway.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$root/native/roam-executor.c"
out="$root/dist/native/roam-executor"
if [ "${1:-}" != "--force" ] && [ -x "$out" ] && [ "$out" -nt "$src" ]; then
  exit 0
fi
cc="${CC:-gcc}"
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "build-native: $cc not found (install Debian's gcc: apt-get install gcc)" >&2
  exit 1
fi
mkdir -p "$(dirname "$out")"
# Build to a temp name and rename, so a running driver never sees a half-written binary.
"$cc" -std=c11 -Wall -Wextra -Werror -O2 -o "$out.tmp.$$" "$src"
mv -f "$out.tmp.$$" "$out"
echo "built $out"
