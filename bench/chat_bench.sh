#!/usr/bin/env bash
# Load test of followupd's web chat endpoint with wrk.
#
#   bench/chat_bench.sh [path/to/followupd]        (or FOLLOWUPD_BIN=…; default build/followupd)
#
# Starts its own followupd on a free loopback port with a throwaway DB and a bench
# config (one team, BENCH_REPS reps), seeds one customer per rep through the API, then
# runs wrk against POST /api/chat with bench/chat_bench.lua (mostly `log …` writes,
# every tenth `today`). Prints requests/s and p50/p99 latency. Stops only the server it
# started, by PID. Knobs: BENCH_DURATION (10s), BENCH_THREADS (2), BENCH_CONNECTIONS (16),
# BENCH_REPS (4), BENCH_TIMEOUT (wrk per-request timeout, 5s).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-${FOLLOWUPD_BIN:-$root/build/followupd}}
duration=${BENCH_DURATION:-10s}
threads=${BENCH_THREADS:-2}
conns=${BENCH_CONNECTIONS:-16}
nreps=${BENCH_REPS:-4}
req_timeout=${BENCH_TIMEOUT:-5s}

die() { echo "chat_bench: $*" >&2; exit 1; }
[[ -x $bin ]] || die "no followupd binary at '$bin' (pass it as \$1 or FOLLOWUPD_BIN)"
[[ $nreps =~ ^[1-9][0-9]*$ ]] || die "BENCH_REPS must be a positive integer"
command -v curl >/dev/null || die "curl is needed"

if ! command -v wrk >/dev/null; then
  echo "chat_bench: installing wrk with apt-get" >&2
  sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get install -y -q wrk >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q wrk >/dev/null; } \
    || die "could not install wrk"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/chat_bench.XXXXXX")
pid=""
cleanup() {
  if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

reps=()
users='{"handle":"boss","name":"Bench Boss","role":"manager","team":"Bench Team","lang":"en","time_zone":"UTC"}'
for i in $(seq "$nreps"); do
  reps+=("rep$i")
  users+=",{\"handle\":\"rep$i\",\"name\":\"Bench Rep $i\",\"role\":\"rep\",\"team\":\"Bench Team\",\"lang\":\"en\",\"time_zone\":\"UTC\"}"
done
# The demo's pick mode (demo.seed on loopback): wrk names the rep in each request
# instead of holding one signed-in session per rep. The seed adds a dozen rows.
cat >"$tmp/config.json" <<JSON
{"server":{"port":0},"storage":{"path":"$tmp/bench.db"},"demo":{"seed":true},"teams":["Bench Team"],"users":[$users]}
JSON

"$bin" run --config "$tmp/config.json" --port-file "$tmp/port" >"$tmp/server.log" 2>&1 &
pid=$!
port=""
for _ in $(seq 150); do
  kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; die "followupd exited during start-up"; }
  if [[ -s $tmp/port ]]; then port=$(tr -dc 0-9 <"$tmp/port"); [[ -n $port ]] && break; fi
  sleep 0.1
done
[[ -n $port ]] || { cat "$tmp/server.log" >&2; die "followupd wrote no port file within 15 s"; }
base="http://127.0.0.1:$port"

chat() {  # chat USER TEXT -> prints the response body; fails on non-200
  curl -fsS --max-time 10 -H 'Content-Type: application/json' \
    --data "{\"user\":\"$1\",\"text\":\"$2\"}" "$base/api/chat"
}
for r in "${reps[@]}"; do
  out=$(chat "$r" "customer add Bench$r tier=B stage=active") || die "seeding Bench$r failed"
  [[ $out == *"Bench$r"* ]] || die "seeding Bench$r: unexpected reply: $out"
  out=$(chat "$r" "log Bench$r call reached warm-up") || die "warm-up log for Bench$r failed"
done

echo "chat_bench: followupd pid $pid on $base, $nreps reps, wrk -t$threads -c$conns -d$duration"
wrk -t"$threads" -c"$conns" -d"$duration" --timeout "$req_timeout" --latency \
  -s "$here/chat_bench.lua" "$base/api/chat" -- "${reps[@]}" | tee "$tmp/wrk.txt"

kill -0 "$pid" 2>/dev/null || { cat "$tmp/server.log" >&2; die "followupd died during the run"; }
# The writes landed: the first rep's history shows interactions logged during the run.
chat rep1 "history Benchrep1" | grep -q "bench run" || echo "chat_bench: warning: history of Benchrep1 shows no interaction from the run" >&2

rps=$(awk '/^Requests\/sec:/ {print $2}' "$tmp/wrk.txt")
p50=$(awk '$1 == "50%" {print $2}' "$tmp/wrk.txt")
p99=$(awk '$1 == "99%" {print $2}' "$tmp/wrk.txt")
check=$(grep '^bench_check:' "$tmp/wrk.txt" || true)
echo "chat_bench: requests/s=${rps:-?} p50=${p50:-?} p99=${p99:-?} ${check#bench_check: }"
[[ -n $rps ]] || die "could not read wrk's output"
if [[ $check =~ non200=([0-9]+)\ noreply=([0-9]+) ]] && (( BASH_REMATCH[1] + BASH_REMATCH[2] > 0 )); then
  die "some requests failed (see above)"
fi
