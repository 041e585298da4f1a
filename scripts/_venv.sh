# shellcheck shell=bash
# Shared by scripts/test.sh and scripts/demo.sh (sourced, not run): where the repo is, the system
# packages a fresh Debian/Ubuntu lacks, and the project's virtualenv.
#
#   bw_system_packages PACKAGE…   as root: apt-get what is missing; otherwise: print what to install
#   bw_venv EXTRAS [ALSO_OK…]     make .venv, pip install -e ".[EXTRAS]" unless an install of EXTRAS
#                                 (or of one of ALSO_OK, e.g. dev ⊇ server,desktop) is current
#
# An install is current while pyproject.toml is unchanged since (sha256 in .venv/.budgetwatch-*).
# BUDGETWATCH_VENV overrides the venv's place.

BW_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BW_VENV=${BUDGETWATCH_VENV:-$BW_ROOT/.venv}
BW_PYTHON=$BW_VENV/bin/python

# Qt (PySide6 6.11) on the offscreen platform: EGL/GL, fontconfig, freetype, glib, xkbcommon, and the
# D-Bus library Qt loads at run time; a CJK font so Chinese text is not boxes.
# shellcheck disable=SC2034  # used by the scripts that source this file
BW_QT_PACKAGES=(fonts-wqy-microhei libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libxkbcommon0
    libdbus-1-3)
# Rendering the supervision report's PDF to PNG in its tests (pdftoppm, pdffonts, pdftotext).
# shellcheck disable=SC2034
BW_REPORT_PACKAGES=(poppler-utils)
# Building and checking the bundle and the .deb (tests/packaging): readelf/objdump/strip, desktop-file-validate.
# shellcheck disable=SC2034
BW_PACKAGING_PACKAGES=(binutils desktop-file-utils)
# The xcb platform under Xvfb (screenshots, a visible window on a server): Qt's xcb plugin needs these.
# shellcheck disable=SC2034
BW_XVFB_PACKAGES=(xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1
    libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xkb1)

bw_log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

bw_is_root() { [ "$(id -u)" = 0 ]; }

# The PostgreSQL server binaries the tests start a throwaway server from (same search as tests/pg.py).
bw_have_postgres() {
    local dir
    if [ -n "${BUDGETWATCH_PG_BINDIR:-}" ]; then
        [ -x "$BUDGETWATCH_PG_BINDIR/initdb" ] && [ -x "$BUDGETWATCH_PG_BINDIR/pg_ctl" ]
        return
    fi
    for dir in /usr/lib/postgresql/*/bin; do
        [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ] && return 0
    done
    if command -v pg_config >/dev/null 2>&1; then
        dir=$(pg_config --bindir 2>/dev/null) && [ -x "$dir/initdb" ] && return 0
    fi
    command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1
}

_bw_installed() {
    # Ubuntu 24.04 renamed some libraries (libglib2.0-0 → libglib2.0-0t64); either name counts.
    local name
    for name in "$1" "$1t64"; do
        dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q ' ok installed$' && return 0
    done
    return 1
}

bw_system_packages() {
    if ! command -v dpkg-query >/dev/null 2>&1; then
        bw_log "not Debian/Ubuntu: make sure these (or your system's equivalents) are installed: $*"
        return 0
    fi
    local missing=() package
    for package in "$@"; do
        if [ "$package" = postgresql ]; then
            bw_have_postgres || missing+=(postgresql)
        else
            _bw_installed "$package" || missing+=("$package")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! bw_is_root; then
        bw_log "missing system packages (not root, so not installing them):"
        echo "    sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
        return 0
    fi
    bw_log "installing system packages: ${missing[*]}"
    if [[ " ${missing[*]} " == *" postgresql "* ]]; then
        # Only the binaries are wanted (the tests start their own server): no 'main' cluster on 5432.
        mkdir -p /etc/postgresql-common/createcluster.d
        echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/budgetwatch-tests.conf
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

_bw_hash() { sha256sum "$BW_ROOT/pyproject.toml" | cut -d' ' -f1; }

bw_venv() {
    local extras=$1 stamp name
    shift
    if [ ! -x "$BW_PYTHON" ]; then
        if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
            bw_log "BudgetWatch needs Python 3.11 or newer as python3 (found: $(python3 --version 2>&1 || echo none))"
            return 1
        fi
        if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
            if bw_is_root; then
                bw_system_packages python3-venv
            else
                bw_log "python3 cannot make virtualenvs: sudo apt-get install -y python3-venv"
                return 1
            fi
        fi
        bw_log "creating $BW_VENV"
        python3 -m venv "$BW_VENV"
    fi
    for name in "$extras" "$@"; do
        stamp=$BW_VENV/.budgetwatch-installed-${name//,/+}
        if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(_bw_hash)" ]; then
            return 0
        fi
    done
    local want
    want=$(_bw_hash)  # before installing: an edit made meanwhile must trigger the next install
    bw_log "installing budgetwatch[$extras] into $BW_VENV"
    "$BW_PYTHON" -m pip install --quiet --disable-pip-version-check --upgrade pip
    "$BW_PYTHON" -m pip install --quiet --disable-pip-version-check -e "${BW_ROOT}[${extras}]"
    echo "$want" > "$BW_VENV/.budgetwatch-installed-${extras//,/+}"
}
