// followupd's platform requests through a real HTTP proxy: Debian's tinyproxy
// on 127.0.0.1, with basic auth. The WeCom stand-in (peers/wecom_api.mjs)
// serves HTTPS with a throwaway certificate for localhost, which followupd
// trusts through SSL_CERT_FILE; a sign-in code for wang (notify: wecom) is an
// immediate send (gettoken, then message/send).
//
//   - http.proxy with user and password: the code goes through a CONNECT
//     tunnel (tinyproxy logs it) and TLS to the stand-in, which never sees the
//     proxy's credentials;
//   - HTTPS_PROXY, HTTP_PROXY and NO_PROXY from the environment: localhost is
//     listed, so WeCom is reached directly, while the Telegram emulator (plain
//     http on 127.0.0.1) is polled through the proxy in absolute form;
//   - a proxy refusing the password: the send fails and is retried, the log
//     names the proxy and its answer (never the password), followupd runs on.
//
// Without tinyproxy the tests skip, unless FU_TEST_REQUIRE_TOOLS=1 (scripts/test), where they fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BIN, DEFAULT_USERS, SKIP, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';
import { WeComApi } from '../peers/wecom_api.mjs';
import { TelegramEmulator } from '../peers/telegram_emulator.mjs';

const TINYPROXY = ['tinyproxy', '/usr/bin/tinyproxy', '/usr/sbin/tinyproxy']
  .find((bin) => spawnSync(bin, ['-v'], { stdio: 'ignore' }).status === 0);
const REQUIRED = process.env.FU_TEST_REQUIRE_TOOLS === '1';
const NO_TINYPROXY = TINYPROXY || REQUIRED ? false
  : 'tinyproxy is not installed (Debian package tinyproxy, in scripts/lib.sh TEST_PACKAGES)';

const CORP = 'ww5e1f0a42cafe7001';
const SECRET = 'proxy-corp-SECRET-0042';
const AGENT = 1000002;
const TG_TOKEN = '123456:PROXY-test_token';
const PASSWORD = 's3cret-Proxy-pass';

const users = () => DEFAULT_USERS.map((u) => (u.handle === 'wang'
  ? { ...u, identities: { wecom: 'wang' }, notify: 'wecom' } : u));

const wecomSection = (api) => ({ wecom: { enabled: true, corp_id: CORP, corp_secret: SECRET, agent_id: AGENT,
  token: 'proxyCallbackToken9', encoding_aes_key: 'PTjI0pKx2GLxyP8lbb99XzKxKAaHkotOcoGAjpY89Y8', api_base: api.base } });

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// tinyproxy in the foreground (-d) on a free port, logging every request; stopped after the test by its PID.
async function startTinyproxy(t, dir, { connectPorts = [] } = {}) {
  assert.ok(TINYPROXY, 'tinyproxy is required (FU_TEST_REQUIRE_TOOLS=1): install Debian package tinyproxy');
  const port = await freePort();
  const log = path.join(dir, 'tinyproxy.log');
  const conf = path.join(dir, 'tinyproxy.conf');
  fs.writeFileSync(conf, [
    `Port ${port}`, 'Listen 127.0.0.1', 'Allow 127.0.0.1', `LogFile "${log}"`, 'LogLevel Connect',
    'MaxClients 20', 'Timeout 30', `BasicAuth alice ${PASSWORD}`,
    // Without ConnectPort lines tinyproxy tunnels to any port; with them, to these only.
    ...connectPorts.map((p) => `ConnectPort ${p}`), '',
  ].join('\n'));
  const proc = spawn(TINYPROXY, ['-d', '-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout.on('data', (d) => { output += d; });
  proc.stderr.on('data', (d) => { output += d; });
  t.after(() => { if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM'); });
  const deadline = Date.now() + 10000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`tinyproxy exited (${proc.exitCode}):\n${output}`);
    const up = await new Promise((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline) throw new Error(`tinyproxy did not listen on ${port} within 10 s:\n${output}`);
    await sleep(50);
  }
  return {
    port,
    url: (userinfo = '') => `http://${userinfo ? `${userinfo}@` : ''}127.0.0.1:${port}`,
    log: () => { try { return fs.readFileSync(log, 'utf8'); } catch { return ''; } },
  };
}

// A self-signed certificate for localhost: the stand-in's, and followupd's only trusted root.
function localhostCert(dir) {
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  return { file: cert, tls: { key: fs.readFileSync(key), cert: fs.readFileSync(cert) } };
}

async function askCode(base, handle = 'wang') {
  const res = await fetch(`${base}/api/sign-in/code`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ handle }),
    signal: AbortSignal.timeout(10000),
  });
  const body = await res.json().catch(() => null);
  assert.equal(res.status, 200, JSON.stringify(body));
  assert.equal(body.sent_via, 'wecom');
}

async function waitFor(probe, ms, what) {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(100);
  }
}

test('http.proxy with a password: WeCom over HTTPS through a CONNECT tunnel, the credentials only for the proxy',
  { skip: SKIP || NO_TINYPROXY, timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-proxy-');
    const cert = localhostCert(dir);
    const api = await WeComApi.start({ corpId: CORP, secret: SECRET, agentId: AGENT, tls: cert.tls });
    let server = null;
    t.after(async () => { server?.kill(); await api.stop(); });
    const proxy = await startTinyproxy(t, dir, { connectPorts: [api.port] });

    const config = writeConfig(dir, users(), { ...wecomSection(api), http: { proxy: proxy.url(`alice:${PASSWORD}`) } });
    server = await startServer(dir, config, { env: { SSL_CERT_FILE: cert.file } });
    await askCode(server.base);
    const sent = await api.waitFor(() => api.messages('wang')[0], 15000, 'the sign-in code through message/send')
      .catch((e) => { throw new Error(`${e.message}\nfollowupd:\n${server.output()}\ntinyproxy:\n${proxy.log()}`); });
    assert.match(sent.body.text.content, /\b\d{6}\b/);

    // Both calls went through one tunnel tinyproxy opened, and the stand-in never saw the proxy's credentials.
    assert.match(proxy.log(), new RegExp(`Request \\(file descriptor \\d+\\): CONNECT localhost:${api.port} HTTP/1\\.1`),
      proxy.log());
    assert.deepEqual(api.calls.map((c) => c.path), ['/cgi-bin/gettoken', '/cgi-bin/message/send']);
    assert.ok(api.calls.every((c) => c.proxyAuthorization === undefined), 'Proxy-Authorization reached the platform');
    assert.match(server.output(), new RegExp(
      `http: platform requests go https and http through proxy 127\\.0\\.0\\.1:${proxy.port} \\(as user "alice"\\)`));
    assert.ok(!server.output().includes(PASSWORD), 'the proxy password appears in the log');
  });

test('HTTPS_PROXY, HTTP_PROXY and NO_PROXY: a listed host is reached directly, the rest through the proxy',
  { skip: SKIP || NO_TINYPROXY, timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-proxy-');
    const cert = localhostCert(dir);
    const api = await WeComApi.start({ corpId: CORP, secret: SECRET, agentId: AGENT, tls: cert.tls });
    const emu = await TelegramEmulator.start({ token: TG_TOKEN });
    let server = null;
    t.after(async () => { server?.kill(); await api.stop(); await emu.stop(); });
    const proxy = await startTinyproxy(t, dir);

    const telegram = { enabled: true, token: TG_TOKEN, api_base: emu.base, mode: 'polling', poll_timeout_s: 1 };
    const config = writeConfig(dir, users(), { ...wecomSection(api), telegram });
    const via = proxy.url(`alice:${PASSWORD}`);
    server = await startServer(dir, config, {
      env: { SSL_CERT_FILE: cert.file, HTTPS_PROXY: via, http_proxy: via, NO_PROXY: 'example.com, localhost' },
    });
    await askCode(server.base);
    const sent = await api.waitFor(() => api.messages('wang')[0], 15000, 'the sign-in code through message/send')
      .catch((e) => { throw new Error(`${e.message}\nfollowupd:\n${server.output()}\ntinyproxy:\n${proxy.log()}`); });
    assert.match(sent.body.text.content, /\b\d{6}\b/);

    // Telegram's getUpdates (http://127.0.0.1, not listed) goes to the proxy in absolute form.
    const forwarded = new RegExp(`(GET|POST) http://127\\.0\\.0\\.1:${emu.port}/bot[^ ]*/getUpdates`);
    await waitFor(() => forwarded.test(proxy.log()) && emu.calls.some((c) => c.method === 'getUpdates'), 15000,
      'getUpdates through the proxy')
      .catch((e) => { throw new Error(`${e.message}\nfollowupd:\n${server.output()}\ntinyproxy:\n${proxy.log()}`); });
    // WeCom at localhost is listed in NO_PROXY: no tunnel was asked for.
    assert.doesNotMatch(proxy.log(), /Request \(file descriptor \d+\): CONNECT /, proxy.log());
    assert.match(server.output(), /http: platform requests go https and http through proxy .*; direct for: example\.com,localhost/);
    assert.ok(!server.output().includes(PASSWORD), 'the proxy password appears in the log');
  });

test('a proxy that refuses the password: the send fails and is retried, the log says why, followupd runs on',
  { skip: SKIP || NO_TINYPROXY, timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-proxy-');
    const cert = localhostCert(dir);
    const api = await WeComApi.start({ corpId: CORP, secret: SECRET, agentId: AGENT, tls: cert.tls });
    let server = null;
    t.after(async () => { server?.kill(); await api.stop(); });
    const proxy = await startTinyproxy(t, dir);

    const config = writeConfig(dir, users(), { ...wecomSection(api), http: { proxy: proxy.url('alice:not-the-pass-77') } });
    server = await startServer(dir, config, { env: { SSL_CERT_FILE: cert.file } });
    await askCode(server.base);
    // tinyproxy answers a wrong password with 401 (407 without one): either way the log names the proxy and its status.
    const refused = new RegExp(`wecom: delivery \\d+ attempt 1 will be retried in \\d+ m?s: .*proxy 127\\.0\\.0\\.1:${proxy.port} `
      + `answered CONNECT localhost:${api.port} with 40[17] (Unauthorized|Proxy Authentication Required)`);
    await waitFor(() => refused.test(server.output()), 15000, 'the failed send in the log')
      .catch((e) => { throw new Error(`${e.message}\nfollowupd:\n${server.output()}\ntinyproxy:\n${proxy.log()}`); });
    assert.equal(api.calls.length, 0, 'a request reached the platform');
    assert.ok(!server.output().includes('not-the-pass-77'), 'the proxy password appears in the log');

    // Counted like any failed send, and the server is still up.
    const metrics = await (await fetch(`${server.base}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
    assert.match(metrics, /followupd_messages_retried_total\{platform="wecom"\} [1-9]/);
    const health = await fetch(`${server.base}/healthz`, { signal: AbortSignal.timeout(5000) });
    assert.equal(health.status, 200);
    assert.equal(server.proc.exitCode, null);
  });

test('a malformed proxy URL stops start-up naming the variable, without the password',
  { skip: SKIP, timeout: 30000 }, async (t) => {
    const dir = tempDir(t, 'followupd-proxy-');
    const config = writeConfig(dir);
    const r = spawnSync(BIN, ['check-config', '--config', config], {
      env: { ...process.env, HTTPS_PROXY: 'socks5://alice:hunter2@127.0.0.1:1080' }, encoding: 'utf8',
    });
    assert.equal(r.status, 2, `${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /config: HTTPS_PROXY = "socks5:\/\/alice:\*\*\*@127\.0\.0\.1:1080": expected an http proxy URL/);
    assert.ok(!r.stderr.includes('hunter2'));
  });
