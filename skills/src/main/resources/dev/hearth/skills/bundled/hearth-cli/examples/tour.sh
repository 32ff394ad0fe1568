#!/usr/bin/env bash
# A tour of hearth's read-only commands against a running Hearth (start one with: hearth serve).
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/tour.sh
set -euo pipefail
default_port=8080 # hearth serve's default
export HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}

echo "== GPU instance types with at least 24 GB, cheapest first"
hearth gpus --min-memory 24GB | head -n 6

echo "== A plan from a sentence, applied nowhere (--dry-run)"
hearth deploy "Deploy Qwen3-0.6B with vLLM on 2 replicas" --dry-run

echo "== Nodepools and their nodes"
hearth nodepools

echo "== Hearth's skills, and where they are installed"
hearth skills list

echo "== A bad flag fails with one line and a non-zero exit code"
if hearth gpus --min-memory lots 2>err.txt; then
  echo "expected a refusal" >&2; exit 1
fi
cat err.txt; rm -f err.txt
