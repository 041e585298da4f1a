#!/usr/bin/env bash
# The checks CI runs: ruff, then the whole pytest suite — headless Qt, SQLite and a throwaway
# PostgreSQL the tests start themselves. Extra arguments go to pytest:
#
#   scripts/test.sh                          everything
#   scripts/test.sh tests/server -k changelog
#   BUDGETWATCH_SLOW_TESTS=1 scripts/test.sh also the long runs (tests marked slow)
#   BUDGETWATCH_FROZEN_TESTS=1 scripts/test.sh  also builds the bundle and the .deb and runs them
#                                            (tests/packaging; always on in CI, where CI is set)
#
# Makes .venv and installs .[dev] when needed. As root it also installs the missing system packages
# and requires PostgreSQL (BUDGETWATCH_REQUIRE_POSTGRES=1: a PostgreSQL that cannot start fails the
# run instead of skipping those tests); otherwise it lists the packages and skips what needs them.
set -euo pipefail
# shellcheck source=scripts/_venv.sh
source "$(dirname "${BASH_SOURCE[0]}")/_venv.sh"

bw_system_packages "${BW_QT_PACKAGES[@]}" "${BW_XVFB_PACKAGES[@]}" "${BW_PACKAGING_PACKAGES[@]}" \
    "${BW_REPORT_PACKAGES[@]}" postgresql
bw_venv dev

export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
if bw_is_root; then
    export BUDGETWATCH_REQUIRE_POSTGRES=${BUDGETWATCH_REQUIRE_POSTGRES:-1}
fi

cd "$BW_ROOT"
bw_log "ruff check ."
"$BW_VENV/bin/ruff" check .
bw_log "pytest -q $*"
exec "$BW_PYTHON" -m pytest -q "$@"
