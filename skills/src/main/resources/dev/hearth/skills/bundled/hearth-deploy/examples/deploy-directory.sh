#!/usr/bin/env bash
# Deploys examples/model-dir as "example-directory", sends it one request, then deletes it.
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/deploy-directory.sh
set -euo pipefail
default_port=8080 # hearth serve's default
export HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
name=example-directory

# Applies the directory and waits, with a progress bar per replica, until every replica is ready.
hearth deploy "$here/model-dir" --name "$name" --yes

# Requests name the deployment in "model".
curl -fsS "$HEARTH_URL/v1/chat/completions" -H 'Content-Type: application/json' \
  -d "{\"model\": \"$name\", \"messages\": [{\"role\": \"user\", \"content\": \"Say hello.\"}], \"max_tokens\": 8}"
echo

# Delete drains in-flight requests first; poll until the deployment is gone.
curl -fsS -X DELETE "$HEARTH_URL/api/v1/deployments/$name" >/dev/null
for _ in $(seq 1 100); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "$HEARTH_URL/api/v1/deployments/$name")
  [ "$code" = 404 ] && { echo "deleted $name"; exit 0; }
  sleep 0.2
done
echo "$name was not deleted in time" >&2; exit 1
