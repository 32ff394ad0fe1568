#!/usr/bin/env bash
# Two turns of one conversation with X-Session-Id: the routing policy places the first turn and
# Hearth binds the session there, so the second turn lands where the first one's KV cache is
# (x-hearth-route: session).
# Run against `./hearth serve`:  examples/curl/session.sh
set -euo pipefail
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:8080}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}
SESSION="curl-example-$(date +%s%N)" # a fresh conversation on every run

headers=$(mktemp)
trap 'rm -f "$headers"' EXIT

# chat MESSAGES_JSON: one turn; the body goes to stdout, the headers to $headers.
chat() {
  curl -sS --fail-with-body -D "$headers" "$HEARTH_URL/v1/chat/completions" \
    -H 'Content-Type: application/json' -H "X-Session-Id: $SESSION" \
    -d '{"model": "'"$MODEL"'", "max_tokens": 16, "messages": '"$1"'}'
}
header() { grep -i "^$1:" "$headers" | tr -d '\r' | sed 's/^[^:]*: *//'; }
# The answer's text, still JSON-escaped: fit to be sent back in the next turn's history.
answer() { printf '%s' "$1" | sed -n 's/.*"content":"\(\([^"\\]\|\\.\)*\)".*/\1/p'; }

system='{"role": "system", "content": "You are a concise guide to a city of canals, bridges and old harbours."}'
question1='{"role": "user", "content": "Where should I start a walk?"}'
if ! body=$(chat "[$system, $question1]"); then echo "session.sh: turn 1 failed${body:+: $body}" >&2; exit 1; fi
replica1=$(header x-hearth-replica)
echo "turn 1: x-hearth-replica: $replica1, x-hearth-route: $(header x-hearth-route)"
echo "        answer: $(answer "$body")"

# The second turn sends the whole history: the first turn's prompt is now a cached prefix.
history="[$system, $question1, {\"role\": \"assistant\", \"content\": \"$(answer "$body")\"}"
if ! body=$(chat "$history, {\"role\": \"user\", \"content\": \"And after that?\"}]"); then
  echo "session.sh: turn 2 failed${body:+: $body}" >&2; exit 1
fi
replica2=$(header x-hearth-replica)
echo "turn 2: x-hearth-replica: $replica2, x-hearth-route: $(header x-hearth-route)"
echo "        answer: $(answer "$body")"
echo "        usage: $(printf '%s' "$body" | sed 's/.*"usage":\({.*}\)}$/\1/')"

if [ "$replica1" != "$replica2" ]; then
  echo "session.sh: the session moved from $replica1 to $replica2" >&2
  exit 1
fi
echo "both turns on $replica1"
