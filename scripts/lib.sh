# Shared by scripts/demo and scripts/test: install what is missing, build.
# Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build}"

# Debian packages the build needs (see README "Dependencies").
BUILD_PACKAGES=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-url1.81-dev libhowardhinnant-date-dev
  libcli11-dev nlohmann-json3-dev libsqlite3-dev libpq-dev libssl-dev libspdlog-dev libcsv-dev tzdata
  libsystemd-dev help2man dpkg-dev nodejs npm)  # sd_notify; the man page; the package's Depends (dpkg-shlibdeps);
# the dashboard's script (ECharts, bundled with esbuild from bot/web/package.json)
# systemd: systemd-analyze and -sysusers for the package test; python3: the
# notify socket's stand-in in tests/integration/signals.test.mjs; tinyproxy: a real
# CONNECT proxy for tests/integration/proxy.test.mjs; python3-icalendar: the parser
# tests/integration/calendar_feed.test.mjs reads the calendar feed with;
# fonts-wqy-microhei: Chinese text in the browser tests' screenshots (docs/dashboard-*.png).
TEST_PACKAGES=(libgtest-dev libgmock-dev clang-format chromium nodejs npm postgresql nginx sqlite3 systemd python3
  man-db prometheus tinyproxy python3-icalendar fonts-wqy-microhei)
# The fuzz targets (tests/fuzz/): clang, its libFuzzer and sanitizer runtimes,
# and llvm-symbolizer for readable stack traces.
FUZZ_PACKAGES=(clang libclang-rt-dev llvm)
# A platform's own packages are listed in its folder: adapters/<name>/packages,
# lines "build <package>" or "test <package>".
for f in "$ROOT"/adapters/*/packages; do
  [ -f "$f" ] || continue
  while read -r kind pkg _; do
    case "$kind" in
      build) BUILD_PACKAGES+=("$pkg") ;;
      test) TEST_PACKAGES+=("$pkg") ;;
    esac
  done < "$f"
done

# Each step is stamped with the minutes and seconds since the script began.
log() { printf '\033[1m==> [%d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

# Installs the Debian packages given that are not installed yet.
ensure_packages() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  # node/npm may come from elsewhere than Debian; only ask for them if absent.
  local filtered=()
  for p in "${missing[@]}"; do
    case "$p" in
      nodejs) command -v node >/dev/null || filtered+=("$p") ;;
      npm) command -v npm >/dev/null || filtered+=("$p") ;;
      *) filtered+=("$p") ;;
    esac
  done
  [ ${#filtered[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${filtered[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${filtered[@]}" >/dev/null
}

configure_and_build() {
  local tests="$1"; shift
  log "building in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOLLOWUPD_TESTS="$tests" >/dev/null
  cmake --build "$BUILD" "$@"
}

# A throwaway PostgreSQL server for the tests: a new cluster in a temporary
# folder, run as a non-root user (initdb refuses root) on a free loopback
# port, with fsync off (nothing in it outlives the run; PG_FSYNC=on for
# benchmarks), stopped by its PID when the calling script exits (PG_NO_TRAP=1:
# the caller calls stop_test_postgres itself). Sets FU_TEST_PG_URL.
start_test_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then log "PostgreSQL's server is not installed"; return 1; fi
  PG_DIR=$(mktemp -d /tmp/followupd-pg.XXXXXX)
  local run=()
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$PG_DIR"
    run=(runuser -u postgres --)
  fi
  local port
  port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
  (cd "$PG_DIR" && "${run[@]}" "$bindir/initdb" -D "$PG_DIR/data" -U followupd -A trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$PG_DIR/initdb.log" 2>&1) || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  (cd "$PG_DIR" && "${run[@]}" "$bindir/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $port -k $PG_DIR -c listen_addresses=127.0.0.1 -c fsync=${PG_FSYNC:-off} -c max_connections=200" start >/dev/null) ||
    { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
  [ "${PG_NO_TRAP:-}" = 1 ] || trap stop_test_postgres EXIT
  export FU_TEST_PG_URL="postgresql://followupd@127.0.0.1:$port/postgres"
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') for the tests: pid $PG_PID, port $port"
}

stop_test_postgres() {
  [ -n "${PG_PID:-}" ] || return 0
  kill -INT "$PG_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
  PG_PID=
  rm -rf "$PG_DIR"
}
