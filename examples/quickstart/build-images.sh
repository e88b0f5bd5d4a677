#!/usr/bin/env bash
# Builds the quick-start's images locally, from Debian packages, without any registry, tagged as
# the tutorial's jobs name them so the job files run unchanged (Roam, like Nomad, uses a present
# image whose tag is not `latest` without pulling):
#   redis:7.0.7-alpine                                                 (scripts/build-images.sh)
#   ghcr.io/hashicorp-education/learn-nomad-getting-started/ptc-web:1.0       the dashboard
#   ghcr.io/hashicorp-education/learn-nomad-getting-started/ptc-setup:1.0     resets the database
#   ghcr.io/hashicorp-education/learn-nomad-getting-started/ptc-employee:1.0  one employee
# The programs are small shell scripts (app/) on a busybox userland with Debian's redis-cli.
# Images already present are kept; ROAM_REBUILD_IMAGES=1 rebuilds them.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
repo=ghcr.io/hashicorp-education/learn-nomad-getting-started
say() { printf '==> %s\n' "$*"; }
have() { [ "${ROAM_REBUILD_IMAGES:-0}" != 1 ] && docker image inspect "$1" >/dev/null 2>&1; }

bash "$root/scripts/build-images.sh"

stamp="$(cat "$here"/app/bin/* "$here"/app/web/www/index.html "$here"/app/web/www/cgi-bin/* "$0" "$root/scripts/lib/rootfs.sh" | sha256sum | cut -c1-12)"
current="$(docker image inspect -f '{{ index .Config.Labels "roam.quickstart.sources" }}' "$repo/ptc-web:1.0" 2>/dev/null || true)"
if have "$repo/ptc-web:1.0" && have "$repo/ptc-setup:1.0" && have "$repo/ptc-employee:1.0" && [ "$current" = "$stamp" ]; then
  say "Quick-start images are up to date"
  exit 0
fi

work="$(mktemp -d /tmp/roam-ptc.XXXXXX)"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
. "$root/scripts/lib/rootfs.sh"
rootfs_busybox "$rootfs"
copy_with_libs "$rootfs" /usr/bin/redis-cli
cp "$here"/app/bin/* "$rootfs/usr/local/bin/"
mkdir -p "$rootfs/www"
cp -r "$here"/app/web/www/. "$rootfs/www/"
chmod 755 "$rootfs"/usr/local/bin/* "$rootfs"/www/cgi-bin/*
tar -C "$rootfs" --numeric-owner -cf "$work/ptc.tar" .

label="LABEL roam.quickstart.sources=$stamp"
say "Building $repo/ptc-web:1.0"
docker import -c "$label" -c 'EXPOSE 5000' -c 'ENTRYPOINT ["/usr/local/bin/ptc-web"]' "$work/ptc.tar" "$repo/ptc-web:1.0" >/dev/null
say "Building $repo/ptc-setup:1.0"
docker import -c "$label" -c 'ENTRYPOINT ["/usr/local/bin/ptc-setup"]' "$work/ptc.tar" "$repo/ptc-setup:1.0" >/dev/null
say "Building $repo/ptc-employee:1.0"
docker import -c "$label" -c 'ENTRYPOINT ["/usr/local/bin/ptc-employee"]' "$work/ptc.tar" "$repo/ptc-employee:1.0" >/dev/null
say "Quick-start images: redis:7.0.7-alpine, $repo/ptc-{web,setup,employee}:1.0"
