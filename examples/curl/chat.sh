#!/usr/bin/env bash
# A non-streaming chat completion through Hearth's OpenAI-compatible gateway.
# Run against `./hearth serve`:  examples/curl/chat.sh   (HEARTH_URL defaults to http://127.0.0.1:8080)
set -euo pipefail
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:8080}
MODEL=${HEARTH_MODEL:-qwen3-0-6b} # a deployment's name, or the model id it serves

headers=$(mktemp)
trap 'rm -f "$headers"' EXIT

# --fail-with-body: exit non-zero on an HTTP error, yet keep Hearth's error message to show it.
# -D: keep the response headers, which say where the request went and why.
if ! body=$(curl -sS --fail-with-body -D "$headers" "$HEARTH_URL/v1/chat/completions" \
    -H 'Content-Type: application/json' \
    -d '{"model": "'"$MODEL"'", "max_tokens": 16,
         "messages": [{"role": "user", "content": "Say hello to Hearth in a few words."}]}'); then
  echo "chat.sh: the chat request failed${body:+: $body}" >&2
  exit 1
fi

# x-hearth-replica: the replica that answered; x-hearth-route: why it was chosen;
# x-hearth-cache: whether the prediction cache answered (bypass: not a deterministic request).
grep -i '^x-hearth-' "$headers" | tr -d '\r'
echo "$body"
# The answer alone (sed, so that nothing beyond bash, curl and coreutils is needed).
echo "answer: $(printf '%s' "$body" | sed -n 's/.*"content":"\(\([^"\\]\|\\.\)*\)".*/\1/p')"
