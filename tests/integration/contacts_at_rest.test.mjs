// Customers' contacts at rest, through the real binary: the database file
// holds none of them, the key file beside it is its owner's only and is reused
// after a restart and by the command line, and a wrong key stops start-up with
// the key's name.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/contacts_at_rest.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, SKIP, chat, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const PHONE = '13812345678';
const EMAIL = 'anna@acme-corp.example';

const bytes = (file) => (fs.existsSync(file) ? fs.readFileSync(file).toString('latin1') : '');

test('contacts at rest: sealed in the file, readable with the key, refused with another',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-contacts-');
    const configFile = writeConfig(dir);
    const db = path.join(dir, 't.db');

    let server = await startServer(dir, configFile);
    t.after(() => server.kill());
    assert.match(server.output(), /contacts are encrypted with a new key in .*t\.db\.key/);
    const added = (await chat(server.base, 'wang', `customer add Acme phone=${PHONE} email=${EMAIL}`)).text;
    assert.match(added, /Acme/);
    assert.match((await chat(server.base, 'wang', 'who Acme')).text, new RegExp(PHONE));
    assert.deepEqual(await server.stop(5000), { code: 0, signal: null });

    const raw = bytes(db) + bytes(`${db}-wal`);
    assert.ok(raw.includes('Acme'), 'the customer is not in the file at all');
    assert.ok(!raw.includes(PHONE), 'the phone number is readable in the database file');
    assert.ok(!raw.includes(EMAIL), 'the email is readable in the database file');
    const key = fs.statSync(`${db}.key`);
    assert.equal(key.mode & 0o777, 0o600);

    // Restarted: the same key, the contacts as they were.
    server = await startServer(dir, configFile);
    assert.ok(!/new key/.test(server.output()), server.output());
    assert.match((await chat(server.base, 'wang', 'who Acme')).text, new RegExp(PHONE));
    assert.deepEqual(await server.stop(5000), { code: 0, signal: null });

    // The command line finds the key too: an export shows the contacts.
    const out = path.join(dir, 'out.csv');
    const exp = spawnSync(BIN, ['export', 'customers', '--as', 'li', '-c', configFile, '-o', out],
      { encoding: 'utf8', timeout: 20000 });
    assert.equal(exp.status, 0, exp.stderr);
    assert.ok(fs.readFileSync(out, 'utf8').includes(PHONE));

    // Another key: start-up stops, naming the key, and the file is untouched.
    const before = bytes(db);
    const wrong = spawnSync(BIN, ['run', '--config', configFile], {
      encoding: 'utf8', timeout: 20000, cwd: dir,
      env: { ...process.env, FOLLOWUPD_STORAGE_CONTACTS_KEY: 'ab'.repeat(32) },
    });
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stdout + wrong.stderr, /storage\.contacts_key/);
    assert.equal(bytes(db), before);
  });
