#!/usr/bin/env bash
# npm run test:stack: the production compose stack for real, without Traefik (test/stack/no-traefik.yml).
# Builds both images (base images from ../shared/tools/make-base-images.sh when no registry answers),
# brings the stack up, generates games through the api service, checks every service healthy, plays a
# game through its published port (and has it play-tested in a play-test container), removes a slot container (recreated), kills a phase container
# mid-phase (retried, deployed), restarts Postgres (recovers), stops and starts the stack (games still
# served) and tears it down (down-containers, then down -v). Exit 0 only when every step passed.
# Env: STACK_SKIP_BUILD=1 (use existing images), STACK_APP_IMAGE, STACK_WORKER_IMAGE, STACK_PROJECT,
#      STACK_API_PORT, STACK_KEEP=1 (no teardown), BASE_IMAGES_SCRIPT.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
APP_IMAGE="${STACK_APP_IMAGE:-gamepocgen-app:stack}"
WORKER_IMAGE="${STACK_WORKER_IMAGE:-gamepocgen-worker:stack}"
PROJECT="${STACK_PROJECT:-gpgstack}"
API_PORT="${STACK_API_PORT:-13080}"
WORK="$(mktemp -d /tmp/gpg-stack-XXXXXX)"
T0=$(date +%s)
say() { echo "[stack +$(($(date +%s) - T0))s] $*"; }
fail() { say "FAIL: $*"; dc ps || true; dc logs --tail=40 worker api || true; exit 1; }

if docker compose version >/dev/null 2>&1; then DC=(docker compose); else DC=(docker-compose); fi
# On a vfs engine creating a 1.1 GB app container takes minutes: compose's default 60 s HTTP
# timeout gives up while the engine goes on creating it (left behind as "Created").
export COMPOSE_HTTP_TIMEOUT="${COMPOSE_HTTP_TIMEOUT:-900}" DOCKER_CLIENT_TIMEOUT="${DOCKER_CLIENT_TIMEOUT:-900}"
dc() { "${DC[@]}" --project-directory "$ROOT" --env-file "$WORK/.env" -p "$PROJECT" -f "$ROOT/docker-compose.yml" -f "$ROOT/test/stack/no-traefik.yml" "$@"; }

# 1. Images.
registry_reachable() {
  local out
  out=$(docker run --rm node:24-slim sh -c 'timeout 90 npm ping' 2>&1) && return 0
  say "npm ping in a node:24-slim container: $(printf '%s' "$out" | tail -3 | tr '\n' ' ')"
  # Seen here: a bridge left by a stopped engine (not in `docker network ls`) holding docker0's subnet takes
  # the replies to docker0's containers (DNS: EAI_AGAIN). Each prefix should have one route.
  local subnet clash
  subnet=$(docker network inspect -f '{{range .IPAM.Config}}{{.Subnet}}{{end}}' bridge 2>/dev/null || true)
  clash=$(ip -4 route show 2>/dev/null | awk -v s="$subnet" '$1 == s && $3 != "docker0" {print $3}' || true)
  [ -n "$clash" ] && say "docker0's subnet $subnet is also routed to: $clash (an engine's leftover bridge? if no engine owns it: ip link del <name>)"
  return 1
}
if [ -z "${STACK_SKIP_BUILD:-}" ]; then
  missing=0
  for img in node:24-slim nginx:alpine postgres:16-alpine; do docker image inspect "$img" >/dev/null 2>&1 || missing=1; done
  if [ "$missing" = 1 ]; then
    say "base images missing and no registry assumed: ${BASE_IMAGES_SCRIPT:=$ROOT/../shared/tools/make-base-images.sh}"
    bash "$BASE_IMAGES_SCRIPT"
  fi
  # The builds' `npm ci` reaches the registry from the default bridge; when it cannot, npm retries for
  # many minutes inside `docker build`. Ask once, briefly, and say why not.
  registry_reachable || fail "containers on the default bridge cannot reach the npm registry (docker build would wait on npm ci)"
  say "ok: the default bridge reaches the npm registry"
  # One build at a time: on a vfs engine each is disk-bound already.
  for spec in "Dockerfile.worker $WORKER_IMAGE" "Dockerfile $APP_IMAGE"; do
    set -- $spec; b0=$(date +%s)
    docker build -q -f "$ROOT/$1" -t "$2" "$ROOT" >/dev/null || fail "docker build -f $1"
    say "built $2 from $1 in $(($(date +%s) - b0)) s"
  done
fi
for img in "$WORKER_IMAGE" "$APP_IMAGE"; do say "image $img: $(docker image inspect -f '{{.Size}}' "$img" | awk '{printf "%d MB", $1/1e6}')"; done

# 2. Configuration: .env.example with the required values, the builtin agent, host dirs owned by uid 1001.
install -d -o 1001 -g 1001 "$WORK/workspaces" "$WORK/games"
TOKEN="stack$(openssl rand -hex 12)"
sed -e "s/^API_TOKEN=.*/API_TOKEN=$TOKEN/" -e "s/^POSTGRES_PASSWORD=.*/POSTGRES_PASSWORD=$(openssl rand -hex 12)/" \
  -e "s/^COMPOSE_PROFILES=.*/COMPOSE_PROFILES=/" -e "s/^AGENT=.*/AGENT=builtin/" -e "s/^PLAYTEST=.*/PLAYTEST=on/" \
  -e "s|^WORKER_IMAGE=.*|WORKER_IMAGE=$WORKER_IMAGE|" -e "s/^PUBLISH_SLOTS=.*/PUBLISH_SLOTS=127.0.0.1/" \
  -e "s/^SLOTS=.*/SLOTS=3/" -e "s/^DOCKER_GID=.*/DOCKER_GID=$(stat -c %g /var/run/docker.sock)/" \
  -e "s|^HOST_WORKSPACE_PATH=.*|HOST_WORKSPACE_PATH=$WORK/workspaces|" -e "s|^HOST_DEPLOY_DIR=.*|HOST_DEPLOY_DIR=$WORK/games|" \
  "$ROOT/.env.example" > "$WORK/.env"
printf 'STACK_APP_IMAGE=%s\nSTACK_API_PORT=%s\n' "$APP_IMAGE" "$API_PORT" >> "$WORK/.env"

# The worker restores removed slot containers (that is its job): stop it first, then remove them.
down_containers() { dc stop worker && dc run --rm --no-deps -T worker node bin/gamepocgen.ts down-containers; }
teardown() {
  [ -n "${STACK_KEEP:-}" ] && { say "STACK_KEEP: left running (project $PROJECT, env $WORK/.env)"; return; }
  down_containers || true
  dc down -v --remove-orphans || true
  # A create compose gave up on can still finish in the engine afterwards: remove what is left.
  docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" | xargs -r docker rm -f >/dev/null || true
}
trap 'teardown' EXIT

API="http://127.0.0.1:$API_PORT"
api() { curl -fsS -H "Authorization: Bearer $TOKEN" "$@"; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local until=$(($(date +%s) + $1)) what=$2; shift 2
  until "$@" >/dev/null 2>&1; do [ "$(date +%s)" -gt "$until" ] && fail "$what: not within the time allowed"; sleep 2; done
  say "ok: $what"
}
all_healthy() {
  local ids; ids=$(dc ps -q); [ -n "$ids" ] || return 1
  for id in $ids; do [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}' "$id")" = healthy ] || return 1; done
}
# Healthy by a probe that started after epoch second $1: a restart elsewhere (Postgres) leaves the
# others' last status in place until their next probe, so a plain status read could pass on a stale one.
healthy_since() {
  local ids last; ids=$(dc ps -q); [ -n "$ids" ] || return 1
  for id in $ids; do
    [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$id")" = healthy ] || return 1
    last=$(docker inspect -f '{{range .State.Health.Log}}{{.Start.Unix}}{{"\n"}}{{end}}' "$id" | grep . | tail -1)
    [ -n "$last" ] && [ "$last" -gt "$1" ] || return 1
  done
}
job_status() { api "$API/api/jobs/$1" | jq -r '.job.status // .status'; }
deployed() { [ "$(job_status "$1")" = deployed ]; }
slot_port() { # the 127.0.0.1 port of the container serving job $1
  local c; c=$(docker ps -q --filter "label=gamepocgen.role=game" --filter "label=gamepocgen.job=$1" | head -1)
  [ -n "$c" ] && docker inspect -f '{{range $p, $b := .NetworkSettings.Ports}}{{range $b}}{{.HostPort}}{{end}}{{end}}' "$c"
}
serves() { local p; p=$(slot_port "$1") && [ -n "$p" ] && curl -fsS "http://127.0.0.1:$p/" | grep -qi '<html'; }
generate() { api -X POST -H 'content-type: application/json' -d "{\"idea\":\"$1\"}" "$API/api/generate" | jq -r '.jobs[0].id // .id // .jobId'; }

# 3. Up, every service healthy.
say "compose up (project $PROJECT, no Traefik)"
# A project left by an earlier failed run (its database volume has another password): start clean.
dc down -v --remove-orphans >/dev/null 2>&1 || true
dc up -d || fail "compose up"
wait_for 120 "api answers /health" curl -fsS "$API/health"
wait_for 240 "every service healthy (postgres, api, worker, gallery)" all_healthy

# 4. Games through the api service; one played through its published port.
J1=$(generate "a lighthouse keeper fighting sea monsters"); say "job $J1 queued"
wait_for 600 "job $J1 deployed" deployed "$J1"
wait_for 60 "job $J1 served on 127.0.0.1:$(slot_port "$J1")" serves "$J1"
# The play-test ran in a container of its own (WORKER_IMAGE) and scored the game.
playtested() { api "$API/api/jobs/$1/logs" | grep -q 'play-test round [0-9]*: score'; }
wait_for 600 "job $J1 play-tested in its own container (a scored round in its log)" playtested "$J1"

# 5. A slot container removed from outside comes back (engine events → reconciler).
docker rm -f "$(docker ps -q --filter label=gamepocgen.role=game --filter "label=gamepocgen.job=$J1")" >/dev/null
say "removed job $J1's slot container"
wait_for 90 "job $J1's slot container recreated and serving" serves "$J1"

# 6. A phase container killed mid-phase: the phase is retried and the job deployed.
J2=$(generate "a cozy fishing roguelite"); say "job $J2 queued"
# A builtin-agent phase container runs for only a second or two (creating it, a copy of the image on vfs,
# is most of a phase), so polling `docker ps` can miss every one: kill on the engine's own start event.
mkfifo "$WORK/j2-starts"
docker events --filter type=container --filter event=start --filter label=gamepocgen.role=worker \
  --filter "label=gamepocgen.job=$J2" --format '{{.ID}}' >"$WORK/j2-starts" &
EVENTS=$!
exec 9<"$WORK/j2-starts"
killed=""
# (a phase may end between its start event and the kill: wait for the next one until a kill lands)
while [ -z "$killed" ] && read -r -t 300 -u 9 id; do docker kill "$id" >/dev/null 2>&1 && killed=$id; done
exec 9<&-
kill "$EVENTS" 2>/dev/null || true
[ -n "$killed" ] || fail "a phase container of job $J2 killed mid-phase: no phase container start within 300 s"
say "ok: a phase container of job $J2 killed mid-phase (${killed:0:12})"
wait_for 600 "job $J2 deployed after the retry" deployed "$J2"
api "$API/api/jobs/$J2/logs" | grep -q 'killed from outside' || fail "job $J2's log does not record the outside kill"
say "ok: job $J2's log records the outside kill"

# 7. Postgres restarts: the stack recovers.
dc restart postgres >/dev/null; restarted=$(date +%s)
wait_for 180 "api /health after the Postgres restart" curl -fsS "$API/health"
wait_for 240 "every service healthy after the Postgres restart (fresh probes)" healthy_since "$restarted"

# 8. Stop and start: the games are still served.
dc stop >/dev/null; say "stack stopped"
dc start >/dev/null; say "stack started"
wait_for 180 "api /health after start" curl -fsS "$API/health"
wait_for 240 "every service healthy after start" all_healthy
wait_for 120 "job $J1 still served" serves "$J1"
wait_for 120 "job $J2 still served" serves "$J2"

# 9. Teardown: this instance's containers first, then compose's own.
trap - EXIT
down_containers || fail "down-containers"
dc down -v --remove-orphans || fail "compose down"
left=$(docker ps -aq --filter "label=com.docker.compose.project=$PROJECT" | wc -l)
[ "$left" = 0 ] || fail "$left compose container(s) left after down"
docker network inspect traefik >/dev/null 2>&1 && fail "network traefik left after down"
say "ok: torn down cleanly"
say "PASS"
