#!/usr/bin/env bash
# Brings up a Docker engine on a fresh CI machine (no registry, no internet
# beyond Debian apt) and builds the local test images:
#   gamepocgen-worker:test    - this machine's Node 24 + the project's worker files
#   gamepocgen-static:test    - busybox httpd standing in for nginx:alpine
#   gamepocgen-playtest:test  - Node 24 + this machine's Chromium + bin/playtest.ts (the play-test container;
#                               ≈ 25 s on an idle machine, ≈ 85 s under load; 531 MB)
# Idempotent: re-running with a live engine and unchanged inputs is a no-op.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_DIR="${DOCKERD_LOG_DIR:-/tmp/gamepocgen-ci}"
mkdir -p "$LOG_DIR"

say() { echo "[setup-docker] $*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

# 1. The engine and busybox (static build: the stand-in server image needs no libc).
missing=()
command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
# (grep without -q: with pipefail, -q's early exit would fail the pipeline by SIGPIPE)
if ! { [ -x /bin/busybox ] && /bin/busybox --list 2>/dev/null | grep -x httpd >/dev/null; }; then missing+=(busybox-static); fi
# A compose CLI lets test/docker/compose.test.ts run `config` on docker-compose.yml.
# Debian has no compose v2 plugin; its docker-compose (v1.29) reads the same file.
if ! docker compose version >/dev/null 2>&1 && ! command -v docker-compose >/dev/null 2>&1; then missing+=(docker-compose); fi
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
fi

# 2. The daemon: start it only when the socket does not answer.
if ! docker info >/dev/null 2>&1; then
  say "starting dockerd (vfs storage driver; log: $LOG_DIR/dockerd.log)"
  # vfs works on any filesystem (overlay-on-overlay fails inside CI containers).
  as_root sh -c "nohup dockerd --storage-driver=vfs >'$LOG_DIR/dockerd.log' 2>&1 &"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 0.5
  done
  if ! docker info >/dev/null 2>&1; then
    say "ERROR docker_unavailable: dockerd did not answer within 30s; last log lines:"
    tail -n 30 "$LOG_DIR/dockerd.log" >&2 || true
    exit 1
  fi
fi
say "engine $(docker version --format '{{.Server.Version}}') is up"

# 3. The test images (cached by an inputs-hash label).
NODE="$ROOT/node_modules/.bin/node"
[ -x "$NODE" ] || { say "ERROR node_missing: $NODE not found; run npm ci first (Node 24 comes from the node package)"; exit 1; }
"$NODE" "$ROOT/support/docker-images.ts"
"$NODE" "$ROOT/support/playtest-image.ts"
