#!/usr/bin/env bash
# The same deterministic request (temperature 0) twice: a miss, then a hit answered by Hearth with
# no engine call. Cache-Control: no-cache skips the lookup.
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/prediction-cache.sh
set -euo pipefail
default_port=8080 # hearth serve's default
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}
body="{\"model\": \"$MODEL\", \"temperature\": 0, \"max_tokens\": 8,
  \"messages\": [{\"role\": \"user\", \"content\": \"Spell cache, run $$-$RANDOM.\"}]}"

ask() { curl -fsS -D - -o /dev/null "$HEARTH_URL/v1/chat/completions" -H 'Content-Type: application/json' "$@" -d "$body" \
  | grep -i '^x-hearth-cache:' | tr -d '\r'; }

echo "first:            $(ask)"
echo "second:           $(ask)"
echo "with no-cache:    $(ask -H 'Cache-Control: no-cache')"
