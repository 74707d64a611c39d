// /healthz and /readyz against the real binary: ready when all is well; not
// ready, saying which check failed, while the database is locked by another
// process or a platform's sends keep failing; /healthz stays 200 throughout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { DEFAULT_USERS, ENGINE, SKIP, chat, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

async function get(base, p) {
  const res = await fetch(`${base}${p}`, { signal: AbortSignal.timeout(10000) });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() };
}

async function until(probe, ms, what) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last.ok) return last.value;
    await sleep(200);
  }
  throw new Error(`${what} within ${ms} ms; last: ${JSON.stringify(last?.value)}`);
}

test('readyz: ready after start, each check named; healthz is JSON', { skip: SKIP, timeout: 60000 }, async (t) => {
  const dir = tempDir(t);
  const server = await startServer(dir, writeConfig(dir));
  t.after(() => server.kill());

  const live = await get(server.base, '/healthz');
  assert.equal(live.status, 200);
  assert.match(live.type, /application\/json/);
  assert.deepEqual(live.body, { status: 'ok' });

  const ready = await until(async () => {
    const r = await get(server.base, '/readyz');
    return { ok: r.status === 200, value: r };
  }, 10000, '/readyz was not 200');
  assert.equal(ready.body.status, 'ready');
  for (const name of ['database', 'schema', 'scheduler', 'platforms']) {
    assert.equal(ready.body.checks[name]?.ok, true, `${name}: ${JSON.stringify(ready.body.checks[name])}`);
  }
  assert.equal(ready.body.checks.schema.version, ready.body.checks.schema.expected);
  assert.ok(ready.body.checks.schema.version > 0);

  const post = await fetch(`${server.base}/readyz`, { method: 'POST' });
  assert.equal(post.status, 405);
  assert.equal((await server.stop()).code, 0);
});

test('readyz: 503 naming the database while another process holds it locked, ready again after',
  { skip: SKIP || (ENGINE !== 'sqlite' && 'the lock is taken with the sqlite3 command line'), timeout: 90000 }, async (t) => {
    const dir = tempDir(t);
    const server = await startServer(dir, writeConfig(dir));
    t.after(() => server.kill());
    await until(async () => ({ ok: (await get(server.base, '/readyz')).status === 200 }), 10000, 'not ready');

    // An exclusive transaction held open by another process: followupd's
    // storage thread waits for the lock (its busy timeout), so the probe
    // misses its 2-second deadline or reports the lock.
    const locker = spawn('sqlite3', [path.join(dir, 't.db')], { stdio: ['pipe', 'pipe', 'pipe'] });
    t.after(() => { if (locker.exitCode === null) locker.kill('SIGKILL'); });
    locker.stdin.write('BEGIN EXCLUSIVE;\nSELECT \'locked\';\n');
    await new Promise((resolve, reject) => {
      locker.stdout.on('data', (d) => { if (String(d).includes('locked')) resolve(); });
      locker.on('exit', (code) => reject(new Error(`sqlite3 exited ${code}`)));
    });

    const started = Date.now();
    const notReady = await get(server.base, '/readyz');
    assert.ok(Date.now() - started < 8000, `/readyz took ${Date.now() - started} ms`);
    assert.equal(notReady.status, 503, JSON.stringify(notReady.body));
    assert.equal(notReady.body.status, 'not ready');
    assert.equal(notReady.body.checks.database.ok, false);
    assert.match(notReady.body.checks.database.error, /no answer within 2000 ms|locked|busy/i);
    assert.equal(notReady.body.checks.schema.ok, false);
    // Alive all the same: nothing should restart a process for its database.
    assert.equal((await get(server.base, '/healthz')).status, 200);

    locker.stdin.end('COMMIT;\n');
    await until(async () => {
      const r = await get(server.base, '/readyz');
      return { ok: r.status === 200, value: r.body };
    }, 20000, 'not ready again after the lock was released');
    // Nothing was lost meanwhile: a command after the lock works.
    const added = await chat(server.base, 'maria', 'customer add Lockfree GmbH');
    assert.match(added.text, /Lockfree/);
  });

test('readyz: 503 naming the platform once its sends have failed longer than health.platform_failing_s',
  { skip: SKIP, timeout: 90000 }, async (t) => {
    const dir = tempDir(t);
    const users = DEFAULT_USERS.map((u) => (u.handle === 'maria'
      ? { ...u, identities: { telegram: '777000' }, notify: 'telegram' } : u));
    // Port 9 (discard) refuses the connection: every send is retried.
    const telegram = { enabled: true, token: '123:abc', api_base: 'http://127.0.0.1:9', mode: 'webhook', secret_token: 'health-secret' };
    const server = await startServer(dir, writeConfig(dir, users, { telegram, health: { platform_failing_s: 1 } }));
    t.after(() => server.kill());
    await until(async () => ({ ok: (await get(server.base, '/readyz')).status === 200 }), 10000, 'not ready');

    await chat(server.base, 'maria', 'customer add Unsent AG');
    await chat(server.base, 'maria', 'followup Unsent in 1s call back');
    const body = await until(async () => {
      const r = await get(server.base, '/readyz');
      return { ok: r.status === 503, value: r.body };
    }, 30000, '/readyz was not 503');
    assert.equal(body.checks.platforms.ok, false);
    assert.equal(body.checks.platforms.failing.telegram.too_long, true, JSON.stringify(body.checks.platforms));
    assert.ok(body.checks.platforms.failing.telegram.failing_for_s >= 1);
    assert.equal(body.checks.database.ok, true);
    assert.equal((await get(server.base, '/healthz')).status, 200);

    const metrics = await (await fetch(`${server.base}/metrics`)).text();
    assert.match(metrics, /followupd_platform_failing_since_seconds\{platform="telegram"\} [1-9]\d+/);
  });
