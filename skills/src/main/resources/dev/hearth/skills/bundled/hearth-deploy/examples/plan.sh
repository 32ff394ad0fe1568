#!/usr/bin/env bash
# Plans deployments from sentences without applying them: the plan, the GPUs chosen and the
# config.yaml that would be applied. The last sentence contradicts itself and is refused.
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/plan.sh
set -euo pipefail
default_port=8080 # hearth serve's default
export HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}

hearth deploy "Deploy Qwen3-8B with vLLM on 2-4 replicas" --dry-run
echo
hearth deploy "Deploy Llama-3.1-70B-Instruct on 8 x A100 GPUs" --dry-run
echo
if hearth deploy "Deploy Qwen3-8B with vLLM and sglang" --dry-run; then
  echo "expected the contradiction to be refused" >&2; exit 1
fi
echo "refused, as it should be"
