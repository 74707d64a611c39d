// Secrets from files (`<key>_file`, as Docker secrets and systemd's
// LoadCredential= give them), and the tools that only open the database need
// no platform secret.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, DEFAULT_USERS, SKIP, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

function run(args, env = {}) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 20000, env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test('web_chat.token_file and a platform secret from $CREDENTIALS_DIRECTORY; errors name the _file key, never the secret',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const creds = path.join(dir, 'credentials');
    fs.mkdirSync(creds);
    fs.writeFileSync(path.join(creds, 'web_token'), 'tok-from-file\n');
    fs.writeFileSync(path.join(creds, 'telegram_token'), '123456:file-secret\n');
    const telegram = { enabled: true, token_file: 'telegram_token', api_base: 'http://127.0.0.1:9', mode: 'webhook', secret_token: 'file-test' };
    // The shared web token is for the demo's pick mode (demo.seed on loopback).
    const demo = { seed: true };
    const web = { auth: 'pick', token_file: path.join(creds, 'web_token') };
    const configFile = writeConfig(dir, DEFAULT_USERS, { web_chat: web, demo, telegram });

    // check-config reads the relative file from the credentials folder.
    const ok = run(['check-config', '--config', configFile], { CREDENTIALS_DIRECTORY: creds });
    assert.equal(ok.code, 0, ok.err);
    const missing = run(['check-config', '--config', configFile], { CREDENTIALS_DIRECTORY: path.join(dir, 'nowhere') });
    assert.equal(missing.code, 2);
    assert.match(missing.err, /telegram\.token_file/);
    assert.match(missing.err, /No such file/);
    assert.doesNotMatch(missing.err, /file-secret/);

    const both = writeConfig(path.join(dir), DEFAULT_USERS, {
      web_chat: { token: 'x', token_file: path.join(creds, 'web_token') },
    });
    const twice = run(['check-config', '--config', both]);
    assert.equal(twice.code, 2);
    assert.match(twice.err, /web_chat\.token_file.*only one of web_chat\.token and web_chat\.token_file/);

    // The server takes the web chat's token from its file.
    writeConfig(dir, DEFAULT_USERS, { web_chat: web, demo, telegram });
    process.env.CREDENTIALS_DIRECTORY = creds;
    let server;
    try {
      server = await startServer(dir, configFile);
    } finally {
      delete process.env.CREDENTIALS_DIRECTORY;
    }
    t.after(() => server.kill());
    assert.equal((await fetch(`${server.base}/api/users`)).status, 401);
    const withToken = await fetch(`${server.base}/api/users`, { headers: { authorization: 'Bearer tok-from-file' } });
    assert.equal(withToken.status, 200);
  });

test('token create needs only the storage section: an enabled platform without its secret does not stop it',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const users = [...DEFAULT_USERS, { handle: 'boss', name: 'Boss', role: 'admin' }];
    const configFile = writeConfig(dir, users, {
      telegram: { enabled: true, token_file: '/nonexistent/telegram_token', mode: 'webhook' },
    });
    // The server itself refuses to start without it, naming the key...
    const check = run(['check-config', '--config', configFile]);
    assert.equal(check.code, 2);
    assert.match(check.err, /telegram\.token_file/);
    // ...but the tools that only open the database run.
    const token = run(['token', 'create', '--name', 'crm', '--all', '--as', 'boss', '-c', configFile]);
    assert.equal(token.code, 0, token.err);
    assert.match(token.out, /\S{20,}/);
    const exported = run(['export', 'customers', '--as', 'boss', '-c', configFile]);
    assert.equal(exported.code, 0, exported.err);
  });
