// Several followupd instances on one PostgreSQL database (README, "Running
// several instances"): due reminders are claimed by the instance whose
// transaction fires them, so each is sent once, and an instance killed with
// SIGKILL leaves the rest to the others. Needs the throwaway server that
// scripts/test starts (FU_TEST_PG_URL).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import test from 'node:test';

import {
  DEFAULT_USERS, PG_SKIP, auth, chat, pgDatabase, rawPost, sameDatabase, sleep, startServer, tempDir, writeConfig,
} from '../lib/followupd.mjs';
import { FeishuApi } from '../peers/feishu_api.mjs';
import { TelegramEmulator } from '../peers/telegram_emulator.mjs';

const skip = PG_SKIP;

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

    // A was killed in the middle, and B finished the rest. (Which instance
    // fires a second's reminders is a race between their timers: A may or may
    // not have won one before it died.)
    assert.ok(firedBeforeKill > 0 && firedBeforeKill < FOLLOWUPS, `fired before the kill: ${firedBeforeKill}`);
    assert.match(b.output(), /delivered reminders/, b.output());
    t.diagnostic(`fired before the kill: ${firedBeforeKill}; reminder messages: ${lists.length}; ` +
      `A fired some: ${/delivered reminders/.test(a.output())}`);
    assert.equal((await b.stop()).code, 0);
  });

// Two instances with Telegram (webhook mode) against a telegram-test-api of
// their own, Maria linked there as `maria` (notify: telegram); both stopped
// after the test. `update(id, text)` is a webhook body from Maria.
async function twoTelegramInstances(t, token, secret, maria) {
  const emu = await TelegramEmulator.start({ token });
  t.after(() => emu.stop());
  const users = DEFAULT_USERS.map((u) => (u.handle === 'maria'
    ? { ...u, identities: { telegram: String(maria) }, notify: 'telegram' } : u));
  const dir = tempDir(t, 'followupd-instances-');
  const telegram = { enabled: true, token, api_base: emu.base, mode: 'webhook', secret_token: secret };
  const { storage, configs } = twoConfigs(dir, users, { telegram });
  const a = await startServer(configs[0].dir, configs[0].file);
  const b = await startServer(configs[1].dir, configs[1].file);
  t.after(() => { a.kill(); b.kill(); });
  const update = (id, text) => JSON.stringify({
    update_id: id,
    message: { message_id: id % 100000, date: Math.floor(Date.now() / 1000), from: { id: maria, first_name: 'Maria' },
      chat: { id: maria, type: 'private' }, text },
  });
  return { emu, a, b, storage, update, headers: { 'X-Telegram-Bot-Api-Secret-Token': secret } };
}

test('two instances: a webhook retried to the other instance is processed once, its reply sent once',
  { skip, timeout: 60000 }, async (t) => {
    const MARIA = 4242;
    const { emu, a, b, storage, update, headers } =
      await twoTelegramInstances(t, '123456:TEST-instances', 'instances-secret_1', MARIA);

    // The platform's retry of an update lands on the other instance (a load
    // balancer in front): the update id is seen once, in the shared database.
    const body = update(777001, 'customer add Initech');
    const [first, retry] = await Promise.all([
      rawPost(a.base, '/hooks/telegram', body, headers),
      rawPost(b.base, '/hooks/telegram', body, headers),
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

test('two instances: replies to one chat from both keep to Telegram\'s one message a second per chat',
  { skip, timeout: 60000 }, async (t) => {
    const MARIA = 4343;
    const { emu, a, b, update, headers } =
      await twoTelegramInstances(t, '123456:TEST-chat-turns', 'chat-turns-secret_1', MARIA);

    // Maria sends 8 commands at once, half of them through each instance:
    // each has replies to send to her one chat.
    const COMMANDS = 8;
    const answers = await Promise.all(Array.from({ length: COMMANDS }, (_, i) => rawPost(
      [a, b][i % 2].base, '/hooks/telegram', update(778000 + i, `customer add Turn ${i}`), headers)));
    for (const r of answers) assert.equal(r.status, 200, r.body);
    const toMaria = () => emu.calls.filter((c) => c.method === 'sendMessage' && String(c.body?.chat_id) === String(MARIA));
    await emu.waitFor(() => toMaria().length >= COMMANDS, 30000, 'the replies');
    await sleep(1500);  // a send too many would come now
    const times = toMaria().map((c) => c.at).sort((x, y) => x - y);
    assert.equal(times.length, COMMANDS, 'one reply per command');
    const gaps = times.slice(1).map((at, i) => at - times[i]);
    t.diagnostic(`gaps between sends to the chat: ${gaps.join(', ')} ms`);
    // Both instances' senders together kept to the chat's pace (a send's way
    // over loopback may take a little of the next one's second).
    for (const gap of gaps) assert.ok(gap >= 700, `two sends to one chat ${gap} ms apart: ${gaps.join(', ')}`);
  });

// nginx on a free loopback port, round robin over `ports`; stopped by its PID after the test.
async function startNginx(t, dir, ports) {
  const nginx = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));
  assert.ok(nginx, 'nginx is not installed (scripts/test installs it)');
  const net = await import('node:net');
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
  const conf = path.join(dir, 'nginx.conf');
  fs.writeFileSync(conf, `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream fu { ${ports.map((p) => `server 127.0.0.1:${p} max_fails=1 fail_timeout=1s;`).join(' ')} }
  server {
    listen 127.0.0.1:${port};
    location / { proxy_pass http://fu; proxy_http_version 1.1; proxy_set_header Connection ""; }
    # Webhooks are deduplicated by their event id: safe to send again to the other instance.
    location /hooks/ { proxy_pass http://fu; proxy_http_version 1.1; proxy_set_header Connection "";
                       proxy_next_upstream error timeout http_502 non_idempotent; }
  }
}`);
  const { spawn } = await import('node:child_process');
  const proc = spawn(nginx, ['-p', dir, '-c', conf, '-e', path.join(dir, 'nginx-error.log'), '-g', 'daemon off;'],
    { stdio: 'ignore' });
  t.after(() => proc.kill('SIGTERM'));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(500) }); return base; } catch { await sleep(50); }
  }
  throw new Error(`nginx did not start: ${fs.readFileSync(path.join(dir, 'nginx-error.log'), 'utf8')}`);
}

test('two instances behind nginx: chat and webhooks keep working while one is stopped and started again',
  { skip, timeout: 90000 }, async (t) => {
    const TOKEN = '123456:TEST-balanced';
    const SECRET = 'balanced-secret_1';
    const MARIA = 4343;
    const users = DEFAULT_USERS.map((u) => (u.handle === 'maria'
      ? { ...u, identities: { telegram: String(MARIA) }, notify: 'telegram' } : u));
    const dir = tempDir(t, 'followupd-balanced-');
    // Telegram's send API is a closed port: replies wait in the outbox, which is not what is tested here.
    const telegram = { enabled: true, token: TOKEN, api_base: 'http://127.0.0.1:9', mode: 'webhook', secret_token: SECRET };
    const { storage, configs } = twoConfigs(dir, users, { telegram });
    let a = await startServer(configs[0].dir, configs[0].file);
    const b = await startServer(configs[1].dir, configs[1].file);
    t.after(() => { a.kill(); b.kill(); });
    const lb = await startNginx(t, dir, [a.port, b.port]);
    sameDatabase(lb, a.base);  // a session made on one instance holds on both

    let updates = 0;
    const webhook = () => rawPost(lb, '/hooks/telegram', JSON.stringify({
      update_id: 880000 + ++updates,
      message: { message_id: updates, date: Math.floor(Date.now() / 1000), from: { id: MARIA, first_name: 'Maria' },
        chat: { id: MARIA, type: 'private' }, text: `customer add Balanced ${updates}` },
    }), { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
    // Traffic through nginx, all the while: web chat and webhooks, each must succeed.
    let stop = false;
    const failures = [];
    let chats = 0;
    const traffic = (async () => {
      while (!stop) {
        const [reply, hook] = await Promise.allSettled([chat(lb, 'wang', 'today'), webhook()]);
        if (reply.status !== 'fulfilled') failures.push(`chat: ${reply.reason}`);
        else chats++;
        if (hook.status !== 'fulfilled' || hook.value.status !== 200) {
          failures.push(`webhook: ${hook.reason ?? hook.value.status}`);
        }
        await sleep(20);
      }
    })();

    await sleep(1000);
    assert.equal((await a.stop()).code, 0, 'instance A stops cleanly');
    await sleep(1500);  // B alone
    // A comes back on its own port, with the same database.
    const again = writeConfig(configs[0].dir, users, { storage, telegram, server: { port: a.port } });
    a = await startServer(configs[0].dir, again);
    await sleep(1500);
    stop = true;
    await traffic;

    assert.deepEqual(failures, [], 'requests through the load balancer failed');
    assert.ok(chats > 20 && updates > 20, `traffic: ${chats} chats, ${updates} webhooks`);
    // Every update through the balancer was processed once, whichever instance took it.
    assert.equal(psql(storage.url, "SELECT count(*) FROM customers WHERE name LIKE 'Balanced %'"), String(updates));
    assert.equal(psql(storage.url, "SELECT count(*) FROM seen_events WHERE platform = 'telegram'"), String(updates));
    t.diagnostic(`${chats} chats and ${updates} webhooks through nginx while A was stopped and started`);
  });

test('two instances: a message made on one reaches a live stream held by the other at once',
  { skip, timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-instances-');
    const { configs } = twoConfigs(dir, DEFAULT_USERS);
    const a = await startServer(configs[0].dir, configs[0].file);
    const b = await startServer(configs[1].dir, configs[1].file);
    t.after(() => { a.kill(); b.kill(); });

    // Wang's live stream is on B; the stream's own re-read comes only every 15 s.
    const abort = new AbortController();
    t.after(() => abort.abort());
    const res = await fetch(`${b.base}/api/events?user=wang`, { headers: await auth(b.base, 'wang'), signal: abort.signal });
    assert.equal(res.status, 200);
    const reader = res.body.getReader();
    let seen = '';
    const arrived = (async () => {
      const decoder = new TextDecoder();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return false;
        seen += decoder.decode(value, { stream: true });
        if (seen.includes('Streamed Ltd')) return true;
      }
    })();
    await sleep(500);  // the stream is open and has read what was there

    // On A, the manager hands a customer to wang: wang is told, in a message of his outbox.
    assert.match((await chat(a.base, 'li', 'customer add Streamed Ltd')).text, /Streamed Ltd/);
    const started = Date.now();
    const reply = await chat(a.base, 'li', 'assign Streamed Ltd @wang');
    assert.match(reply.text, /Streamed Ltd/, reply.text);
    const within = await Promise.race([arrived, sleep(5000).then(() => false)]);
    assert.ok(within, `the stream on B did not get the message within 5 s; it got: ${seen}\nA: ${a.output()}\nB: ${b.output()}`);
    t.diagnostic(`reached the other instance's stream in ${Date.now() - started} ms`);
    abort.abort();
  });

test('two instances, Telegram: every reminder sent, and at most one sent twice when a sender is killed mid-way',
  { skip, timeout: 150000 }, async (t) => {
    const TOKEN = '123456:TEST-killed-sender';
    const emu = await TelegramEmulator.start({ token: TOKEN });
    t.after(() => emu.stop());
    const reps = Array.from({ length: 20 }, (_, i) => ({
      handle: `tg${i}`, name: `Rep ${i}`, role: 'rep', team: 'East Sales', lang: 'en', time_zone: 'Asia/Shanghai',
      identities: { telegram: String(5000 + i) }, notify: 'telegram',
    }));
    const dir = tempDir(t, 'followupd-instances-');
    const telegram = { enabled: true, token: TOKEN, api_base: emu.base, mode: 'webhook', secret_token: 'killed-secret_1' };
    const { storage, configs } = twoConfigs(dir, reps, { telegram });
    const first = await startServer(configs[0].dir, configs[0].file);
    const firstStop = await first.stop();
    assert.equal(firstStop.code, 0, `${JSON.stringify(firstStop)}: ${first.output()}`);
    // 200 follow-ups of 20 reps, due over four seconds: one reminder list per rep and second.
    const t0 = Math.floor(Date.now() / 1000) + 3;
    psql(storage.url, `
      INSERT INTO customers (name, tier, stage, created_at, owner_id, team_id)
        SELECT 'Customer ' || g, 'A', 'lead', ${t0 - 60}, u.id, u.team_id
        FROM generate_series(0, 199) g JOIN users u ON u.handle = 'tg' || (g % 20);
      INSERT INTO tasks (customer_id, assignee_id, due, method, topic, priority, status, origin, created_at, remind_at)
        SELECT id, owner_id, ${t0} + id % 4, 'call', 'check in', 'normal', 'open', 'manual', ${t0 - 60}, ${t0} + id % 4
        FROM customers;`);
    const a = await startServer(configs[0].dir, configs[0].file);
    const b = await startServer(configs[1].dir, configs[1].file);
    t.after(() => { a.kill(); b.kill(); });

    const sends = () => emu.calls.filter((c) => c.method === 'sendMessage').length;
    // A dies without a word once sending has begun.
    await emu.waitFor(() => sends() >= 5, 20000, 'the first sends');
    a.kill();
    const sentBeforeKill = sends();
    // The rest is sent by B; what A had claimed and not sent, once its claim (60 s) is over.
    const total = () => Number(psql(storage.url, "SELECT count(*) FROM deliveries WHERE platform = 'telegram'"));
    const pending = () => Number(psql(storage.url,
      "SELECT count(*) FROM deliveries WHERE platform = 'telegram' AND status <> 'sent'"));
    await sleep(5000);  // every follow-up due has fired
    const deadline = Date.now() + 100000;
    while (pending() > 0 && Date.now() < deadline) await sleep(500);
    assert.equal(pending(), 0, 'a reminder was never sent');
    await sleep(1000);
    const messages = total();
    const duplicates = sends() - messages;
    t.diagnostic(`${messages} reminder messages, ${sends()} sends (${sentBeforeKill} before the kill), ${duplicates} twice`);
    assert.ok(duplicates >= 0, `fewer sends (${sends()}) than messages (${messages})`);
    // One sender (Telegram's) was killed, with at most one send in flight.
    assert.ok(duplicates <= 1, `${duplicates} reminders sent twice`);
    assert.equal(psql(storage.url, 'SELECT count(*) FROM tasks WHERE ladder_step = 0'), '0');
  });

// One instance's way to the Feishu stand-in: tells which uuids that instance
// sent, and which of its sends still wait for their answer (so the test knows
// when a kill lands mid-send).
async function feishuRoute(t, upstream) {
  const route = { sent: [], waiting: new Set() };
  const server = http.createServer((req, res) => {
    res.on('error', () => {});  // the instance was killed while waiting
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      let uuid;
      if (req.method === 'POST' && req.url.startsWith('/open-apis/im/v1/messages')) {
        try { uuid = JSON.parse(body).uuid; } catch { /* the stand-in answers it */ }
      }
      if (uuid) { route.sent.push(uuid); route.waiting.add(uuid); }
      try {
        const headers = { 'Content-Type': req.headers['content-type'] ?? 'application/json' };
        if (req.headers.authorization) headers.Authorization = req.headers.authorization;
        const r = await fetch(upstream + req.url, { method: req.method, headers, body: body.length ? body : undefined });
        const text = await r.text();
        res.writeHead(r.status, { 'Content-Type': r.headers.get('content-type') ?? 'application/json' });
        res.end(text);
      } catch {
        res.destroy();
      } finally {
        if (uuid) route.waiting.delete(uuid);
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => { server.closeAllConnections(); server.close(); });
  route.base = `http://127.0.0.1:${server.address().port}`;
  return route;
}

test('two instances, Feishu: a sender killed mid-send, its message sent again with the same uuid, shown once',
  { skip, timeout: 60000 }, async (t) => {
    const APP_ID = 'cli_instances000001';
    const APP_SECRET = 'instances-APP-secret-1';
    const reps = Array.from({ length: 20 }, (_, i) => ({
      handle: `fs${i}`, name: `Rep ${i}`, role: 'rep', team: 'East Sales', lang: 'en', time_zone: 'Asia/Shanghai',
      identities: { feishu: `ou_rep${i}` }, notify: 'feishu',
    }));
    const api = await FeishuApi.start({ appId: APP_ID, appSecret: APP_SECRET,
      p2p: Object.fromEntries(reps.map((_, i) => [`ou_rep${i}`, `oc_rep${i}`])) });
    t.after(() => api.stop());
    // Every send is slow (150 ms between the platform taking it and its answer):
    // a kill while a send waits is one after Feishu has the message.
    api.delayMs = 150;
    const routes = [await feishuRoute(t, api.base), await feishuRoute(t, api.base)];
    const dir = tempDir(t, 'followupd-instances-');
    const feishu = (route) => ({ enabled: true, app_id: APP_ID, app_secret: APP_SECRET,
      encrypt_key: 'instances encrypt KEY', verification_token: 'instances-VT', api_base: route.base });
    const storage = pgDatabase(dir);
    const configs = routes.map((route, i) => {
      const own = path.join(dir, 'ab'[i]);
      fs.mkdirSync(own);
      return { dir: own, file: writeConfig(own, reps, { storage, feishu: feishu(route) }) };
    });
    const first = await startServer(configs[0].dir, configs[0].file);
    const firstStop = await first.stop();
    assert.equal(firstStop.code, 0, `${JSON.stringify(firstStop)}: ${first.output()}`);
    // 200 follow-ups of 20 reps, due over four seconds: one reminder list per rep and second.
    const t0 = Math.floor(Date.now() / 1000) + 3;
    psql(storage.url, `
      INSERT INTO customers (name, tier, stage, created_at, owner_id, team_id)
        SELECT 'Customer ' || g, 'A', 'lead', ${t0 - 60}, u.id, u.team_id
        FROM generate_series(0, 199) g JOIN users u ON u.handle = 'fs' || (g % 20);
      INSERT INTO tasks (customer_id, assignee_id, due, method, topic, priority, status, origin, created_at, remind_at)
        SELECT id, owner_id, ${t0} + id % 4, 'call', 'check in', 'normal', 'open', 'manual', ${t0 - 60}, ${t0} + id % 4
        FROM customers;`);
    const servers = [await startServer(configs[0].dir, configs[0].file), await startServer(configs[1].dir, configs[1].file)];
    t.after(() => { for (const s of servers) s.kill(); });

    // After the first few sends, one instance dies without a word while Feishu
    // has taken its message and it waits for the answer. (Which instance sends
    // a reminder is a race between their timers: the one caught is killed.)
    // Before the last second's reminders fire, so the other's sender is woken
    // by them and reads the pending deliveries again.
    const taken = (uuid) => api.calls.some((c) => c.body?.uuid === uuid);
    let cut;
    let dead = -1;
    while (dead < 0) {
      assert.ok(Date.now() / 1000 < t0 + 2.5, `no send caught mid-send in time: ${routes.map((r) => r.sent.length)}`);
      if (routes[0].sent.length + routes[1].sent.length >= 5) {
        dead = routes.findIndex((r) => (cut = [...r.waiting].find(taken)));
      }
      if (dead < 0) await sleep(5);
    }
    servers[dead].kill();
    const killedAt = Date.now() / 1000 - t0;
    const [killed, survivor] = dead === 0 ? ['A', 'B'] : ['B', 'A'];
    const sentBeforeKill = routes[dead].sent.length;
    // Its claim on that delivery runs out (as it would 60 s on; the survivor's
    // own claims are on sends its one sender makes one by one: moving them is harmless).
    const now = Math.floor(Date.now() / 1000);
    psql(storage.url, `UPDATE deliveries SET next_attempt = ${now}
      WHERE platform = 'feishu' AND status = 'pending' AND next_attempt > ${now}`);

    const pending = () => Number(psql(storage.url,
      "SELECT count(*) FROM deliveries WHERE platform = 'feishu' AND status <> 'sent'"));
    while (Date.now() / 1000 < t0 + 4.5) await sleep(100);  // every follow-up due has fired
    const end = Date.now() + 20000;
    while (pending() > 0 && Date.now() < end) await sleep(250);
    assert.equal(pending(), 0, `a reminder was never sent\n${survivor}: ${servers[1 - dead].output()}`);
    await sleep(1000);
    assert.equal(psql(storage.url, 'SELECT count(*) FROM tasks WHERE ladder_step = 0'), '0');

    // Every reminder message reached Feishu, as the message its delivery recorded.
    const delivered = psql(storage.url,
      "SELECT platform_message_id FROM deliveries WHERE platform = 'feishu'").split('\n');
    const messages = delivered.length;
    for (const id of delivered) assert.ok(api.byId.has(id), `delivery recorded as ${id}, which Feishu never made`);
    // And each follow-up is in one of those messages.
    const times = new Map();
    for (const list of psql(storage.url, `SELECT o.task_ids FROM deliveries d JOIN outbox o ON o.id = d.message_id
      WHERE d.platform = 'feishu'`).split('\n')) {
      for (const id of list.split(',')) times.set(id, (times.get(id) ?? 0) + 1);
    }
    assert.equal(times.size, 200);
    assert.deepEqual([...times].filter(([, n]) => n !== 1), [], 'a follow-up in more than one reminder message');
    // Every attempt at one message (the same content) carried the same uuid.
    const posts = api.calls.filter((c) => c.method === 'POST' && c.path === '/open-apis/im/v1/messages');
    const uuidsOf = new Map();
    for (const c of posts) uuidsOf.set(c.body.content, new Set([...(uuidsOf.get(c.body.content) ?? []), c.body.uuid]));
    const changed = [...uuidsOf.values()].filter((u) => u.size !== 1).map((u) => [...u]);
    assert.deepEqual(changed, [], 'a message sent again under another uuid');
    assert.equal(uuidsOf.size, messages, 'reminder messages sent');
    // Feishu drops a uuid it has seen: each message is shown once. The raw
    // attempts hold one repeat: the send the killed instance died in, made again by the other.
    const shown = [...api.chats.values()].flat();
    assert.equal(shown.length, messages, `${shown.length} shown for ${messages} reminder messages`);
    const seen = new Set();
    const repeats = posts.map((c) => c.body.uuid).filter((u) => seen.has(u) || !seen.add(u));
    assert.deepEqual(repeats, [cut], 'the sends made twice');
    assert.ok(routes[1 - dead].sent.includes(cut), `${survivor} sent the message ${killed} died sending`);
    t.diagnostic(`${messages} reminder messages, ${posts.length} sends (${killed}: ${sentBeforeKill}, the last cut off ` +
      `by its kill at t0 + ${killedAt.toFixed(2)} s; ${survivor}: ${routes[1 - dead].sent.length}), ` +
      `${repeats.length} sent twice, shown once`);
  });

// The leader (retention runs there only) and the live instances (each sends at
// its share of a platform's rate), as each instance's /metrics tells them.
async function leadership(server) {
  const text = await (await fetch(`${server.base}/metrics`)).text();
  const gauge = (name) => Number((text.match(new RegExp(`^${name} (\\d+)$`, 'm')) ?? [])[1]);
  return { leader: gauge('followupd_leader'), instances: gauge('followupd_instances') };
}

async function waitUntil(what, pred, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await pred();
    if (value) return value;
    assert.ok(Date.now() < deadline, `not within ${ms / 1000} s: ${what}`);
    await sleep(250);
  }
}

test('two instances: one leads; a clean stop hands over at the next round, a SIGKILL once the lease runs out',
  { skip, timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-instances-');
    const { storage, configs } = twoConfigs(dir, DEFAULT_USERS);
    // A 6-second lease (storage.leader_lease_s; 30 by default): rounds every 2 s.
    const env = { FOLLOWUPD_STORAGE_LEADER_LEASE_S: '6' };
    const start = (i) => startServer(configs[i].dir, configs[i].file, { env });
    const servers = [await start(0)];
    servers.push(await start(1));
    t.after(() => { for (const s of servers) s.kill(); });

    // Both count two (each learns of the other at its next round, 2 s); one leads.
    const both = async () => {
      const seen = await Promise.all(servers.map(leadership));
      return seen.every((s) => s.instances === 2) && seen.map((s) => s.leader).sort().join() === '0,1' && seen;
    };
    let seen = await waitUntil('one leader of two instances', both, 5000);
    let leader = seen[0].leader ? 0 : 1;
    assert.match(servers[leader].output(), /leadership: .* is now the leader/);
    assert.equal(psql(storage.url, 'SELECT count(*) FROM instances'), '2');

    // A clean stop gives the lease up: the other leads at its next round (every 2 s), and sends at the whole rate.
    const stopped = servers[leader];
    assert.equal((await stopped.stop()).code, 0);
    assert.match(stopped.output(), /leadership: .* is no longer the leader: it is stopping/);
    const other = servers[1 - leader];
    let started = Date.now();
    await waitUntil('the other leads after a clean stop',
      async () => { const s = await leadership(other); return s.leader === 1 && s.instances === 1; }, 4000);
    t.diagnostic(`after a clean stop: the other led within ${(Date.now() - started) / 1000} s`);

    // The stopped one comes back: it follows.
    servers[leader] = await start(leader);
    seen = await waitUntil('one leader of two instances again', both, 5000);
    leader = seen[0].leader ? 0 : 1;

    // The leader dies without a word: its lease (6 s) runs out, and the other
    // takes it at its next round (2 s): within 8 s.
    servers[leader].kill();
    started = Date.now();
    await waitUntil('the other leads after a SIGKILL',
      async () => (await leadership(servers[1 - leader])).leader === 1, 9500);
    const took = (Date.now() - started) / 1000;
    t.diagnostic(`after a SIGKILL: the other led within ${took} s`);
    assert.ok(took > 3, `took over after ${took} s, before the dead leader's lease could have run out`);
    await waitUntil('the dead one is no longer counted',
      async () => (await leadership(servers[1 - leader])).instances === 1, 5000);
    assert.equal((await servers[1 - leader].stop()).code, 0);
  });
