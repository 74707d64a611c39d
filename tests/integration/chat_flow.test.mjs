// End-to-end test of followupd's web chat HTTP API against the real binary.
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test integration/
//
// Starts `followupd run --config <tmp>/config.json --port-file <tmp>/port` on a free
// loopback port with a fresh SQLite file, drives it over HTTP, stops it with SIGTERM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SKIP, auth, chat, messages, rawPost, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const aboutTask = (id) => (m) => Array.isArray(m.tasks) && m.tasks.map(Number).includes(id);
const mentions = (text, id) => new RegExp(`#${id}(?!\\d)`).test(text);

test('follow-up flow: add, schedule, reminder, done with next step, history, restart without refiring',
  { skip: SKIP, timeout: 90000 }, async (t) => {
    const dir = tempDir(t);
    const configFile = writeConfig(dir);
    let server = await startServer(dir, configFile);
    t.after(() => server.kill());

    const health = await fetch(`${server.base}/healthz`);
    assert.equal(health.status, 200);
    // Signed in, the list of users is yourself alone.
    const users = await (await fetch(`${server.base}/api/users`, { headers: await auth(server.base, 'maria') })).json();
    assert.deepEqual(users.users.map((u) => u.handle), ['maria']);

    const added = await chat(server.base, 'maria', 'customer add Acme Corp tier=A stage=lead');
    assert.match(added.text, /Acme/, added.text);

    const scheduled = await chat(server.base, 'maria', 'followup Acme in 2s call about the quote');
    const m = /#(\d+)/.exec(scheduled.text);
    assert.ok(m, `no task id (#N) in: ${scheduled.text}`);
    const id = Number(m[1]);

    // The reminder is pushed within a few seconds.
    let reminder;
    const deadline = Date.now() + 15000;
    while (!reminder && Date.now() < deadline) {
      reminder = (await messages(server.base, 'maria', 0)).find((x) => x.kind === 'reminder' && aboutTask(id)(x));
      if (!reminder) await sleep(250);
    }
    assert.ok(reminder, `no reminder for task #${id} within 15 s; messages: ${JSON.stringify(await messages(server.base, 'maria', 0))}`);
    assert.equal(typeof reminder.id, 'number');
    assert.equal(typeof reminder.text, 'string');
    assert.match(reminder.text, /Acme/, reminder.text);
    assert.ok(!Number.isNaN(Date.parse(reminder.created_at)), `created_at ${reminder.created_at}`);
    const commands = (reminder.buttons || []).map((b) => b.command);
    for (const want of [`done ${id}`, `snooze ${id} 1h`, `snooze ${id} tomorrow 9:00`]) {
      assert.ok(commands.includes(want), `reminder buttons ${JSON.stringify(reminder.buttons)} lack "${want}"`);
    }
    for (const b of reminder.buttons) assert.ok(typeof b.label === 'string' && b.label.length > 0, JSON.stringify(b));

    const done = await chat(server.base, 'maria', `done ${id} reached interested next tomorrow 10am`);
    assert.ok(mentions(done.text, id) || new RegExp(`\\b${id}\\b`).test(done.text), `done reply lacks #${id}: ${done.text}`);
    const next = [...done.text.matchAll(/#(\d+)/g)].map((x) => Number(x[1])).filter((n) => n !== id);
    assert.ok(next.length > 0, `done reply names no new task #N: ${done.text}`);

    const hist = await chat(server.base, 'maria', 'history Acme');
    assert.match(hist.text, /reached|已接通/i, hist.text);
    assert.match(hist.text, /interested|有意向/i, hist.text);

    const today = await chat(server.base, 'maria', 'today');
    assert.ok(!mentions(today.text, id), `today still lists the done task #${id}: ${today.text}`);

    // Clean stop, then the same DB again.
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, `SIGTERM exit ${JSON.stringify(exit)}:\n${server.output()}`);

    server = await startServer(dir, configFile);
    const hist2 = await chat(server.base, 'maria', 'history Acme');
    assert.match(hist2.text, /reached|已接通/i, hist2.text);
    assert.match(hist2.text, /interested|有意向/i, hist2.text);

    // Nothing fires twice: the done task keeps its one reminder.
    const before = (await messages(server.base, 'maria', 0)).filter(aboutTask(id));
    assert.equal(before.length, 1, `messages about #${id} after restart: ${JSON.stringify(before)}`);
    await sleep(4000);
    const after = (await messages(server.base, 'maria', 0)).filter(aboutTask(id));
    assert.equal(after.length, 1, `task #${id} fired again: ${JSON.stringify(after)}`);

    const exit2 = await server.stop();
    assert.deepEqual(exit2, { code: 0, signal: null }, `second SIGTERM exit ${JSON.stringify(exit2)}`);
  });

test('bad input: malformed JSON, missing fields, strangers, oversized bodies, typos, role checks',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const server = await startServer(dir, writeConfig(dir));
    t.after(() => server.kill());
    const { base } = server;

    const as = await auth(base, 'maria');
    const bad = await rawPost(base, '/api/chat', '{"user":"maria","text":', as);
    assert.equal(bad.status, 400, `malformed JSON -> ${bad.status} ${bad.body}`);
    assert.match(String(bad.headers['content-type']), /json/);
    assert.equal(typeof JSON.parse(bad.body).error, 'string', bad.body);

    const missing = await rawPost(base, '/api/chat', JSON.stringify({ user: 'maria' }), as);
    assert.equal(missing.status, 400, `missing text -> ${missing.status} ${missing.body}`);
    assert.equal(typeof JSON.parse(missing.body).error, 'string', missing.body);

    // Someone not in the config cannot even ask for a sign-in code.
    const stranger = await rawPost(base, '/api/sign-in/code', JSON.stringify({ handle: 'nobody' }));
    assert.equal(stranger.status, 404, stranger.body);
    assert.match(JSON.parse(stranger.body).error, /no such user: nobody/);

    const huge = JSON.stringify({ user: 'maria', text: 'x'.repeat((1 << 20) + 1024) });
    const big = await rawPost(base, '/api/chat', huge, as);
    assert.equal(big.status, 413, `oversized body -> ${big.status}`);

    const typo = await chat(base, 'maria', 'tday');
    assert.match(typo.text, /\btoday\b/, typo.text);

    const refused = await chat(base, 'wang', 'team');
    assert.ok(refused.text.trim().length > 0, 'empty refusal');
    assert.match(refused.text, /manager|主管|经理|only|只有|仅|权限|not allowed|无权|permission/i, refused.text);
    assert.doesNotMatch(refused.text, /Maria/, `a rep sees team figures: ${refused.text}`);

    const notFound = await fetch(`${base}/api/nope`, { headers: as });
    assert.equal(notFound.status, 404);
    const wrongMethod = await fetch(`${base}/api/chat`, { headers: as });
    assert.equal(wrongMethod.status, 405);

    // still alive and well after all that
    const ok = await chat(base, 'maria', 'help');
    assert.ok(ok.text.length > 0);
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null });
  });
