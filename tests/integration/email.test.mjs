// End to end: the real followupd sends reminders by e-mail to a real SMTP
// server, aiosmtpd (Debian python3-aiosmtpd) on 127.0.0.1, over STARTTLS with
// AUTH and a throwaway self-signed certificate given as email.ca_file.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/email.test.mjs
//
// The SMTP server (email_smtp_server.py) parses each message with Python's
// `email` package and writes a JSON summary; it is stopped by PID afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SKIP, DEFAULT_USERS, chat, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const PYTHON = '/usr/bin/python3'; // Debian's, which has aiosmtpd
const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'email_smtp_server.py');
const NO_AIOSMTPD = spawnSync(PYTHON, ['-c', 'import aiosmtpd']).status !== 0
  ? 'needs Debian python3-aiosmtpd (scripts/lib.sh TEST_PACKAGES)' : false;

async function startSmtp(t, dir) {
  const out = path.join(dir, 'smtp');
  fs.mkdirSync(out);
  const cert = path.join(dir, 'cert.pem');
  const key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' });
  const proc = spawn(PYTHON, [SCRIPT, 'starttls', out, cert, key, 'mailer', 's3cret pass'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  t.after(() => { if (proc.exitCode === null) proc.kill('SIGTERM'); });
  const deadline = Date.now() + 15000;
  while (!fs.existsSync(path.join(out, 'port'))) {
    if (proc.exitCode !== null || Date.now() > deadline) throw new Error(`the SMTP server did not start:\n${stderr}`);
    await sleep(50);
  }
  const port = Number(fs.readFileSync(path.join(out, 'port'), 'utf8'));
  // The summaries received so far, by recipient.
  const received = () => fs.readdirSync(out).filter((f) => /^\d+\.json$/.test(f))
    .map((f) => JSON.parse(fs.readFileSync(path.join(out, f), 'utf8')));
  return { port, cert, received };
}

test('reminders arrive by e-mail over STARTTLS with AUTH, in each rep\'s language',
  { skip: SKIP || NO_AIOSMTPD, timeout: 90000 }, async (t) => {
    const dir = tempDir(t);
    const smtp = await startSmtp(t, dir);
    const users = DEFAULT_USERS.map((u) => (u.handle === 'li' ? u
      : { ...u, identities: { email: `${u.handle}@example.com` }, notify: 'email' }));
    const configFile = writeConfig(dir, users, {
      email: {
        enabled: true, host: '127.0.0.1', port: smtp.port, tls: 'starttls', username: 'mailer',
        from: 'followupd@example.com', from_name: '跟进助手', ca_file: smtp.cert, timeout_s: 10,
      },
    });
    // The password, a secret, comes from the environment.
    process.env.FOLLOWUPD_EMAIL_PASSWORD = 's3cret pass';
    let server;
    try {
      server = await startServer(dir, configFile);
    } finally {
      delete process.env.FOLLOWUPD_EMAIL_PASSWORD;
    }
    t.after(() => server.kill());

    // maria writes in English, wang in Chinese (their lang in the config).
    await chat(server.base, 'maria', 'customer add Acme Corp tier=A stage=lead');
    const en = /#(\d+)/.exec((await chat(server.base, 'maria', 'followup Acme in 2s call about the quote')).text);
    await chat(server.base, 'wang', 'customer add Huawei tier=A stage=lead');
    const zh = /#(\d+)/.exec((await chat(server.base, 'wang', 'followup Huawei in 2s call about the quote')).text);
    assert.ok(en && zh, 'no task ids in the follow-up replies');

    const reminderTo = (who) => smtp.received().find((m) => m.to === `${who}@example.com`
      && m.parts.some((p) => p.type === 'text/plain' && /Acme|Huawei/.test(p.text)));
    const deadline = Date.now() + 20000;
    while ((!reminderTo('maria') || !reminderTo('wang')) && Date.now() < deadline) await sleep(250);
    const toMaria = reminderTo('maria');
    const toWang = reminderTo('wang');
    assert.ok(toMaria && toWang,
      `reminders not received in 20 s: ${JSON.stringify(smtp.received())}\n${server.output()}`);

    for (const m of [toMaria, toWang]) {
      assert.equal(m.tls, true, 'STARTTLS was used');
      assert.equal(m.authenticated, true);
      assert.equal(m.login, 'mailer');
      assert.equal(m.mail_from, 'followupd@example.com');
      assert.equal(m.from_addr, 'followupd@example.com');
      assert.equal(m.from_name, '跟进助手');
      assert.equal(m.mime_version, '1.0');
      assert.equal(m.content_type, 'multipart/alternative');
      assert.match(m.message_id, /^<[A-Za-z0-9.]+@example\.com>$/);
      assert.ok(!Number.isNaN(Date.parse(m.date)), m.date);
      assert.deepEqual(m.defects, []);
      assert.ok(m.max_line <= 998, `a line of ${m.max_line} octets`);
      assert.equal(m.bare_lf, false);
      assert.deepEqual(m.parts.map((p) => [p.type, p.charset]), [['text/plain', 'utf-8'], ['text/html', 'utf-8']]);
    }
    assert.match(toMaria.subject, new RegExp(`^Follow-up due: #${en[1]} Acme Corp`), toMaria.subject);
    assert.match(toMaria.parts[0].text, new RegExp(`done ${en[1]}`));
    assert.match(toWang.subject, new RegExp(`^跟进提醒：#${zh[1]} Huawei`), toWang.subject);
    assert.match(toWang.parts[0].text, new RegExp(`完成 ${zh[1]}`));
    assert.notEqual(toMaria.message_id, toWang.message_id);

    // The e-mail platform has no webhook.
    const hook = await fetch(`${server.base}/hooks/email`, { method: 'POST', body: '{}' });
    assert.equal(hook.status, 404);

    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, server.output());
  });

test('start-up refuses email.tls "none" for a server that is not on this machine',
  { skip: SKIP || NO_AIOSMTPD, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const users = DEFAULT_USERS.map((u) => ({ ...u, identities: { email: `${u.handle}@example.com` },
      notify: 'email' }));
    const configFile = writeConfig(dir, users, {
      email: { enabled: true, host: 'smtp.example.com', tls: 'none', from: 'followupd@example.com' },
    });
    await assert.rejects(startServer(dir, configFile), /email\.tls/);
  });

test('a reminder stuck on a chat platform past email.fallback_after_s also goes by e-mail',
  { skip: SKIP || NO_AIOSMTPD, timeout: 90000 }, async (t) => {
    const dir = tempDir(t);
    const smtp = await startSmtp(t, dir);
    // Telegram's API at a port where nothing listens: every send there is retried.
    const closed = await new Promise((resolve) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
    });
    const users = DEFAULT_USERS.map((u) => (u.handle !== 'maria' ? u
      : { ...u, identities: { telegram: '111', email: 'maria@example.com' }, notify: 'telegram' }));
    const configFile = writeConfig(dir, users, {
      telegram: { enabled: true, token: '123:abc', api_base: `http://127.0.0.1:${closed}`, secret_token: 'tg-secret' },
      email: {
        enabled: true, host: '127.0.0.1', port: smtp.port, tls: 'starttls', username: 'mailer',
        password: 's3cret pass', from: 'followupd@example.com', ca_file: smtp.cert, fallback_after_s: 2,
      },
    });
    const server = await startServer(dir, configFile);
    t.after(() => server.kill());

    await chat(server.base, 'maria', 'customer add Acme Corp tier=A stage=lead');
    const task = /#(\d+)/.exec((await chat(server.base, 'maria', 'followup Acme in 1s call about the quote')).text);
    assert.ok(task, 'no task id in the follow-up reply');
    const deadline = Date.now() + 30000;
    let mail;
    while (!mail && Date.now() < deadline) {
      mail = smtp.received().find((m) => m.to === 'maria@example.com');
      if (!mail) await sleep(250);
    }
    assert.ok(mail, `no fallback e-mail within 30 s:\n${server.output()}`);
    assert.match(mail.subject, new RegExp(`^Follow-up due: #${task[1]} Acme Corp`), mail.subject);
    assert.match(server.output(), /telegram: delivery \d+ \(message \d+\) also queued on email/);
    // Once: the chat copy keeps retrying, the e-mail is not sent again.
    await sleep(3000);
    assert.equal(smtp.received().filter((m) => m.to === 'maria@example.com').length, 1);
    const exit = await server.stop();
    assert.deepEqual(exit, { code: 0, signal: null }, server.output());
  });
