#!/usr/bin/env bash
# The scheduler at scale: followupd with 1,000,000 pending follow-ups in its
# SQLite file, then 1,000 of them coming due in the same second.
# See docs/BENCHMARKS.md ("The scheduler with 1,000,000 pending follow-ups").
#
#   bench/scheduler_bench.sh [path/to/followupd]          (default build/followupd)
#   BENCH_RUNS=5 BENCH_BURST_REPS=1000 bench/scheduler_bench.sh build/followupd
#
# Generates once, and reuses while it is complete and its follow-ups are still
# in the future, a database of 10 teams x (100 reps + a manager) and an admin,
# 100 customers per rep and BENCH_TASKS open follow-ups (each rep's customers
# in turn), every one with a remind_at 7 to 372 days ahead. Each run copies
# that file (and its contacts key) to a temporary folder, moves BENCH_BURST
# follow-ups of BENCH_BURST_REPS reps to one instant T (BENCH_LEAD seconds from
# now), starts `followupd run --config C --port-file F` and measures:
#   ready      process start -> the port file written (its mtime)
#   VmHWM      /proc/PID/status as soon as it is ready, and after the burst
#   lateness   when the burst's outbox rows became visible, minus T: one
#              sqlite3 shell reads the outbox every BENCH_POLL_MS from T - 0.5 s,
#              and the first poll that sees 99 % of the follow-ups counts (the
#              poll before it bounds it from below); beside it, the timestamp
#              of the log line "scheduler: delivered reminders" minus T (written
#              once the pass's group is committed)
#   CPU        followupd's user + system time from T - 0.5 s to 1 s after the
#              burst (and PostgreSQL's server's, on PostgreSQL)
# then stops followupd (SIGTERM) and checks the outbox: every burst follow-up
# in exactly one message, none other, and how many messages the reps got.
#
#
# BENCH_PG=1: then the same runs on PostgreSQL (BENCH_PG=only: those alone).
# A throwaway server (scripts/lib.sh's start_test_postgres, fsync on) gets the
# generated file once with `followupd migrate-db` (timed) into a template
# database, then VACUUM (FREEZE, ANALYZE); each run clones it (CREATE DATABASE ... TEMPLATE, then CHECKPOINT),
# moves the burst there and starts followupd with storage.engine "postgres"
# and the file's contacts key; one psql polls the outbox with the server's
# clock. The summary gives both engines' figures and PostgreSQL / SQLite.
#
# Beside the lateness, the burst's rate: BENCH_BURST / (all of it seen - T),
# reminders per second from their due time to readable outbox rows.
#
# Knobs: BENCH_RUNS (3), BENCH_TASKS (1000000), BENCH_BURST (1000),
# BENCH_BURST_REPS (100), BENCH_LEAD (8), BENCH_POLL_MS (5; 0: no poller),
# BENCH_DURABILITY (storage.durability; empty: not set, followupd's default),
# BENCH_DATA (build/bench-data/scheduler: where the generated file is kept),
# BENCH_REBUILD=1 (generate it again), BENCH_PG (0; 1; only).
# Needs bash, the sqlite3 command-line shell (Debian package sqlite3) and awk;
# with BENCH_PG, PostgreSQL's server and psql (Debian package postgresql) and node.
set -euo pipefail

BIN=${1:-build/followupd}
RUNS=${BENCH_RUNS:-3}
TASKS=${BENCH_TASKS:-1000000}
BURST=${BENCH_BURST:-1000}
BURST_REPS=${BENCH_BURST_REPS:-100}
LEAD=${BENCH_LEAD:-8}
DATA=${BENCH_DATA:-build/bench-data/scheduler}
POLL_MS=${BENCH_POLL_MS:-5}
DURABILITY=${BENCH_DURABILITY:-}
PG_MODE=${BENCH_PG:-0}
TEAMS=10
REPS_PER_TEAM=100
REPS=$((TEAMS * REPS_PER_TEAM))
CUSTOMERS_PER_REP=100
CUSTOMERS=$((REPS * CUSTOMERS_PER_REP))

command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
case "$PG_MODE" in
    0) ENGINES=sqlite ;;
    1) ENGINES="sqlite postgres" ;;
    only) ENGINES=postgres ;;
    *) echo "BENCH_PG must be 0, 1 or only, not '$PG_MODE'" >&2; exit 2 ;;
esac
if [ "$PG_MODE" != 0 ]; then
    command -v psql >/dev/null || { echo "BENCH_PG needs psql and PostgreSQL's server (apt-get install postgresql)" >&2; exit 2; }
fi
[ -x "$BIN" ] || { echo "no followupd binary at $BIN" >&2; exit 2; }
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
if [ $((BURST % BURST_REPS)) -ne 0 ] || [ "$BURST_REPS" -gt "$REPS" ] || [ $((BURST / BURST_REPS)) -gt $((TASKS / REPS)) ]; then
    echo "BENCH_BURST ($BURST) must be a multiple of BENCH_BURST_REPS ($BURST_REPS <= $REPS), at most $((TASKS / REPS)) each" >&2
    exit 2
fi

mkdir -p "$DATA"
DATA=$(cd "$DATA" && pwd)
WORK=$(mktemp -d)
PID=
PG_PID=
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
    if [ -n "$PG_PID" ]; then stop_test_postgres; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

now_s() { echo "$EPOCHREALTIME"; }

# The config: port 0 on 127.0.0.1, the given SQLite file (or, with a third
# argument, the PostgreSQL database at that URL and the given contacts key
# file), working hours round the clock every day, no holidays and no digests,
# so that only the follow-ups fire; the users are the ones the generated rows
# belong to.
write_config() {  # config-file db-file|key-file [postgresql-url]
    awk -v db="$2" -v url="${3:-}" -v teams="$TEAMS" -v per="$REPS_PER_TEAM" -v durability="$DURABILITY" 'BEGIN {
        print "{"
        print "  \"server\": {\"address\": \"127.0.0.1\", \"port\": 0},"
        if (url == "")
            printf "  \"storage\": {\"path\": \"%s\"", db
        else
            printf "  \"storage\": {\"engine\": \"postgres\", \"url\": \"%s\", \"contacts_key_file\": \"%s\"", url, db
        printf "%s},\n", (durability == "" ? "" : ", \"durability\": \"" durability "\"")
        print "  \"log\": {\"level\": \"info\"},"
        print "  \"calendar\": {\"holidays\": \"none\"},"
        print "  \"defaults\": {\"time_zone\": \"Asia/Shanghai\", \"lang\": \"en\", \"work_hours\": \"00:00-24:00\","
        print "               \"work_days\": [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]},"
        print "  \"sop\": {\"daily_digest\": false, \"weekly_report\": false},"
        printf "  \"teams\": ["
        for (t = 1; t <= teams; t++) printf "%s\"Team %02d\"", (t > 1 ? ", " : ""), t
        print "],"
        print "  \"users\": ["
        print "    {\"handle\": \"admin\", \"role\": \"admin\"},"
        for (t = 1; t <= teams; t++) {
            printf "    {\"handle\": \"m%02d\", \"name\": \"Manager %02d\", \"role\": \"manager\", \"team\": \"Team %02d\"},\n", t, t, t
            for (r = 1; r <= per; r++) {
                k = (t - 1) * per + r
                printf "    {\"handle\": \"r%04d\", \"name\": \"Rep %04d\", \"role\": \"rep\", \"team\": \"Team %02d\"}%s\n",
                       k, k, t, (t == teams && r == per ? "" : ",")
            }
        }
        print "  ]"
        print "}"
    }' > "$1"
}

# Starts followupd in DIR (config DIR/config.json); sets PID and START.
start_server() {  # dir
    rm -f "$1/port"
    START=$(now_s)
    TZ=UTC "$BIN" run --config "$1/config.json" --port-file "$1/port" > "$1/followupd.log" 2>&1 &
    PID=$!
}

wait_port() {  # dir timeout-s
    local deadline
    deadline=$(awk -v s="$(now_s)" -v t="$2" 'BEGIN { printf "%.3f", s + t }')
    while [ ! -s "$1/port" ]; do
        kill -0 "$PID" 2>/dev/null || { echo "followupd exited early:" >&2; cat "$1/followupd.log" >&2; exit 1; }
        if awk -v n="$(now_s)" -v d="$deadline" 'BEGIN { exit !(n > d) }'; then
            echo "no port file within $2 s" >&2; cat "$1/followupd.log" >&2; exit 1
        fi
        sleep 0.005
    done
}

stop_server() {
    kill -TERM "$PID"
    for _ in $(seq 200); do kill -0 "$PID" 2>/dev/null || break; sleep 0.05; done
    if kill -0 "$PID" 2>/dev/null; then echo "followupd did not stop within 10 s: killed" >&2; kill -KILL "$PID"; fi
    wait "$PID" || true
    PID=
}

hwm_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
# CPU time (user + system) of the given processes, in ms.
cpu_ms() {  # pid...
    local p
    for p in "$@"; do cat "/proc/$p/stat" 2>/dev/null || true; done |
        awk -v hz="$(getconf CLK_TCK)" '{ t += $14 + $15 } END { printf "%.0f", t * 1000 / hz }'
}
# followupd's, and PostgreSQL's server (postmaster and backends) when in use.
cpu_now() {
    if [ "$ENGINE" = postgres ]; then
        echo "$(cpu_ms "$PID") $(cpu_ms "$PG_PID" $(pgrep -P "$PG_PID"))"
    else
        echo "$(cpu_ms "$PID") 0"
    fi
}
rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

generate() {
    echo "generating $DATA/sched.db: $REPS reps, $CUSTOMERS customers, $TASKS open follow-ups"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    local g0 t0 gen_now
    g0=$(now_s)
    # First start on an empty file: the schema, the contacts key, the users.
    write_config "$DATA/config.json" "$DATA/sched.db"
    start_server "$DATA"
    wait_port "$DATA" 60
    stop_server
    gen_now=$(date +%s)
    # Indexes are dropped for the bulk load and built again at the end.
    sqlite3 -batch "$DATA/sched.db" "SELECT 'DROP INDEX ' || name || ';' FROM sqlite_master WHERE type = 'index'
        AND sql IS NOT NULL AND tbl_name IN ('tasks', 'customers')" > "$DATA/drop.sql"
    sqlite3 -batch "$DATA/sched.db" "SELECT sql || ';' FROM sqlite_master WHERE type = 'index'
        AND sql IS NOT NULL AND tbl_name IN ('tasks', 'customers')" > "$DATA/indexes.sql"
    t0=$(now_s)
    # Rep k (0-based) is r<k+1>; customer c belongs to rep c / 100; follow-up i
    # is for customer (i % reps) * 100 + (i / reps) % 100, so rep i % reps:
    # every rep has tasks/reps of them, and ids k + 1, k + 1 + reps, ... are rep k's.
    sqlite3 -batch -bail "$DATA/sched.db" > /dev/null <<SQL
PRAGMA journal_mode = OFF;
PRAGMA synchronous = OFF;
PRAGMA cache_size = -400000;
.read $DATA/drop.sql
BEGIN;
CREATE TEMP TABLE reps (k INTEGER PRIMARY KEY, uid INTEGER NOT NULL, team INTEGER);
INSERT INTO temp.reps SELECT CAST(substr(handle, 2) AS INTEGER) - 1, id, team_id FROM users WHERE role = 'rep';
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $CUSTOMERS)
INSERT INTO customers (id, name, owner_id, tier, stage, created_at, team_id, last_contact)
SELECT n.i + 1, 'Customer ' || (n.i + 1), r.uid,
       CASE n.i % 10 WHEN 0 THEN 'A' WHEN 1 THEN 'A' WHEN 2 THEN 'B' WHEN 3 THEN 'B' WHEN 4 THEN 'B' ELSE 'C' END,
       'active', $gen_now - 400 * 86400, r.team, $gen_now - 86400 - n.i % 30 * 86400
FROM n JOIN temp.reps r ON r.k = n.i / $CUSTOMERS_PER_REP;
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < $TASKS),
x AS (SELECT i, (i % $REPS) * $CUSTOMERS_PER_REP + (i / $REPS) % $CUSTOMERS_PER_REP AS c,
             $gen_now + 7 * 86400 + ((i + 1) * 2654435761 % 4294967296) * (365 * 86400) / 4294967296 AS due
      FROM n)
INSERT INTO tasks (id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin,
                   created_at, remind_at, ladder_step, reschedule_count)
SELECT x.i + 1, x.c + 1, r.uid, x.due, 'call', 'follow up', 'normal', 'open', 0, 'cadence',
       $gen_now - 86400, x.due, 0, 0
FROM x JOIN temp.reps r ON r.k = x.i % $REPS;
UPDATE customers SET next_followup = m.due
FROM (SELECT customer_id, MIN(due) AS due FROM tasks GROUP BY customer_id) AS m WHERE m.customer_id = customers.id;
COMMIT;
SQL
    echo "  customers, follow-ups: $(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }') s"
    t0=$(now_s)
    sqlite3 -batch -bail "$DATA/sched.db" > /dev/null <<SQL
PRAGMA cache_size = -400000;
.read $DATA/indexes.sql
ANALYZE;
PRAGMA journal_mode = WAL;
SQL
    echo "  indexes, ANALYZE: $(awk -v a="$t0" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }') s"
    printf 'tasks=%s\ngenerated_at=%s\n' "$TASKS" "$gen_now" > "$DATA/complete"
    echo "  total $(awk -v a="$g0" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }') s," \
         "$(du -m "$DATA/sched.db" | cut -f1) MiB"
}

# Reuse the file while it is complete, for this many follow-ups, and the
# earliest of them is still more than a day ahead.
reusable() {
    [ -f "$DATA/complete" ] && [ -f "$DATA/sched.db" ] && [ -f "$DATA/sched.db.key" ] || return 1
    grep -qx "tasks=$TASKS" "$DATA/complete" || return 1
    local gen
    gen=$(sed -n 's/^generated_at=//p' "$DATA/complete")
    [ $(($(date +%s) - gen)) -lt $((6 * 86400)) ]
}

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $BIN ($("$BIN" --version 2>/dev/null || echo '?')), $(nproc) cores," \
     "sqlite3 shell $(sqlite3 --version | cut -d' ' -f1)$([ "$PG_MODE" = 0 ] || echo ", psql $(psql --version | awk '{print $3}')")"
if [ "${BENCH_REBUILD:-0}" = 1 ] || ! reusable; then generate; else echo "reusing $DATA/sched.db"; fi

# The burst: follow-up j (0-based, < BURST) is rep (j % burst_reps)'s
# (j / burst_reps)-th, id (j % burst_reps) + 1 + reps * (j / burst_reps).
# (The same SQL on SQLite and PostgreSQL.)
BURST_IDS="WITH RECURSIVE b(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM b WHERE j + 1 < $BURST)
           SELECT j % $BURST_REPS + 1 + $REPS * (j / $BURST_REPS) FROM b"

# PostgreSQL: a throwaway server with fsync on, and the generated file copied
# once (from a copy: migrate-db brings its source to the current schema) into
# the database sched_template, which each run clones.
if [ "$PG_MODE" != 0 ]; then
    # shellcheck source=../scripts/lib.sh
    PG_FSYNC=on PG_NO_TRAP=1 source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
    set +u
    PG_FSYNC=on PG_NO_TRAP=1 start_test_postgres
    set -u
    PG_BASE=${FU_TEST_PG_URL%/*}
    echo "PostgreSQL $(psql "$FU_TEST_PG_URL" -X -At -c 'SHOW server_version' | cut -d' ' -f1)" \
         "(fsync $(psql "$FU_TEST_PG_URL" -X -At -c 'SHOW fsync'), shared_buffers" \
         "$(psql "$FU_TEST_PG_URL" -X -At -c 'SHOW shared_buffers')), pid $PG_PID, $PG_DIR"
    cp "$DATA/sched.db" "$WORK/source.db"
    psql "$FU_TEST_PG_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE sched_template"
    m0=$(now_s)
    "$BIN" migrate-db --from "sqlite:$WORK/source.db" --to "$PG_BASE/sched_template" > "$WORK/migrate.log" 2>&1 ||
        { cat "$WORK/migrate.log" >&2; exit 1; }
    echo "migrate-db into sched_template: $(awk -v a="$m0" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }') s:" \
         "$(grep -m1 'Copied' "$WORK/migrate.log" || tail -1 "$WORK/migrate.log"),"  \
         "$(psql "$FU_TEST_PG_URL" -X -At -c "SELECT pg_database_size('sched_template') / 1048576") MiB"
    rm -f "$WORK/source.db"
    # Vacuumed and frozen now, as a database that has run a while would be:
    # otherwise autovacuum takes up the 1,100,000 new rows during the first
    # runs, and each clone's first reads set the rows' hint bits.
    v0=$(now_s)
    psql "$PG_BASE/sched_template" -X -q -v ON_ERROR_STOP=1 -c "VACUUM (FREEZE, ANALYZE)"
    echo "VACUUM (FREEZE, ANALYZE) of sched_template: $(awk -v a="$v0" -v b="$(now_s)" 'BEGIN { printf "%.1f", b - a }') s"
fi

# A statement on the run's database, rows as a|b|c.
dbq() {  # sql
    if [ "$ENGINE" = sqlite ]; then
        sqlite3 -batch -bail "$RUN/sched.db" "$1"
    else
        psql "$RUN_URL" -X -q -At -F'|' -v ON_ERROR_STOP=1 -c "$1"
    fi
}

# One run on ENGINE: appends its figures to results_ENGINE.
run_once() {  # run-number
    local run=$1
    RUN=$WORK/$ENGINE-run$run
    mkdir -p "$RUN"
    if [ "$ENGINE" = sqlite ]; then
        cp "$DATA/sched.db" "$DATA/sched.db.key" "$RUN/"
        write_config "$RUN/config.json" "$RUN/sched.db"
    else
        # A clone of the template, flushed by a checkpoint before T is chosen
        # (the two take seconds), so that no checkpoint of the copy falls in
        # the burst.
        RUN_URL=$PG_BASE/sched_run$run
        psql "$FU_TEST_PG_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE sched_run$run TEMPLATE sched_template"
        psql "$FU_TEST_PG_URL" -X -q -c "CHECKPOINT"
        cp "$DATA/sched.db.key" "$RUN/"
        write_config "$RUN/config.json" "$RUN/sched.db.key" "$RUN_URL"
    fi
    T=$(($(date +%s) + LEAD + 1))
    dbq "UPDATE tasks SET due = $T, remind_at = $T WHERE id IN ($BURST_IDS);" > /dev/null
    local pending due_at_t earliest_other
    pending=$(dbq "SELECT count(*) FROM tasks WHERE remind_at IS NOT NULL AND status = 'open'")
    due_at_t=$(dbq "SELECT count(*) FROM tasks WHERE remind_at = $T")
    earliest_other=$(dbq "SELECT MIN(remind_at) - $T FROM tasks WHERE remind_at > $T")

    start_server "$RUN"
    wait_port "$RUN" 30
    local hwm_ready rss_ready ready port t_after_start
    hwm_ready=$(hwm_kib "$PID")
    rss_ready=$(rss_kib "$PID")
    ready=$(awk -v s="$START" -v p="$(stat -c %.9Y "$RUN/port")" 'BEGIN { printf "%.3f", p - s }')
    port=$(cat "$RUN/port")
    t_after_start=$(awk -v s="$START" -v t="$T" 'BEGIN { printf "%.1f", t - s }')
    if awk -v s="$START" -v t="$T" 'BEGIN { exit !(t - s < 1) }'; then
        echo "warning: T is ${t_after_start} s after followupd's start: not a burst at a running scheduler;" \
             "raise BENCH_LEAD" >&2
    fi

    # From half a second before T, one sqlite3 shell (one psql) reads how many
    # follow-ups the outbox lists, every BENCH_POLL_MS, with the database's
    # clock: when each committed batch became visible to a reader.
    local POLLER=
    while awk -v n="$(now_s)" -v t="$T" 'BEGIN { exit !(n < t - 0.5) }'; do sleep 0.02; done
    local cpu_before
    cpu_before=$(cpu_now)
    if [ "$POLL_MS" -gt 0 ]; then
        (
            poll_s=$(awk -v ms="$POLL_MS" 'BEGIN { printf "%.3f", ms / 1000 }')
            if [ "$ENGINE" = sqlite ]; then
                clock="printf('%.3f', (julianday('now') - 2440587.5) * 86400.0)"
                reader=(sqlite3 -batch "$RUN/sched.db")
            else
                clock="round(extract(epoch FROM clock_timestamp())::numeric, 3)"
                reader=(psql "$RUN_URL" -X -q -At -F'|')
            fi
            while [ -d "$RUN" ] && [ ! -e "$RUN/stop-poll" ] && [ "$EPOCHSECONDS" -lt $((T + 30)) ]; do
                echo "SELECT $clock,
                      coalesce(sum(length(task_ids) - length(replace(task_ids, ',', '')) + 1), 0) FROM outbox;"
                sleep "$poll_s"
            done | "${reader[@]}" > "$RUN/poll.txt"
        ) &
        POLLER=$!
    fi

    # Wait for the burst's log line (at most 30 s after T), then a second more.
    while ! grep -q "scheduler: delivered reminders" "$RUN/followupd.log"; do
        kill -0 "$PID" 2>/dev/null || { echo "followupd exited:" >&2; cat "$RUN/followupd.log" >&2; exit 1; }
        [ "$(date +%s)" -lt $((T + 30)) ] || { echo "no reminders within 30 s of T" >&2; break; }
        sleep 0.05
    done
    sleep 1
    local polled=
    local seen_first=NA seen_p50=NA seen_p99=NA seen_all=NA unseen_p99=NA rate=NA
    if [ -n "$POLLER" ]; then
        touch "$RUN/stop-poll"
        wait "$POLLER" || true
        # The first poll that saw 1, half, 99 % and all of the burst, in ms after T.
        polled=$(awk -F'|' -v t="$T" -v n="$BURST" '
            function at(k) { for (i = 1; i <= rows; i++) if (c[i] >= k) return sprintf("%.0f", (ts[i] - t) * 1000); return "NA" }
            function before(k) { for (i = 2; i <= rows; i++) if (c[i] >= k) return sprintf("%.0f", (ts[i - 1] - t) * 1000); return "NA" }
            { rows++; ts[rows] = $1; c[rows] = $2 }
            END { k = int((n * 99 + 99) / 100)
                  printf "%s %s %s %s %s", at(1), at(int(n / 2)), at(k), at(n), before(k) }' "$RUN/poll.txt")
        read -r seen_first seen_p50 seen_p99 seen_all unseen_p99 <<< "$polled"
        # Reminders per second, from the due time to the last of them readable.
        if [ "$seen_all" != NA ] && [ "$seen_all" -gt 0 ]; then
            rate=$(awk -v n="$BURST" -v ms="$seen_all" 'BEGIN { printf "%.0f", n * 1000 / ms }')
        fi
    fi
    local hwm_burst rss_burst cpu_burst
    hwm_burst=$(hwm_kib "$PID")
    rss_burst=$(rss_kib "$PID")
    # CPU from T - 0.5 s to 1 s after the burst: the pass, and on PostgreSQL the
    # server's side of it (its backends and background processes; the
    # poller's backend started after the first reading and has exited).
    cpu_burst=$(awk -v a="$cpu_before" -v b="$(cpu_now)" 'BEGIN {
        split(a, x, " "); split(b, y, " "); printf "followupd %d ms", y[1] - x[1]
        if (y[2] > 0) printf ", PostgreSQL server %d ms", y[2] - x[2] }')
    stop_server

    local line fired_lines stamp lateness_ms users_logged
    line=$(grep -m1 "scheduler: delivered reminders" "$RUN/followupd.log" || true)
    fired_lines=$(grep -c "scheduler: delivered reminders" "$RUN/followupd.log" || true)
    stamp=$(printf '%s\n' "$line" | sed -n 's/^\[\([0-9-]* [0-9:.]*\)\].*/\1/p')
    if [ -n "$stamp" ]; then
        lateness_ms=$(awk -v l="$(date -u -d "$stamp" +%s.%3N)" -v t="$T" 'BEGIN { printf "%.0f", (l - t) * 1000 }')
    else
        lateness_ms=NA
    fi
    users_logged=$(printf '%s\n' "$line" | sed -n 's/.*reminders to \([0-9]*\) user.*/\1/p')

    # The outbox: each message's task ids, one row per id.
    local ids_sql kinds_sql per_rep_sql
    if [ "$ENGINE" = sqlite ]; then
        ids_sql="WITH RECURSIVE split(tid, rest) AS (
    SELECT '', task_ids || ',' FROM outbox
    UNION ALL SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1) FROM split WHERE rest <> ''),
ids AS (SELECT CAST(tid AS INTEGER) AS id FROM split WHERE tid <> '')"
        kinds_sql="SELECT group_concat(k, ' ') FROM (SELECT kind || ':' || count(*) AS k FROM outbox GROUP BY kind)"
        per_rep_sql="SELECT group_concat(k, ', ') FROM (SELECT count(*) || ' rep(s) got '
        || n || ' message(s)' AS k FROM (SELECT count(*) AS n FROM outbox GROUP BY user_id) GROUP BY n ORDER BY n)"
    else
        ids_sql="WITH ids AS (SELECT CAST(tid AS BIGINT) AS id
                     FROM outbox, unnest(string_to_array(task_ids, ',')) AS tid WHERE tid <> '')"
        kinds_sql="SELECT string_agg(k, ' ' ORDER BY k) FROM (SELECT kind || ':' || count(*) AS k FROM outbox GROUP BY kind) s"
        per_rep_sql="SELECT string_agg(k, ', ' ORDER BY n) FROM (SELECT n, count(*) || ' rep(s) got '
        || n || ' message(s)' AS k FROM (SELECT count(*) AS n FROM outbox GROUP BY user_id) a GROUP BY n) b"
    fi
    local messages users_msg kinds listed distinct in_burst created_min created_max tasks_stepped per_rep ok
    IFS='|' read -r messages users_msg kinds listed distinct in_burst created_min created_max tasks_stepped <<EOF2
$(dbq "$ids_sql
SELECT (SELECT count(*) FROM outbox), (SELECT count(DISTINCT user_id) FROM outbox),
       ($kinds_sql),
       (SELECT count(*) FROM ids), (SELECT count(DISTINCT id) FROM ids),
       (SELECT count(DISTINCT id) FROM ids WHERE id IN ($BURST_IDS)),
       (SELECT MIN(created_at) - $T FROM outbox), (SELECT MAX(created_at) - $T FROM outbox),
       (SELECT count(*) FROM tasks WHERE ladder_step = 1)")
EOF2
    per_rep=$(dbq "$per_rep_sql")
    ok=yes
    [ "$listed" = "$BURST" ] && [ "$distinct" = "$BURST" ] && [ "$in_burst" = "$BURST" ] || { ok=NO; failed=1; }
    echo "$ENGINE run $run: pending $pending (due at T: $due_at_t; next other $((earliest_other / 86400)) days after T)," \
         "T = start + ${t_after_start} s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  ready ${ready} s (port $port), VmHWM ready $((hwm_ready / 1024)) MiB (VmRSS $((rss_ready / 1024)))," \
         "after burst $((hwm_burst / 1024)) MiB (VmRSS $((rss_burst / 1024)))"
    echo "  log: ${line#*] } ($fired_lines line(s)), at T + ${lateness_ms} ms; CPU from T - 0.5 s: $cpu_burst"
    echo "  outbox: $messages messages to $users_msg reps ($kinds), $listed task ids listed, $distinct distinct," \
         "$in_burst of the burst; created_at - T in [$created_min, $created_max] s; tasks reminded $tasks_stepped;" \
         "all exactly once: $ok"
    echo "  per rep: $per_rep"
    if [ -n "$polled" ]; then
        echo "  outbox polled every ${POLL_MS} ms ($(wc -l < "$RUN/poll.txt") polls): first row seen at T + ${seen_first} ms," \
             "half at ${seen_p50}, 99 % at ${seen_p99} (not yet at ${unseen_p99}), all at ${seen_all} ms: $rate reminders/s"
    fi
    local figures="$ready $hwm_ready $hwm_burst ${seen_p99:-NA} $lateness_ms $rate"
    if [ "$ENGINE" = sqlite ]; then results_sqlite+=("$figures"); else results_postgres+=("$figures"); fi
    rm -rf "$RUN"
    if [ "$ENGINE" = postgres ]; then
        psql "$FU_TEST_PG_URL" -X -q -c "DROP DATABASE sched_run$run WITH (FORCE)"
    fi
}

results_sqlite=()
results_postgres=()
failed=0
for ENGINE in $ENGINES; do
    for run in $(seq "$RUNS"); do run_once "$run"; done
done

# min, median and max of each figure: one line per figure, fields
# "name|min|median|max" (empty when no run had it).
stats() {  # results...
    printf '%s\n' "$@" | awk '
        { for (c = 1; c <= 6; c++) v[c, NR] = $c }
        END {
            split("ready s|VmHWM ready MiB|VmHWM after burst MiB|p99 lateness ms (outbox poll)|log line - T ms|burst reminders/s (all seen)", name, "|")
            fmt[1] = "%.3f"; fmt[2] = "%.1f"; fmt[3] = "%.1f"; fmt[4] = "%.0f"; fmt[5] = "%.0f"; fmt[6] = "%.0f"
            div[1] = 1; div[2] = 1024; div[3] = 1024; div[4] = 1; div[5] = 1; div[6] = 1
            for (c = 1; c <= 6; c++) {
                n = 0
                for (r = 1; r <= NR; r++) if (v[c, r] != "NA" && v[c, r] != "") a[++n] = v[c, r] / div[c]
                for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
                if (n == 0) { printf "%s|||\n", name[c]; continue }
                med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
                printf "%s|" fmt[c] "|" fmt[c] "|" fmt[c] "\n", name[c], a[1], med, a[n]
            }
        }'
}

echo
echo "summary over $RUNS run(s) each: $TASKS pending, $BURST due at T over $BURST_REPS reps"
for ENGINE in $ENGINES; do
    if [ "$ENGINE" = sqlite ]; then set -- "${results_sqlite[@]}"; else set -- "${results_postgres[@]}"; fi
    echo
    echo "$ENGINE:"
    printf '| %-32s | %8s | %8s | %8s |\n' "" min median max
    printf '|%s|%s:|%s:|%s:|\n' "----------------------------------" "---------" "---------" "---------"
    stats "$@" | awk -F'|' '$2 != "" { printf "| %-32s | %8s | %8s | %8s |\n", $1, $2, $3, $4 }'
done
if [ "$PG_MODE" = 1 ]; then
    echo
    echo "PostgreSQL / SQLite, medians:"
    paste -d'|' <(stats "${results_sqlite[@]}") <(stats "${results_postgres[@]}") | awk -F'|' '
        $3 != "" && $7 != "" && $3 + 0 != 0 { printf "| %-32s | %8s | %8s | %6.2f x |\n", $1, $3, $7, $7 / $3 }'
fi
if [ "$failed" = 1 ]; then echo "FAILED: some follow-up of the burst was not in the outbox exactly once" >&2; exit 1; fi
