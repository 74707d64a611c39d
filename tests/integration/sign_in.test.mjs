// Signing in to the web chat, end to end against the real binary: a one-time
// code sent through the person's chat platform (a Telegram emulator), sign-in
// links (`followupd login-link`, the `login` command), sessions, CSRF, rate
// limits, the audit log, and what start-up refuses.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/sign_in.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  BIN, DEFAULT_USERS, SKIP, loginLink, signInWithLink, sleep, startServer, tempDir, writeConfig,
} from '../lib/followupd.mjs';
import { TelegramEmulator } from '../peers/telegram_emulator.mjs';

const TOKEN = '123456:TEST-signin_token';
const SECRET = 'signin-secret_1';
const MARIA = 4242;  // maria's Telegram id: her codes arrive there

const USERS = [
  ...DEFAULT_USERS.map((u) => (u.handle === 'maria' ? { ...u, identities: { telegram: String(MARIA) }, notify: 'telegram' } : u)),
  { handle: 'boss', name: 'Boss', role: 'admin', lang: 'en' },
];

async function setup(t, webChat = {}) {
  const emu = await TelegramEmulator.start({ token: TOKEN });
  let server = null;
  t.after(async () => { server?.kill(); await emu.stop(); });
  const dir = tempDir(t, 'followupd-signin-');
  const configFile = writeConfig(dir, USERS, {
    telegram: { enabled: true, token: TOKEN, api_base: emu.base, mode: 'webhook', secret_token: SECRET },
    web_chat: { auth: 'signin', ...webChat },
  });
  server = await startServer(dir, configFile);
  emu.setWebhook(`${server.base}/hooks/telegram`, SECRET);
  return { emu, server, configFile, base: server.base };
}

async function post(base, p, body, headers = {}) {
  const res = await fetch(`${base}${p}`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body), signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
}
async function get(base, p, headers = {}) {
  const res = await fetch(`${base}${p}`, { headers, signal: AbortSignal.timeout(10000) });
  if (p.startsWith('/api/events') && res.status === 200) return { status: 200, res };
  return { status: res.status, headers: res.headers, body: await res.json().catch(() => null) };
}

// Asks for a code for `handle` and reads it from the Telegram chat it was sent to.
async function codeFor(emu, base, handle = 'maria') {
  const before = emu.botMessages(MARIA).length;
  const r = await post(base, '/api/sign-in/code', { handle });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.sent_via, 'telegram');
  const m = await emu.waitFor(() => emu.botMessages(MARIA).slice(before).find((x) => /\b\d{6}\b/.test(x.text)), 10000,
    'the sign-in code on Telegram');
  return /\b(\d{6})\b/.exec(m.text)[1];
}

const as = (s) => ({ Cookie: s.cookie, 'X-CSRF-Token': s.csrf });

test('sign-in: a code sent through the person\'s chat platform opens a session; the code works once',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const { emu, base } = await setup(t);
    const code = await codeFor(emu, base);
    const wrong = await post(base, '/api/sign-in', { handle: 'maria', code: code === '000000' ? '111111' : '000000' });
    assert.equal(wrong.status, 401);

    const ok = await post(base, '/api/sign-in', { handle: 'maria', code });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.equal(ok.body.user.handle, 'maria');
    const setCookie = ok.headers.get('set-cookie');
    assert.match(setCookie, /^fu_session=[A-Za-z0-9_-]{40,};/);
    assert.match(setCookie, /; HttpOnly/);
    assert.match(setCookie, /; SameSite=Strict/);
    assert.match(setCookie, /; Path=\//);
    assert.doesNotMatch(setCookie, /Secure/, 'plain HTTP: no Secure');
    const session = { cookie: setCookie.split(';')[0], csrf: ok.body.csrf };

    const me = await get(base, '/api/session', { Cookie: session.cookie });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.handle, 'maria');
    assert.equal(me.body.csrf, session.csrf);
    const whoami = await post(base, '/api/chat', { text: 'whoami' }, as(session));
    assert.equal(whoami.status, 200);
    assert.match(whoami.body.reply.text, /\(maria\)/);

    // Used: refused, and so is the same code for someone else.
    assert.equal((await post(base, '/api/sign-in', { handle: 'maria', code })).status, 401);
    assert.equal((await post(base, '/api/sign-in', { handle: 'wang', code })).status, 401);

    // Behind an HTTPS proxy the cookie is Secure.
    const again = await post(base, '/api/sign-in', { handle: 'maria', code: await codeFor(emu, base) },
      { 'X-Forwarded-Proto': 'https' });
    assert.equal(again.status, 200);
    assert.match(again.headers.get('set-cookie'), /; Secure/);

    // Someone without a chat platform gets no code, and is told how to sign in instead.
    const none = await post(base, '/api/sign-in/code', { handle: 'wang' });
    assert.equal(none.status, 409);
    assert.match(none.body.error, /login-link --as wang/);
  });

test('sign-in: without a session every web /api/ call is 401; another person\'s session cannot act for you',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const { base, configFile } = await setup(t);
    const forged = { Cookie: 'fu_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', 'X-CSRF-Token': 'x' };
    for (const headers of [{}, forged]) {
      for (const p of ['/api/session', '/api/users', '/api/messages', '/api/messages?user=wang', '/api/events?user=wang',
        '/api/dashboard', '/api/dashboard/overdue', '/api/my/agenda', '/api/my/customers', '/api/my/customers/1',
        '/api/nope']) {
        const r = await get(base, p, headers);
        assert.equal(r.status, 401, `GET ${p} ${JSON.stringify(headers)} -> ${r.status}`);
      }
      for (const p of ['/api/chat', '/api/sign-out', '/api/my/followups/1/done', '/api/my/followups/1/snooze']) {
        const r = await post(base, p, { user: 'wang', text: 'today' }, headers);
        assert.equal(r.status, 401, `POST ${p} -> ${r.status}`);
      }
    }

    const li = await signInWithLink(base, loginLink(configFile, 'li'));
    assert.equal(li.status, 200);
    const wang = await signInWithLink(base, loginLink(configFile, 'wang'));
    // li's session cannot act, read or listen as wang.
    const act = await post(base, '/api/chat', { user: 'wang', text: 'customer add Intruder Ltd' }, as(li));
    assert.equal(act.status, 403, JSON.stringify(act.body));
    assert.match(act.body.error, /signed in as li/);
    assert.equal((await get(base, '/api/messages?user=wang', as(li))).status, 403);
    assert.equal((await get(base, '/api/events?user=wang', as(li))).status, 403);
    // Nothing reached wang's data.
    const list = await post(base, '/api/chat', { text: 'customers' }, as(wang));
    assert.doesNotMatch(list.body.reply.text, /Intruder/);
    // /api/users lists yourself only.
    const users = await get(base, '/api/users', as(li));
    assert.deepEqual(users.body.users.map((u) => u.handle), ['li']);
  });

test('sign-in: state-changing calls need the session\'s CSRF token', { skip: SKIP, timeout: 60000 }, async (t) => {
  const { base, configFile } = await setup(t);
  const li = await signInWithLink(base, loginLink(configFile, 'li'));
  const wang = await signInWithLink(base, loginLink(configFile, 'wang'));
  for (const csrf of [undefined, '', wang.csrf, li.csrf.toUpperCase()]) {
    const headers = { Cookie: li.cookie };
    if (csrf !== undefined) headers['X-CSRF-Token'] = csrf;
    for (const p of ['/api/chat', '/api/sign-out', '/api/my/followups/1/done']) {
      const r = await post(base, p, { text: 'customer add Forged Inc' }, headers);
      assert.equal(r.status, 403, `${p} with csrf ${JSON.stringify(csrf)} -> ${r.status}`);
      assert.match(r.body.error, /X-CSRF-Token/);
    }
  }
  // Still signed in; with the token the same call works.
  const r = await post(base, '/api/chat', { text: 'customer add Real Inc' }, as(li));
  assert.equal(r.status, 200);
  assert.match(r.body.reply.text, /Real Inc/);
  const list = await post(base, '/api/chat', { text: 'customers' }, as(li));
  assert.doesNotMatch(list.body.reply.text, /Forged/);
});

test('sign-in: an expired code or link is refused (web_chat.code_lifetime_s)', { skip: SKIP, timeout: 60000 }, async (t) => {
  const { emu, base, configFile } = await setup(t, { code_lifetime_s: 1 });
  const code = await codeFor(emu, base);
  const link = loginLink(configFile, 'maria');
  await sleep(2200);
  const late = await post(base, '/api/sign-in', { handle: 'maria', code });
  assert.equal(late.status, 401);
  assert.match(late.body.error, /expired/);
  assert.equal((await signInWithLink(base, link)).status, 401);
});

test('sign-in: guessing codes is rate limited per person, even the right code then waits',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const { emu, base } = await setup(t);
    const code = await codeFor(emu, base);
    const wrong = code === '999999' ? '999998' : '999999';
    for (let i = 0; i < 5; i++) assert.equal((await post(base, '/api/sign-in', { handle: 'maria', code: wrong })).status, 401);
    const limited = await post(base, '/api/sign-in', { handle: 'maria', code });
    assert.equal(limited.status, 429, JSON.stringify(limited.body));
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    // Asking for codes is limited too: three per person in ten minutes.
    await codeFor(emu, base);
    await codeFor(emu, base);
    const fourth = await post(base, '/api/sign-in/code', { handle: 'maria' });
    assert.equal(fourth.status, 429);
  });

test('sign-in: asking for codes is rate limited per client address too', { skip: SKIP, timeout: 60000 }, async (t) => {
  const { base } = await setup(t);
  for (let i = 0; i < 10; i++) assert.equal((await post(base, '/api/sign-in/code', { handle: `nobody${i}` })).status, 404);
  const limited = await post(base, '/api/sign-in/code', { handle: 'maria' });
  assert.equal(limited.status, 429, JSON.stringify(limited.body));
  assert.match(limited.body.error, /too many codes/);
});

test('sign-in: the login command returns a one-time link; sign-out and expiry end the session at once',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const { emu, base, configFile } = await setup(t, { session_lifetime_s: 3 });
    const maria = emu.user({ userId: MARIA, firstName: 'Maria' });
    const before = emu.botMessages(MARIA).length;
    await maria.send('/login');
    const reply = await emu.waitFor(() => emu.botMessages(MARIA).slice(before).find((m) => /#sign-in=/.test(m.text)), 10000,
      'a sign-in link');
    const token = /#sign-in=([A-Za-z0-9_-]+)/.exec(reply.text)[1];
    assert.match(reply.text, new RegExp(`${base.replace(/[.]/g, '\\.')}/#sign-in=`), 'the link points at this server');
    const s = await signInWithLink(base, token);
    assert.equal(s.status, 200);
    assert.equal(s.body.user.handle, 'maria');
    assert.equal((await signInWithLink(base, token)).status, 401, 'a link works once');

    // A live stream ends when its session does.
    const ev = await get(base, '/api/events', { Cookie: s.cookie });
    assert.equal(ev.status, 200);
    const reader = ev.res.body.getReader();
    const out = await post(base, '/api/sign-out', {}, as(s));
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie'), /^fu_session=; Path=\/; Max-Age=0/);
    assert.equal((await get(base, '/api/session', { Cookie: s.cookie })).status, 401);
    assert.equal((await post(base, '/api/chat', { text: 'today' }, as(s))).status, 401);
    let seen = '';
    const decoder = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += decoder.decode(value, { stream: true });
    }
    assert.match(seen, /event: signed-out/);

    // Expiry: session_lifetime_s 3.
    const short = await signInWithLink(base, loginLink(configFile, 'li'));
    assert.equal((await get(base, '/api/session', { Cookie: short.cookie })).status, 200);
    await sleep(3500);
    assert.equal((await get(base, '/api/session', { Cookie: short.cookie })).status, 401);

  });

test('sign-in: sign-ins and failures are in the audit log', { skip: SKIP, timeout: 60000 }, async (t) => {
  const { emu, base, configFile } = await setup(t);
  const code = await codeFor(emu, base);
  // The client address is the socket's: a header claiming another is replaced.
  const wrong = await post(base, '/api/sign-in', { handle: 'maria', code: code === '123456' ? '654321' : '123456' },
    { 'Fu-Client-Address': '6.6.6.6' });
  assert.equal(wrong.status, 401);
  // Behind a proxy on this machine, the client is the one it names last in X-Forwarded-For.
  const proxied = await post(base, '/api/sign-in', { handle: 'maria', code: code === '123456' ? '654321' : '123456' },
    { 'X-Forwarded-For': '6.6.6.6, 203.0.113.7' });
  assert.equal(proxied.status, 401);
  assert.equal((await post(base, '/api/sign-in', { handle: 'maria', code })).status, 200);
  const boss = await signInWithLink(base, loginLink(configFile, 'boss'));
  const audit = await post(base, '/api/chat', { text: 'audit 20' }, as(boss));
  assert.equal(audit.status, 200);
  const text = audit.body.reply.text;
  assert.match(text, /signin\.code/);
  assert.match(text, /signin\.fail[^\n]*wrong, used or expired code from 127\.0\.0\.1/);
  assert.match(text, /signin\.ok[^\n]*signed in with a code from 127\.0\.0\.1/);
  assert.match(text, /signin\.link/);
  assert.doesNotMatch(text, new RegExp(`\\b${code}\\b`), 'the code itself is never logged');
  assert.doesNotMatch(text, /6\.6\.6\.6/);
  assert.match(text, /signin\.fail[^\n]*wrong, used or expired code from 203\.0\.113\.7/);
});

test('start-up refuses a web chat that lets anyone pick who they are outside the loopback demo',
  { skip: SKIP, timeout: 30000 }, async (t) => {
    const dir = tempDir(t, 'followupd-signin-cfg-');
    const check = (extra) => {
      const file = writeConfig(dir, DEFAULT_USERS, extra);
      return spawnSync(BIN, ['check-config', '--config', file], { encoding: 'utf8', timeout: 20000 });
    };
    const lan = check({ server: { address: '0.0.0.0', port: 0 }, demo: { seed: true }, web_chat: { auth: 'pick' } });
    assert.equal(lan.status, 2, lan.stdout + lan.stderr);
    assert.match(lan.stderr, /web_chat\.auth/);
    const noDemo = check({ web_chat: { auth: 'pick' } });
    assert.equal(noDemo.status, 2);
    assert.match(noDemo.stderr, /web_chat\.auth/);
    const token = check({ server: { address: '0.0.0.0', port: 0 }, web_chat: { token: 'shared' } });
    assert.equal(token.status, 2);
    assert.match(token.stderr, /web_chat\.token/);
    // The shipped example is safe as it is: it signs people in.
    const example = spawnSync(BIN, ['check-config', '--config', path.join(import.meta.dirname, '../../config/example.json')],
      { encoding: 'utf8', timeout: 20000 });
    assert.equal(example.status, 0, example.stderr);
    assert.ok(fs.existsSync(path.join(import.meta.dirname, '../../config/example.json')));
  });
