#!/usr/bin/env bash
# A two-turn conversation with X-Session-Id: both turns land on the same replica, and the second
# reads the first turn's history from that replica's KV cache (cached_tokens).
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/session.sh
set -euo pipefail
default_port=8080 # hearth serve's default
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}
session="example-$$-$RANDOM"
system=$(printf 'You are a patient tutor who explains each step. %.0s' $(seq 1 30))

turn() { # $1: the messages so far, as JSON
  curl -fsS -D headers.txt "$HEARTH_URL/v1/chat/completions" -H 'Content-Type: application/json' \
    -H "X-Session-Id: $session" -d "{\"model\": \"$MODEL\", \"max_tokens\": 16, \"messages\": $1}" > body.txt
  replica=$(grep -i '^x-hearth-replica:' headers.txt | tr -d '\r' | cut -d' ' -f2)
  route=$(grep -i '^x-hearth-route:' headers.txt | tr -d '\r' | cut -d' ' -f2-)
  cached=$(grep -o '"cached_tokens":[0-9]*' body.txt | cut -d: -f2 || true)
  echo "replica=$replica route=\"$route\" cached_tokens=${cached:-0}"
}

history="[{\"role\": \"system\", \"content\": \"$system\"}, {\"role\": \"user\", \"content\": \"What is 2+2?\"}]"
first=$(turn "$history"); echo "turn 1: $first"
answer=$(grep -o '"content":"[^"]*"' body.txt | head -n 1 | cut -d'"' -f4)
history="${history%]}, {\"role\": \"assistant\", \"content\": \"$answer\"}, {\"role\": \"user\", \"content\": \"And 3+3?\"}]"
second=$(turn "$history"); echo "turn 2: $second"
rm -f headers.txt body.txt

[ "${first%% *}" = "${second%% *}" ] && echo "same replica on both turns"
