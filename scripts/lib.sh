# Shared by scripts/demo and scripts/test: install what Taboor needs, only when it is missing.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON="${PYTHON:-python3}"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null 2>&1; then sudo "$@"
    else return 1
    fi
}

# Debian packages: install the ones not installed yet (one apt-get update per run).
APT_UPDATED=""
ensure_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if ! command -v apt-get >/dev/null 2>&1; then
        say "please install: ${missing[*]}"; return 1
    fi
    say "installing ${missing[*]}"
    if [ -z "$APT_UPDATED" ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# What PySide6's wheels need from the system, even offscreen (libpulse0: QtMultimedia, the hall's voice).
QT_DEBS=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 libpulse0)
# What Qt's xcb platform needs to open windows on a desktop.
QT_DESKTOP_DEBS=(libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-render-util0 libxcb-image0)

# A virtual environment with Taboor installed (editable), reinstalled when pyproject.toml changes.
ensure_venv() {
    local extras="$1"
    if ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
        say "Taboor needs Python 3.11 or newer as $PYTHON"; return 1
    fi
    if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
        ensure_debs python3-venv
    fi
    [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
    local stamp="$VENV/.taboor-$extras-$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
    if [ ! -f "$stamp" ]; then
        say "installing Taboor and its dependencies into .venv"
        "$VENV/bin/python" -m pip install -q --upgrade pip
        if [ -n "$extras" ]; then
            "$VENV/bin/python" -m pip install -q -e "$ROOT[$extras]"
        else
            "$VENV/bin/python" -m pip install -q -e "$ROOT"
        fi
        rm -f "$VENV"/.taboor-*
        touch "$stamp"
    fi
}

# A PostgreSQL server on 127.0.0.1:5432 with a role and database for the tests;
# exports TABOOR_TEST_PG unless it is already set.
ensure_postgres() {
    if [ -n "${TABOOR_TEST_PG:-}" ]; then return 0; fi
    ensure_debs postgresql postgresql-client
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
        say "starting PostgreSQL"
        local version
        version="$(ls /etc/postgresql | sort -V | tail -n 1)"
        as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    fi
    local sql="DO \$\$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'taboor') THEN
            CREATE ROLE taboor LOGIN PASSWORD 'taboor' CREATEDB;
        END IF; END \$\$;"
    local psql_admin=(psql -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
    if ! "${psql_admin[@]}" -c "SELECT 1" >/dev/null 2>&1; then
        # A fresh Debian server trusts only its own user on the local socket.
        psql_admin=(as_root su postgres -c "psql -d postgres -v ON_ERROR_STOP=1 -qtA")
        "${psql_admin[@]}" <<<"$sql" >/dev/null
        "${psql_admin[@]}" <<<"SELECT 1 FROM pg_database WHERE datname = 'taboor_test'" | grep -q 1 \
            || "${psql_admin[@]}" <<<"CREATE DATABASE taboor_test OWNER taboor" >/dev/null
    else
        "${psql_admin[@]}" -c "$sql" >/dev/null
        "${psql_admin[@]}" -c "SELECT 1 FROM pg_database WHERE datname = 'taboor_test'" | grep -q 1 \
            || "${psql_admin[@]}" -c "CREATE DATABASE taboor_test OWNER taboor" >/dev/null
    fi
    export TABOOR_TEST_PG="postgresql+psycopg://taboor:taboor@127.0.0.1:5432/taboor_test"
}
