#!/usr/bin/env bash
# One chat completion, with the headers that say where it went and why.
# Usage: HEARTH_URL=http://127.0.0.1:8080 HEARTH_MODEL=qwen3-0-6b bash examples/chat.sh
set -euo pipefail
default_port=8080 # hearth serve's default
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}
auth=(); [ -n "${HEARTH_API_KEY:-}" ] && auth=(-H "Authorization: Bearer $HEARTH_API_KEY")

curl -fsS -D - "$HEARTH_URL/v1/chat/completions" "${auth[@]}" -H 'Content-Type: application/json' -d "{
  \"model\": \"$MODEL\",
  \"messages\": [{\"role\": \"system\", \"content\": \"You are terse.\"},
                 {\"role\": \"user\", \"content\": \"Name a colour.\"}],
  \"max_tokens\": 16}" | grep -iE '^x-hearth-|"choices"'
