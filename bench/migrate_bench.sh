#!/bin/sh
# migrate-db rate: makes a SQLite database of BENCH_CUSTOMERS customers
# (default 100,000) with 2 tasks, 3 interactions, 3 audit rows and one
# outbox message with a button each (1.1M rows in all; contacts and messages
# look sealed), then times `followupd migrate-db` into a new database on the
# PostgreSQL server BENCH_PG_URL, dropped afterwards. See docs/BENCHMARKS.md.
#
#   BENCH_PG_URL=postgresql://user@127.0.0.1:5432/postgres bench/migrate_bench.sh [path/to/followupd]
set -eu
BIN=${1:-build/followupd}
N=${BENCH_CUSTOMERS:-100000}
: "${BENCH_PG_URL:?BENCH_PG_URL: a PostgreSQL server where this may create a database}"
WORK=$(mktemp -d)
DB_NAME=fu_migrate_bench_$$
TARGET=$(printf '%s' "$BENCH_PG_URL" | sed "s#/[^/?]*\(?.*\)\{0,1\}\$#/$DB_NAME\1#")
cleanup() {
    psql "$BENCH_PG_URL" -X -q -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# An empty file brought to the current schema: migrate-db opens the source
# first, then fails to reach a server that is not there.
: > "$WORK/bench.db"
"$BIN" migrate-db --from "sqlite:$WORK/bench.db" --to "postgresql://nobody@127.0.0.1:1/none" > /dev/null 2>&1 || true
sqlite3 "$WORK/bench.db" <<SQL
BEGIN;
INSERT INTO teams (id, name) VALUES (1, 'East'), (2, 'South');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)
INSERT INTO users (id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, work_end_minute, work_days)
SELECT i, 'rep' || i, 'Rep ' || i, 'rep', 1 + i % 2, 'Asia/Shanghai', 'zh', 540, 1080, 31 FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO customers (id, name, company, phone, email, owner_id, tier, stage, source, value, tags, last_contact,
                       next_followup, created_at, team_id, external_id)
SELECT i, 'Customer ' || i, 'Company ' || (i % 997), 'enc1:' || hex(randomblob(24)), 'enc1:' || hex(randomblob(30)),
       1 + i % 50, 'b', 'lead', 'import', i * 10, 'vip' || char(31) || 'north', 1700000000 + i, 1700100000 + i,
       1690000000 + i, 1 + i % 2, 'crm-' || i FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2 * $N)
INSERT INTO tasks (id, customer_id, assignee_id, due, method, topic, priority, status, origin, created_by, created_at, done_at)
SELECT i, 1 + i % $N, 1 + i % 50, 1700000000 + i * 60, 'call', 'follow up on the quote ' || i, 'normal',
       CASE WHEN i % 3 = 0 THEN 'done' ELSE 'open' END, 'manual', 1, 1690000000 + i,
       CASE WHEN i % 3 = 0 THEN 1700000500 + i END FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3 * $N)
INSERT INTO interactions (id, customer_id, task_id, user_id, at, method, results, note, next_step, satisfaction, stage, tier)
SELECT i, 1 + i % $N, 1 + i % (2 * $N), 1 + i % 50, 1700000000 + i, 'call', 'reached' || char(31) || 'interested',
       'talked about' || char(9) || 'price' || char(10) || 'and terms', 'send contract', i % 5, 'lead', 'b' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3 * $N)
INSERT INTO audit (at, actor_id, action, subject, detail)
SELECT 1700000000 + i, 1 + i % 50, 'task.done', 'task:' || i, '{"x":' || i || '}' FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $N)
INSERT INTO outbox (user_id, created_at, kind, text, task_ids, status, sent_at)
SELECT 1 + i % 50, 1700000000 + i, 'reminder', 'enc1:' || hex(randomblob(60)), '' || i, 'sent', 1700000001 + i FROM n;
INSERT INTO outbox_buttons (message_id, ord, label, command) SELECT id, 0, 'Done', 'done ' || id FROM outbox;
COMMIT;
SQL
echo "source: $(wc -c < "$WORK/bench.db") bytes"
psql "$BENCH_PG_URL" -X -q -c "CREATE DATABASE $DB_NAME"
"$BIN" migrate-db --from "sqlite:$WORK/bench.db" --to "$TARGET"
