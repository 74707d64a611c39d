// `followupd backup` while the service runs, and `followupd restore` with the
// right key, a wrong key and no key. (That migrations back the database up
// first is tested in tests/unit/storage/backup_test.cpp.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, ENGINE, SKIP, chat, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const skip = SKIP || (ENGINE !== 'sqlite' && 'backup and restore are for the SQLite engine');

function run(args) {
  const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 30000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const sql = (db, q) => spawnSync('sqlite3', [db, q], { encoding: 'utf8' }).stdout.trim();

test('backup while running; restore refuses no key and a wrong key, never writes a key, and restores with the right one',
  { skip, timeout: 120000 }, async (t) => {
    const dir = tempDir(t);
    const configFile = writeConfig(dir);
    const server = await startServer(dir, configFile);
    t.after(() => server.kill());
    for (let i = 0; i < 20; i++) await chat(server.base, 'maria', `customer add Backup Co ${i} phone=+49 30 1234 ${1000 + i}`);

    // A consistent copy while the server runs (and keeps writing).
    const writing = Promise.all([1, 2, 3].map((i) => chat(server.base, 'maria', `customer add During ${i}`)));
    const backupFile = path.join(dir, 'backups', 'b1.db');
    fs.mkdirSync(path.dirname(backupFile));
    const b = run(['backup', backupFile, '-c', configFile]);
    await writing;
    assert.equal(b.code, 0, b.err);
    assert.match(b.out, /contacts key fingerprint: [0-9a-f]{16}/);
    const manifest = JSON.parse(fs.readFileSync(`${backupFile}.json`, 'utf8'));
    assert.equal(manifest.schema_version > 0, true);
    assert.match(manifest.contacts_key_check, /^[0-9a-f]{64}$/);
    assert.equal(sql(backupFile, 'PRAGMA integrity_check'), 'ok');
    const backedUp = Number(sql(backupFile, "SELECT count(*) FROM customers WHERE name LIKE 'Backup Co%'"));
    assert.equal(backedUp, 20);
    // Phones are sealed in the backup as in the database.
    assert.equal(sql(backupFile, "SELECT count(*) FROM customers WHERE phone LIKE '%1234%'"), '0');

    // A backup never overwrites.
    const again = run(['backup', backupFile, '-c', configFile]);
    assert.equal(again.code, 1);
    assert.match(again.err, /exists already/);

    // Restoring into the running server's database is refused.
    const busy = run(['restore', backupFile, '-c', configFile]);
    assert.equal(busy.code, 1);
    assert.match(busy.err, /in use by another process/);
    assert.equal((await server.stop()).code, 0);

    // Another machine: no key yet. Refused, and no key file is made.
    const dir2 = tempDir(t);
    const config2 = writeConfig(dir2);
    const noKey = run(['restore', backupFile, '-c', config2]);
    assert.equal(noKey.code, 1, noKey.out);
    assert.match(noKey.err, /no key at .*t\.db\.key/);
    assert.match(noKey.err, new RegExp(manifest.contacts_key_check.slice(0, 16)));
    assert.equal(fs.existsSync(path.join(dir2, 't.db.key')), false);
    assert.equal(fs.existsSync(path.join(dir2, 't.db')), false);

    // A wrong key: refused naming both fingerprints.
    fs.writeFileSync(path.join(dir2, 't.db.key'), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
    const wrong = run(['restore', backupFile, '-c', config2]);
    assert.equal(wrong.code, 1);
    assert.match(wrong.err, /is not the key that sealed this backup/);
    assert.equal(fs.readFileSync(path.join(dir2, 't.db.key'), 'utf8'), `${'ab'.repeat(32)}\n`);

    // The right key: restored, and the server starts on it with the contacts readable.
    fs.copyFileSync(path.join(dir, 't.db.key'), path.join(dir2, 't.db.key'));
    const ok = run(['restore', backupFile, '-c', config2]);
    assert.equal(ok.code, 0, ok.err);
    const server2 = await startServer(dir2, config2);
    t.after(() => server2.kill());
    const who = await chat(server2.base, 'maria', 'who Backup Co 7');
    assert.match(who.text, /1234 1007|12341007/, who.text);
    assert.equal((await server2.stop()).code, 0);

    // Restoring over a database keeps the one it replaces.
    const over = run(['restore', backupFile, '-c', config2]);
    assert.equal(over.code, 0, over.err);
    assert.match(over.out, /kept in .*t\.db\.before-restore-/);
    assert.ok(fs.readdirSync(dir2).some((f) => f.startsWith('t.db.before-restore-')));
  });
