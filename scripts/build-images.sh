#!/usr/bin/env bash
# Builds the container images Roam's tests and examples use, locally, without any registry
# (../shared/reference/runtime.md §2): a root filesystem from Debian's busybox-static (and, for
# Redis, the host's redis-server with its libraries) imported with `docker import`.
#   busybox:1.36, local/busybox:latest  a busybox userland (~2 MB)
#   redis:7.0.7-alpine                  Debian's redis-server on that userland (~20 MB), tagged as
#                                       the upstream image so Nomad job files run unchanged
# Images already present are kept; ROAM_REBUILD_IMAGES=1 rebuilds them.
set -euo pipefail
say() { printf '==> %s\n' "$*"; }
have() { [ "${ROAM_REBUILD_IMAGES:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

for bin in busybox redis-server; do
  command -v "$bin" >/dev/null 2>&1 || { echo "$bin is missing (run scripts/setup.sh as root)" >&2; exit 1; }
done
work="$(mktemp -d /tmp/roam-images.XXXXXX)"
trap 'rm -rf "$work"' EXIT

. "$(dirname "${BASH_SOURCE[0]}")/lib/rootfs.sh"

if ! have busybox:1.36 || ! have local/busybox:latest; then
  say "Building busybox:1.36 (busybox-static rootfs)"
  rootfs_busybox "$work/bb"
  tar -C "$work/bb" --numeric-owner -cf "$work/bb.tar" .
  docker import -c 'CMD ["/bin/sh"]' "$work/bb.tar" busybox:1.36 >/dev/null
  docker tag busybox:1.36 local/busybox:latest
fi

if ! have redis:7.0.7-alpine; then
  say "Building redis:7.0.7-alpine (Debian's redis-server on the busybox rootfs)"
  rootfs_busybox "$work/redis"
  copy_with_libs "$work/redis" /usr/bin/redis-server /usr/bin/redis-cli
  tar -C "$work/redis" --numeric-owner -cf "$work/redis.tar" .
  docker import -c 'WORKDIR /data' -c 'EXPOSE 6379' -c 'CMD ["redis-server","--protected-mode","no"]' \
    "$work/redis.tar" redis:7.0.7-alpine >/dev/null
fi
say "Local images: busybox:1.36, local/busybox:latest, redis:7.0.7-alpine"
