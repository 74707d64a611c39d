// Acknowledged writes survive kill -9: chat commands from several clients at
// once (so that they are committed in groups), the process killed in the middle
// of the stream, restarted on the same file: every command that got its reply
// is there. Once per storage.durability. (A kill -9 leaves the OS's page cache
// intact; what `full` adds, surviving a power cut, needs the machine to die,
// which a test here cannot do: docs/CONFIG.md says what each mode survives.)
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import test from 'node:test';

import { BIN, SKIP, auth, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const CLIENTS = 8;
const STREAM_MS = 1500;  // kill after this long …
const MAX_WRITES = 3000;  // … or this many acknowledged writes

async function add(base, name) {
  const res = await fetch(`${base}/api/chat`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', ...await auth(base, 'wang') },
    body: JSON.stringify({ user: 'wang', text: `customer add ${name}` }),
    signal: AbortSignal.timeout(10000),
  });
  if (res.status !== 200) return false;
  const body = await res.json();
  return typeof body?.reply?.text === 'string' && body.reply.text.includes(name);
}

// `full` (the default) is killed KILLS times on the same file, each time in the
// middle of a stream of writes; `normal` once.
const KILLS = { full: 10, normal: 1 };

// SQLite's own check of the file's structure: "ok", or what is broken.
function integrityCheck(file) {
  const r = spawnSync('python3', ['-c',
    'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("PRAGMA integrity_check").fetchone()[0])', file],
  { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

for (const durability of ['full', 'normal']) {
  test(`kill -9 loses no acknowledged write, ${KILLS[durability]} time(s) (storage.durability ${durability})`,
    { skip: SKIP, timeout: 120000 }, async (t) => {
      const dir = tempDir(t);
      const configFile = writeConfig(dir, undefined, {});
      const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
      config.storage.durability = durability;
      fs.writeFileSync(configFile, JSON.stringify(config, null, 2));

      const acknowledged = [];
      let next = 0;
      for (let round = 0; round < KILLS[durability]; ++round) {
        const server = await startServer(dir, configFile);
        t.after(() => server.kill());
        assert.match(server.output(), new RegExp(`durability ${durability}`));
        await auth(server.base, 'wang');  // signed in before the writes start: the window is for writes
        const before = acknowledged.length;
        let stop = false;
        const started = Date.now();
        const client = async (c) => {
          while (!stop) {
            const name = `Durable${c}x${next++}`;
            try {
              if (await add(server.base, name)) acknowledged.push(name);
            } catch { return; }  // the connection died with the process
            if (acknowledged.length - before >= MAX_WRITES || Date.now() - started > STREAM_MS) stop = true;
          }
        };
        const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
        while (!stop) await sleep(20);
        server.kill();  // SIGKILL while requests are in flight
        await Promise.all(clients);
        await server.stop();  // the process is gone before the next one opens the file
        assert.ok(acknowledged.length - before >= 20,
          `round ${round + 1}: only ${acknowledged.length - before} writes were acknowledged before the kill`);
      }

      const out = path.join(dir, 'customers.csv');
      const exp = spawnSync(BIN, ['export', 'customers', '--as', 'li', '-c', configFile, '-o', out],
        { encoding: 'utf8', timeout: 30000, cwd: dir });
      assert.equal(exp.status, 0, exp.stderr);
      const [header, ...rows] = fs.readFileSync(out, 'utf8').replace(/^\uFEFF/, '').split('\n');
      const nameColumn = header.split(',').indexOf('name');
      assert.ok(nameColumn >= 0, header);
      const names = rows.map((l) => l.split(',')[nameColumn]).filter((n) => n && n.startsWith('Durable'));
      const stored = new Set(names);
      const lost = acknowledged.filter((n) => !stored.has(n));
      const twice = names.length - stored.size;
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes were lost`);
      assert.equal(twice, 0, 'a write stored twice');
      if (config.storage.path) assert.equal(integrityCheck(config.storage.path), 'ok');
      t.diagnostic(`${KILLS[durability]} kill(s), ${acknowledged.length} acknowledged writes, ${lost.length} lost, `
        + `${twice} stored twice, ${names.length - acknowledged.length} stored unacknowledged; integrity_check ok`);
    });
}
