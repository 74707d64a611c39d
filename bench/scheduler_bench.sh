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
# then stops followupd (SIGTERM) and checks the outbox: every burst follow-up
# in exactly one message, none other, and how many messages the reps got.
#
# Knobs: BENCH_RUNS (3), BENCH_TASKS (1000000), BENCH_BURST (1000),
# BENCH_BURST_REPS (100), BENCH_LEAD (8), BENCH_POLL_MS (5; 0: no poller),
# BENCH_DURABILITY (storage.durability; empty: not set, followupd's default),
# BENCH_DATA (build/bench-data/scheduler: where the generated file is kept),
# BENCH_REBUILD=1 (generate it again).
# Needs bash, the sqlite3 command-line shell (Debian package sqlite3) and awk.
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
TEAMS=10
REPS_PER_TEAM=100
REPS=$((TEAMS * REPS_PER_TEAM))
CUSTOMERS_PER_REP=100
CUSTOMERS=$((REPS * CUSTOMERS_PER_REP))

command -v sqlite3 >/dev/null || { echo "needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }
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
cleanup() {
    if [ -n "$PID" ] && kill -0 "$PID" 2>/dev/null; then kill -KILL "$PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

now_s() { echo "$EPOCHREALTIME"; }

# The config: port 0 on 127.0.0.1, the given SQLite file, working hours round
# the clock every day, no holidays and no digests, so that only the follow-ups
# fire; the users are the ones the generated rows belong to.
write_config() {  # config-file db-file
    awk -v db="$2" -v teams="$TEAMS" -v per="$REPS_PER_TEAM" -v durability="$DURABILITY" 'BEGIN {
        print "{"
        print "  \"server\": {\"address\": \"127.0.0.1\", \"port\": 0},"
        printf "  \"storage\": {\"path\": \"%s\"%s},\n", db,
               (durability == "" ? "" : ", \"durability\": \"" durability "\"")
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
     "sqlite3 shell $(sqlite3 --version | cut -d' ' -f1)"
if [ "${BENCH_REBUILD:-0}" = 1 ] || ! reusable; then generate; else echo "reusing $DATA/sched.db"; fi

# The burst: follow-up j (0-based, < BURST) is rep (j % burst_reps)'s
# (j / burst_reps)-th, id (j % burst_reps) + 1 + reps * (j / burst_reps).
BURST_IDS="WITH RECURSIVE b(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM b WHERE j + 1 < $BURST)
           SELECT j % $BURST_REPS + 1 + $REPS * (j / $BURST_REPS) FROM b"

results=()
failed=0
for run in $(seq "$RUNS"); do
    RUN=$WORK/run$run
    mkdir -p "$RUN"
    cp "$DATA/sched.db" "$DATA/sched.db.key" "$RUN/"
    write_config "$RUN/config.json" "$RUN/sched.db"
    T=$(($(date +%s) + LEAD + 1))
    sqlite3 -batch -bail "$RUN/sched.db" \
        "UPDATE tasks SET due = $T, remind_at = $T WHERE id IN ($BURST_IDS);" > /dev/null
    pending=$(sqlite3 -batch "$RUN/sched.db" "SELECT count(*) FROM tasks WHERE remind_at IS NOT NULL AND status = 'open'")
    due_at_t=$(sqlite3 -batch "$RUN/sched.db" "SELECT count(*) FROM tasks WHERE remind_at = $T")
    earliest_other=$(sqlite3 -batch "$RUN/sched.db" "SELECT MIN(remind_at) - $T FROM tasks WHERE remind_at > $T")

    start_server "$RUN"
    wait_port "$RUN" 30
    hwm_ready=$(hwm_kib "$PID")
    rss_ready=$(rss_kib "$PID")
    ready=$(awk -v s="$START" -v p="$(stat -c %.9Y "$RUN/port")" 'BEGIN { printf "%.3f", p - s }')
    port=$(cat "$RUN/port")
    t_after_start=$(awk -v s="$START" -v t="$T" 'BEGIN { printf "%.1f", t - s }')

    # From half a second before T, one sqlite3 shell reads how many follow-ups
    # the outbox lists, every BENCH_POLL_MS, with SQLite's clock: when each
    # committed batch became visible to a reader.
    POLLER=
    if [ "$POLL_MS" -gt 0 ]; then
        while awk -v n="$(now_s)" -v t="$T" 'BEGIN { exit !(n < t - 0.5) }'; do sleep 0.02; done
        (
            poll_s=$(awk -v ms="$POLL_MS" 'BEGIN { printf "%.3f", ms / 1000 }')
            while [ -d "$RUN" ] && [ ! -e "$RUN/stop-poll" ] && [ "$EPOCHSECONDS" -lt $((T + 30)) ]; do
                echo "SELECT printf('%.3f', (julianday('now') - 2440587.5) * 86400.0),
                      coalesce(sum(length(task_ids) - length(replace(task_ids, ',', '')) + 1), 0) FROM outbox;"
                sleep "$poll_s"
            done | sqlite3 -batch "$RUN/sched.db" > "$RUN/poll.txt"
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
    polled=
    seen_first=NA seen_p50=NA seen_p99=NA seen_all=NA unseen_p99=NA
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
    fi
    hwm_burst=$(hwm_kib "$PID")
    rss_burst=$(rss_kib "$PID")
    stop_server

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
    IFS='|' read -r messages users_msg kinds listed distinct in_burst created_min created_max tasks_stepped <<EOF
$(sqlite3 -batch "$RUN/sched.db" "
WITH RECURSIVE split(tid, rest) AS (
    SELECT '', task_ids || ',' FROM outbox
    UNION ALL SELECT substr(rest, 1, instr(rest, ',') - 1), substr(rest, instr(rest, ',') + 1) FROM split WHERE rest <> ''),
ids AS (SELECT CAST(tid AS INTEGER) AS id FROM split WHERE tid <> '')
SELECT (SELECT count(*) FROM outbox), (SELECT count(DISTINCT user_id) FROM outbox),
       (SELECT group_concat(k, ' ') FROM (SELECT kind || ':' || count(*) AS k FROM outbox GROUP BY kind)),
       (SELECT count(*) FROM ids), (SELECT count(DISTINCT id) FROM ids),
       (SELECT count(DISTINCT id) FROM ids WHERE id IN ($BURST_IDS)),
       (SELECT MIN(created_at) - $T FROM outbox), (SELECT MAX(created_at) - $T FROM outbox),
       (SELECT count(*) FROM tasks WHERE ladder_step = 1)")
EOF
    per_rep=$(sqlite3 -batch "$RUN/sched.db" "SELECT group_concat(k, ', ') FROM (SELECT count(*) || ' rep(s) got '
        || n || ' message(s)' AS k FROM (SELECT count(*) AS n FROM outbox GROUP BY user_id) GROUP BY n ORDER BY n)")
    ok=yes
    [ "$listed" = "$BURST" ] && [ "$distinct" = "$BURST" ] && [ "$in_burst" = "$BURST" ] || { ok=NO; failed=1; }
    echo "run $run: pending $pending (due at T: $due_at_t; next other $((earliest_other / 86400)) days after T)," \
         "T = start + ${t_after_start} s, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "  ready ${ready} s (port $port), VmHWM ready $((hwm_ready / 1024)) MiB (VmRSS $((rss_ready / 1024)))," \
         "after burst $((hwm_burst / 1024)) MiB (VmRSS $((rss_burst / 1024)))"
    echo "  log: ${line#*] } ($fired_lines line(s)), at T + ${lateness_ms} ms"
    echo "  outbox: $messages messages to $users_msg reps ($kinds), $listed task ids listed, $distinct distinct," \
         "$in_burst of the burst; created_at - T in [$created_min, $created_max] s; tasks reminded $tasks_stepped;" \
         "all exactly once: $ok"
    echo "  per rep: $per_rep"
    if [ -n "$polled" ]; then
        echo "  outbox polled every ${POLL_MS} ms ($(wc -l < "$RUN/poll.txt") polls): first row seen at T + ${seen_first} ms," \
             "half at ${seen_p50}, 99 % at ${seen_p99} (not yet at ${unseen_p99}), all at ${seen_all} ms"
    fi
    results+=("$ready $hwm_ready $hwm_burst ${seen_p99:-NA} $lateness_ms")
    rm -rf "$RUN"
done

echo
echo "summary over $RUNS run(s): $TASKS pending, $BURST due at T over $BURST_REPS reps"
printf '%s\n' "${results[@]}" | awk '
    { for (c = 1; c <= 5; c++) v[c, NR] = $c }
    END {
        split("ready s|VmHWM ready MiB|VmHWM after burst MiB|p99 lateness ms (outbox poll)|log line - T ms", name, "|")
        fmt[1] = "%8.3f"; fmt[2] = "%8.1f"; fmt[3] = "%8.1f"; fmt[4] = "%8.0f"; fmt[5] = "%8.0f"
        div[1] = 1; div[2] = 1024; div[3] = 1024; div[4] = 1; div[5] = 1
        printf "| %-28s | %8s | %8s | %8s |\n", "", "min", "median", "max"
        printf "|%s|%s:|%s:|%s:|\n", "------------------------------", "---------", "---------", "---------"
        for (c = 1; c <= 5; c++) {
            n = 0
            for (r = 1; r <= NR; r++) if (v[c, r] != "NA") a[++n] = v[c, r] / div[c]
            for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x }
            med = n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
            if (n == 0) continue
            printf "| %-28s | " fmt[c] " | " fmt[c] " | " fmt[c] " |\n", name[c], a[1], med, a[n]
        }
    }'
if [ "$failed" = 1 ]; then echo "FAILED: some follow-up of the burst was not in the outbox exactly once" >&2; exit 1; fi
