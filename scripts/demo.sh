#!/usr/bin/env bash
# The demo: a district server with made-up data (embedded SQLite) on http://127.0.0.1:8750, and the
# desktop signed in as a demo deputy (when there is a display). Ctrl-C stops everything.
#
#   scripts/demo.sh           create the demo district the first time, then serve it
#   scripts/demo.sh --reset   throw the demo database away and create it again
#
# Data: ${BUDGETWATCH_SERVER_HOME:-<repo>/.demo/server} (database, demo-accounts.txt); the desktop's
# data in <repo>/.demo/desktop. Port: BUDGETWATCH_DEMO_PORT (default 8750).
set -euo pipefail
# shellcheck source=scripts/_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"

reset=0
for arg in "$@"; do
    case $arg in
        --reset) reset=1 ;;
        -h|--help) sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "unknown argument: $arg (see --help)" >&2; exit 2 ;;
    esac
done

bw_system_packages "${BW_QT_PACKAGES[@]}"
bw_venv server,desktop dev

server_home=${BUDGETWATCH_SERVER_HOME:-$BW_ROOT/.demo/server}
mkdir -p "$server_home"
server_home=$(cd "$server_home" && pwd)
export BUDGETWATCH_SERVER_HOME=$server_home
database=$server_home/budgetwatch.db
db_url=sqlite:///$database
accounts=$server_home/demo-accounts.txt
creating=$server_home/.demo-creating
port=${BUDGETWATCH_DEMO_PORT:-8750}
url=http://127.0.0.1:$port
server_cli=$BW_VENV/bin/budgetwatch-server

if [ "$reset" = 1 ] || [ -e "$creating" ]; then
    # Asked to, or an earlier run stopped half-way through creating the demo.
    rm -f "$database" "$database-wal" "$database-shm" "$accounts" "$creating"
fi
if [ ! -s "$accounts" ]; then
    bw_log "creating the demo district in $database"
    touch "$creating"
    "$server_cli" demo --db "$db_url" > "$accounts.tmp"
    mv "$accounts.tmp" "$accounts"
    rm -f "$creating"
fi

if ! "$BW_PYTHON" -c 'import socket, sys; socket.create_server(("127.0.0.1", int(sys.argv[1]))).close()' "$port" \
        2>/dev/null; then
    echo "port $port on 127.0.0.1 is taken (another demo still running?); choose another: BUDGETWATCH_DEMO_PORT=8751 $0" >&2
    exit 1
fi

print_accounts() {
    echo
    cat "$accounts"
    echo
    echo "服务器 / server: $url   (数据 / data: $server_home)"
    echo "Ctrl-C 停止 / stops the demo."
    echo
}

# The desktop opens when its window module is installed and there is a display to show it on.
desktop=0
if "$BW_PYTHON" -c 'import desktop.app' 2>/dev/null \
        && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    desktop=1
fi

if [ "$desktop" = 0 ]; then
    print_accounts
    bw_log "starting the server only (no display or no desktop app); sign in with an account above"
    exec "$server_cli" serve --host 127.0.0.1 --port "$port" --db "$db_url"
fi

# Server in the background, desktop in front. Background jobs of a script ignore Ctrl-C, so the
# trap stops them.
pids=()
stop_all() {
    trap - INT TERM EXIT
    local pid
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

"$server_cli" serve --host 127.0.0.1 --port "$port" --db "$db_url" &
pids+=($!)
bw_log "waiting for the server at $url"
for _ in $(seq 1 150); do
    if "$BW_PYTHON" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)' \
            "$url/api/v1/health" 2>/dev/null; then
        break
    fi
    kill -0 "${pids[0]}" 2>/dev/null || { echo "the server stopped; see its messages above" >&2; exit 1; }
    sleep 0.2
done
print_accounts

# The first deputy in the list: "  deputy  <username>  密码 <password>  <name> (<where>)".
read -r deputy password < <(awk '$1 == "deputy" { print $2, $4; exit }' "$accounts") || true
export BUDGETWATCH_HOME=${BUDGETWATCH_HOME:-$BW_ROOT/.demo/desktop}
if [ -n "${deputy:-}" ]; then
    # The desktop signs in with BUDGETWATCH_PASSWORD and makes its first sync in the window.
    bw_log "opening the desktop signed in as $deputy (data: $BUDGETWATCH_HOME)"
    BUDGETWATCH_PASSWORD=$password "$BW_VENV/bin/budgetwatch" --server "$url" --user "$deputy" &
else
    bw_log "opening the desktop; sign in with an account above"
    "$BW_VENV/bin/budgetwatch" --server "$url" &
fi
pids+=($!)
# Until the desktop window is closed (or the server dies, or Ctrl-C).
wait -n "${pids[@]}" || true
