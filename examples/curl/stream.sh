#!/usr/bin/env bash
# A streamed chat completion: tokens are printed as the server-sent events arrive, then the usage
# chunk that `stream_options.include_usage` asks for, then the headers saying which replica served it.
# Run against `./hearth serve`:  examples/curl/stream.sh
set -euo pipefail
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:8080}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}

headers=$(mktemp)
trap 'rm -f "$headers"' EXIT

# -N: no output buffering, so each event shows the moment it arrives.
curl -sS -N --fail-with-body -D "$headers" "$HEARTH_URL/v1/chat/completions" \
  -H 'Content-Type: application/json' \
  -d '{"model": "'"$MODEL"'", "max_tokens": 24, "stream": true, "stream_options": {"include_usage": true},
       "messages": [{"role": "user", "content": "Tell me about prefix caching."}]}' |
while IFS= read -r line || [ -n "$line" ]; do # the last line may lack a newline
  case "$line" in
    'data: [DONE]') echo "[DONE]" ;;
    # An error, as a whole body (HTTP error) or as an event (a replica failed mid-stream): show it, fail.
    *'"error"'*) echo; echo "stream.sh: $line" >&2; exit 1 ;;
    # The last chunk before [DONE] has no choices, only the usage of the whole request.
    data:*'"usage":{'*) echo; echo "usage: $(printf '%s' "$line" | sed 's/.*"usage":\({.*}\)}$/\1/')" ;;
    # Each content delta: print its text without a newline, as a chat UI would.
    data:*'"content":"'*) printf '%s' "$(printf '%s' "$line" | sed 's/.*"content":"\(\([^"\\]\|\\.\)*\)".*/\1/')" ;;
  esac
done

grep -i '^x-hearth-' "$headers" | tr -d '\r'
