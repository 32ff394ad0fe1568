#!/usr/bin/env bash
# The prediction cache: a deterministic request (temperature 0, n 1) asked twice is answered the
# second time by Hearth itself, without an engine: x-hearth-cache goes from miss to hit.
# Run against `./hearth serve`:  examples/curl/prediction-cache.sh
set -euo pipefail
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:8080}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}
# The request differs on every run, so the first ask is a miss even if this script ran before.
request='{"model": "'"$MODEL"'", "temperature": 0, "max_tokens": 16,
          "messages": [{"role": "user", "content": "Name three rivers. (run '"$(date +%s%N)"')"}]}'

headers=$(mktemp)
trap 'rm -f "$headers"' EXIT

ask() {
  local body
  if ! body=$(curl -sS --fail-with-body -D "$headers" "$HEARTH_URL/v1/chat/completions" \
      -H 'Content-Type: application/json' -d "$request"); then
    echo "prediction-cache.sh: request failed${body:+: $body}" >&2
    exit 1
  fi
  printf '%s' "$body"
}
cache() { grep -i '^x-hearth-cache:' "$headers" | tr -d '\r' | sed 's/^[^:]*: *//'; }

first=$(ask)
first_cache=$(cache)
echo "first:  x-hearth-cache: $first_cache, x-hearth-route: $(grep -i '^x-hearth-route:' "$headers" | tr -d '\r' | sed 's/^[^:]*: *//')"
second=$(ask)
second_cache=$(cache)
echo "second: x-hearth-cache: $second_cache, x-hearth-route: $(grep -i '^x-hearth-route:' "$headers" | tr -d '\r' | sed 's/^[^:]*: *//')"

# A hit replays the stored answer, so both bodies carry the same text.
text() { printf '%s' "$1" | sed -n 's/.*"content":"\(\([^"\\]\|\\.\)*\)".*/\1/p'; }
echo "answer: $(text "$second")"
if [ "$first_cache" != miss ] || [ "$second_cache" != hit ] || [ "$(text "$first")" != "$(text "$second")" ]; then
  echo "prediction-cache.sh: expected a miss then a hit with the same answer" >&2
  exit 1
fi
