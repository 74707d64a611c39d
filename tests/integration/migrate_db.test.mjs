// `followupd migrate-db`, end to end: a demo database used for a while on
// SQLite, copied into a new PostgreSQL database, every table's rows compared
// between the two, the service started on the copy (same contacts key), and a
// second copy into the now non-empty database refused.
//
// Needs a PostgreSQL server (scripts/test starts one and sets FU_TEST_PG_URL):
//   cd tests && FOLLOWUPD_BIN=../build/followupd FU_TEST_PG_URL=postgresql://… \
//     node --test integration/migrate_db.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, DEFAULT_USERS, PG_SKIP, chat, messages, sleep, startServer, tempDir } from '../lib/followupd.mjs';

const PG = process.env.FU_TEST_PG_URL;
const skip = PG_SKIP;

const PHONE = '13812345678';

// Every data table and its primary key (storage/migrate_db.cpp copies these).
const TABLES = {
  teams: 'id', users: 'id', customers: 'id', tasks: 'id', interactions: 'id', transfers: 'id', audit: 'id',
  outbox: 'id', outbox_buttons: 'message_id, ord', identities: 'platform, external_id',
  seen_events: 'platform, event_id', deliveries: 'id', schedules: 'user_id, kind', api_tokens: 'id', contacts_key: 'id',
  sign_in_secrets: 'hash, created_at', web_sessions: 'hash', calendar_feeds: 'user_id', audit_retention: 'id',
};

const psql = (url, sql) => execFileSync('psql', [url, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const sqlite = (db, sql) => execFileSync('sqlite3', ['-json', db, sql], { encoding: 'utf8' });

function sqliteColumns(db, table) {
  return JSON.parse(sqlite(db, `SELECT name FROM pragma_table_info('${table}') ORDER BY cid`)).map((r) => r.name);
}

// The table's rows, ordered by primary key, as JSON values: SQLite's and
// PostgreSQL's integers, texts and NULLs compare equal when the rows are.
function sqliteRows(db, table, columns) {
  const out = sqlite(db, `SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${TABLES[table]}`).trim();
  return out ? JSON.parse(out) : [];
}
function pgRows(url, table, columns) {
  const out = psql(url, `SELECT json_agg(r) FROM (SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${TABLES[table]}) r`).trim();
  return out ? JSON.parse(out) : [];
}

const feedAddress = (text) => {
  const m = /(https?:\/\/\S+\/calendar\/[A-Za-z0-9_-]{43}\.ics)/.exec(text);
  assert.ok(m, `no calendar address in: ${text}`);
  return m[1];
};

function migrate(db, url) {
  return spawnSync(BIN, ['migrate-db', '--from', `sqlite:${db}`, '--to', url], { encoding: 'utf8', timeout: 60000 });
}

test('migrate-db copies a SQLite database into an empty PostgreSQL one, every row as it was', { skip, timeout: 120000 },
  async (t) => {
    assert.ok(PG, 'FU_TEST_REQUIRE_PG=1 but FU_TEST_PG_URL is not set');
    const dir = tempDir(t, 'followupd-migrate-');
    const db = path.join(dir, 't.db');
    const users = [
      ...DEFAULT_USERS.map((u) => (u.handle === 'maria' ? { ...u, identities: { telegram: '555001' }, notify: 'telegram' } : u)),
      { handle: 'boss', name: 'Boss', role: 'admin', lang: 'en', time_zone: 'Asia/Shanghai' },
    ];
    // The source is SQLite whatever engine the rest of the suite runs on.
    const sqliteConfig = {
      server: { port: 0 },
      storage: { path: db },
      defaults: { work_hours: '00:00-24:00', work_days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
      sop: { daily_digest: true, weekly_report: false },
      // Nobody listens there: maria's reminder stays a pending delivery.
      telegram: { enabled: true, token: '1:x', api_base: 'http://127.0.0.1:9', mode: 'webhook', secret_token: 's' },
      demo: { seed: true },
      // Signed in (the test helpers use sign-in links): sign-in secrets and sessions to copy too.
      web_chat: { auth: 'signin' },
      teams: ['East Sales'],
      users,
    };
    const configFile = path.join(dir, 'config.json');
    fs.writeFileSync(configFile, JSON.stringify(sqliteConfig, null, 2));

    // A while of use: demo customers, a new one with a phone, a follow-up
    // reminded (a pending Telegram delivery) and done, a snooze, a Telegram
    // webhook (a seen event), an API token.
    let server = await startServer(dir, configFile);
    t.after(() => server.kill());
    assert.match((await chat(server.base, 'maria', `customer add Zenith Corp tier=A stage=lead phone=${PHONE}`)).text, /Zenith/);
    const scheduled = (await chat(server.base, 'maria', 'followup Zenith in 1s call about the quote')).text;
    const id = Number(/#(\d+)/.exec(scheduled)?.[1]);
    assert.ok(id > 0, scheduled);
    const deadline = Date.now() + 15000;
    while (!(await messages(server.base, 'maria', 0)).some((m) => m.kind === 'reminder') && Date.now() < deadline) await sleep(200);
    await chat(server.base, 'maria', `done ${id} reached interested next tomorrow 10am`);
    const next = (await chat(server.base, 'maria', 'followup Zenith tomorrow 3pm send the contract')).text;
    await chat(server.base, 'maria', `snooze ${/#(\d+)/.exec(next)?.[1]} tomorrow 5pm`);  // after its due time: a snooze
    const hook = await fetch(`${server.base}/hooks/telegram`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': 's' },
      body: JSON.stringify({ update_id: 7001, message: { message_id: 1, date: Math.floor(Date.now() / 1000),
        from: { id: 555001, is_bot: false, first_name: 'Maria' }, chat: { id: 555001, type: 'private' }, text: 'today' } }),
    });
    assert.equal(hook.status, 200);
    await chat(server.base, 'li', 'today');
    const feed = feedAddress((await chat(server.base, 'maria', 'calendar')).text);  // a calendar feed
    const before = {
      history: (await chat(server.base, 'maria', 'history Zenith')).text,
      who: (await chat(server.base, 'maria', 'who Zenith')).text,
      customers: (await chat(server.base, 'maria', 'customers')).text,
    };
    assert.match(before.who, new RegExp(PHONE));
    assert.deepEqual(await server.stop(5000), { code: 0, signal: null });
    const token = spawnSync(BIN, ['token', 'create', '--name', 'crm', '--all', '--as', 'boss', '-c', configFile],
      { encoding: 'utf8', timeout: 20000 });
    assert.equal(token.status, 0, token.stderr);

    // A new, empty PostgreSQL database.
    const name = `fu_migrate_${process.pid}`;
    psql(PG, `DROP DATABASE IF EXISTS ${name}`);
    psql(PG, `CREATE DATABASE ${name}`);
    t.after(() => { try { psql(PG, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* gone */ } });
    const url = new URL(PG);
    url.pathname = `/${name}`;
    const target = url.toString();

    const copied = migrate(db, target);
    assert.equal(copied.status, 0, copied.stdout + copied.stderr);
    for (const table of Object.keys(TABLES)) assert.match(copied.stdout, new RegExp(`\\b${table}\\s+\\d+ rows`), copied.stdout);
    assert.match(copied.stdout, /Copied \d+ rows in 20 tables in [\d.]+ s/);

    // Every table, row by row. The ones a while of use fills must not be empty.
    for (const table of Object.keys(TABLES)) {
      const columns = sqliteColumns(db, table);
      const source = sqliteRows(db, table, columns);
      assert.deepEqual(pgRows(target, table, columns), source, `table ${table} differs`);
      assert.ok(source.length > 0, `the test left ${table} empty`);
    }
    // Contacts stayed sealed: the copy holds no clear phone number.
    assert.equal(psql(target, `SELECT count(*) FROM customers WHERE phone LIKE '%${PHONE}%'`).trim(), '0');

    // The service on the copy, with the same key: the same answers, and new
    // rows get new ids (the sequences were moved past the copied ones).
    const pgConfig = { ...sqliteConfig, storage: { engine: 'postgres', url: target, contacts_key_file: `${db}.key` } };
    fs.writeFileSync(configFile, JSON.stringify(pgConfig, null, 2));
    server = await startServer(dir, configFile);
    assert.equal((await chat(server.base, 'maria', 'history Zenith')).text, before.history);
    assert.equal((await chat(server.base, 'maria', 'who Zenith')).text, before.who);
    assert.equal((await chat(server.base, 'maria', 'customers')).text, before.customers);
    const calendar = await fetch(feed.replace(/^https?:\/\/[^/]+/, server.base), { signal: AbortSignal.timeout(10000) });
    assert.equal(calendar.status, 200, 'the calendar feed answers on the copy');
    assert.match(await calendar.text(), /Zenith Corp/);
    const maxCustomer = Number(psql(target, 'SELECT max(id) FROM customers').trim());
    assert.match((await chat(server.base, 'maria', 'customer add Beta Ltd tier=B stage=lead')).text, /Beta/);
    assert.equal(psql(target, "SELECT id FROM customers WHERE name = 'Beta Ltd'").trim(), String(maxCustomer + 1));
    assert.deepEqual(await server.stop(5000), { code: 0, signal: null });

    // Again into the same, now non-empty, database: refused, nothing written.
    const counts = () => Object.keys(TABLES).map((tb) => psql(target, `SELECT count(*) FROM ${tb}`).trim()).join(',');
    const was = counts();
    const again = migrate(db, target);
    assert.notEqual(again.status, 0, again.stdout);
    assert.match(again.stderr, /not empty.*nothing was written/);
    assert.equal(counts(), was);
  });
