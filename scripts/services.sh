#!/usr/bin/env bash
# Starts and stops the daemons Roam's tests and dev agent use, by PID, never by name:
#   services.sh start   start dockerd unless one already answers, then build the local images
#   services.sh stop    stop the dockerd this script started (if any) and undo what it left behind
#   services.sh status  say what is running
# State lives in $ROAM_SERVICES_DIR (default /run/roam-services): the PID of a dockerd we started
# and the ip_forward value to restore. A dockerd that was already running is left alone. test.sh
# and dev-agent.sh give each run its own directory, so one run never stops another's dockerd.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state="${ROAM_SERVICES_DIR:-/run/roam-services}"
mkdir -p "$state"
say() { printf '==> %s\n' "$*"; }

docker_up() { docker version >/dev/null 2>&1; }

start_dockerd() {
  if docker_up; then
    say "dockerd is already running (not started by us; left alone)"
    return
  fi
  if ! command -v dockerd >/dev/null 2>&1; then
    echo "dockerd is not installed (run scripts/setup.sh as root)" >&2
    exit 1
  fi
  cat /proc/sys/net/ipv4/ip_forward > "$state/ip_forward" 2>/dev/null || true
  say "Starting dockerd (log: $state/dockerd.log)"
  nohup /usr/sbin/dockerd >"$state/dockerd.log" 2>&1 &
  echo $! > "$state/dockerd.pid"
  for _ in $(seq 1 300); do docker_up && break; sleep 0.1; done
  if ! docker_up; then
    echo "dockerd did not come up in 30 s; its log:" >&2
    tail -20 "$state/dockerd.log" >&2
    exit 1
  fi
}

stop_dockerd() {
  [ -f "$state/dockerd.pid" ] || return 0
  local pid; pid="$(cat "$state/dockerd.pid")"
  if kill -0 "$pid" 2>/dev/null; then
    say "Stopping dockerd (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$state/dockerd.pid"
  # What dockerd leaves behind (../shared/reference/runtime.md §8).
  umount /run/docker/netns/default 2>/dev/null || true
  ip link del docker0 2>/dev/null || true
  if command -v iptables >/dev/null 2>&1; then
    iptables -t nat -D PREROUTING -m addrtype --dst-type LOCAL -j DOCKER 2>/dev/null || true
    iptables -t nat -D OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER 2>/dev/null || true
    iptables -t nat -D POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE 2>/dev/null || true
    iptables -D FORWARD -j DOCKER-USER 2>/dev/null || true
    iptables -D FORWARD -j DOCKER-ISOLATION-STAGE-1 2>/dev/null || true
    iptables -D FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null || true
    iptables -D FORWARD -o docker0 -j DOCKER 2>/dev/null || true
    iptables -D FORWARD -i docker0 ! -o docker0 -j ACCEPT 2>/dev/null || true
    iptables -D FORWARD -i docker0 -o docker0 -j ACCEPT 2>/dev/null || true
    for c in DOCKER DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2 DOCKER-USER; do
      iptables -F "$c" 2>/dev/null || true; iptables -X "$c" 2>/dev/null || true
    done
    iptables -t nat -F DOCKER 2>/dev/null || true; iptables -t nat -X DOCKER 2>/dev/null || true
    iptables -P FORWARD ACCEPT 2>/dev/null || true
  fi
  if [ -f "$state/ip_forward" ]; then
    sysctl -qw "net.ipv4.ip_forward=$(cat "$state/ip_forward")" 2>/dev/null || true
    rm -f "$state/ip_forward"
  fi
}

case "${1:-}" in
  start)
    start_dockerd
    bash "$root/scripts/build-images.sh"
    ;;
  stop)
    stop_dockerd
    ;;
  status)
    if docker_up; then echo "dockerd: running$([ -f "$state/dockerd.pid" ] && echo " (started by services.sh, pid $(cat "$state/dockerd.pid"))")"; else echo "dockerd: not running"; fi
    ;;
  *)
    echo "usage: scripts/services.sh start|stop|status" >&2
    exit 2
    ;;
esac
