#!/usr/bin/env bash
# A streamed chat completion: server-sent events, a usage chunk at the end, then [DONE].
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/stream.sh
set -euo pipefail
default_port=8080 # hearth serve's default
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}
auth=(); [ -n "${HEARTH_API_KEY:-}" ] && auth=(-H "Authorization: Bearer $HEARTH_API_KEY")

# -N: print each event as it arrives instead of buffering.
curl -fsSN "$HEARTH_URL/v1/chat/completions" "${auth[@]}" -H 'Content-Type: application/json' -d "{
  \"model\": \"$MODEL\", \"stream\": true, \"stream_options\": {\"include_usage\": true},
  \"messages\": [{\"role\": \"user\", \"content\": \"Count to five.\"}], \"max_tokens\": 12}" > stream.txt
grep -c '^data: {' stream.txt | sed 's/^/events with data: /'
grep -o '"usage":{[^}]*' stream.txt | tail -n 1
tail -n 2 stream.txt | grep -q '^data: \[DONE\]' && echo "ended with [DONE]"
rm -f stream.txt
