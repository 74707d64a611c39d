#pragma once
// Every statement the SQL repository runs, as named constants with `?`
// placeholders and explicit column lists, in the SQL that SQLite and
// PostgreSQL share (statement.hpp; the few that differ are replaced in
// storage/postgres/dialect.cpp). Exposed so tests can EXPLAIN the exact text
// the store prepares. Column order of each SELECT matches the row readers in
// rows.cpp. An INSERT that makes an id returns it (RETURNING id).
#include <string_view>

namespace fu::storage::sql {

// --- teams ----------------------------------------------------------------------
inline constexpr std::string_view kInsertTeam = "INSERT INTO teams (name) VALUES (?) RETURNING id";
inline constexpr std::string_view kSelectTeam = "SELECT id, name FROM teams WHERE id = ?";
inline constexpr std::string_view kSelectTeams = "SELECT id, name FROM teams ORDER BY id";

// --- users ----------------------------------------------------------------------
inline constexpr std::string_view kInsertUser =
    "INSERT INTO users (handle, display_name, role, team_id, time_zone, lang, work_start_minute, "
    "work_end_minute, work_days, notify_platform) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
inline constexpr std::string_view kUpdateUser =
    "UPDATE users SET handle = ?, display_name = ?, role = ?, team_id = ?, time_zone = ?, lang = ?, "
    "work_start_minute = ?, work_end_minute = ?, work_days = ?, notify_platform = ? WHERE id = ?";
inline constexpr std::string_view kSelectUser =
    "SELECT id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, work_end_minute, "
    "work_days, notify_platform FROM users WHERE id = ?";
// users.handle is COLLATE NOCASE, so `=` is case-insensitive and uses its unique index.
inline constexpr std::string_view kSelectUserByHandle =
    "SELECT id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, work_end_minute, "
    "work_days, notify_platform FROM users WHERE handle = ?";
inline constexpr std::string_view kSelectUsers =
    "SELECT id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, work_end_minute, "
    "work_days, notify_platform FROM users ORDER BY id";
inline constexpr std::string_view kSelectTeamMembers =
    "SELECT id, handle, display_name, role, team_id, time_zone, lang, work_start_minute, work_end_minute, "
    "work_days, notify_platform FROM users WHERE team_id = ? ORDER BY id";

// --- customers ------------------------------------------------------------------
inline constexpr std::string_view kInsertCustomer =
    "INSERT INTO customers (name, company, phone, email, im, owner_id, tier, stage, source, value, tags, "
    "last_contact, next_followup, created_at, team_id, external_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULLIF(?, '')) RETURNING id";
inline constexpr std::string_view kUpdateCustomer =
    "UPDATE customers SET name = ?, company = ?, phone = ?, email = ?, im = ?, owner_id = ?, tier = ?, "
    "stage = ?, source = ?, value = ?, tags = ?, last_contact = ?, next_followup = ?, created_at = ?, "
    "team_id = ?, external_id = NULLIF(?, '') WHERE id = ?";
inline constexpr std::string_view kSelectCustomer =
    "SELECT id, name, company, phone, email, im, owner_id, tier, stage, source, value, tags, last_contact, "
    "next_followup, created_at, team_id, external_id FROM customers WHERE id = ?";
// ?1 is the search text already lower-cased (ASCII), ?2 the limit. SQLite's
// lower() folds ASCII only, matching; other text (Chinese) matches as bytes.
// instr() rather than LIKE: no wildcards to escape in user text.
inline constexpr std::string_view kFindCustomers =
    "SELECT id, name, company, phone, email, im, owner_id, tier, stage, source, value, tags, last_contact, "
    "next_followup, created_at, team_id, external_id FROM customers "
    "WHERE instr(lower(name), ?1) > 0 OR instr(lower(company), ?1) > 0 "
    "ORDER BY CASE WHEN lower(name) = ?1 THEN 0 WHEN instr(lower(name), ?1) = 1 THEN 1 ELSE 2 END, id "
    "LIMIT ?2";
inline constexpr std::string_view kSelectCustomersOwnedBy =
    "SELECT id, name, company, phone, email, im, owner_id, tier, stage, source, value, tags, last_contact, "
    "next_followup, created_at, team_id, external_id FROM customers WHERE owner_id = ? ORDER BY id";
inline constexpr std::string_view kCountCustomers = "SELECT COUNT(*) FROM customers";

// --- tasks ----------------------------------------------------------------------
inline constexpr std::string_view kInsertTask =
    "INSERT INTO tasks (customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin, "
    "created_by, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
inline constexpr std::string_view kUpdateTask =
    "UPDATE tasks SET customer_id = ?, assignee_id = ?, due = ?, method = ?, topic = ?, priority = ?, "
    "status = ?, snooze_count = ?, origin = ?, created_by = ?, created_at = ?, remind_at = ?, done_at = ?, "
    "snoozed_until = ?, reschedule_count = ?, ladder_step = ? WHERE id = ?";
inline constexpr std::string_view kUpdateTaskReminder = "UPDATE tasks SET remind_at = ?, ladder_step = ? WHERE id = ?";
inline constexpr std::string_view kSelectTask =
    "SELECT id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin, "
    "created_by, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step FROM tasks WHERE id = ?";
inline constexpr std::string_view kSelectOpenTasksFor =
    "SELECT id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin, "
    "created_by, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step FROM tasks "
    "WHERE assignee_id = ? AND status IN ('open', 'snoozed') AND due < ? ORDER BY due, id";
inline constexpr std::string_view kSelectOpenTasksForTeam =
    "SELECT t.id, t.customer_id, t.assignee_id, t.due, t.method, t.topic, t.priority, t.status, "
    "t.snooze_count, t.origin, t.created_by, t.created_at, t.remind_at, t.done_at, t.snoozed_until, "
    "t.reschedule_count, t.ladder_step "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id "
    "WHERE u.team_id = ? AND t.status IN ('open', 'snoozed') AND t.due < ? ORDER BY t.due, t.id";
inline constexpr std::string_view kSelectOpenTasksForCustomer =
    "SELECT id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin, "
    "created_by, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step FROM tasks "
    "WHERE customer_id = ? AND status IN ('open', 'snoozed') ORDER BY due, id";
inline constexpr std::string_view kSelectTasksForCustomer =
    "SELECT id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin, "
    "created_by, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step FROM tasks "
    "WHERE customer_id = ? ORDER BY due DESC, id DESC LIMIT ?";
// Both answered from the partial index tasks_remind_at, never a table scan.
inline constexpr std::string_view kNextReminderAt = "SELECT MIN(remind_at) FROM tasks WHERE remind_at IS NOT NULL";
inline constexpr std::string_view kSelectRemindersDue =
    "SELECT id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin, "
    "created_by, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step FROM tasks "
    "WHERE remind_at IS NOT NULL AND remind_at <= ? ORDER BY remind_at, id LIMIT ?";
// The same for a part of the assignees (?3 index, ?4 count: AssigneePart).
inline constexpr std::string_view kSelectRemindersDueOfPart =
    "SELECT id, customer_id, assignee_id, due, method, topic, priority, status, snooze_count, origin, "
    "created_by, created_at, remind_at, done_at, snoozed_until, reschedule_count, ladder_step FROM tasks "
    "WHERE remind_at IS NOT NULL AND remind_at <= ?1 AND assignee_id % ?4 = ?3 ORDER BY remind_at, id LIMIT ?2";

// --- team stats -----------------------------------------------------------------
// One query for the members, then two grouped queries that walk only those
// members' entries of a covering index, in member-id order (no sort step).
// The grouped queries cover every team member; the C++ side keeps the reps
// and managers, and members with no tasks still get a (zero) row.
inline constexpr std::string_view kSelectStatsMembers =
    "SELECT id FROM users WHERE team_id = ? AND role IN ('rep', 'manager') ORDER BY id";
// ?1 team, ?2 day_start, ?3 day_end, ?4 now.
inline constexpr std::string_view kSelectStatsOpen =
    "SELECT u.id, COUNT(*), COUNT(*) FILTER (WHERE t.due >= ?2 AND t.due < ?3), COUNT(*) FILTER (WHERE t.due < ?4), "
    "MIN(CASE WHEN t.due < ?4 THEN t.due END) "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id "
    "WHERE u.team_id = ?1 AND t.status IN ('open', 'snoozed') "
    "GROUP BY u.id";
// ?1 team, ?2 day_start, ?3 week_start, ?4 min(day_start, week_start), ?5 now.
inline constexpr std::string_view kSelectStatsDone =
    "SELECT u.id, COUNT(*) FILTER (WHERE t.done_at >= ?2), COUNT(*) FILTER (WHERE t.done_at >= ?3) "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id "
    "WHERE u.team_id = ?1 AND t.status = 'done' AND t.done_at >= ?4 AND t.done_at <= ?5 "
    "GROUP BY u.id";

// --- interactions, transfers, audit -------------------------------------------
inline constexpr std::string_view kInsertInteraction =
    "INSERT INTO interactions (customer_id, task_id, user_id, at, method, results, note, next_step, "
    "satisfaction, stage, tier) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
    "COALESCE(?10, (SELECT stage FROM customers WHERE id = ?1)), "
    "COALESCE(?11, (SELECT tier FROM customers WHERE id = ?1))) RETURNING id";
inline constexpr std::string_view kSelectInteractionsForCustomer =
    "SELECT id, customer_id, task_id, user_id, at, method, results, note, next_step, satisfaction, "
    "stage, tier FROM interactions WHERE customer_id = ? ORDER BY at DESC, id DESC LIMIT ?";
inline constexpr std::string_view kInsertTransfer =
    "INSERT INTO transfers (customer_id, from_user_id, to_user_id, by_user_id, at, reason) "
    "VALUES (?, ?, ?, ?, ?, ?) RETURNING id";
inline constexpr std::string_view kSelectTransfersForCustomer =
    "SELECT id, customer_id, from_user_id, to_user_id, by_user_id, at, reason "
    "FROM transfers WHERE customer_id = ? ORDER BY at, id";
inline constexpr std::string_view kInsertAudit =
    "INSERT INTO audit (at, actor_id, action, subject, detail) VALUES (?, ?, ?, ?, ?) RETURNING id";
inline constexpr std::string_view kSelectAuditTail =
    "SELECT id, at, actor_id, action, subject, detail FROM audit ORDER BY id DESC LIMIT ?";

// --- outbox ---------------------------------------------------------------------
inline constexpr std::string_view kInsertMessage =
    "INSERT INTO outbox (user_id, created_at, kind, text, task_ids) VALUES (?, ?, ?, ?, ?) RETURNING id";
inline constexpr std::string_view kInsertButton =
    "INSERT INTO outbox_buttons (message_id, ord, label, command) VALUES (?, ?, ?, ?)";
inline constexpr std::string_view kSelectMessagesAfter =
    "SELECT id, user_id, created_at, kind, text, task_ids FROM outbox "
    "WHERE user_id = ? AND id > ? ORDER BY id LIMIT ?";
// Newest first; the caller reverses. Walks outbox(user_id, id) backwards.
inline constexpr std::string_view kSelectRecentMessages =
    "SELECT id, user_id, created_at, kind, text, task_ids FROM outbox "
    "WHERE user_id = ? ORDER BY id DESC LIMIT ?";
inline constexpr std::string_view kSelectButtons =
    "SELECT label, command FROM outbox_buttons WHERE message_id = ? ORDER BY ord";
inline constexpr std::string_view kLastMessageId = "SELECT MAX(id) FROM outbox WHERE user_id = ?";
inline constexpr std::string_view kSelectMessage =
    "SELECT id, user_id, created_at, kind, text, task_ids FROM outbox WHERE id = ?";
// A primary-key range, for a batch of ids close together (SqlRepo::messages).
inline constexpr std::string_view kSelectMessagesBetween =
    "SELECT id, user_id, created_at, kind, text, task_ids FROM outbox WHERE id BETWEEN ? AND ? ORDER BY id";
inline constexpr std::string_view kSelectButtonsBetween =
    "SELECT message_id, label, command FROM outbox_buttons WHERE message_id BETWEEN ? AND ? ORDER BY message_id, ord";

// --- identities -----------------------------------------------------------------
// Insert or replace by (platform, external_id), keeping the row (an upsert,
// not REPLACE's delete and re-insert).
inline constexpr std::string_view kUpsertIdentity =
    "INSERT INTO identities (platform, external_id, user_id, chat_id) VALUES (?, ?, ?, ?) "
    "ON CONFLICT (platform, external_id) DO UPDATE SET user_id = excluded.user_id, chat_id = excluded.chat_id";
inline constexpr std::string_view kSelectIdentity =
    "SELECT platform, external_id, user_id, chat_id FROM identities WHERE platform = ? AND external_id = ?";
inline constexpr std::string_view kSelectIdentitiesOf =
    "SELECT platform, external_id, user_id, chat_id FROM identities WHERE user_id = ? "
    "ORDER BY platform, external_id";
inline constexpr std::string_view kDeleteIdentity = "DELETE FROM identities WHERE platform = ? AND external_id = ?";

// --- seen events ----------------------------------------------------------------
// Inserts nothing for a repeat: the count of rows changed tells first
// sighting from repeat.
inline constexpr std::string_view kInsertSeenEvent =
    "INSERT INTO seen_events (platform, event_id, seen_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING";

// --- deliveries -----------------------------------------------------------------
inline constexpr std::string_view kInsertDelivery =
    "INSERT INTO deliveries (message_id, platform, recipient, chat_id, status, attempts, next_attempt, "
    "created_at, sent_at, platform_message_id, last_error, late_reported, replace_ref) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id";
inline constexpr std::string_view kUpdateDelivery =
    "UPDATE deliveries SET message_id = ?, platform = ?, recipient = ?, chat_id = ?, status = ?, attempts = ?, "
    "next_attempt = ?, created_at = ?, sent_at = ?, platform_message_id = ?, last_error = ?, late_reported = ?, "
    "replace_ref = ? WHERE id = ?";
inline constexpr std::string_view kSelectDelivery =
    "SELECT id, message_id, platform, recipient, chat_id, status, attempts, next_attempt, created_at, sent_at, "
    "platform_message_id, last_error, late_reported, replace_ref FROM deliveries WHERE id = ?";
// The literal status = 'pending' (code(DeliveryStatus::pending)) is what lets
// SQLite use the partial indexes; a bound parameter would not.
// Answered from deliveries_pending_next, never a table scan.
inline constexpr std::string_view kNextDeliveryAt =
    "SELECT MIN(next_attempt) FROM deliveries WHERE status = 'pending' AND platform = ?";
// A range on an index of the pending rows (deliveries_pending_queue, which
// also holds created_at): as long as the platform's queue.
inline constexpr std::string_view kPendingDeliveries =
    "SELECT COUNT(*), MIN(created_at) FROM deliveries WHERE status = 'pending' AND platform = ?";
// ?1 platform, ?2 now, ?3 limit. Oldest first, in the order they were queued
// (not of their retry times: after an outage the oldest have waited longest):
// deliveries_pending_queue walked in order, stopping at the limit.
inline constexpr std::string_view kSelectDeliveriesDue =
    "SELECT id, message_id, platform, recipient, chat_id, status, attempts, next_attempt, created_at, sent_at, "
    "platform_message_id, last_error, late_reported, replace_ref FROM deliveries INDEXED BY deliveries_pending_queue "
    "WHERE status = 'pending' AND platform = ? AND next_attempt <= ? ORDER BY created_at, id LIMIT ?";
// A range on deliveries_pending_created, in (created_at, id) order.
inline constexpr std::string_view kSelectDeliveriesPendingSince =
    "SELECT id, message_id, platform, recipient, chat_id, status, attempts, next_attempt, created_at, sent_at, "
    "platform_message_id, last_error, late_reported, replace_ref FROM deliveries "
    "WHERE status = 'pending' AND created_at < ? ORDER BY created_at, id LIMIT ?";
// The `<> ''` term repeats the partial index's condition so SQLite may use it
// (and an empty id matches nothing).
inline constexpr std::string_view kSelectDeliveryByPlatformMessage =
    "SELECT id, message_id, platform, recipient, chat_id, status, attempts, next_attempt, created_at, sent_at, "
    "platform_message_id, last_error, late_reported, replace_ref FROM deliveries "
    "WHERE platform = ? AND platform_message_id = ? AND platform_message_id <> '' ORDER BY id LIMIT 1";

// ?1 id, ?2 now, ?3 until. Under READ COMMITTED (PostgreSQL) a second
// instance's UPDATE waits for the first to commit, then finds the row no
// longer due: one of them claims it.
inline constexpr std::string_view kDeferDelivery =
    "UPDATE deliveries SET next_attempt = ?3 WHERE id = ?1 AND status = 'pending' AND next_attempt <= ?2";

// --- public pool, history, schedules, weekly report ------------------------------
inline constexpr std::string_view kSelectPoolForTeam =
    "SELECT id, name, company, phone, email, im, owner_id, tier, stage, source, value, tags, last_contact, "
    "next_followup, created_at, team_id, external_id FROM customers "
    "WHERE owner_id IS NULL AND (team_id = ? OR team_id IS NULL) ORDER BY id LIMIT ?";
inline constexpr std::string_view kSelectPoolAll =
    "SELECT id, name, company, phone, email, im, owner_id, tier, stage, source, value, tags, last_contact, "
    "next_followup, created_at, team_id, external_id FROM customers WHERE owner_id IS NULL ORDER BY id LIMIT ?";
// A claim is a transfer from the pool, made by the rep who receives it. A
// customer's first owner (added in chat or by the API: 'created'; by an
// import: 'imported') is not a claim, as in the report's pool figures.
inline constexpr std::string_view kCountClaimsSince =
    "SELECT COUNT(*) FROM transfers WHERE to_user_id = ?1 AND at >= ?2 AND from_user_id IS NULL "
    "AND by_user_id = ?1 AND reason NOT IN ('created', 'imported')";
inline constexpr std::string_view kLastRelease =
    "SELECT MAX(at) FROM transfers WHERE customer_id = ? AND from_user_id = ? AND to_user_id IS NULL";
inline constexpr std::string_view kSelectAuditFor =
    "SELECT id, at, actor_id, action, subject, detail FROM audit WHERE subject = ? ORDER BY id LIMIT ?";
inline constexpr std::string_view kUpsertSchedule =
    "INSERT INTO schedules (user_id, kind, next_at) VALUES (?, ?, ?) "
    "ON CONFLICT (user_id, kind) DO UPDATE SET next_at = excluded.next_at";
inline constexpr std::string_view kSelectSchedule =
    "SELECT user_id, kind, next_at FROM schedules WHERE user_id = ? AND kind = ?";
inline constexpr std::string_view kNextScheduleAt = "SELECT MIN(next_at) FROM schedules";
inline constexpr std::string_view kSelectSchedulesDue =
    "SELECT user_id, kind, next_at FROM schedules WHERE next_at <= ? ORDER BY next_at, user_id LIMIT ?";
inline constexpr std::string_view kSelectTeamTasksDueBetween =
    "SELECT t.id, t.customer_id, t.assignee_id, t.due, t.method, t.topic, t.priority, t.status, "
    "t.snooze_count, t.origin, t.created_by, t.created_at, t.remind_at, t.done_at, t.snoozed_until, "
    "t.reschedule_count, t.ladder_step "
    "FROM users u JOIN tasks t ON t.assignee_id = u.id "
    "WHERE u.team_id = ? AND t.status IN ('open', 'snoozed', 'done', 'cancelled') AND t.due >= ? AND t.due < ? "
    "ORDER BY t.due, t.id";
inline constexpr std::string_view kSelectTeamInteractionsBetween =
    "SELECT i.id, i.customer_id, i.task_id, i.user_id, i.at, i.method, i.results, i.note, i.next_step, "
    "i.satisfaction, i.stage, i.tier FROM users u JOIN interactions i ON i.user_id = u.id "
    "WHERE u.team_id = ? AND i.at >= ? AND i.at < ? ORDER BY i.at, i.id";
inline constexpr std::string_view kSelectTeamTransfersBetween =
    "SELECT tr.id, tr.customer_id, tr.from_user_id, tr.to_user_id, tr.by_user_id, tr.at, tr.reason "
    "FROM transfers tr JOIN customers c ON c.id = tr.customer_id "
    "WHERE c.team_id = ? AND tr.at >= ? AND tr.at < ? ORDER BY tr.at, tr.id";

// --- external ids, API tokens ----------------------------------------------------
inline constexpr std::string_view kSelectCustomerByExternalId =
    "SELECT id, name, company, phone, email, im, owner_id, tier, stage, source, value, tags, last_contact, "
    "next_followup, created_at, team_id, external_id FROM customers WHERE external_id = ?";
inline constexpr std::string_view kInsertApiToken =
    "INSERT INTO api_tokens (name, hash, team_id, created_by, created_at, revoked_at, last_used_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id";
inline constexpr std::string_view kUpdateApiToken =
    "UPDATE api_tokens SET name = ?, hash = ?, team_id = ?, created_by = ?, created_at = ?, revoked_at = ?, "
    "last_used_at = ? WHERE id = ?";
inline constexpr std::string_view kSelectApiTokenByHash =
    "SELECT id, name, hash, team_id, created_by, created_at, revoked_at, last_used_at FROM api_tokens "
    "WHERE hash = ?";
inline constexpr std::string_view kSelectApiToken =
    "SELECT id, name, hash, team_id, created_by, created_at, revoked_at, last_used_at FROM api_tokens "
    "WHERE id = ?";
inline constexpr std::string_view kSelectApiTokens =
    "SELECT id, name, hash, team_id, created_by, created_at, revoked_at, last_used_at FROM api_tokens "
    "ORDER BY id";

// --- pages of a long list still to show (`more`) ------------------------------------
inline constexpr std::string_view kDeletePages = "DELETE FROM list_pages WHERE user_id = ?";
inline constexpr std::string_view kInsertPage =
    "INSERT INTO list_pages (user_id, seq, lines, body) VALUES (?, ?, ?, ?)";
inline constexpr std::string_view kSelectFirstPage =
    "SELECT seq, lines, body FROM list_pages WHERE user_id = ? ORDER BY seq LIMIT 1";
inline constexpr std::string_view kDeletePage = "DELETE FROM list_pages WHERE user_id = ? AND seq = ?";
inline constexpr std::string_view kSumPageLines = "SELECT COALESCE(SUM(lines), 0) FROM list_pages WHERE user_id = ?";

// --- migration: worded automatic topics to their codes (topic_codes.hpp) -------------
// Only the rows whose topic could be one of them: the step words each candidate.
inline constexpr std::string_view kSelectWordedTopics =
    "SELECT id, topic FROM tasks WHERE topic LIKE '%every%' OR topic LIKE '%每%' OR "
    "topic LIKE '%first response%' OR topic LIKE '%首次响应%' OR topic LIKE '%after the deal%' OR "
    "topic LIKE '%回访%' OR topic IN ('imported follow-up', '导入的跟进') ORDER BY id";
inline constexpr std::string_view kUpdateTaskTopic = "UPDATE tasks SET topic = ? WHERE id = ?";

// --- signing in to the web chat: one-time secrets, sessions (hashes only) --------
inline constexpr std::string_view kInsertSignInSecret =
    "INSERT INTO sign_in_secrets (hash, user_id, kind, created_at, expires_at) VALUES (?, ?, ?, ?, ?)";
// Once only: of two requests with the same secret, one finds it unused.
inline constexpr std::string_view kUseSignInSecret =
    "UPDATE sign_in_secrets SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ? RETURNING user_id";
inline constexpr std::string_view kRetireSignInSecrets =
    "UPDATE sign_in_secrets SET used_at = ? WHERE user_id = ? AND kind = ? AND used_at IS NULL";
inline constexpr std::string_view kPurgeSignInSecrets = "DELETE FROM sign_in_secrets WHERE expires_at < ?";
inline constexpr std::string_view kInsertWebSession =
    "INSERT INTO web_sessions (hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)";
inline constexpr std::string_view kSelectWebSession =
    "SELECT hash, user_id, created_at, expires_at FROM web_sessions WHERE hash = ? AND expires_at > ?";
inline constexpr std::string_view kDeleteWebSession = "DELETE FROM web_sessions WHERE hash = ?";
inline constexpr std::string_view kPurgeWebSessions = "DELETE FROM web_sessions WHERE expires_at < ?";

// --- retention: bounded deletes, oldest first ------------------------------------
// ?1 before (unix seconds), ?2 the batch's limit. Each deletes through a
// subquery that picks at most ?2 rows from an index range, so one call is a
// short transaction however much is old; the PostgreSQL forms also skip rows
// another instance's transaction holds (dialect.cpp).
inline constexpr std::string_view kPruneSeenEvents =
    "DELETE FROM seen_events WHERE (platform, event_id) IN "
    "(SELECT platform, event_id FROM seen_events WHERE seen_at < ?1 ORDER BY seen_at LIMIT ?2)";
// A message still on its way (a pending delivery) stays; its buttons and
// finished deliveries go with it (ON DELETE CASCADE, through deliveries_message).
inline constexpr std::string_view kPruneOutbox =
    "DELETE FROM outbox WHERE id IN (SELECT o.id FROM outbox o WHERE o.created_at < ?1 AND NOT EXISTS "
    "(SELECT 1 FROM deliveries d WHERE d.message_id = o.id AND d.status = 'pending') "
    "ORDER BY o.created_at LIMIT ?2)";
// The audit log's cut-off only moves forward; the delete trigger lets
// through only entries older than it.
inline constexpr std::string_view kRaiseAuditCutoff =
    "INSERT INTO audit_retention (id, pruned_before) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE "
    "SET pruned_before = excluded.pruned_before WHERE audit_retention.pruned_before < excluded.pruned_before";
inline constexpr std::string_view kPruneAudit =
    "DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ?1 ORDER BY at LIMIT ?2)";
// sign_in_secrets has no key: its rowid here, its ctid in PostgreSQL.
inline constexpr std::string_view kPruneSignInSecrets =
    "DELETE FROM sign_in_secrets WHERE rowid IN "
    "(SELECT rowid FROM sign_in_secrets WHERE expires_at < ?1 ORDER BY expires_at LIMIT ?2)";
inline constexpr std::string_view kPruneWebSessions =
    "DELETE FROM web_sessions WHERE hash IN "
    "(SELECT hash FROM web_sessions WHERE expires_at < ?1 ORDER BY expires_at LIMIT ?2)";
// Calendar feeds (core/ports/calendar_feeds.hpp): one per user, by the token's hash.
inline constexpr std::string_view kSetCalendarFeed =
    "INSERT INTO calendar_feeds (user_id, hash, created_at) VALUES (?, ?, ?) "
    "ON CONFLICT (user_id) DO UPDATE SET hash = excluded.hash, created_at = excluded.created_at";
inline constexpr std::string_view kSelectCalendarFeedOf =
    "SELECT hash, user_id, created_at FROM calendar_feeds WHERE user_id = ?";
inline constexpr std::string_view kSelectCalendarFeedUser = "SELECT user_id FROM calendar_feeds WHERE hash = ?";
inline constexpr std::string_view kDeleteCalendarFeed =
    "DELETE FROM calendar_feeds WHERE user_id = ? RETURNING user_id";

// --- instances sharing the database (core/ports/instances.hpp) -----------------
// ?1 name, ?2 holder, ?3 now, ?4 until (unix seconds). Takes a lease that is
// free or lapsed, or extends the holder's own; one that another holds is left
// as it is and the statement changes no row. On PostgreSQL the row's lock
// makes two takers go one after the other: the second sees the first's lease.
inline constexpr std::string_view kHoldLease =
    "INSERT INTO leases (name, holder, expires_at) VALUES (?1, ?2, ?4) ON CONFLICT (name) DO UPDATE "
    "SET holder = excluded.holder, expires_at = excluded.expires_at "
    "WHERE leases.expires_at <= ?3 OR leases.holder = excluded.holder";
inline constexpr std::string_view kReleaseLease = "DELETE FROM leases WHERE name = ? AND holder = ?";
inline constexpr std::string_view kInstanceSeen =
    "INSERT INTO instances (id, seen_at) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at";
inline constexpr std::string_view kForgetDeadInstances = "DELETE FROM instances WHERE seen_at <= ?";
inline constexpr std::string_view kCountInstances = "SELECT COUNT(*) FROM instances";
inline constexpr std::string_view kInstanceStopped = "DELETE FROM instances WHERE id = ?";
// ?1 platform, ?2 chat, ?3 now, ?4 now + slack, ?5 interval, ?6 now + interval
// (Unix ms). A chat never sent to, or free by now + slack, is taken: it is
// next free an interval after the later of now and when it was free. A chat
// not free by then is left as it is, and the statement returns no row.
inline constexpr std::string_view kTakeChatTurn =
    "INSERT INTO chat_turns (platform, chat, free_at) VALUES (?1, ?2, ?6) ON CONFLICT (platform, chat) DO UPDATE "
    "SET free_at = CASE WHEN chat_turns.free_at > ?3 THEN chat_turns.free_at + ?5 ELSE ?6 END "
    "WHERE chat_turns.free_at <= ?4 RETURNING free_at";
inline constexpr std::string_view kChatFreeAt = "SELECT free_at FROM chat_turns WHERE platform = ? AND chat = ?";
inline constexpr std::string_view kForgetChatTurns = "DELETE FROM chat_turns WHERE free_at <= ?";

}  // namespace fu::storage::sql
