#!/usr/bin/env bash
# Build the desktop's .deb from the PyInstaller bundle (pyinstaller build.spec → dist/budgetwatch/):
#
#   packaging/build-deb.sh [--bundle DIR] [--out DIR] [--config FILE] [--ca FILE]
#
#   --bundle DIR   the one-folder bundle (default dist/budgetwatch)
#   --out DIR      where budgetwatch_<version>_<arch>.deb goes (default dist); its path is printed
#   --config FILE  the district's budgetwatch.toml (default packaging/budgetwatch.toml.example: no presets)
#   --ca FILE      the district's CA certificate, installed beside it (name it in the config's ca_bundle)
#
# Installs /opt/budgetwatch, /usr/bin/budgetwatch, the .desktop entry, the icons and
# /etc/budgetwatch/ (conffiles: a locally edited preset survives upgrades). There are no maintainer
# scripts: the desktop database and icon cache are refreshed by dpkg triggers, and removing or purging
# the package never touches anyone's data (BUDGETWATCH_HOME stays where it is).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUNDLE=$ROOT/dist/budgetwatch
OUT=$ROOT/dist
CONFIG=$ROOT/packaging/budgetwatch.toml.example
CA=""
STAGING=""

# What the bundle's Qt, its plugins (xcb, EGL/GLX, ibus, portal, network manager) and libpython load
# from the system (build.spec leaves the desktop stack out of the bundle). Derived from the bundle's
# ELF NEEDED entries resolved with dpkg -S; tests/packaging/test_frozen.py checks that every library
# the installed tree loads from outside it belongs to one of these. libc6 is added with the newest
# glibc symbol version the bundle needs.
DEPENDS="libgcc-s1 | libgcc1, libstdc++6, libglib2.0-0 | libglib2.0-0t64, libdbus-1-3, libfontconfig1,
 libfreetype6, libegl1, libgl1, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-glx0, libxcb-icccm4,
 libxcb-image0, libxcb-keysyms1, libxcb-randr0, libxcb-render0, libxcb-render-util0, libxcb-shape0, libxcb-shm0,
 libxcb-sync1, libxcb-util1, libxcb-xfixes0, libxcb-xkb1, libxkbcommon0, libxkbcommon-x11-0, libgssapi-krb5-2,
 libbrotli1, libzstd1"
# Chinese text needs a CJK font; UOS and Kylin have their own, so only recommended.
RECOMMENDS="fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei"

usage() { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

parse_arguments() {
    while [ $# -gt 0 ]; do
        case $1 in
            --bundle) BUNDLE=$(realpath "$2"); shift 2 ;;
            --out) OUT=$(realpath -m "$2"); shift 2 ;;
            --config) CONFIG=$(realpath "$2"); shift 2 ;;
            --ca) CA=$(realpath "$2"); shift 2 ;;
            *) usage ;;
        esac
    done
    if [ ! -x "$BUNDLE/budgetwatch" ]; then
        echo "no bundle at $BUNDLE: run 'pyinstaller build.spec' first" >&2
        exit 1
    fi
}

project_version() {
    python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
        "$ROOT/pyproject.toml"
}

# The newest GLIBC_x.y any file of the bundle asks for: the libc6 it needs at least.
glibc_needed() {
    find "$BUNDLE" -type f \( -name '*.so*' -o -name budgetwatch \) -exec objdump -T {} + 2>/dev/null \
        | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -n 1
}

install_files() {
    local staging=$1 size
    mkdir -p "$staging/opt" "$staging/usr/bin" "$staging/usr/share/applications" "$staging/etc/budgetwatch"
    cp -a "$BUNDLE" "$staging/opt/budgetwatch"
    ln -s /opt/budgetwatch/budgetwatch "$staging/usr/bin/budgetwatch"
    install -m 644 "$ROOT/packaging/budgetwatch.desktop" "$staging/usr/share/applications/"
    for size in 16 24 32 48 64 128 256; do
        install -D -m 644 "$ROOT/resources/icons/budgetwatch-$size.png" \
            "$staging/usr/share/icons/hicolor/${size}x${size}/apps/budgetwatch.png"
    done
    install -D -m 644 "$ROOT/resources/icons/budgetwatch.svg" \
        "$staging/usr/share/icons/hicolor/scalable/apps/budgetwatch.svg"
    install -m 644 "$CONFIG" "$staging/etc/budgetwatch/budgetwatch.toml"
    if [ -n "$CA" ]; then
        install -m 644 "$CA" "$staging/etc/budgetwatch/$(basename "$CA")"
    fi
}

write_control() {
    local staging=$1 version=$2 arch=$3
    mkdir -p "$staging/DEBIAN"
    (cd "$staging" && find etc -type f -printf '/%p\n') > "$staging/DEBIAN/conffiles"
    cat > "$staging/DEBIAN/control" <<EOF
Package: budgetwatch
Version: $version
Architecture: $arch
Maintainer: BudgetWatch <budgetwatch@localhost>
Section: misc
Priority: optional
Installed-Size: $(du -sk --exclude=DEBIAN "$staging" | cut -f1)
Depends: libc6 (>= $(glibc_needed)), $(echo "$DEPENDS" | tr -s ' \n' ' ')
Recommends: $RECOMMENDS
Description: 预算联网监督 — budget supervision for people's congress deputies
 The desktop of BudgetWatch: budgets, execution, final accounts, major policies,
 livelihood projects and suggestions of a district, kept in a local replica so
 the PC in a deputies' home works without a network, and synced with the
 district server. Presets for the district live in /etc/budgetwatch/.
EOF
}

main() {
    parse_arguments "$@"
    local version arch target
    version=$(project_version)
    arch=$(dpkg --print-architecture)
    STAGING=$(mktemp -d)
    trap 'rm -rf "$STAGING"' EXIT
    install_files "$STAGING/root"
    write_control "$STAGING/root" "$version" "$arch"
    mkdir -p "$OUT"
    target=$OUT/budgetwatch_${version}_${arch}.deb
    dpkg-deb --root-owner-group -Zxz --build "$STAGING/root" "$target" >&2
    echo "$target"
}

main "$@"
