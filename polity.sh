#!/usr/bin/env bash
# Polity's one entry point. See README.md.
#
#   ./polity.sh up      set up everything (venv, Python and npm packages, front-end build, database,
#                    demo data) and run the web server, a Celery worker and Celery beat together;
#                    Ctrl-C stops them all.
#   ./polity.sh test    set up, then run every check: ruff, pytest (incl. browser tests), node tests.
#   ./polity.sh setup   only the set-up part of `up`.
#
# A second run reuses the virtual environment and node_modules; it reinstalls only when
# requirements*.txt or package-lock.json changed.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")"

PYTHON=${PYTHON:-$(command -v python3.11 || command -v python3)}
VENV=.venv
PORT=${PORT:-8000}
HOST=${HOST:-127.0.0.1}

say() { printf '\033[1m[polity]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[polity]\033[0m %s\n' "$*" >&2; exit 1; }

stamp_matches() { # stamp_file file...
  local stamp=$1; shift
  [ -f "$stamp" ] && [ "$(cat "$@" | sha256sum)" = "$(cat "$stamp")" ]
}
write_stamp() { local stamp=$1; shift; cat "$@" | sha256sum >"$stamp"; }

setup_python() { # requirements file
  local reqs=$1
  command -v "$PYTHON" >/dev/null || die "Python 3.11+ is needed (set PYTHON=/path/to/python3)."
  if [ ! -x "$VENV/bin/python" ]; then
    say "creating virtual environment in $VENV"
    "$PYTHON" -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --upgrade pip
  fi
  local stamp="$VENV/.installed-$(basename "$reqs")"
  if ! stamp_matches "$stamp" requirements*.txt; then
    say "installing Python packages from $reqs"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$reqs"
    write_stamp "$stamp" requirements*.txt
  fi
}

setup_frontend() {
  command -v npm >/dev/null || die "Node.js 20+ and npm are needed for the browser code."
  if ! stamp_matches node_modules/.polity-installed package-lock.json; then
    say "installing npm packages"
    npm ci --no-audit --no-fund --loglevel=error
    write_stamp node_modules/.polity-installed package-lock.json
  fi
  say "building front-end assets"
  npm run --silent build >/dev/null
}

setup() { # requirements file
  setup_python "$1"
  setup_frontend
  say "migrating the database"
  "$VENV/bin/python" manage.py migrate --no-input -v 0
}

PIDS=()
STOPPED=0

stop_all() {
  trap - INT TERM EXIT
  [ "$STOPPED" = 1 ] && return 0
  STOPPED=1
  say "stopping"
  if [ ${#PIDS[@]} -gt 0 ]; then
    kill -TERM "${PIDS[@]}" 2>/dev/null || true
    wait "${PIDS[@]}" 2>/dev/null || true
  fi
}

run_all() {
  trap stop_all INT TERM EXIT
  "$VENV/bin/celery" -A polity worker --loglevel=INFO --concurrency="${WORKERS:-2}" &
  PIDS+=($!)
  "$VENV/bin/celery" -A polity beat --loglevel=INFO &
  PIDS+=($!)
  # Ledger: the demo's partner witnesses (ledger/demo.py; keys in DATA_DIR/witnesses/, ports
  # 8101-8103). Real partners run `python -m ledger.witness_server` on their own machines.
  "$VENV/bin/python" manage.py ledger_witness serve &
  PIDS+=($!)
  "$VENV/bin/python" manage.py runserver "$HOST:$PORT" &
  PIDS+=($!)
  say "Polity is running at http://$HOST:$PORT/  (health: http://$HOST:$PORT/healthz) — Ctrl-C stops it"
  # When any one of them ends (Ctrl-C, or a crash such as a port already in use), stop them all.
  local status=0
  wait -n "${PIDS[@]}" || status=$?
  [ "$STOPPED" = 1 ] || say "a process ended (exit status $status)"
  stop_all
}

cmd=${1:-up}
shift || true
case "$cmd" in
  up)
    setup requirements.txt
    "$VENV/bin/python" manage.py seed_demo
    run_all
    ;;
  setup)
    setup requirements.txt
    ;;
  test)
    setup requirements-dev.txt
    say "ruff"
    "$VENV/bin/ruff" check .
    "$VENV/bin/ruff" format --check .
    say "pytest"
    # pytest exits 5 when it collected no test: that is a failure, as is any other non-zero code.
    "$VENV/bin/pytest" "$@"
    say "node tests"
    node_out=$(mktemp)
    node --test frontend/test/ | tee "$node_out"
    grep -q '^# tests [1-9]' "$node_out" || die "node ran no test"
    say "all checks passed"
    ;;
  *)
    die "unknown command '$cmd' (use: up, setup, test)"
    ;;
esac
