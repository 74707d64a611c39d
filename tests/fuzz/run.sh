#!/usr/bin/env bash
# Builds and runs the libFuzzer targets (tests/fuzz/README.md).
#   tests/fuzz/run.sh build            configure build-fuzz (clang), build the targets;
#                                      FUZZ_OPT="-O0 -gline-tables-only": quicker to build (scripts/test)
#   tests/fuzz/run.sh run SECONDS [TARGET…]
#                                      run each target (all by default) for SECONDS, one after
#                                      the other, and print runs and executions per second;
#                                      FUZZ_RUNS=N runs N inputs per target instead
# The seeds in tests/fuzz/corpus/<target> are read, never written: what a run
# finds goes to the build folder's corpus/<target>, and a crashing input to
# artifacts/<target>/. Exit status 1 if any target found a crash, leak or UB.
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib.sh"
FUZZ_BUILD="${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}"
SEEDS="$ROOT/tests/fuzz/corpus"

build() {
  ensure_packages "${FUZZ_PACKAGES[@]}"
  # tests/fuzz/flags.cmake sets the flags: FUZZ_OPT, then the sanitizers (assertions stay on).
  cmake -S "$ROOT" -B "$FUZZ_BUILD" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=Debug \
    -DFOLLOWUPD_TESTS=OFF -DFOLLOWUPD_FUZZ=ON -DFOLLOWUPD_FUZZ_OPT="${FUZZ_OPT:--O1 -g}" >/dev/null
  cmake --build "$FUZZ_BUILD" --target fuzz "$@"
}

targets() { (cd "$SEEDS" && ls -d fuzz_* | sort); }

run() {
  local seconds="$1"; shift
  local list=("$@")
  [ ${#list[@]} -gt 0 ] || mapfile -t list < <(targets)
  local failed=0 rows=()
  export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1}"
  for t in "${list[@]}"; do
    local bin="$FUZZ_BUILD/tests/fuzz/$t" work="$FUZZ_BUILD/corpus/$t" art="$FUZZ_BUILD/artifacts/$t/"
    [ -x "$bin" ] || { log "no such fuzz target: $bin"; return 1; }
    mkdir -p "$work" "$art"
    local limit=(-max_total_time="$seconds")
    [ -z "${FUZZ_RUNS:-}" ] || limit=(-runs="$FUZZ_RUNS")
    log "$t: ${FUZZ_RUNS:+$FUZZ_RUNS runs}${FUZZ_RUNS:-$seconds s}"
    local out="$FUZZ_BUILD/$t.log" status=ok
    # One worker, no forking: the timings are one core's. -timeout: one input
    # taking this long is a finding (a hang).
    if ! "$bin" "${limit[@]}" -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art" \
        "$work" "$SEEDS/$t" >"$out" 2>&1; then
      status="FAILED (see $out, input in $art)"
      failed=1
      grep -m1 -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|==ERROR" "$out" >&2 || tail -20 "$out" >&2
    fi
    local runs eps rss
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out" | tail -1)
    eps=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out" | tail -1)
    rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$out" | tail -1)
    rows+=("$(printf '%-18s %12s %10s %8s  %s' "$t" "${runs:--}" "${eps:--}" "${rss:--}" "$status")")
  done
  printf '%-18s %12s %10s %8s  %s\n' target runs exec/s rss_mb result
  printf '%s\n' "${rows[@]}"
  return $failed
}

case "${1:-}" in
  build) shift; build "$@" ;;
  run) shift; [ $# -ge 1 ] || { echo "usage: $0 run SECONDS [TARGET…]" >&2; exit 2; }; run "$@" ;;
  *) echo "usage: $0 build | run SECONDS [TARGET…]" >&2; exit 2 ;;
esac
