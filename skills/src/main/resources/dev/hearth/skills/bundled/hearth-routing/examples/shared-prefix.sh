#!/usr/bin/env bash
# Two prompt shapes, each sent twice with a new question. A stable system prompt first: the second
# request reuses its blocks (prefix-hit, cached_tokens > 0). A timestamp first: only the chat
# template's opening block is reused.
# Usage: HEARTH_URL=http://127.0.0.1:8080 HEARTH_MODEL=qwen3-0-6b bash examples/shared-prefix.sh
set -euo pipefail
default_port=8080 # hearth serve's default
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}
rules=$(printf 'Answer as a ship captain would, in one sentence. %.0s' $(seq 1 30))
run="$$-$RANDOM"

ask() { # $1: system prompt, $2: question
  curl -fsS -D headers.txt -o body.txt "$HEARTH_URL/v1/chat/completions" -H 'Content-Type: application/json' -d "{
    \"model\": \"$MODEL\", \"max_tokens\": 8,
    \"messages\": [{\"role\": \"system\", \"content\": \"$1\"}, {\"role\": \"user\", \"content\": \"$2\"}]}"
  route=$(grep -i '^x-hearth-route:' headers.txt | tr -d '\r' | cut -d' ' -f2-)
  cached=$(grep -o '"cached_tokens":[0-9]*' body.txt | cut -d: -f2 || true)
  echo "route=\"$route\" cached_tokens=${cached:-0}"
}

echo "== stable system prompt first"
echo "first:  $(ask "$rules Run $run." 'Where are we?')"
echo "second: $(ask "$rules Run $run." 'What is the weather?')"
echo "== a timestamp first (changes every request)"
echo "first:  $(ask "Now: $(date +%s%N). $rules" 'Where are we?')"
echo "second: $(ask "Now: $(date +%s%N). $rules" 'What is the weather?')"
rm -f headers.txt body.txt
