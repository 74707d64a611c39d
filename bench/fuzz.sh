#!/usr/bin/env bash
# Long fuzzing: builds the libFuzzer targets (tests/fuzz/, clang with ASan and
# UBSan, in build-fuzz/) if needed, then runs each for SECONDS (default 600),
# one after the other on one core, and prints runs and executions per second.
#   bench/fuzz.sh [SECONDS] [TARGET…]
#   FUZZ_RUNS=10000000 bench/fuzz.sh       a number of runs per target instead of a time
# A crash, leak or UB report stops that target and is kept in
# build-fuzz/artifacts/<target>/; fix it in the code and add the input to
# tests/fuzz/corpus/<target>/ as a regression seed.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-600}"
[ $# -eq 0 ] || shift
"$here/tests/fuzz/run.sh" build
"$here/tests/fuzz/run.sh" run "$seconds" "$@"
