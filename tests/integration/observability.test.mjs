// Logs and metrics against the real binary: log.format "json" gives one JSON
// object a line, with an access line per request whose path keeps no query
// (where tokens go); X-Request-Id; and /metrics passes Prometheus' own
// `promtool check metrics`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { SKIP, auth, chat, messages, sleep, startServer, tempDir, writeConfig, DEFAULT_USERS } from '../lib/followupd.mjs';

const hasPromtool = spawnSync('promtool', ['--version'], { encoding: 'utf8' }).status === 0;

test('log.format json: every line is a JSON object; access lines without query strings; X-Request-Id',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const server = await startServer(dir, writeConfig(dir, DEFAULT_USERS, { log: { format: 'json' } }));
    t.after(() => server.kill());
    await chat(server.base, 'maria', 'customer add "Json Logs" phone=+86 138 0000 1111');
    const res = await fetch(`${server.base}/api/messages?user=maria&after=0&token=sekret-in-query`, {
      headers: { ...await auth(server.base, 'maria'), 'X-Request-Id': 'lb-abc.123' },
    });
    assert.equal(res.headers.get('x-request-id'), 'lb-abc.123');
    const own = await fetch(`${server.base}/healthz`, { headers: { 'X-Request-Id': 'bad id with blanks' } });
    assert.match(own.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
    assert.equal((await server.stop()).code, 0);

    const lines = server.output().split('\n').filter((l) => l.trim() && !l.startsWith('followupd listening on'));
    const entries = lines.map((l) => {
      try { return JSON.parse(l); } catch { assert.fail(`not a JSON line: ${l}`); }
      return null;
    });
    for (const e of entries) {
      assert.match(e.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, JSON.stringify(e));
      assert.ok(['trace', 'debug', 'info', 'warning', 'error', 'critical'].includes(e.level), JSON.stringify(e));
    }
    assert.ok(entries.some((e) => e.logger !== 'access' && /listening/.test(e.message)));
    const access = entries.filter((e) => e.logger === 'access');
    const chatLine = access.find((e) => e.path === '/api/chat');
    assert.ok(chatLine, JSON.stringify(access));
    assert.equal(chatLine.method, 'POST');
    assert.equal(chatLine.status, 200);
    assert.equal(typeof chatLine.duration_ms, 'number');
    assert.ok(chatLine.bytes_in > 0 && chatLine.bytes_out > 0);
    assert.equal(chatLine.remote, '127.0.0.1');
    const messagesLine = access.find((e) => e.path === '/api/messages');
    assert.equal(messagesLine.request_id, 'lb-abc.123');
    // Neither the query's token nor a customer's phone is logged.
    assert.doesNotMatch(server.output(), /sekret-in-query/);
    assert.doesNotMatch(server.output(), /138 0000 1111/);
  });

test('log.access false: no access lines; the text format keeps its usual lines', { skip: SKIP, timeout: 60000 }, async (t) => {
  const dir = tempDir(t);
  const server = await startServer(dir, writeConfig(dir, DEFAULT_USERS, { log: { access: false } }));
  t.after(() => server.kill());
  await fetch(`${server.base}/healthz`);
  assert.equal((await server.stop()).code, 0);
  assert.doesNotMatch(server.output(), /\[access\]/);
  assert.match(server.output(), /\[info\] followupd listening/);

  const dir2 = tempDir(t);
  const server2 = await startServer(dir2, writeConfig(dir2));
  t.after(() => server2.kill());
  await fetch(`${server2.base}/healthz`);
  assert.equal((await server2.stop()).code, 0);
  assert.match(server2.output(), /\[access\] GET \/healthz 200 [\d.]+ms in=0 out=\d+ remote=127\.0\.0\.1 id=[0-9a-f]{16}/);
});

test('/metrics: requests by route and status, storage groups, scheduler lag, build and process; promtool check metrics passes',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const server = await startServer(dir, writeConfig(dir));
    t.after(() => server.kill());
    await chat(server.base, 'maria', 'customer add Metrics AG');
    await chat(server.base, 'maria', 'followup Metrics in 1s call');
    const deadline = Date.now() + 15000;
    while (Date.now() < deadline && !(await messages(server.base, 'maria', 0)).some((m) => m.kind === 'reminder')) await sleep(200);
    await fetch(`${server.base}/api/v1/customers/12`);  // 401: no token
    await fetch(`${server.base}/no/such/path`);
    const text = await (await fetch(`${server.base}/metrics`)).text();

    assert.match(text, /followupd_http_request_duration_seconds_bucket\{route="\/api\/chat",status="200",le="\+Inf"\} [1-9]/);
    assert.match(text, /followupd_http_request_duration_seconds_count\{route="\/api\/v1\/customers",status="401"\} 1/);
    assert.match(text, /followupd_http_request_duration_seconds_count\{route="other",status="404"\} 1/);
    assert.match(text, /followupd_storage_group_duration_seconds_count [1-9]/);
    assert.match(text, /followupd_storage_pieces_total [1-9]/);
    assert.match(text, /followupd_scheduler_lag_seconds_count [1-9]/);
    assert.match(text, /followupd_commands_total\{command="customer add",result="ok"\} 1\n/);
    assert.match(text, /followupd_commands_total\{command="followup",result="ok"\} 1\n/);
    assert.match(text, /followupd_build_info\{version="\d+\.\d+\.\d+"\} 1/);
    // Alone on its database (SQLite, or the only instance on PostgreSQL): it leads, at the platforms' whole rate.
    assert.match(text, /^followupd_leader 1$/m);
    assert.match(text, /^followupd_instances 1$/m);
    assert.match(text, /process_resident_memory_bytes [1-9]\d+/);
    assert.match(text, /process_open_fds [1-9]/);
    assert.match(text, /process_cpu_seconds_total \d/);

    if (!hasPromtool) {
      // scripts/test installs it (Debian package prometheus) and requires it.
      assert.notEqual(process.env.FU_TEST_REQUIRE_TOOLS, '1', 'promtool is required (FU_TEST_REQUIRE_TOOLS=1)');
      t.diagnostic('promtool is not installed (Debian package prometheus): the format check is skipped');
      return;
    }
    const check = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    assert.equal(check.status, 0, `promtool check metrics:\n${check.stdout}${check.stderr}`);
    assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'promtool reported lint problems');
  });
