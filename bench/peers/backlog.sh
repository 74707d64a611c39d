#!/usr/bin/env bash
# An idle followupd with a large backlog of replies to send: how much CPU it
# uses while the replies leave at the platform's pace.
#
#   bench/peers/backlog.sh [path/to/followupd]      (or FOLLOWUPD_BIN=…; default build/followupd)
#
# Starts the send-API stand-in (stand_in.mjs) and followupd with Telegram in
# webhook mode (50 linked senders, storage.durability BACKLOG_DURABILITY, a
# fresh SQLite file), loads it with wrk and peers.lua at 32 connections for
# BACKLOG_LOAD seconds (every update a direct message from a linked sender, so
# every one leaves a reply to send), waits 2 s, then for BACKLOG_IDLE seconds
# reads the process's CPU time (/proc/<pid>/stat) and the pending deliveries
# before and after. Prints the backlog, the send rate and the CPU share of one
# core. Loopback only; stops what it started, by PID.
# Knobs: BACKLOG_LOAD (12), BACKLOG_IDLE (10), BACKLOG_DURABILITY (full).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-${FOLLOWUPD_BIN:-$root/build/followupd}}
load=${BACKLOG_LOAD:-12}
idle=${BACKLOG_IDLE:-10}
durability=${BACKLOG_DURABILITY:-full}
die() { echo "backlog: FAILED: $*" >&2; exit 1; }
[[ -x $bin ]] || die "no followupd binary at '$bin'"
[[ $load =~ ^[1-9][0-9]*$ && $idle =~ ^[1-9][0-9]*$ ]] || die "BACKLOG_LOAD and BACKLOG_IDLE are positive integers"
command -v wrk >/dev/null && command -v python3 >/dev/null && command -v node >/dev/null || die "needs wrk, python3 and node"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/backlog.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

wait_file() { for _ in $(seq 200); do [[ -s $1 ]] && return 0; sleep 0.05; done; die "no $1"; }

node "$here/stand_in.mjs" "$tmp/stand_in.port" >"$tmp/stand_in.log" 2>&1 &
pids+=($!)
wait_file "$tmp/stand_in.port"
python3 - "$tmp" "$(cat "$tmp/stand_in.port")" "$durability" <<'PY'
import json, sys
tmp, port, durability = sys.argv[1:]
users = [{"handle": f"rep{i}", "name": f"Rep {i}", "role": "rep", "team": "Bench", "lang": "en", "time_zone": "UTC",
          "identities": {"telegram": str(7000000 + i)}} for i in range(1, 51)]
json.dump({"server": {"address": "127.0.0.1", "port": 0},
           "storage": {"path": f"{tmp}/t.db", "durability": durability}, "log": {"level": "warn"},
           "defaults": {"work_hours": "00:00-24:00", "work_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
           "sop": {"daily_digest": False, "weekly_report": False},
           "telegram": {"enabled": True, "token": "123456:backlog", "api_base": f"http://127.0.0.1:{port}",
                        "mode": "webhook", "secret_token": "backlog-secret-token"},
           "teams": ["Bench"], "users": users}, open(f"{tmp}/config.json", "w"))
PY
"$bin" run --config "$tmp/config.json" --port-file "$tmp/port" >"$tmp/server.log" 2>&1 &
pid=$!
pids+=("$pid")
wait_file "$tmp/port"
nonce=$(( (RANDOM * 32768 + RANDOM) % 900000 + 100000 ))
wrk -t2 -c32 -d"${load}s" -s "$here/peers.lua" "http://127.0.0.1:$(cat "$tmp/port")/hooks/telegram" \
  -- telegram "$nonce" backlog-secret-token 50 7000000 >"$tmp/wrk.log" 2>&1 || die "wrk: $(cat "$tmp/wrk.log")"
sleep 2
pending() {
  python3 -c "import sqlite3,sys; d=sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True, timeout=10); \
print(d.execute(\"SELECT count(*) FROM deliveries WHERE status = 'pending'\").fetchone()[0])" "$tmp/t.db"
}
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
p0=$(pending); c0=$(ticks); t0=$(date +%s.%N)
sleep "$idle"
p1=$(pending); c1=$(ticks); t1=$(date +%s.%N)
kill -0 "$pid" 2>/dev/null || die "followupd died: $(cat "$tmp/server.log")"
hz=$(getconf CLK_TCK)
python3 - "$p0" "$p1" "$c0" "$c1" "$t0" "$t1" "$hz" "$durability" <<'PY'
import sys
p0, p1, c0, c1 = map(int, sys.argv[1:5]); t0, t1 = map(float, sys.argv[5:7]); hz = int(sys.argv[7])
secs = t1 - t0
print(f"backlog: {p0} replies pending after the load, {p1} after {secs:.1f} s idle "
      f"({(p0 - p1) / secs:.1f} sent/s); followupd used {100 * (c1 - c0) / hz / secs:.1f}% of one core "
      f"(durability {sys.argv[8]})")
PY
