#!/usr/bin/env bash
# The README's screenshots of the main window (Chinese and English) and of each panel, made the way a user would see them: a fresh demo district served
# on a spare port, the desktop signed in as a demo account, one offscreen screenshot per panel.
#
#   scripts/screenshots.sh [OUT_DIR]      (default docs/screenshots)
set -euo pipefail
# shellcheck source=scripts/_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"

out=${1:-$BW_ROOT/docs/screenshots}
work=$(mktemp -d)
port=${BUDGETWATCH_SCREENSHOT_PORT:-8761}
url=http://127.0.0.1:$port
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

mkdir -p "$out"
export QT_QPA_PLATFORM=offscreen BUDGETWATCH_SERVER_HOME=$work/server
"$BW_VENV/bin/budgetwatch-server" demo --db "sqlite:///$work/demo.db" > /dev/null
"$BW_VENV/bin/budgetwatch-server" serve --port "$port" --db "sqlite:///$work/demo.db" 2> "$work/server.log" &
server=$!
"$BW_PYTHON" - "$url/api/v1/health" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        urllib.request.urlopen(sys.argv[1], timeout=1)
        break
    except OSError:
        time.sleep(0.2)
PY

shoot() {  # user password file panel [extra args…]
    local user=$1 password=$2 file=$3 panel=$4
    shift 4
    BUDGETWATCH_PASSWORD=$password "$BW_VENV/bin/budgetwatch" --home "$work/desktop" --server "$url" \
        --user "$user" --screenshot "$out/$file" --panel "$panel" "$@"
    bw_log "$out/$file"
}

for panel in budget execution final policies projects suggestions warnings; do
    shoot deputy01 daibiao-2026 "panel-$panel.png" "$panel"
done
shoot deputy01 daibiao-2026 main-zh.png execution
# A suggestion with site photos and its department's reply letter (thumbnails downloaded before the shot).
shoot deputy01 daibiao-2026 suggestion-photos.png suggestions --suggestion 2026-0004
LANG=en_US.UTF-8 LC_ALL=en_US.UTF-8 shoot deputy01 daibiao-2026 main-en.png execution
