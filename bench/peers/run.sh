#!/usr/bin/env bash
# followupd beside the frameworks a team would use instead, in one run, one table.
#
#   bench/peers/run.sh [path/to/followupd]      (or FOLLOWUPD_BIN=…; default build/followupd)
#
# Targets, each on 127.0.0.1 and a port of its own, each loaded with wrk and
# bench/peers/peers.lua (every request a direct message saying `today` from one
# of PEERS_USERS linked senders, with an update/event id never used before):
#   nginx      2 workers, `return 200 "ok"` to the same Telegram POSTs: the ceiling
#              of HTTP on this machine
#   grammY     a Node http server with grammY's webhookCallback (secret token
#              checked); its text-message handler records the update in memory
#   Bolt       a Slack Bolt App with its HTTP receiver (v0 signature checked); its
#              `message` listener records the event in memory
#   followupd  Telegram (webhook, secret token) and Slack (signing secret) enabled,
#              their send APIs pointed at a local stand-in that accepts every send;
#              measured once per platform and per durability mode, each on a fresh
#              SQLite database
# Before measuring, a short run checks that the target really processed what it
# acknowledged (grammY/Bolt: their in-memory count; followupd: rows in
# seen_events and queued deliveries); after measuring, the same check covers
# every request of the target's runs. A check that fails stops the harness.
#
# Knobs:
#   PEERS_SECONDS     seconds per measured run (10); c1 = 1 connection, 1 thread;
#                     c32 = 32 connections, 2 threads
#   PEERS_WARMUP      seconds of the check run and of the warm-up before c32 (2)
#   PEERS_DURABILITY  followupd's storage.durability modes, comma-separated (full,normal);
#                     `default` writes no such key
#   PEERS_TARGETS     which targets (nginx,grammy,bolt,followupd)
#   PEERS_USERS       linked senders (50)
#   PEERS_OUT         also write the table to this file
#   PEERS_DB_DIR      where followupd's database and the fsync probe go (a temp dir)
#   PEERS_BASELINE    another followupd binary (an older build) measured in the same run,
#                     with its own default durability, in rows labelled "followupd baseline"
#   PEERS_PG          a comma list of PostgreSQL rows to add (none by default): `1` one
#                     followupd on PostgreSQL, `2` two followupd instances on one PostgreSQL
#                     database behind nginx (round robin), `pgbench` PostgreSQL's own
#                     TPC-B (pgbench, scale 32, c32) as its ceiling. The server is a
#                     throwaway one (scripts/lib.sh) with fsync on, Telegram webhooks only,
#                     each durability mode of PEERS_DURABILITY
#   PEERS_PG_CONNECTIONS  storage.connections for the PostgreSQL rows, a comma list
#                     (each value its own rows; `default` writes no such key: 4)
# Stops everything it started, by PID, on exit, error or Ctrl-C.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-${FOLLOWUPD_BIN:-$root/build/followupd}}
seconds=${PEERS_SECONDS:-10}
warmup=${PEERS_WARMUP:-2}
durability=${PEERS_DURABILITY:-full,normal}
targets=${PEERS_TARGETS:-nginx,grammy,bolt,followupd}
nusers=${PEERS_USERS:-50}
out_file=${PEERS_OUT:-}
baseline=${PEERS_BASELINE:-}
pg_rows=${PEERS_PG:-}
PEERS_PG_CONNECTIONS=${PEERS_PG_CONNECTIONS:-default}

TG_SECRET=peers-telegram-secret-token
SLACK_SECRET=peers-slack-signing-secret
ID_BASE=7000000   # Telegram ids 7000001…, Slack ids U7000001…

say() { echo "peers: $*" >&2; }
die() { echo "peers: FAILED: $*" >&2; exit 1; }
want() { [[ ",$targets," == *",$1,"* ]]; }

[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "PEERS_SECONDS must be a positive integer"
[[ $warmup =~ ^[1-9][0-9]*$ ]] || die "PEERS_WARMUP must be a positive integer"
[[ $nusers =~ ^[1-9][0-9]*$ ]] && ((nusers <= 999999)) || die "PEERS_USERS must be 1..999999"
for t in ${targets//,/ }; do
  [[ $t =~ ^(nginx|grammy|bolt|followupd)$ ]] || die "unknown target '$t' in PEERS_TARGETS"
done
if want followupd; then
  [[ -x $bin ]] || die "no followupd binary at '$bin' (pass it as \$1 or FOLLOWUPD_BIN)"
  bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
  for m in ${durability//,/ }; do [[ $m =~ ^[a-z_]+$ ]] || die "bad durability mode '$m'"; done
  if [[ -n $baseline ]]; then
    [[ -x $baseline ]] || die "no followupd binary at PEERS_BASELINE '$baseline'"
    baseline=$(cd "$(dirname "$baseline")" && pwd)/$(basename "$baseline")
  fi
fi

apt_install() {  # apt_install COMMAND PACKAGE
  command -v "$1" >/dev/null && return 0
  say "installing $2 with apt-get"
  local sudo=""; [[ $(id -u) -eq 0 ]] || sudo="sudo"
  $sudo apt-get install -y -q "$2" >/dev/null 2>&1 \
    || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "$2" >/dev/null; } \
    || die "could not install $2"
}
apt_install wrk wrk
apt_install curl curl
apt_install python3 python3
want nginx && { PATH=$PATH:/usr/sbin; apt_install nginx nginx; }
if want grammy || want bolt || want followupd; then
  command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed"
fi
if { want grammy || want bolt; } && [[ ! -d $here/node_modules ]]; then
  say "npm ci in bench/peers"
  (cd "$here" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed"
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/peers.XXXXXX")
db_dir=${PEERS_DB_DIR:-$tmp}
mkdir -p "$db_dir"
db_dir=$(cd "$db_dir" && pwd)
pids=()

stop_pid() {  # SIGTERM, up to 10 s, then SIGKILL; only a PID this script started
  local pid=$1
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${pids[@]}"; do stop_pid "$pid"; done
  [[ -n $pg_rows ]] && stop_test_postgres
  pids=()
  rm -rf "$tmp"
  [[ -n ${PEERS_DB_DIR:-} ]] && rm -f "$db_dir"/peers-*.db* "$db_dir"/peers-fsync-probe
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started() { pids+=("$1"); }
forget() { local keep=() p; for p in "${pids[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done; pids=("${keep[@]}"); }
stop() { stop_pid "$1"; forget "$1"; }

wait_port() {  # wait_port FILE PID LOG [HINT] -> prints the port
  local port=""
  for _ in $(seq 200); do
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; die "process $2 exited during start-up (log above)${4:+; $4}"; }
    if [[ -s $1 ]]; then port=$(tr -dc 0-9 <"$1"); [[ -n $port ]] && break; fi
    sleep 0.1
  done
  [[ -n $port ]] || { cat "$3" >&2; die "no port in $1 within 20 s"; }
  echo "$port"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

hwm_kib() {  # peak resident set of one process, KiB
  awk '/^VmHWM:/ {print $2; f = 1} END {if (!f) print 0}' "/proc/$1/status" 2>/dev/null || echo 0
}

# One wrk run. Sets R_REQUESTS R_RPS R_P50 R_P99 R_NON2XX R_SOCKERR (latencies in µs).
run_nonce=$(( (RANDOM * 32768 + RANDOM) % 900000 + 100000 ))
wrk_seq=0
run_wrk() {  # run_wrk URL MODE SECRET THREADS CONNECTIONS SECONDS
  local url=$1 mode=$2 secret=$3 threads=$4 conns=$5 secs=$6 line
  wrk_seq=$((wrk_seq + 1))
  ((wrk_seq < 100)) || die "more than 99 wrk runs: ids could repeat"
  local nonce=$((run_nonce * 100 + wrk_seq)) log="$tmp/wrk.$wrk_seq.txt"
  # In the background and waited for, so that Ctrl-C reaches this script's trap
  # (wrk itself handles SIGINT and exits 0, which bash would take as handled).
  wrk -t"$threads" -c"$conns" -d"${secs}s" --timeout 10s --latency -s "$here/peers.lua" "$url" \
    -- "$mode" "$nonce" "$secret" "$nusers" "$ID_BASE" >"$log" 2>&1 &
  local wpid=$! rc=0
  started "$wpid"
  wait "$wpid" || rc=$?
  forget "$wpid"
  if ((rc != 0)); then
    cat "$log" >&2
    for f in "$tmp"/fu-*/server.log; do [[ -e $f ]] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
    die "wrk failed"
  fi
  line=$(grep '^peers_result:' "$log") || { cat "$log" >&2; die "no peers_result line from wrk"; }
  [[ $line =~ requests=([0-9]+)\ .*rps=([0-9.]+)\ p50_us=([0-9]+)\ p99_us=([0-9]+)\ non2xx=([0-9]+)\ socket_errors=([0-9]+) ]] \
    || die "cannot read: $line"
  R_REQUESTS=${BASH_REMATCH[1]} R_RPS=${BASH_REMATCH[2]} R_P50=${BASH_REMATCH[3]} R_P99=${BASH_REMATCH[4]}
  R_NON2XX=${BASH_REMATCH[5]} R_SOCKERR=${BASH_REMATCH[6]}
}

# Measures one started target: check + warm-up, c1, warm-up, c32, check of the
# totals. COUNT_FN prints how many requests the target has processed so far.
# Appends a table row.
rows=()
failures=0
measure() {  # measure LABEL DURABILITY URL MODE SECRET COUNT_FN PID...
  local label=$1 dur=$2 url=$3 mode=$4 secret=$5 count_fn=$6
  shift 6
  local procs=("$@") acked=0 n c1_rps c1_p50 non2xx=0 sockerr=0

  say "$label${dur:+ ($dur)}: check run, ${warmup}s at c1"
  run_wrk "$url" "$mode" "$secret" 1 1 "$warmup"
  ((R_REQUESTS > 0)) || die "$label: no request completed in the check run"
  ((R_NON2XX == 0 && R_SOCKERR == 0)) \
    || die "$label: the check run got $R_NON2XX answers >= 400 and $R_SOCKERR socket errors of $R_REQUESTS: requests are refused"
  acked=$R_REQUESTS
  if [[ -n $count_fn ]]; then
    for _ in $(seq 50); do n=$($count_fn) || n=-1; ((n >= acked)) && break; sleep 0.1; done
    ((n >= acked)) || die "$label: acknowledged $acked requests but processed only $n"
    say "$label${dur:+ ($dur)}: check passed: $acked acknowledged, $n processed"
  else
    say "$label${dur:+ ($dur)}: check passed: $acked answered 2xx"
  fi

  run_wrk "$url" "$mode" "$secret" 1 1 "$seconds"
  c1_rps=$R_RPS c1_p50=$R_P50
  non2xx=$((non2xx + R_NON2XX)) sockerr=$((sockerr + R_SOCKERR))
  acked=$((acked + R_REQUESTS - R_NON2XX))
  run_wrk "$url" "$mode" "$secret" 2 32 "$warmup"
  acked=$((acked + R_REQUESTS - R_NON2XX))
  run_wrk "$url" "$mode" "$secret" 2 32 "$seconds"
  non2xx=$((non2xx + R_NON2XX)) sockerr=$((sockerr + R_SOCKERR))
  acked=$((acked + R_REQUESTS - R_NON2XX))

  if [[ -n $count_fn ]]; then
    for _ in $(seq 100); do n=$($count_fn) || n=-1; ((n >= acked)) && break; sleep 0.1; done
    ((n >= acked)) || die "$label: acknowledged $acked requests in all but processed only $n"
  fi
  local rss=0 p
  for p in "${procs[@]}"; do rss=$((rss + $(hwm_kib "$p"))); done
  ((non2xx + sockerr == 0)) || failures=$((failures + 1))
  local bad=$non2xx
  ((sockerr == 0)) || bad+=" (+$sockerr socket errors)"
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$label" "${dur:-–}" \
    "$(fmt_rps "$c1_rps")" "$(fmt_us "$c1_p50")" "$(fmt_rps "$R_RPS")" "$(fmt_us "$R_P50")" "$(fmt_us "$R_P99")" \
    "$bad" "$(awk -v k="$rss" 'BEGIN {printf "%.0f MiB", k / 1024}')")")
  say "$label${dur:+ ($dur)}: c1 $(fmt_rps "$c1_rps")/s p50 $(fmt_us "$c1_p50"); c32 $(fmt_rps "$R_RPS")/s p50 $(fmt_us "$R_P50") p99 $(fmt_us "$R_P99"); non-2xx $non2xx"
}
fmt_rps() { awk -v r="$1" 'BEGIN {s = sprintf("%.0f", r); while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s); print s}'; }
fmt_us() { awk -v u="$1" 'BEGIN {m = u / 1000; if (m < 10) printf "%.2f ms", m; else if (m < 100) printf "%.1f ms", m; else printf "%.0f ms", m}'; }

http_count() {  # http_count PORT FIELD
  curl -fsS --max-time 5 "http://127.0.0.1:$1/count" | python3 -c "import json, sys; print(json.load(sys.stdin)['$2'])"
}

# --- nginx -----------------------------------------------------------------
# start_nginx DIR LOCATION: nginx with 2 workers on a free port whose one
# location is LOCATION (extra http-level lines in NGINX_HTTP). Sets N_PID N_PORT.
start_nginx() {
  local dir=$1 location=$2 port pid
  mkdir -p "$dir"
  for _ in 1 2 3; do
    port=$(free_port)
    cat >"$dir/nginx.conf" <<CONF
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  ${NGINX_HTTP:-}
  server {
    listen 127.0.0.1:$port;
    location / { $location }
  }
}
CONF
    nginx -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' >"$dir/out.log" 2>&1 &
    pid=$!
    started "$pid"
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      curl -sS --max-time 1 -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null && break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && break
    forget "$pid"; wait "$pid" 2>/dev/null || true
    say "nginx did not start on port $port, trying another"; cat "$dir/error.log" >&2 || true
  done
  kill -0 "$pid" 2>/dev/null || die "nginx would not start"
  N_PID=$pid N_PORT=$port
}

run_nginx() {
  start_nginx "$tmp/nginx" 'return 200 "ok";'
  local workers
  workers=$(ps -o pid= --ppid "$N_PID" | tr -s ' \n' ' ')
  # shellcheck disable=SC2086
  measure "nginx (static 200)" "" "http://127.0.0.1:$N_PORT/hooks/telegram" telegram "$TG_SECRET" "" "$N_PID" $workers
  stop "$N_PID"
}

# --- grammY and Bolt ---------------------------------------------------------
run_node_peer() {  # run_node_peer NAME SCRIPT SECRET PATH MODE COUNT_FIELD LABEL
  local name=$1 script=$2 secret=$3 path=$4 mode=$5 field=$6 label=$7 pid port
  node "$here/$script" "$tmp/$name.port" "$secret" >"$tmp/$name.log" 2>&1 &
  pid=$!
  started "$pid"
  port=$(wait_port "$tmp/$name.port" "$pid" "$tmp/$name.log")
  eval "count_$name() { http_count $port $field; }"
  measure "$label" "" "http://127.0.0.1:$port$path" "$mode" "$secret" "count_$name" "$pid"
  stop "$pid"
}

# --- followupd -------------------------------------------------------------------
stand_in_pid="" stand_in_port=""
start_stand_in() {
  [[ -n $stand_in_pid ]] && return 0
  node "$here/stand_in.mjs" "$tmp/stand_in.port" >"$tmp/stand_in.log" 2>&1 &
  stand_in_pid=$!
  started "$stand_in_pid"
  stand_in_port=$(wait_port "$tmp/stand_in.port" "$stand_in_pid" "$tmp/stand_in.log")
}

fu_db="" fu_platform="" fu_pg_url=""
count_followupd() {  # the events followupd recorded (seen_events) and answered (deliveries), the lesser
  if [[ -n $fu_pg_url ]]; then
    psql "$fu_pg_url" -At -c "SELECT LEAST((SELECT count(*) FROM seen_events WHERE platform = '$fu_platform'),
      (SELECT count(*) FROM deliveries WHERE platform = '$fu_platform'))"
    return
  fi
  python3 - "$fu_db" "$fu_platform" <<'PY'
import sqlite3, sys
db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=10)
seen = db.execute("SELECT count(*) FROM seen_events WHERE platform = ?", (sys.argv[2],)).fetchone()[0]
queued = db.execute("SELECT count(*) FROM deliveries WHERE platform = ?", (sys.argv[2],)).fetchone()[0]
print(min(seen, queued))
PY
}

# fu_config DIR DURABILITY STORAGE_JSON: writes DIR/config.json
fu_config() {
  local dir=$1 mode=$2 storage=$3 users="" i
  mkdir -p "$dir"
  [[ $mode == default ]] || storage+=", \"durability\": \"$mode\""
  for i in $(seq "$nusers"); do
    users+="${users:+,}{\"handle\":\"rep$i\",\"name\":\"Rep $i\",\"role\":\"rep\",\"team\":\"Bench\",\"lang\":\"en\",\"time_zone\":\"UTC\",\"identities\":{\"telegram\":\"$((ID_BASE + i))\",\"slack\":\"U$((ID_BASE + i))\"}}"
  done
  cat >"$dir/config.json" <<JSON
{
  "server": {"address": "127.0.0.1", "port": 0},
  "storage": {$storage},
  "log": {"level": "warn"},
  "defaults": {"work_hours": "00:00-24:00", "work_days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
  "sop": {"daily_digest": false, "weekly_report": false},
  "telegram": {"enabled": true, "token": "123456:peers", "api_base": "http://127.0.0.1:$stand_in_port",
               "mode": "webhook", "secret_token": "$TG_SECRET"},
  "slack": {"enabled": true, "bot_token": "xoxb-peers", "signing_secret": "$SLACK_SECRET",
            "api_base": "http://127.0.0.1:$stand_in_port", "bot_user_id": "UBENCHBOT"},
  "teams": ["Bench"],
  "users": [$users]
}
JSON
}

# fu_start DIR BINARY [HINT]: starts followupd on DIR/config.json. Sets F_PID F_PORT.
fu_start() {
  "$2" run --config "$1/config.json" --port-file "$1/port" >"$1/server.log" 2>&1 &
  F_PID=$!
  started "$F_PID"
  F_PORT=$(wait_port "$1/port" "$F_PID" "$1/server.log" "${3:-}")
}

run_followupd() {  # run_followupd DURABILITY PLATFORM [BINARY LABEL]
  local mode=$1 platform=$2 fu_bin=${3:-$bin} label=${4:-followupd} dir="$tmp/fu-$1-$2-${4:+b}"
  fu_db="$db_dir/peers-$mode-$platform.db"
  fu_platform=$platform fu_pg_url=""
  rm -f "$fu_db" "$fu_db"-* "$fu_db.key"
  fu_config "$dir" "$mode" "\"path\": \"$fu_db\""
  local hint=""
  [[ $mode == default ]] || hint="a followupd without storage.durability refuses it: PEERS_DURABILITY=default writes no such key"
  fu_start "$dir" "$fu_bin" "$hint"
  if [[ $platform == telegram ]]; then
    measure "$label (Telegram)" "$mode" "http://127.0.0.1:$F_PORT/hooks/telegram" telegram "$TG_SECRET" count_followupd "$F_PID"
  else
    measure "$label (Slack)" "$mode" "http://127.0.0.1:$F_PORT/hooks/slack/events" slack "$SLACK_SECRET" count_followupd "$F_PID"
  fi
  kill -0 "$F_PID" 2>/dev/null || { cat "$dir/server.log" >&2; die "followupd died during the run"; }
  stop "$F_PID"
  rm -f "$fu_db" "$fu_db"-* "$fu_db.key"
}

# --- PostgreSQL --------------------------------------------------------------
pg_seq=0
run_followupd_pg() {  # run_followupd_pg DURABILITY INSTANCES CONNECTIONS
  local mode=$1 n=$2 conns=${3:-default} i dirs=() fu_pids=() servers="" extra="" what=""
  if [[ $conns != default ]]; then
    extra=", \"connections\": $conns"
    what=", $conns connection$([[ $conns == 1 ]] || echo s)"
  fi
  pg_seq=$((pg_seq + 1))
  local db="peers_$pg_seq"
  psql "$FU_TEST_PG_URL" -q -c "CREATE DATABASE $db" || die "cannot create a database"
  fu_pg_url="${FU_TEST_PG_URL%/*}/$db" fu_platform=telegram
  for i in $(seq "$n"); do
    dirs+=("$tmp/fu-pg-$mode-$n-$conns-$i")
    fu_config "${dirs[-1]}" "$mode" "\"engine\": \"postgres\", \"url\": \"$fu_pg_url\", \"contacts_key_file\": \"$tmp/pg.key\"$extra"
    fu_start "${dirs[-1]}" "$bin"
    fu_pids+=("$F_PID")
    servers+="server 127.0.0.1:$F_PORT; "
  done
  if ((n == 1)); then
    measure "followupd on PostgreSQL$what (Telegram)" "$mode" "http://127.0.0.1:$F_PORT/hooks/telegram" telegram "$TG_SECRET" \
      count_followupd "${fu_pids[@]}"
  else
    NGINX_HTTP="upstream fu { ${servers}keepalive 64; }" \
      start_nginx "$tmp/lb-$mode-$n" 'proxy_pass http://fu; proxy_http_version 1.1; proxy_set_header Connection "";'
    measure "$n × followupd on PostgreSQL$what behind nginx (Telegram)" "$mode" "http://127.0.0.1:$N_PORT/hooks/telegram" \
      telegram "$TG_SECRET" count_followupd "${fu_pids[@]}"
    stop "$N_PID"
  fi
  for i in "${!fu_pids[@]}"; do
    kill -0 "${fu_pids[$i]}" 2>/dev/null || { cat "${dirs[$i]}/server.log" >&2; die "followupd died during the run"; }
    stop "${fu_pids[$i]}"
  done
  fu_pg_url=""
}

run_pgbench() {  # PostgreSQL's own TPC-B on the same server: its ceiling on this machine
  local pgbench
  pgbench=$(ls -d /usr/lib/postgresql/*/bin/pgbench | sort -V | tail -n 1)
  psql "$FU_TEST_PG_URL" -q -c "CREATE DATABASE peers_pgbench" || die "cannot create a database"
  local url="${FU_TEST_PG_URL%/*}/peers_pgbench" line tps lat
  say "pgbench: initialising scale 32"
  "$pgbench" -i -q -s 32 "$url" >"$tmp/pgbench-init.log" 2>&1 || { cat "$tmp/pgbench-init.log" >&2; die "pgbench -i failed"; }
  say "pgbench: TPC-B, 32 clients, 2 threads, ${seconds}s"
  "$pgbench" -n -c 32 -j 2 -T "$seconds" "$url" >"$tmp/pgbench.log" 2>&1 || { cat "$tmp/pgbench.log" >&2; die "pgbench failed"; }
  tps=$(awk '/^tps = / {print $3; exit}' "$tmp/pgbench.log")
  lat=$(awk '/^latency average = / {print $4; exit}' "$tmp/pgbench.log")
  rows+=("$(printf '| %s | %s | – | – | %s | – | – | 0 | – |' "PostgreSQL pgbench TPC-B, 5 statements a transaction (avg latency $lat ms)" \
    "fsync" "$(fmt_rps "$tps")")")
}

# --- the fsync ceiling -------------------------------------------------------
fsync_line() {
  python3 - "$db_dir/peers-fsync-probe" <<'PY'
import os, statistics, sys, time
path = sys.argv[1]
fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
block = b"\0" * 4096
times = []
try:
    for i in range(210):
        os.write(fd, block)
        t0 = time.perf_counter()
        os.fdatasync(fd)
        if i >= 10:  # the first ones allocate the file's first extents
            times.append(time.perf_counter() - t0)
finally:
    os.close(fd)
    os.unlink(path)
t = statistics.median(times)
print(f"{t * 1e3:.3f} {32 / t:.0f} {1 / t:.0f}")
PY
}

# --- run -----------------------------------------------------------------------
say "run $run_nonce: ${seconds}s per run, targets $targets$(want followupd && echo ", durability $durability")"
want nginx && run_nginx
want grammy && run_node_peer grammy grammy_peer.mjs "$TG_SECRET" /hooks/telegram telegram updates "grammY $(node -p "require('$here/node_modules/grammy/package.json').version")"
want bolt && run_node_peer bolt bolt_peer.mjs "$SLACK_SECRET" /hooks/slack/events slack events "Bolt $(node -p "require('$here/node_modules/@slack/bolt/package.json').version")"
if [[ -n $pg_rows ]]; then
  # shellcheck source=../../scripts/lib.sh
  PG_FSYNC=on PG_NO_TRAP=1 source "$root/scripts/lib.sh"
  set +u
  PG_FSYNC=on PG_NO_TRAP=1 start_test_postgres
  set -u
fi
if want followupd; then
  start_stand_in
  if [[ -n $baseline ]]; then
    run_followupd default telegram "$baseline" "followupd baseline"
    run_followupd default slack "$baseline" "followupd baseline"
  fi
  for m in ${durability//,/ }; do
    run_followupd "$m" telegram
    run_followupd "$m" slack
  done
  for m in ${durability//,/ }; do
    for c in ${PEERS_PG_CONNECTIONS//,/ }; do
      if [[ ",$pg_rows," == *",1,"* ]]; then run_followupd_pg "$m" 1 "$c"; fi
      if [[ ",$pg_rows," == *",2,"* ]]; then run_followupd_pg "$m" 2 "$c"; fi
    done
  done
  stop "$stand_in_pid"
fi
if [[ ",$pg_rows," == *",pgbench,"* ]]; then run_pgbench; fi

fsync=$(fsync_line) || die "the fsync probe failed"
read -r fsync_ms fsync_c32 fsync_c1 <<<"$fsync"
fs_type=$(df --output=fstype "$db_dir" | tail -n 1)
table=$(
  echo "| target | durability | c1 req/s | c1 p50 | c32 req/s | c32 p50 | c32 p99 | non-2xx | peak RSS |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s\n' "${rows[@]}"
  echo
  echo "fsync: median fdatasync after a 4 KiB append ${fsync_ms} ms on $fs_type ($db_dir); fsync ceiling at c32 = 32 / t_fsync = $(fmt_rps "$fsync_c32") req/s (at c1: $(fmt_rps "$fsync_c1") req/s)"
  want followupd && echo "followupd: $("$bin" --version 2>/dev/null | head -n 1) ($bin)"
  [[ -n $baseline ]] && want followupd && echo "followupd baseline: $("$baseline" --version 2>/dev/null | head -n 1) ($baseline)"
  echo "machine: nproc $(nproc), kernel $(uname -r), $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(date -u '+%Y-%m-%d %H:%M UTC'); wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), node $(node -v 2>/dev/null || echo -), c1 = wrk -t1 -c1, c32 = wrk -t2 -c32, ${seconds}s each"
)
echo
echo "$table"
[[ -z $out_file ]] || echo "$table" >"$out_file"
((failures == 0)) || die "$failures target(s) had non-2xx answers or socket errors in the measured runs"
