#!/usr/bin/env bash
# A deployment's life over the control API: create, wait until ready, scale 1 -> 2, roll out a new
# config, read the events, delete and wait until it is gone.
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/lifecycle.sh
set -euo pipefail
default_port=8080 # hearth serve's default
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
api="$HEARTH_URL/api/v1/deployments"
name=example-lifecycle

ready_replicas() { curl -fsS "$api/$name" | grep -o '"ready_replicas":[0-9]*' | cut -d: -f2; }
wait_ready() { # $1: replicas wanted
  for _ in $(seq 1 150); do [ "$(ready_replicas)" = "$1" ] && return 0; sleep 0.2; done
  echo "$name never had $1 ready replicas" >&2; exit 1
}

echo "== create"
curl -fsS "$api" -H 'Content-Type: application/json' -d "{\"name\": \"$name\",
  \"config\": {\"model\": {\"id\": \"Qwen/Qwen3-0.6B\"}, \"replicas\": {\"min\": 1, \"max\": 2}}}" >/dev/null
wait_ready 1 && echo "1 replica ready"

echo "== scale to 2"
curl -fsS "$api/$name/scale" -H 'Content-Type: application/json' -d '{"replicas": 2}' >/dev/null
wait_ready 2 && echo "2 replicas ready"

echo "== a scale out of range is refused with the range"
code=$(curl -s -o refusal.txt -w '%{http_code}' "$api/$name/scale" -H 'Content-Type: application/json' -d '{"replicas": 9}')
echo "HTTP $code: $(grep -o '"message":"[^"]*"' refusal.txt)"; rm -f refusal.txt

echo "== rolling update (a new replica is ready before an old one drains)"
curl -fsS -X PUT "$api/$name" -H 'Content-Type: application/json' -d '{"config": {"model": {"id": "Qwen/Qwen3-0.6B"},
  "replicas": {"min": 1, "max": 2}, "routing": {"policy": "least-load"}}}' | grep -o '"generation":[0-9]*' | head -n 1
# Done when both old replicas have stopped and two new ones are ready.
for _ in $(seq 1 300); do
  events=$(curl -fsS "$api/$name/events")
  [ "$(echo "$events" | grep -o '"reason":"ReplicaStopped"' | wc -l)" -ge 2 ] && [ "$(ready_replicas)" = 2 ] && break
  sleep 0.2
done
echo "events, by reason:"
echo "$events" | grep -o '"reason":"[A-Za-z]*"' | cut -d'"' -f4 | sort | uniq -c

echo "== delete (drains first)"
curl -fsS -X DELETE "$api/$name" >/dev/null
for _ in $(seq 1 150); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$api/$name")" = 404 ] && { echo "$name is gone"; exit 0; }
  sleep 0.2
done
echo "$name was not deleted in time" >&2; exit 1
