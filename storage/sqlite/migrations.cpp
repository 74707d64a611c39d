#include "storage/sqlite/migrations.hpp"

#include <array>
#include <string>

#include "storage/sql/queries.hpp"
#include "storage/sql/topic_codes.hpp"
#include "storage/sqlite/db.hpp"

namespace fu::storage {
namespace {

// Conventions for every table:
// - times are INTEGER unix seconds (UTC); enums are the text codes of model.cpp;
// - lists of words (customers.tags, interactions.results) are joined with the
//   ASCII unit separator U+001F, which chat text and CSV never carry; an empty
//   list is '';
// - lists of ids (outbox.task_ids) are decimal ids joined with ',';
// - ids that must never be reused even after a delete (outbox cursors, audit)
//   use AUTOINCREMENT.
constexpr std::string_view kSchemaV1 = R"sql(
CREATE TABLE teams (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL
);

CREATE TABLE users (
    id                 INTEGER PRIMARY KEY,
    handle             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name       TEXT NOT NULL DEFAULT '',
    role               TEXT NOT NULL,
    team_id            INTEGER REFERENCES teams(id),
    time_zone          TEXT NOT NULL,
    lang               TEXT NOT NULL,
    work_start_minute  INTEGER NOT NULL,
    work_end_minute    INTEGER NOT NULL,
    work_days          INTEGER NOT NULL
);
-- Members in id order, so team_stats can group by member without sorting.
CREATE INDEX users_team ON users(team_id);

CREATE TABLE customers (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL,
    company        TEXT NOT NULL DEFAULT '',
    phone          TEXT NOT NULL DEFAULT '',
    email          TEXT NOT NULL DEFAULT '',
    im             TEXT NOT NULL DEFAULT '',
    owner_id       INTEGER REFERENCES users(id),
    tier           TEXT NOT NULL,
    stage          TEXT NOT NULL,
    source         TEXT NOT NULL DEFAULT '',
    value          INTEGER NOT NULL DEFAULT 0,
    tags           TEXT NOT NULL DEFAULT '',
    last_contact   INTEGER,
    next_followup  INTEGER,
    created_at     INTEGER NOT NULL
);
CREATE INDEX customers_owner ON customers(owner_id);

CREATE TABLE tasks (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    assignee_id   INTEGER NOT NULL REFERENCES users(id),
    due           INTEGER NOT NULL,
    method        TEXT NOT NULL,
    topic         TEXT NOT NULL DEFAULT '',
    priority      TEXT NOT NULL,
    status        TEXT NOT NULL,
    snooze_count  INTEGER NOT NULL DEFAULT 0,
    origin        TEXT NOT NULL,
    created_by    INTEGER REFERENCES users(id),
    created_at    INTEGER NOT NULL,
    remind_at     INTEGER,
    done_at       INTEGER
);
-- The scheduler's MIN(remind_at) and due-reminder range: only pending reminders.
CREATE INDEX tasks_remind_at ON tasks(remind_at) WHERE remind_at IS NOT NULL;
-- Open lists and team_stats' open/due/overdue counts (covering).
CREATE INDEX tasks_assignee_status_due ON tasks(assignee_id, status, due);
-- team_stats' done-today/done-this-week counts (covering).
CREATE INDEX tasks_assignee_status_done_at ON tasks(assignee_id, status, done_at);
CREATE INDEX tasks_customer_due ON tasks(customer_id, due);

CREATE TABLE interactions (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    task_id       INTEGER REFERENCES tasks(id),
    user_id       INTEGER NOT NULL REFERENCES users(id),
    at            INTEGER NOT NULL,
    method        TEXT NOT NULL,
    results       TEXT NOT NULL DEFAULT '',
    note          TEXT NOT NULL DEFAULT '',
    next_step     TEXT NOT NULL DEFAULT '',
    satisfaction  INTEGER
);
CREATE INDEX interactions_customer_at ON interactions(customer_id, at);

CREATE TABLE transfers (
    id            INTEGER PRIMARY KEY,
    customer_id   INTEGER NOT NULL REFERENCES customers(id),
    from_user_id  INTEGER REFERENCES users(id),
    to_user_id    INTEGER REFERENCES users(id),
    by_user_id    INTEGER REFERENCES users(id),
    at            INTEGER NOT NULL,
    reason        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX transfers_customer_at ON transfers(customer_id, at);

-- No foreign key on actor_id: the log outlives the people in it.
CREATE TABLE audit (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        INTEGER NOT NULL,
    actor_id  INTEGER,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;

CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    task_ids    TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'pending',
    sent_at     INTEGER
);
CREATE INDEX outbox_user_id ON outbox(user_id, id);

CREATE TABLE outbox_buttons (
    message_id  INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    ord         INTEGER NOT NULL,
    label       TEXT NOT NULL,
    command     TEXT NOT NULL,
    PRIMARY KEY (message_id, ord)
) WITHOUT ROWID;
)sql";

// Chat platforms: where each user is reached, which webhook events were
// already handled, and each outbox message's delivery to a platform chat.
// Text columns that may be unknown yet (chat ids, platform message ids,
// errors) are '' rather than NULL, as in v1.
constexpr std::string_view kSchemaV2 = R"sql(
ALTER TABLE users ADD COLUMN notify_platform TEXT NOT NULL DEFAULT 'web';

CREATE TABLE identities (
    platform     TEXT NOT NULL,
    external_id  TEXT NOT NULL,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    chat_id      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (platform, external_id)
);
CREATE INDEX identities_user ON identities(user_id);

-- Webhook deduplication: a row per (platform, event id) ever handled.
CREATE TABLE seen_events (
    platform  TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    seen_at   INTEGER NOT NULL,
    PRIMARY KEY (platform, event_id)
) WITHOUT ROWID;

CREATE TABLE deliveries (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    message_id           INTEGER NOT NULL REFERENCES outbox(id) ON DELETE CASCADE,
    platform             TEXT NOT NULL,
    recipient            TEXT NOT NULL,
    chat_id              TEXT NOT NULL DEFAULT '',
    status               TEXT NOT NULL,
    attempts             INTEGER NOT NULL DEFAULT 0,
    next_attempt         INTEGER NOT NULL,
    created_at           INTEGER NOT NULL,
    sent_at              INTEGER,
    platform_message_id  TEXT NOT NULL DEFAULT '',
    last_error           TEXT NOT NULL DEFAULT '',
    late_reported        INTEGER NOT NULL DEFAULT 0,
    replace_ref          TEXT NOT NULL DEFAULT ''
);
-- The sender's MIN(next_attempt) per platform and its due range: only
-- pending rows, so sent and failed history never slows them down.
CREATE INDEX deliveries_pending_next ON deliveries(platform, next_attempt) WHERE status = 'pending';
-- The late-delivery report: pending rows, oldest first.
CREATE INDEX deliveries_pending_created ON deliveries(created_at) WHERE status = 'pending';
-- A button press names the platform's message; only sent rows have one.
CREATE INDEX deliveries_platform_message ON deliveries(platform, platform_message_id)
    WHERE platform_message_id <> '';
-- The foreign key's child side, so deleting outbox rows stays cheap.
CREATE INDEX deliveries_message ON deliveries(message_id);
)sql";

// The SOP engine: snooze apart from reschedule, the overdue ladder's step,
// customers' teams (their public pool), recurring digests, and the indexes
// the pool, the claim quota, task history and the weekly report read.
constexpr std::string_view kSchemaV3 = R"sql(
ALTER TABLE tasks ADD COLUMN snoozed_until INTEGER;
ALTER TABLE tasks ADD COLUMN reschedule_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN ladder_step INTEGER NOT NULL DEFAULT 0;

ALTER TABLE customers ADD COLUMN team_id INTEGER REFERENCES teams(id);
UPDATE customers SET team_id = (SELECT team_id FROM users WHERE users.id = customers.owner_id);
-- The pool: only unowned rows, per team, in id order.
CREATE INDEX customers_pool ON customers(team_id, id) WHERE owner_id IS NULL;

-- The claim quota: a rep's incoming transfers by time.
CREATE INDEX transfers_to_at ON transfers(to_user_id, at);
-- The weekly report's pool movements.
CREATE INDEX transfers_at ON transfers(at);
-- A task's history (ladder steps, snoozes) from the audit log.
CREATE INDEX audit_subject ON audit(subject, id);
-- The weekly report's interactions per member. (Its tasks due in a range use
-- tasks_assignee_status_due with every status listed.)
CREATE INDEX interactions_user_at ON interactions(user_id, at);

CREATE TABLE schedules (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    kind     TEXT NOT NULL,
    next_at  INTEGER NOT NULL,
    PRIMARY KEY (user_id, kind)
) WITHOUT ROWID;
CREATE INDEX schedules_next_at ON schedules(next_at);
)sql";

// Reports, data in and out: customers' ids in other systems (imports and the
// API match on them), the customer's stage and tier on each interaction
// (conversion by stage and by tier), REST API tokens (only a hash of the
// secret), and the indexes the reports read.
constexpr std::string_view kSchemaV4 = R"sql(
ALTER TABLE customers ADD COLUMN external_id TEXT;
CREATE UNIQUE INDEX customers_external_id ON customers(external_id) WHERE external_id IS NOT NULL;
ALTER TABLE interactions ADD COLUMN stage TEXT;
ALTER TABLE interactions ADD COLUMN tier TEXT;
-- Earlier interactions: the customer's tier at upgrade, the closest known.
UPDATE interactions SET tier = (SELECT tier FROM customers WHERE customers.id = interactions.customer_id);
CREATE TABLE api_tokens (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    team_id       INTEGER REFERENCES teams(id),
    created_by    INTEGER,
    created_at    INTEGER NOT NULL,
    revoked_at    INTEGER,
    last_used_at  INTEGER
);
-- @reports: indexes for team/report queries go below.
-- Every team's figures come from time-ordered ranges; a team's from its
-- members' entries of the per-assignee / per-user indexes above.
-- Open follow-ups only (team status, overdue and complaints now): small
-- however long the history grows.
CREATE INDEX tasks_open ON tasks(assignee_id, due, origin, status) WHERE status IN ('open', 'snoozed');
-- Done this week / today, every team.
CREATE INDEX tasks_done_at ON tasks(done_at, assignee_id, status) WHERE status = 'done';
-- Timeliness of follow-ups due in a period, every team (covering).
CREATE INDEX tasks_due_report ON tasks(due, assignee_id, status, done_at, snooze_count, ladder_step);
-- Outcomes, satisfaction, conversion of a period, every team (covering).
CREATE INDEX interactions_at_report ON interactions(at, user_id, customer_id, tier, stage, results, satisfaction);
-- Snoozes made in a period.
CREATE INDEX audit_action_at ON audit(action, at, actor_id);
)sql";

// Contacts sealed at rest: which key sealed them (a check value, never the key).
constexpr std::string_view kSchemaV5 = R"sql(
CREATE TABLE contacts_key (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    check_value  TEXT NOT NULL
);
)sql";

// The pages of each user's last long list still to show (`more`): small, and
// replaced by the next long list.
constexpr std::string_view kSchemaV6 = R"sql(
CREATE TABLE list_pages (
    user_id  INTEGER NOT NULL REFERENCES users(id),
    seq      INTEGER NOT NULL,
    lines    INTEGER NOT NULL,
    body     TEXT NOT NULL,
    PRIMARY KEY (user_id, seq)
) WITHOUT ROWID;
)sql";

// Automatic follow-up topics stored worded become their codes (sql/topic_codes.hpp).
void code_topics(Database& db) {
    Statement select(db, sql::kSelectWordedTopics);
    Statement update(db, sql::kUpdateTaskTopic);
    code_worded_topics(select, update);
}

// Signing in to the web chat: one-time codes and sign-in links, and the
// sessions they open; only SHA-256 hashes of the secrets and session ids.
constexpr std::string_view kSchemaV8 = R"sql(
CREATE TABLE sign_in_secrets (
    hash        TEXT NOT NULL,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    kind        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER
);
-- Not unique: two people's codes (or an old code of one) may hash alike only if
-- their users and codes are the same, which a used code no longer matches.
CREATE INDEX sign_in_secrets_hash ON sign_in_secrets(hash);
CREATE INDEX sign_in_secrets_user ON sign_in_secrets(user_id, kind) WHERE used_at IS NULL;
CREATE INDEX sign_in_secrets_expires ON sign_in_secrets(expires_at);
CREATE TABLE web_sessions (
    hash        TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX web_sessions_expires ON web_sessions(expires_at);
)sql";

// Calendar feeds: one per person at most, found by the hash of the token in
// its address (the token itself is never stored).
constexpr std::string_view kSchemaV9 = R"sql(
CREATE TABLE calendar_feeds (
    user_id     INTEGER PRIMARY KEY REFERENCES users(id),
    hash        TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL
);
)sql";

// Retention (server/retention.hpp): the indexes its batched deletes walk,
// oldest first, and the audit log's cut-off. The log stays append-only but
// for the entries older than the cut-off the pruner records before deleting
// them, so a delete of anything newer is still refused.
// (Version 9 is the calendar feed's.) Written to run again harmlessly: a
// database set back to an earlier version by hand replays it
// (tests/unit/storage/topic_migration_test.cpp).
constexpr std::string_view kSchemaV10 = R"sql(
CREATE INDEX IF NOT EXISTS seen_events_seen_at ON seen_events(seen_at);
CREATE INDEX IF NOT EXISTS outbox_created_at ON outbox(created_at);
CREATE INDEX IF NOT EXISTS audit_at ON audit(at);
CREATE TABLE IF NOT EXISTS audit_retention (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    pruned_before  INTEGER NOT NULL
);
DROP TRIGGER IF EXISTS audit_no_delete;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
WHEN OLD.at >= COALESCE((SELECT pruned_before FROM audit_retention WHERE id = 1), 0)
BEGIN
    SELECT RAISE(ABORT, 'audit is append-only');
END;
)sql";

// v11: tasks_due_report covers the report's timeliness again: complaints
// (origin) were added to the figures after the index, so every team's due
// query read each follow-up's row; the dashboard runs it once per week for 12
// weeks. Runs again harmlessly (topic_migration_test.cpp).
constexpr std::string_view kSchemaV11 = R"sql(
DROP INDEX IF EXISTS tasks_due_report;
CREATE INDEX tasks_due_report ON tasks(due, assignee_id, status, done_at, snooze_count, ladder_step, origin);
)sql";

// v12: the sender reads due deliveries in the order they were queued (oldest
// first, also after an outage), walking this index in order and stopping at
// its batch. Runs again harmlessly.
constexpr std::string_view kSchemaV12 = R"sql(
CREATE INDEX IF NOT EXISTS deliveries_pending_queue ON deliveries(platform, created_at, id, next_attempt)
    WHERE status = 'pending';
)sql";

// v13: instances sharing one database (core/ports/instances.hpp): the lease
// its leader holds, and a heartbeat per live instance. SQLite has one process
// per database, so its server never uses them; the tables keep the two
// engines' repository and contract the same. Runs again harmlessly.
constexpr std::string_view kSchemaV13 = R"sql(
CREATE TABLE IF NOT EXISTS leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS instances (
    id      TEXT PRIMARY KEY,
    seen_at INTEGER NOT NULL
);
)sql";

// v14: each chat's turn (core/ports/instances.hpp): when it may be sent to
// next, so that several senders keep to the platform's rate per chat. Rows
// live a few seconds past their time and are forgotten by the heartbeats.
// Like v13, unused by SQLite's one process. Runs again harmlessly.
constexpr std::string_view kSchemaV14 = R"sql(
CREATE TABLE IF NOT EXISTS chat_turns (
    platform TEXT NOT NULL,
    chat     TEXT NOT NULL,
    free_at  INTEGER NOT NULL,
    PRIMARY KEY (platform, chat)
);
)sql";

// v15: a reply to a sender who is not registered is an outbox row too (paced,
// retried and recorded like any other), with no user: outbox.user_id may be
// NULL. SQLite cannot drop a NOT NULL with ALTER TABLE; dropping a NOT NULL
// constraint is one of the changes its documentation allows by editing the
// table's definition in sqlite_schema ("ALTER TABLE", section 7), in this
// transaction, with the schema version moved on so every connection reads
// the new definition.
void outbox_without_user(Database& db) {
    constexpr std::string_view kBefore = "user_id     INTEGER NOT NULL REFERENCES users(id)";
    constexpr std::string_view kAfter = "user_id     INTEGER REFERENCES users(id)";
    std::string table;
    {
        Statement s(db, "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'outbox'");
        auto scope = s.use();
        if (s.step()) table = s.column_text(0);
    }
    if (table.find(kAfter) != std::string::npos) return;  // done already
    const auto at = table.find(kBefore);
    if (at == std::string::npos) throw std::runtime_error("migration 15: the outbox table is not as version 1 made it");
    table.replace(at, kBefore.size(), kAfter);
    std::int64_t version = 0;
    {
        Statement s(db, "PRAGMA schema_version");
        auto scope = s.use();
        if (s.step()) version = s.column_int64(0);
    }
    db.exec("PRAGMA writable_schema = ON");
    {
        Statement s(db, "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'outbox'");
        auto scope = s.use();
        s.bind(1, std::string_view(table)).run();
    }
    db.exec("PRAGMA schema_version = " + std::to_string(version + 1));
    db.exec("PRAGMA writable_schema = OFF");
}

constexpr std::array kMigrations{
    Migration{1, kSchemaV1},       Migration{2, kSchemaV2},   Migration{3, kSchemaV3},
    Migration{4, kSchemaV4},       Migration{5, kSchemaV5},   Migration{6, kSchemaV6},
    Migration{7, {}, code_topics}, Migration{8, kSchemaV8},   Migration{9, kSchemaV9},
    Migration{10, kSchemaV10},     Migration{11, kSchemaV11}, Migration{12, kSchemaV12},
    Migration{13, kSchemaV13},     Migration{14, kSchemaV14}, Migration{15, {}, outbox_without_user},
};

constexpr std::string_view kCreateVersionTable =
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY)";
constexpr std::string_view kSelectVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
constexpr std::string_view kInsertVersion = "INSERT INTO schema_version (version) VALUES (?)";

}  // namespace

std::span<const Migration> builtin_migrations() { return kMigrations; }

int latest_schema_version() { return kMigrations.back().version; }

int current_schema_version(Database& db) {
    db.exec(kCreateVersionTable);
    Statement s(db, kSelectVersion);
    auto scope = s.use();
    return s.step() ? static_cast<int>(s.column_int64(0)) : 0;
}

int apply_migrations(Database& db, std::span<const Migration> migrations) {
    int version = current_schema_version(db);
    int newest = migrations.empty() ? 0 : migrations.back().version;
    if (version > newest)
        throw StorageError("database schema version " + std::to_string(version) +
                           " is newer than this build understands (" + std::to_string(newest) + ")");
    for (const Migration& m : migrations) {
        if (m.version <= version) continue;
        Transaction tx(db);
        // Another process may have migrated while we waited for the write lock.
        if (current_schema_version(db) >= m.version) continue;
        if (!m.sql.empty()) db.exec(m.sql);
        if (m.step) m.step(db);
        Statement insert(db, kInsertVersion);
        insert.bind(1, std::int64_t{m.version}).run();
        tx.commit();
        version = m.version;
    }
    return current_schema_version(db);
}

}  // namespace fu::storage
