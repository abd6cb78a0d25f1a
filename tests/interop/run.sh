#!/usr/bin/env bash
# Interoperability check: drives real third-party fediverse software (fediverse-pasture,
# bovine, bovine-herd, http-message-signatures; PyPI packages listed in
# ../shared/interop/requirements.txt; FediBlockHole, listed in tests/interop/requirements.txt;
# Fedify from npm, tests/interop/fedify/) against a running Tribune, all on loopback.
#
#   tests/interop/run.sh
#
# Environment:
#   VENV                  Python venv with the requirements (default: .venv-interop in the
#                         repo root; created and filled when missing)
#   TRIBUNE_SHARED_DIR    the shared material (default: ../shared next to the repo)
#   TRIBUNE_BIN           the binary to test (default: target/debug/tribune)
#   INTEROP_SKIP_BUILD=1  do not run `cargo build` first
#   INTEROP_KEEP=1        keep the temp directory (databases, logs) after the run
#   INTEROP_DEADLINE      seconds each check polls for its result (default 15)
#
# Ports (fixed, loopback only): Tribune 8931, verify_actor 2917, one_actor 2909 (fixed by
# pasture_peer.py), bovine-herd 2920, the strict RFC 9421 peer 2930 (served by check.py),
# the Fedify peer 2940.
#
# The last line of the output is always `N passed, M failed`; the exit code is non-zero
# when anything failed.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
HERE="$ROOT/tests/interop"
SHARED="${TRIBUNE_SHARED_DIR:-$ROOT/../shared}"
VENV="${VENV:-$ROOT/.venv-interop}"
BIN="${TRIBUNE_BIN:-$ROOT/target/debug/tribune}"

TRIBUNE_PORT=8931
VERIFY_PORT=2917
ONE_ACTOR_PORT=2909
HERD_PORT=2920
STRICT_PORT=2930
FEDIFY_PORT=2940
ADMIN_TOKEN="interop-$(head -c 24 /dev/urandom | base64 | tr "+/" "-_")"

PIDS=()
NAMES=()
WORK=""
SUMMARY_PRINTED=0

log() { echo "interop: $*"; }

# Stop only what this script started, by pid.
stop_all() {
    local i pid
    for i in "${!PIDS[@]}"; do
        pid="${PIDS[$i]}"
        kill -TERM "$pid" 2>/dev/null || true
    done
    for i in "${!PIDS[@]}"; do
        pid="${PIDS[$i]}"
        for _ in $(seq 1 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
    NAMES=()
}

remove_work() {
    if [ -n "$WORK" ] && [ -d "$WORK" ]; then
        if [ "${INTEROP_KEEP:-0}" = 1 ]; then
            log "kept $WORK"
        else
            rm -rf "$WORK"
        fi
    fi
    WORK=""
}

on_exit() {
    local rc=$?
    stop_all
    remove_work
    if [ "$SUMMARY_PRINTED" = 0 ]; then
        echo "FAIL interop run interrupted (exit code $rc)"
        echo "0 passed, 1 failed"
        rc=1
    fi
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

# A failure before the checks could run: one failed check.
setup_failed() {
    echo "FAIL setup: $*"
    show_logs
    stop_all
    remove_work
    SUMMARY_PRINTED=1
    echo "0 passed, 1 failed"
    exit 1
}

show_logs() {
    [ -n "$WORK" ] || return 0
    local f
    for f in "$WORK"/logs/*.log; do
        [ -f "$f" ] || continue
        echo "----- last lines of $(basename "$f") -----"
        tail -n "${INTEROP_LOG_LINES:-40}" "$f"
    done
    echo "----- end of logs -----"
}

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start NAME DIR COMMAND...: runs COMMAND in DIR in the background, logging to logs/NAME.log
start() {
    local name="$1" dir="$2"
    shift 2
    (cd "$dir" && exec "$@") >"$WORK/logs/$name.log" 2>&1 &
    PIDS+=("$!")
    NAMES+=("$name")
}

# --- Python environment --------------------------------------------------------------
[ -f "$SHARED/interop/requirements.txt" ] || setup_failed "shared material not found at $SHARED (set TRIBUNE_SHARED_DIR)"
if [ ! -x "$VENV/bin/python" ]; then
    log "creating $VENV"
    python3 -m venv "$VENV" || setup_failed "python3 -m venv $VENV failed"
fi
# Pinned versions: a no-op taking a second when the venv already has them.
"$VENV/bin/pip" install -q -r "$SHARED/interop/requirements.txt" \
    || setup_failed "pip install -r $SHARED/interop/requirements.txt into $VENV failed"
# Ours on top (FediBlockHole): tests/interop/requirements.txt.
"$VENV/bin/pip" install -q -r "$HERE/requirements.txt" \
    || setup_failed "pip install -r $HERE/requirements.txt into $VENV failed"
PY="$VENV/bin/python"
export PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1

# --- Tribune binary ------------------------------------------------------------------
if [ "${INTEROP_SKIP_BUILD:-0}" != 1 ]; then
    log "cargo build"
    cargo build --quiet || setup_failed "cargo build failed"
fi
[ -x "$BIN" ] || setup_failed "no tribune binary at $BIN (run cargo build)"

# --- Fedify (npm, pinned by tests/interop/fedify/package-lock.json) --------------------
if [ ! -d "$HERE/fedify/node_modules/@fedify/fedify" ]; then
    log "npm ci in tests/interop/fedify"
    (cd "$HERE/fedify" && npm ci --no-audit --no-fund --quiet) || setup_failed "npm ci in tests/interop/fedify failed"
fi

for p in "$TRIBUNE_PORT" "$VERIFY_PORT" "$ONE_ACTOR_PORT" "$HERD_PORT" "$STRICT_PORT" "$FEDIFY_PORT"; do
    port_busy "$p" && setup_failed "port 127.0.0.1:$p is already in use"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/tribune-interop.XXXXXX")"
mkdir -p "$WORK/logs" "$WORK/tribune" "$WORK/verify_actor" "$WORK/one_actor" "$WORK/bovine_herd" "$WORK/check" "$WORK/fedify"

# Keep the peers on loopback. bovine (used by all of them) resolves JSON-LD @contexts with
# `requests`, caching them in ./bovine_jsonld_cache.sqlite; when a context cannot be loaded
# it falls back to an empty one. Seed that cache with the same empty contexts, and point
# `requests` at a closed loopback proxy for anything else, so that a run behaves the same
# with or without internet access and never leaves the machine ("Failed to load <url>" in a
# peer's log names a context it wanted).
for d in verify_actor one_actor bovine_herd check; do
    "$PY" "$HERE/jsonld_cache.py" "$WORK/$d/bovine_jsonld_cache.sqlite" \
        || setup_failed "could not seed the JSON-LD cache in $WORK/$d"
done
PEER_ENV=(env HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9
    http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9
    NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost)

# --- Tribune: fresh SQLite database, run from the repo root (config/default.toml) ----
start tribune "$ROOT" env -u TRIBUNE_CONFIG \
    TRIBUNE_SERVER__LISTEN="127.0.0.1:$TRIBUNE_PORT" \
    TRIBUNE_SERVER__PUBLIC_URL="http://127.0.0.1:$TRIBUNE_PORT" \
    TRIBUNE_DATABASE__URL="sqlite://$WORK/tribune/tribune.db?mode=rwc" \
    TRIBUNE_ADMIN__TOKEN="$ADMIN_TOKEN" \
    TRIBUNE_WORKERS__POLL_INTERVAL_MS=100 \
    TRIBUNE_FEDERATION__ALLOW_PRIVATE_NETWORKS=true \
    RUST_LOG="${RUST_LOG:-info}" NO_COLOR=1 \
    "$BIN" serve

# --- fediverse-pasture: verify_actor and one_actor, each with its own data.toml --------
start verify_actor "$WORK/verify_actor" "${PEER_ENV[@]}" "$PY" "$SHARED/interop/run_verify_actor.py" "$VERIFY_PORT"
start one_actor "$WORK/one_actor" "${PEER_ENV[@]}" "$PY" "$SHARED/interop/run_one_actor.py" "$ONE_ACTOR_PORT"

# --- bovine-herd: database, user carol, Moo-Auth secret, then the server --------------
(
    cd "$WORK/bovine_herd" || exit 1
    export HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 NO_PROXY=127.0.0.1,localhost
    "$PY" -m bovine_store create || exit 1
    "$PY" -m bovine_store register --domain "http://127.0.0.1:$HERD_PORT" --handle carol >register.out || exit 1
    name="$(sed -n 's/^Registered new user with bovine name //p' register.out)"
    [ -n "$name" ] || { echo "unexpected register output: $(cat register.out)"; exit 1; }
    "$PY" -m bovine_store key --new "$name" >key.out || exit 1
    sed -n 's/^Your new secret: //p' key.out >secret
    [ -s secret ] || { echo "unexpected key output: $(cat key.out)"; exit 1; }
) >"$WORK/logs/bovine_setup.log" 2>&1 || setup_failed "bovine-herd setup failed (see bovine_setup.log)"
HERD_SECRET="$(cat "$WORK/bovine_herd/secret")"
start bovine_herd "$WORK/bovine_herd" "${PEER_ENV[@]}" "$PY" "$SHARED/interop/run_bovine_herd.py" "$HERD_PORT"

# --- Fedify: one actor (dana) and a control API, see tests/interop/fedify/peer.mjs ------
start fedify "$WORK/fedify" "${PEER_ENV[@]}" node "$HERE/fedify/peer.mjs" "$FEDIFY_PORT"

# --- the checks (they wait for every server to answer first) ---------------------------
export INTEROP_TRIBUNE_URL="http://127.0.0.1:$TRIBUNE_PORT"
export INTEROP_ADMIN_TOKEN="$ADMIN_TOKEN"
export INTEROP_VERIFY_URL="http://127.0.0.1:$VERIFY_PORT"
export INTEROP_ONE_ACTOR_URL="http://127.0.0.1:$ONE_ACTOR_PORT"
export INTEROP_ONE_ACTOR_DIR="$WORK/one_actor"
export INTEROP_HERD_URL="http://127.0.0.1:$HERD_PORT"
export INTEROP_HERD_SECRET="$HERD_SECRET"
export INTEROP_STRICT_URL="http://127.0.0.1:$STRICT_PORT"
export INTEROP_FEDIFY_URL="http://127.0.0.1:$FEDIFY_PORT"
export INTEROP_PEER="$SHARED/interop/pasture_peer.py"
export INTEROP_SUMMARY="$WORK/summary"
export INTEROP_PIDS="${PIDS[*]}"
export INTEROP_PID_NAMES="${NAMES[*]}"

# bovine keeps a JSON-LD context cache in its working directory: run in the temp dir.
# In the background and waited for, so that a signal to this script is handled at once.
(cd "$WORK/check" && exec "${PEER_ENV[@]}" "$PY" "$HERE/check.py") &
CHECK_PID=$!
PIDS+=("$CHECK_PID")
NAMES+=("check")
wait "$CHECK_PID"
rc=$?
unset 'PIDS[-1]' 'NAMES[-1]'

# Contexts a peer wanted but that are not in the seeded cache: not a failure, but worth
# knowing (add them to jsonld_cache.py).
grep -ho 'Failed to load [^ ]*' "$WORK"/logs/*.log 2>/dev/null | sort -u | sed 's/^/NOTE peer JSON-LD context not seeded: /'

summary="$(cat "$WORK/summary" 2>/dev/null || true)"
if [ -z "$summary" ]; then
    echo "FAIL check.py ended without a summary (exit code $rc)"
    summary="0 passed, 1 failed"
    rc=1
fi
if [ "$rc" != 0 ]; then
    show_logs
fi
stop_all
remove_work
SUMMARY_PRINTED=1
echo "$summary"
[ "$rc" = 0 ] || exit 1
exit 0
