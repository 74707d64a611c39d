// Several followupd instances on one PostgreSQL database (README, "Running
// several instances"): due reminders are claimed by the instance whose
// transaction fires them, so each is sent once, and an instance killed with
// SIGKILL leaves the rest to the others. Needs the throwaway server that
// scripts/test starts (FU_TEST_PG_URL).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { DEFAULT_USERS, SKIP, pgDatabase, rawPost, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';
import { TelegramEmulator } from '../peers/telegram_emulator.mjs';

const skip = SKIP || (process.env.FU_TEST_PG_URL ? false : 'FU_TEST_PG_URL is not set (scripts/test starts a PostgreSQL server)');

const REPS = Array.from({ length: 10 }, (_, i) => ({
  handle: `rep${i}`, name: `Rep ${i}`, role: 'rep', team: 'East Sales', lang: 'en', time_zone: 'Asia/Shanghai',
}));
const FOLLOWUPS = 1000;

function psql(url, sql) {
  return execFileSync('psql', [url, '-At', '-q', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' }).trim();
}

// Two config files (each instance writes its port file in its own folder) on one database and one key.
function twoConfigs(dir, users = REPS, extra = {}) {
  const storage = pgDatabase(dir);
  const configs = ['a', 'b'].map((name) => {
    const own = path.join(dir, name);
    fs.mkdirSync(own);
    return { dir: own, file: writeConfig(own, users, { storage, ...extra }) };
  });
  return { storage, configs };
}

test('two instances on one PostgreSQL: 1,000 follow-ups due together are each reminded once, though one is killed',
  { skip, timeout: 120000 }, async (t) => {
    const dir = tempDir(t, 'followupd-instances-');
    const { storage, configs } = twoConfigs(dir);

    // One start makes the schema and the users; then 1,000 follow-ups, due
    // over five seconds from t0, are written behind the instances' backs.
    const first = await startServer(configs[0].dir, configs[0].file);
    assert.equal((await first.stop()).code, 0);
    const t0 = Math.floor(Date.now() / 1000) + 4;
    psql(storage.url, `
      INSERT INTO customers (name, tier, stage, created_at, owner_id, team_id)
        SELECT 'Customer ' || g, 'A', 'lead', ${t0 - 60}, u.id, u.team_id
        FROM generate_series(0, ${FOLLOWUPS - 1}) g JOIN users u ON u.handle = 'rep' || (g % 10);
      INSERT INTO tasks (customer_id, assignee_id, due, method, topic, priority, status, origin, created_at, remind_at)
        SELECT id, owner_id, ${t0} + id % 5, 'call', 'check in', 'normal', 'open', 'manual', ${t0 - 60}, ${t0} + id % 5
        FROM customers;`);
    assert.equal(psql(storage.url, 'SELECT count(*) FROM tasks WHERE remind_at IS NOT NULL'), String(FOLLOWUPS));

    const a = await startServer(configs[0].dir, configs[0].file);
    const b = await startServer(configs[1].dir, configs[1].file);
    t.after(() => { a.kill(); b.kill(); });

    // A dies without a word in the middle of the five seconds; B goes on.
    const fired = () => Number(psql(storage.url, 'SELECT count(*) FROM tasks WHERE ladder_step > 0'));
    while (Date.now() / 1000 < t0 + 2.2) await sleep(50);
    a.kill();
    const firedBeforeKill = fired();
    const deadline = Date.now() + 30000;
    while (fired() < FOLLOWUPS && Date.now() < deadline) await sleep(200);
    assert.equal(fired(), FOLLOWUPS, 'every follow-up got its reminder');

    // Each follow-up is in exactly one reminder message (a rep's follow-ups due
    // together come as one list).
    const lists = psql(storage.url, "SELECT task_ids FROM outbox WHERE kind IN ('reminder', 'catch_up')").split('\n');
    const times = new Map();
    for (const list of lists) for (const id of list.split(',')) times.set(id, (times.get(id) ?? 0) + 1);
    assert.equal(times.size, FOLLOWUPS);
    const twice = [...times].filter(([, n]) => n !== 1);
    assert.deepEqual(twice, [], 'a follow-up reminded more than once');

    // Both instances fired some: the work was shared, and B took over.
    assert.match(a.output(), /delivered reminders/, a.output());
    assert.match(b.output(), /delivered reminders/, b.output());
    assert.ok(firedBeforeKill > 0 && firedBeforeKill < FOLLOWUPS, `fired before the kill: ${firedBeforeKill}`);
    t.diagnostic(`fired before the kill: ${firedBeforeKill}; reminder messages: ${lists.length}`);
    assert.equal((await b.stop()).code, 0);
  });

test('two instances: a webhook retried to the other instance is processed once, its reply sent once',
  { skip, timeout: 60000 }, async (t) => {
    const TOKEN = '123456:TEST-instances';
    const SECRET = 'instances-secret_1';
    const MARIA = 4242;
    const emu = await TelegramEmulator.start({ token: TOKEN });
    t.after(() => emu.stop());
    const users = DEFAULT_USERS.map((u) => (u.handle === 'maria'
      ? { ...u, identities: { telegram: String(MARIA) }, notify: 'telegram' } : u));
    const dir = tempDir(t, 'followupd-instances-');
    const telegram = { enabled: true, token: TOKEN, api_base: emu.base, mode: 'webhook', secret_token: SECRET };
    const { storage, configs } = twoConfigs(dir, users, { telegram });
    const a = await startServer(configs[0].dir, configs[0].file);
    const b = await startServer(configs[1].dir, configs[1].file);
    t.after(() => { a.kill(); b.kill(); });

    // The platform's retry of an update lands on the other instance (a load
    // balancer in front): the update id is seen once, in the shared database.
    const update = JSON.stringify({
      update_id: 777001,
      message: { message_id: 1, date: Math.floor(Date.now() / 1000), from: { id: MARIA, first_name: 'Maria' },
        chat: { id: MARIA, type: 'private' }, text: 'customer add Initech' },
    });
    const headers = { 'X-Telegram-Bot-Api-Secret-Token': SECRET };
    const [first, retry] = await Promise.all([
      rawPost(a.base, '/hooks/telegram', update, headers),
      rawPost(b.base, '/hooks/telegram', update, headers),
    ]);
    assert.equal(first.status, 200, first.body);
    assert.equal(retry.status, 200, retry.body);
    assert.equal(psql(storage.url, "SELECT count(*) FROM customers WHERE name = 'Initech'"), '1');

    // Its reply is sent by one instance's sender, once (both run one for Telegram).
    const reply = await emu.waitFor(() => emu.botMessages(MARIA).find((m) => /Initech/.test(m.text)), 10000, 'the reply');
    assert.ok(reply);
    await sleep(1500);
    const replies = emu.botMessages(MARIA).filter((m) => /Initech/.test(m.text));
    assert.equal(replies.length, 1, JSON.stringify(emu.botMessages(MARIA)));
    assert.equal(psql(storage.url, "SELECT count(*) FROM deliveries WHERE platform = 'telegram' AND status = 'sent'"), '1');
  });
