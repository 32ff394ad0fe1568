#!/usr/bin/env bash
# A nodepool with one warm node: create it, watch the node come up warm, drop the warm target,
# and delete the pool.
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/warm-pool.sh
set -euo pipefail
default_port=8080 # hearth serve's default
export HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
pool=example-burst

hearth nodepools create "$pool" --gpu-kind L40S --max-nodes 4 --warm 1 --priority 5
for _ in $(seq 1 100); do
  curl -fsS "$HEARTH_URL/api/v1/nodepools/$pool" | grep -q '"state":"warm"' && break
  sleep 0.2
done
echo "== $pool with its warm node"
curl -fsS "$HEARTH_URL/api/v1/nodepools/$pool" | grep -o '"state":"[a-z]*"' | sort | uniq -c
hearth nodepools update "$pool" --warm 0
hearth nodepools delete "$pool"
hearth nodepools
