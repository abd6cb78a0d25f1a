#!/usr/bin/env bash
# schemathesis (PyPI) against Tribune's own OpenAPI document: every operation, with
# generated valid and invalid inputs, authenticated as an admin; no request may end in
# a server error (5xx). Starts the server itself on a fresh SQLite database.
#   tests/schemathesis/run.sh [max examples per operation, default 30]
set -euo pipefail
cd "$(dirname "$0")/../.."
examples="${1:-30}"

venv=.venv-schemathesis
if [ ! -x "$venv/bin/schemathesis" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q 'schemathesis==4.32.5'
fi
cargo build -q --bin tribune

work=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
token="schemathesis-$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
# Limits raised: the point is what each operation answers, not the rate limiter.
TRIBUNE_DATABASE__URL="sqlite://$work/tribune.db?mode=rwc" \
TRIBUNE_SERVER__LISTEN="127.0.0.1:$port" \
TRIBUNE_SERVER__PUBLIC_URL="http://127.0.0.1:$port" \
TRIBUNE_ADMIN__TOKEN="$token" \
TRIBUNE_LIMITS__PUBLIC_BURST=1000000 \
TRIBUNE_LIMITS__INBOX_BURST=1000000 \
RUST_LOG=error \
    target/debug/tribune serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.1
done

"$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" \
    --checks not_a_server_error \
    --header "Authorization: Bearer $token" \
    --max-examples "$examples" \
    --seed 1 \
    --request-timeout 10
