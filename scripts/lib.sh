# Shared by scripts/demo and scripts/test: install what is missing, build.
# Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${BUILD_DIR:-$ROOT/build}"

# Debian packages the build needs (see README "Dependencies").
BUILD_PACKAGES=(g++ cmake ninja-build pkg-config libboost1.81-dev libboost-url1.81-dev libhowardhinnant-date-dev
  libcli11-dev nlohmann-json3-dev libsqlite3-dev libssl-dev libspdlog-dev libcsv-dev tzdata)
TEST_PACKAGES=(libgtest-dev libgmock-dev chromium nodejs npm)
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

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

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
