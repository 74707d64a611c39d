// Shared plumbing for the end-to-end tests that drive a real followupd binary.
//
//   BIN                      absolute path from FOLLOWUPD_BIN, or '' when it is not set
//   SKIP                     false, or the reason to skip (for node:test's `skip` option)
//   DEFAULT_USERS            li (manager), wang and maria (reps), all in East Sales
//   ENGINE                   'sqlite', or 'postgres' when FU_TEST_ENGINE=postgres (scripts/test
//                            runs some files again that way, on its throwaway server FU_TEST_PG_URL)
//   writeConfig(dir, users, extra)  writes <dir>/config.json (port 0, SQLite <dir>/t.db or a new
//                            PostgreSQL database, 24/7 working hours, no digests, plus the
//                            top-level sections in `extra`, e.g. { telegram: {…} }); returns its path
//   startServer(dir, configFile, { timeoutMs, env })
//                            runs `followupd run --config … --port-file <dir>/port`, resolves once the
//                            port is written: { proc, port, base, output(), stop(ms), kill() }; `env` adds
//                            variables; proxy variables (HTTPS_PROXY, …) are never inherited, only given;
//                            stop() sends SIGTERM (SIGKILL after ms) and resolves with { code, signal }
//   tempDir(t, prefix)       a fresh temp dir, removed after the test
//   chat(base, user, text)   POST /api/chat as `user`, asserts 200 and a reply text; returns the reply
//   messages(base, user, after)  GET /api/messages of `user`, asserts 200; returns the messages array
//   auth(base, user)         headers that act as `user` on a server startServer started: where people
//                            sign in, a session (Cookie + X-CSRF-Token) from a `followupd login-link`
//                            link, made once per server and user; {} where the demo picks who you are
//   loginLink(configFile, user, env)  the token of a fresh sign-in link (`followupd login-link`)
//   signInWithLink(base, token)  POST /api/sign-in with a link token: { status, cookie, csrf, body }
//   sameDatabase(base, serverBase)  auth() at `base` (a load balancer) signs in as at `serverBase`
//   rawPost(base, path, body, headers)  raw POST that still yields the status of an early close
//   pgDatabase(dir)          a new database on FU_TEST_PG_URL: the storage section of a config for it
//   PG_SKIP                  false, or why a test that needs that server skips
//   sleep(ms)                timers/promises setTimeout
//
// Only processes started here are ever signalled.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export { sleep };

export const BIN = process.env.FOLLOWUPD_BIN ? path.resolve(process.env.FOLLOWUPD_BIN) : '';
export const SKIP = BIN ? false : 'FOLLOWUPD_BIN is not set: point it at a built followupd binary to run this test';

// For tests that need the PostgreSQL server: false, or why they skip. Where
// scripts/test asks for it (FU_TEST_REQUIRE_PG=1) they never skip: without a
// server they fail.
export const PG_SKIP = SKIP || (process.env.FU_TEST_PG_URL || process.env.FU_TEST_REQUIRE_PG === '1'
  ? false : 'FU_TEST_PG_URL is not set (scripts/test starts a PostgreSQL server)');

export const ENGINE = process.env.FU_TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';

let databases = 0;

// Servers startServer started (base -> config), and their sign-ins (`${base} ${user}` -> headers).
const servers = new Map();
const sessions = new Map();

// A new, empty PostgreSQL database on the test server for one test's config
// (the server, and every database in it, goes when scripts/test ends).
export function pgDatabase(dir) {
  const server = process.env.FU_TEST_PG_URL;
  assert.ok(server, 'FU_TEST_ENGINE=postgres needs FU_TEST_PG_URL');
  const name = `fu_it_${process.pid}_${++databases}`;
  execFileSync('psql', [server, '-q', '-v', 'ON_ERROR_STOP=1', '-c', `CREATE DATABASE ${name}`], { stdio: 'pipe' });
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { engine: 'postgres', url: url.toString(), contacts_key_file: path.join(dir, 't.key') };
}

const PROXY_ENV = new Set(['https_proxy', 'http_proxy', 'no_proxy', 'all_proxy']);

export const DEFAULT_USERS = [
  { handle: 'li', name: 'Li Na', role: 'manager', team: 'East Sales', lang: 'en', time_zone: 'Asia/Shanghai' },
  { handle: 'wang', name: 'Wang Wei', role: 'rep', team: 'East Sales', lang: 'zh', time_zone: 'Asia/Shanghai' },
  { handle: 'maria', name: 'Maria', role: 'rep', team: 'East Sales', lang: 'en', time_zone: 'Europe/Berlin' },
];

export function writeConfig(dir, users = DEFAULT_USERS, extra = {}) {
  const config = {
    server: { port: 0 },
    storage: ENGINE === 'postgres' ? pgDatabase(dir) : { path: path.join(dir, 't.db') },
    // Round-the-clock working hours and no digests: a test's 2-second reminder
    // must arrive whatever the hour it runs at (extra may override both).
    defaults: { work_hours: '00:00-24:00', work_days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] },
    sop: { daily_digest: false, weekly_report: false },
    teams: ['East Sales'],
    users,
    ...extra,
  };
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

// Starts followupd and resolves once it wrote its port file. The returned handle
// only ever signals the process it spawned.
export async function startServer(dir, configFile, { timeoutMs = 15000, env = {} } = {}) {
  const portFile = path.join(dir, 'port');
  fs.rmSync(portFile, { force: true });
  // A proxy set for the machine would take the platforms' requests to the local stand-ins through it.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !PROXY_ENV.has(k.toLowerCase())));
  const serverEnv = { ...inherited, ...env };
  const proc = spawn(BIN, ['run', '--config', configFile, '--port-file', portFile], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: serverEnv,
  });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  let exit = null;
  exited.then((e) => { exit = e; });
  const deadline = Date.now() + timeoutMs;
  let port = 0;
  while (!port) {
    if (exit) throw new Error(`followupd exited early (${JSON.stringify(exit)}):\n${output}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`followupd wrote no port file within ${timeoutMs} ms:\n${output}`);
    }
    try {
      const n = Number.parseInt(fs.readFileSync(portFile, 'utf8').trim(), 10);
      if (n > 0 && n < 65536) port = n;
    } catch { /* not there yet */ }
    if (!port) await sleep(50);
  }
  // With the environment it started with (secrets such as FOLLOWUPD_EMAIL_PASSWORD), for login-link.
  servers.set(`http://127.0.0.1:${port}`, { configFile, dir, env: serverEnv });
  return {
    proc, port, base: `http://127.0.0.1:${port}`, output: () => output,
    // SIGTERM, then wait for the exit; SIGKILL if it hangs.
    async stop(ms = 10000) {
      if (exit) return exit;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => { if (!exit) proc.kill('SIGKILL'); }, ms);
      const e = await exited;
      clearTimeout(timer);
      return e;
    },
    kill() { if (!exit && proc.exitCode === null) proc.kill('SIGKILL'); },
  };
}

export function tempDir(t, prefix = 'followupd-it-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// `base` (a load balancer, say) reaches the same database as the server at `serverBase`: sign in as there.
export function sameDatabase(base, serverBase) {
  servers.set(base, servers.get(serverBase));
}

export function loginLink(configFile, user, env = process.env) {
  const out = execFileSync(BIN, ['login-link', '--as', user, '--config', configFile],
    { cwd: path.dirname(configFile), env, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();
  const token = out.split('#sign-in=')[1];
  assert.ok(token, `login-link printed no link: ${out}`);
  return token;
}

export async function signInWithLink(base, token) {
  const res = await fetch(`${base}/api/sign-in`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ link: token }),
    signal: AbortSignal.timeout(10000),
  });
  const body = await res.json().catch(() => null);
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  return { status: res.status, cookie, csrf: body?.csrf, body, setCookie: res.headers.get('set-cookie') };
}

export function auth(base, user) {
  // The promise is kept, so requests made together sign in once.
  const key = `${base} ${user}`;
  if (!sessions.has(key)) sessions.set(key, signIn(base, user).catch((e) => { sessions.delete(key); throw e; }));
  return sessions.get(key);
}

async function signIn(base, user) {
  const server = servers.get(base);
  let headers = {};
  const mode = server && await fetch(`${base}/api/session`, { signal: AbortSignal.timeout(10000) })
    .then(async (r) => (r.status === 401 && (await r.json()).error.startsWith('sign in') ? 'signin' : 'pick'));
  if (mode === 'signin') {
    const s = await signInWithLink(base, loginLink(server.configFile, user, server.env));
    assert.equal(s.status, 200, `signing ${user} in with a link: ${JSON.stringify(s.body)}`);
    headers = { Cookie: s.cookie, 'X-CSRF-Token': s.csrf };
  }
  return headers;
}

export async function chat(base, user, text) {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...await auth(base, user) },
    body: JSON.stringify({ user, text }),
    signal: AbortSignal.timeout(10000),
  });
  assert.equal(res.status, 200, `POST /api/chat ${JSON.stringify(text)} -> ${res.status}`);
  const body = await res.json();
  assert.equal(typeof body?.reply?.text, 'string', `reply.text missing in ${JSON.stringify(body)}`);
  return body.reply;
}

export async function messages(base, user, after = 0) {
  const res = await fetch(`${base}/api/messages?user=${encodeURIComponent(user)}&after=${after}`,
    { headers: await auth(base, user), signal: AbortSignal.timeout(10000) });
  assert.equal(res.status, 200);
  const body = await res.json();
  assert.ok(Array.isArray(body.messages), `messages missing in ${JSON.stringify(body)}`);
  return body.messages;
}

// A raw request, so a server that answers early and closes (413) still yields its status.
export function rawPost(base, pathName, body, headers = {}) {
  const url = new URL(pathName, base);
  return new Promise((resolve, reject) => {
    let done = false;
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body), ...headers } }, (res) => {
      let data = '';
      res.on('data', (d) => { data += d; });
      res.on('end', () => { done = true; resolve({ status: res.statusCode, headers: res.headers, body: data }); });
      res.on('error', () => { if (!done) { done = true; resolve({ status: res.statusCode, headers: res.headers, body: data }); } });
    });
    req.setTimeout(10000, () => req.destroy(new Error('timeout')));
    req.on('error', (e) => { if (!done) { done = true; reject(e); } });
    req.end(body);
  });
}
