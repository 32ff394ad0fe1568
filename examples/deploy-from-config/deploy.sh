#!/usr/bin/env bash
# Deploys the model directory beside this script (its config.yaml) to a running Hearth with
# `hearth deploy DIR`, chats with the new deployment, then deletes it over the control API.
# Run against `./hearth serve`:  examples/deploy-from-config/deploy.sh
set -euo pipefail
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:8080}
DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NAME=qwen3-8b # hearth deploy names the deployment after model.id: Qwen/Qwen3-8B

# `hearth` on PATH, else the repository's launcher (which builds the jar on first use).
if command -v hearth >/dev/null 2>&1; then HEARTH=hearth; else HEARTH="$DIR/../../hearth"; fi

# Whatever happens below, the deployment does not outlive the script.
headers=$(mktemp)
trap 'rm -f "$headers"; curl -sS -o /dev/null -X DELETE "$HEARTH_URL/api/v1/deployments/$NAME" 2>/dev/null || true' EXIT

# Validates config.yaml (a mistake is named with its key, line and fix), shows it, applies it
# (--yes: without asking) and draws each replica's progress until all are ready; non-zero otherwise.
"$HEARTH" deploy "$DIR" --yes --url "$HEARTH_URL"

# Ready means routable: the control API says so, and a request by the deployment's name is served.
curl -sS --fail-with-body "$HEARTH_URL/api/v1/deployments/$NAME" | grep -o '"status":"available"' >/dev/null ||
  { echo "deploy.sh: $NAME is not available" >&2; exit 1; }
if ! body=$(curl -sS --fail-with-body -D "$headers" "$HEARTH_URL/v1/chat/completions" -H 'Content-Type: application/json' \
    -d '{"model": "'"$NAME"'", "max_tokens": 12, "messages": [{"role": "user", "content": "Hello from a config.yaml"}]}'); then
  echo "deploy.sh: chat with $NAME failed${body:+: $body}" >&2
  exit 1
fi
grep -i '^x-hearth-replica:' "$headers" | tr -d '\r'
echo "answer: $(printf '%s' "$body" | sed -n 's/.*"content":"\(\([^"\\]\|\\.\)*\)".*/\1/p')"

# Deleting drains the replicas and stops them; the deployment is gone once GET answers 404.
curl -sS --fail-with-body -o /dev/null -X DELETE "$HEARTH_URL/api/v1/deployments/$NAME"
for _ in $(seq 1 300); do
  if [ "$(curl -sS -o /dev/null -w '%{http_code}' "$HEARTH_URL/api/v1/deployments/$NAME")" = 404 ]; then
    echo "deleted $NAME"
    exit 0
  fi
  sleep 0.2
done
echo "deploy.sh: $NAME was still there 60 s after DELETE" >&2
exit 1
