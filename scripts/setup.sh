#!/usr/bin/env bash
# Sets up a fresh Debian bookworm machine (as root) to build, run and test Roam, idempotently:
# Debian packages the project needs, npm dependencies from the lockfile, the roam bundle, and
# `roam` on PATH (/usr/local/bin/roam → bin/roam). Safe to run again; it skips what is done.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

say() { printf '==> %s\n' "$*"; }

# --- Node.js ------------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1; then
  echo "Node.js 20.19+ is required (node not found on PATH)" >&2
  exit 1
fi
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("Node.js 20.19+ is required, found "+process.versions.node); process.exit(1) }'

# --- Debian packages ----------------------------------------------------------------------------
# Each entry: a command (or file) that proves the package is there, then the package name.
need_pkgs=()
check_pkg() { command -v "$1" >/dev/null 2>&1 || need_pkgs+=("$2"); }
check_file() { [ -e "$1" ] || need_pkgs+=("$2"); }
check_pkg make make
check_pkg g++ g++
check_pkg python3 python3
# Go and HashiCorp's HCL build the differential-test oracle (test/oracle/build.sh); tests only.
check_pkg go golang-go
check_file /usr/share/gocode/src/github.com/hashicorp/hcl/v2 golang-github-hashicorp-hcl-v2-dev
# The docker driver: Debian's dockerd (started by scripts/services.sh), iptables for its port
# publishing, busybox-static and redis-server to build local images (scripts/build-images.sh),
# CNI plugins for group bridge networking (not used by Roam yet).
check_pkg dockerd docker.io
check_pkg iptables iptables
check_file /usr/lib/cni/bridge containernetworking-plugins
# The images need a static busybox (Debian's plain `busybox` package is dynamically linked).
if ! ldd /bin/busybox 2>&1 | grep -q 'not a dynamic executable'; then need_pkgs+=(busybox-static); fi
check_pkg ip iproute2
check_pkg redis-server redis-server
# A local registry for the docker driver's image-pull tests (there is no reachable registry here).
check_pkg docker-registry docker-registry
# Artifacts: git sources, and the bzip2 / xz / zstd archive formats (tar and zip are read by Roam).
check_pkg git git
check_pkg bzip2 bzip2
check_pkg xz xz-utils
check_pkg zstd zstd
# Browser tests of the web UI (playwright-core drives Debian's chromium); tests only.
check_pkg chromium chromium
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${need_pkgs[*]} (run this script as root to install them)" >&2
    exit 1
  fi
  say "Installing Debian packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >/dev/null
fi

# --- npm dependencies ---------------------------------------------------------------------------
stamp="node_modules/.roam-lock-stamp"
lockhash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lockhash" ]; then
  say "Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lockhash" > "$stamp"
fi

# --- build --------------------------------------------------------------------------------------
say "Building roam"
npm run --silent build
scripts/build-native.sh   # dist/native/roam-executor, the task supervisor shim (gcc)
if [ -x scripts/build-ui.sh ]; then
  say "Building the web UI"
  bash scripts/build-ui.sh  # ui/dist, served by the agent at /ui
fi

# --- roam on PATH -------------------------------------------------------------------------------
if [ -w /usr/local/bin ]; then
  ln -sf "$root/bin/roam" /usr/local/bin/roam
  say "roam is on PATH: $(command -v roam)"
else
  say "add $root/bin to PATH to use roam (no write access to /usr/local/bin)"
fi
