#!/usr/bin/env bash
# One MCP session over Streamable HTTP with nothing but curl: initialize, list the tools, call
# deployments_list and skills/list, then end the session. What an assistant does when it connects to
# http://HOST:PORT/mcp.
# Usage: HEARTH_URL=http://127.0.0.1:8080 bash examples/mcp-over-http.sh
set -euo pipefail
default_port=8080 # hearth serve's default
HEARTH_URL=${HEARTH_URL:-http://127.0.0.1:$default_port}
headers=(-H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream')
[ -n "${HEARTH_API_KEY:-}" ] && headers+=(-H "Authorization: Bearer $HEARTH_API_KEY")

# initialize: the answer names the server and its capabilities; the session id comes in a header.
curl -fsS -D init-headers.txt "$HEARTH_URL/mcp" "${headers[@]}" -d '{"jsonrpc": "2.0", "id": 1, "method": "initialize",
  "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "curl", "version": "1"}}}' \
  | grep -o '"serverInfo":{[^}]*}'
session=$(grep -i '^mcp-session-id:' init-headers.txt | tr -d '\r' | cut -d' ' -f2); rm -f init-headers.txt
headers+=(-H "Mcp-Session-Id: $session" -H 'MCP-Protocol-Version: 2025-06-18')
curl -fsS -o /dev/null "$HEARTH_URL/mcp" "${headers[@]}" -d '{"jsonrpc": "2.0", "method": "notifications/initialized"}'

# Answers may come as JSON or as one server-sent event; `data:` lines hold the JSON-RPC message.
rpc() { curl -fsS "$HEARTH_URL/mcp" "${headers[@]}" -d "$1" | sed -n 's/^data: //; /^{/p'; }

echo "== tools"
rpc '{"jsonrpc": "2.0", "id": 2, "method": "tools/list"}' | grep -o '"name":"[a-z_]*"' | cut -d'"' -f4 | tr '\n' ' '; echo
echo "== deployments_list"
rpc '{"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "deployments_list", "arguments": {}}}' \
  | grep -o '"structuredContent":.*' | cut -c1-300
echo "== skills (SEP-2640)"
rpc '{"jsonrpc": "2.0", "id": 4, "method": "skills/list"}' | grep -o '"uri":"skill://[a-z-]*/SKILL.md"' | cut -d'"' -f4 | sort -u

curl -fsS -o /dev/null -X DELETE "$HEARTH_URL/mcp" "${headers[@]}" && echo "session ended"
