#!/usr/bin/env bash
# The control API (/api/v1, described at /api/v1/openapi.json): create a small deployment, wait for
# it, scale it to two replicas, read its events, delete it and wait until it is gone.
# Run against `./hearth serve`:  examples/curl/deployments.sh
set -euo pipefail
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:8080}
API="$HEARTH_URL/api/v1"
NAME=example-small

# api METHOD PATH [JSON]: one control API call; on an HTTP error prints Hearth's message and stops.
api() {
  local out
  if ! out=$(curl -sS --fail-with-body -X "$1" "$API$2" -H 'Content-Type: application/json' ${3:+-d "$3"}); then
    echo "deployments.sh: $1 $2 failed${out:+: $out}" >&2
    exit 1
  fi
  printf '%s\n' "$out"
}
# field JSON KEY: a top-level string or number of a deployment (sed, so no jq is needed).
field() { printf '%s' "$1" | sed -n 's/^{.*"'"$2"'":"\{0,1\}\([^",]*\)"\{0,1\}[,}].*/\1/p' | head -n 1; }

# await_ready N: polls the deployment until N replicas are ready and it is available (60 s at most).
await_ready() {
  local d
  for _ in $(seq 1 300); do
    d=$(api GET "/deployments/$NAME")
    if [ "$(field "$d" status)" = available ] && [ "$(field "$d" ready_replicas)" = "$1" ]; then
      echo "$NAME is available with $1 replica(s) ready"
      return 0
    fi
    sleep 0.2
  done
  echo "deployments.sh: $NAME is $(field "$d" status) with $(field "$d" ready_replicas) ready after 60 s" >&2
  exit 1
}

# Whatever happens below, the deployment does not outlive the script.
trap 'curl -sS -o /dev/null -X DELETE "$API/deployments/$NAME" 2>/dev/null || true' EXIT

# config takes config.yaml's keys as JSON (or the YAML text as a string); replicas start in the background.
created=$(api POST /deployments '{"name": "'"$NAME"'", "config": {"model": {"id": "acme/small-1b"}, "replicas": {"min": 1, "max": 2}}}')
echo "created $NAME: status $(field "$created" status), $(field "$created" replicas) replica(s) asked for"
await_ready 1

# Scaling stays within the config's replicas.min and replicas.max.
scaled=$(api POST "/deployments/$NAME/scale" '{"replicas": 2}')
echo "scaled $NAME to $(field "$scaled" replicas) replicas"
await_ready 2

# Events, oldest first: one line each (time, replica, reason, message).
echo "events of $NAME:"
api GET "/deployments/$NAME/events" | sed 's/},{/}\n{/g' |
  sed -n 's/.*"time":"\([^"]*\)".*"replica":"\{0,1\}\([^",]*\)"\{0,1\},"reason":"\([^"]*\)","message":"\(\([^"\\]\|\\.\)*\)".*/  \1  \2  \3  \4/p' |
  sed 's/^\(  [^ ]*  \)null  /\1-  /' # deployment-wide events name no replica

# Deleting drains the replicas (requests in flight finish), stops them, then forgets the deployment.
deleted=$(api DELETE "/deployments/$NAME")
echo "deleting $NAME: status $(field "$deleted" status)"
for _ in $(seq 1 300); do
  if [ "$(curl -sS -o /dev/null -w '%{http_code}' "$API/deployments/$NAME")" = 404 ]; then
    echo "$NAME is gone"
    exit 0
  fi
  sleep 0.2
done
echo "deployments.sh: $NAME was still there 60 s after DELETE" >&2
exit 1
