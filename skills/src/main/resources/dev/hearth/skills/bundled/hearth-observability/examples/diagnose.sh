#!/usr/bin/env bash
# Sends a little traffic with a shared system prompt, then reads what Hearth knows: the deployment's
# metrics, the last routing decision, where a new prompt would go, and the Prometheus series.
# Usage: HEARTH_URL=http://127.0.0.1:8080 HEARTH_MODEL=qwen3-0-6b bash examples/diagnose.sh
set -euo pipefail
default_port=8080 # hearth serve's default
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
MODEL=${HEARTH_MODEL:-qwen3-0-6b}
system=$(printf 'You answer questions about the rules of chess. %.0s' $(seq 1 30))

for i in 1 2 3 4; do
  curl -fsS -o /dev/null "$HEARTH_URL/v1/chat/completions" -H 'Content-Type: application/json' -d "{\"model\": \"$MODEL\",
    \"max_tokens\": 8, \"messages\": [{\"role\": \"system\", \"content\": \"$system\"}, {\"role\": \"user\", \"content\": \"Question $i\"}]}"
done

echo "== metrics"
curl -fsS "$HEARTH_URL/api/v1/deployments/$MODEL/metrics" | tr ',' '\n' | grep -E '"(requests|p50|p99|prefix_cache_hit_ratio_estimated|id|in_flight|kv_usage)"'
echo "== the last decision"
curl -fsS "$HEARTH_URL/api/v1/deployments/$MODEL/decisions?limit=1" | tr '{' '\n' | grep -E '"reason"|"cached_blocks"'
echo "== where a new question with the same system prompt would go (nothing is sent)"
curl -fsS "$HEARTH_URL/api/v1/deployments/$MODEL/explain" -H 'Content-Type: application/json' -d "{
  \"messages\": [{\"role\": \"system\", \"content\": \"$system\"}, {\"role\": \"user\", \"content\": \"Question 5\"}]}" \
  | grep -oE '"(replica|reason|prompt_blocks|cached_blocks)":("[^"]*"|[0-9]+)' | head -n 4
echo "== Prometheus"
curl -fsS "$HEARTH_URL/metrics" | grep -E "^hearth_(requests_total|replica_in_flight|prefix_index_blocks)" | head -n 8
