// Signals and systemd: SIGHUP reloads what can change while running (users,
// teams, the log level) and names what needs a restart; a bad config is
// refused and the running one stays; the sd_notify messages a Type=notify
// unit waits for (READY, RELOADING, WATCHDOG, STOPPING) are sent.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/signals.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BIN, SKIP, chat, loginLink, signInWithLink, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

// Debian's python3 (scripts/lib.sh TEST_PACKAGES), whose standard library has sqlite3.
const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

const USERS = [
  { handle: 'li', name: 'Li Na', role: 'manager', team: 'East Sales', lang: 'en' },
  { handle: 'wang', name: 'Wang Wei', role: 'rep', team: 'East Sales', lang: 'en' },
  { handle: 'chen', name: 'Chen Gang', role: 'manager', team: 'West Sales', lang: 'en' },
];

// Waits until the server's output matches `re` after `from` characters.
async function waitOutput(server, re, from, ms = 10000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = re.exec(server.output().slice(from));
    if (m) return m;
    if (Date.now() > deadline) assert.fail(`no ${re} in the output within ${ms} ms:\n${server.output().slice(from)}`);
    await sleep(50);
  }
}

test('SIGHUP: users, teams and the log level applied, the port named as needing a restart, a bad config refused',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const extra = { teams: ['East Sales', 'West Sales'], log: { level: 'info' } };
    const configFile = writeConfig(dir, USERS, extra);
    const server = await startServer(dir, configFile);
    t.after(() => server.kill());

    assert.match((await chat(server.base, 'wang', 'whoami')).text, /in East Sales/);

    // wang moves to West Sales, a new rep joins, the log gets quieter, and the port changes.
    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    config.users[1].team = 'West Sales';
    config.users.push({ handle: 'zhao', name: 'Zhao Lei', role: 'rep', team: 'West Sales', lang: 'en' });
    config.log.level = 'warn';
    config.server.port = 1;
    fs.writeFileSync(configFile, JSON.stringify(config));
    let from = server.output().length;
    server.proc.kill('SIGHUP');
    const line = (await waitOutput(server, /SIGHUP: config reloaded.*/, from))[0];
    assert.match(line, /applied: log\.level, users \(added zhao; changed wang\)/, line);
    assert.match(line, /needs a restart: server\.port/, line);

    assert.match((await chat(server.base, 'wang', 'whoami')).text, /in West Sales/);
    assert.match((await chat(server.base, 'zhao', 'whoami')).text, /Zhao Lei \(zhao\)/);
    // The manager of West Sales now has wang among his reps.
    assert.match((await chat(server.base, 'chen', 'team')).text, /Wang Wei|wang/);
    // Still listening where it was: the new port waits for a restart.
    assert.equal((await fetch(`${server.base}/healthz`)).status, 200);

    // A time zone that does not exist: refused, naming the key; wang stays in West Sales.
    config.users[1].team = 'East Sales';
    config.users[1].time_zone = 'Mars/Olympus';
    fs.writeFileSync(configFile, JSON.stringify(config));
    from = server.output().length;
    server.proc.kill('SIGHUP');
    const refused = (await waitOutput(server, /SIGHUP: config not reloaded.*/, from))[0];
    assert.match(refused, /the running one stays: config: users\[1\]\.time_zone = "Mars\/Olympus"/, refused);
    assert.match((await chat(server.base, 'wang', 'whoami')).text, /in West Sales/);

    // log.level is warn now: a reload's info line no longer shows, its errors do.
    config.users[1].time_zone = 'Asia/Shanghai';
    config.users[1].team = 'West Sales';
    fs.writeFileSync(configFile, JSON.stringify(config));
    from = server.output().length;
    server.proc.kill('SIGHUP');  // no change: an info line, not shown
    await sleep(300);
    fs.writeFileSync(configFile, '{"users": [');
    server.proc.kill('SIGHUP');  // unreadable JSON: an error line
    await waitOutput(server, /SIGHUP: config not reloaded/, from);
    assert.doesNotMatch(server.output().slice(from), /no changes/);

    const exit = await server.stop();
    assert.equal(exit.code, 0, server.output());
  });

test('SIGHUP reopens log.file: logrotate moves the file away, the log goes on in a new one',
  { skip: SKIP, timeout: 30000 }, async (t) => {
    const dir = tempDir(t);
    const logFile = path.join(dir, 'followupd.log');
    const configFile = writeConfig(dir, undefined, { log: { level: 'info', file: logFile } });
    const server = await startServer(dir, configFile);
    t.after(() => server.kill());
    assert.match(fs.readFileSync(logFile, 'utf8'), /followupd listening on/);

    fs.renameSync(logFile, `${logFile}.1`);
    server.proc.kill('SIGHUP');
    for (let i = 0; i < 100 && !fs.existsSync(logFile); ++i) await sleep(50);
    assert.ok(fs.existsSync(logFile), 'no new log file after SIGHUP');
    for (let i = 0; i < 100 && !/config read again/.test(fs.readFileSync(logFile, 'utf8')); ++i) await sleep(50);
    const fresh = fs.readFileSync(logFile, 'utf8');
    assert.match(fresh, /SIGHUP: log file .* reopened/, fresh);
    assert.match(fresh, /SIGHUP: config read again: no changes/, fresh);
    assert.doesNotMatch(fs.readFileSync(`${logFile}.1`, 'utf8'), /SIGHUP/);

    const exit = await server.stop();
    assert.equal(exit.code, 0, server.output());
    assert.match(fs.readFileSync(logFile, 'utf8'), /stopped cleanly/);
  });

// A stand-in for systemd's notification socket: a Unix datagram socket whose
// messages python3 prints one per line.
function notifySocket(dir) {
  const socket = path.join(dir, 'notify');
  const reader = spawn(PYTHON, ['-u', '-c', `
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("bound", flush=True)
while True:
    print(s.recv(4096).decode().replace("\\n", " | "), flush=True)
`, socket], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Each message with the time it arrived.
  const got = [];
  let partial = '';
  reader.stdout.on('data', (d) => {
    const parts = (partial + d).split('\n');
    partial = parts.pop();
    for (const p of parts) if (p) got.push({ at: Date.now(), text: p });
  });
  return { socket, reader, lines: () => got.map((x) => x.text), timed: () => got };
}

// followupd spawned with systemd's environment for a notify unit with a watchdog.
function spawnNotified(t, dir, notify, watchdogUsec) {
  const configFile = writeConfig(dir);
  const portFile = path.join(dir, 'port');
  const proc = spawn(BIN, ['run', '--config', configFile, '--port-file', portFile], {
    cwd: dir, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NOTIFY_SOCKET: notify.socket, WATCHDOG_USEC: String(watchdogUsec) },
  });
  t.after(() => { if (proc.exitCode === null) proc.kill('SIGKILL'); });
  const run = { proc, portFile, configFile, output: '' };
  proc.stdout.on('data', (d) => { run.output += d; });
  proc.stderr.on('data', (d) => { run.output += d; });
  run.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
  return run;
}

test('sd_notify: READY once listening, WATCHDOG while running, RELOADING and READY around SIGHUP, STOPPING on SIGTERM',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const notify = notifySocket(dir);
    t.after(() => notify.reader.kill());
    for (let i = 0; i < 100 && !notify.lines().includes('bound'); ++i) await sleep(50);
    assert.ok(notify.lines().includes('bound'), 'the notify socket stand-in did not start');

    const run = spawnNotified(t, dir, notify, 400000);
    const { proc, portFile, exited } = run;

    const waitFor = async (pred, what) => {
      for (let i = 0; i < 200; ++i) {
        if (pred(notify.lines())) return;
        await sleep(50);
      }
      assert.fail(`${what}: got ${JSON.stringify(notify.lines())}\n${run.output}`);
    };
    await waitFor((l) => l.some((x) => /^READY=1 \| STATUS=listening on http:\/\/127\.0\.0\.1:\d+$/.test(x)), 'READY=1');
    assert.ok(fs.existsSync(portFile), 'READY=1 came before the port file was written');
    // WatchdogSec 0.4 s: a keep-alive every 0.2 s while the storage thread answers.
    await waitFor((l) => l.filter((x) => x === 'WATCHDOG=1').length >= 3, 'three WATCHDOG=1');
    assert.match(run.output, /watchdog: every 200 ms/);

    proc.kill('SIGHUP');
    await waitFor((l) => {
      const i = l.findIndex((x) => x.startsWith('RELOADING=1'));
      return i >= 0 && l.slice(i + 1).some((x) => x.startsWith('READY=1'));
    }, 'RELOADING=1 then READY=1');

    proc.kill('SIGTERM');
    await waitFor((l) => l.some((x) => x.startsWith('STOPPING=1')), 'STOPPING=1');
    assert.equal(await exited, 0, run.output);
  });

test('watchdog: no keep-alive while the storage thread is stuck, again once it answers',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const notify = notifySocket(dir);
    t.after(() => notify.reader.kill());
    for (let i = 0; i < 100 && !notify.lines().includes('bound'); ++i) await sleep(50);
    const run = spawnNotified(t, dir, notify, 400000);
    for (let i = 0; i < 200 && !fs.existsSync(run.portFile); ++i) await sleep(50);
    const base = `http://127.0.0.1:${fs.readFileSync(run.portFile, 'utf8').trim()}`;
    const pings = () => notify.timed().filter((x) => x.text === 'WATCHDOG=1').map((x) => x.at);
    for (let i = 0; i < 100 && pings().length < 2; ++i) await sleep(50);
    assert.ok(pings().length >= 2, `no keep-alive: ${JSON.stringify(notify.lines())}\n${run.output}`);

    // Signed in first: signing in writes to the database.
    const signed = await signInWithLink(base, loginLink(run.configFile, 'maria'));
    assert.equal(signed.status, 200, JSON.stringify(signed.body));
    const session = { Cookie: signed.cookie, 'X-CSRF-Token': signed.csrf };

    // Another process holds the database's write lock for 2.5 s; a chat
    // command's write then keeps the storage thread waiting for it.
    const locker = spawn(PYTHON, ['-u', '-c', `
import sqlite3, sys, time
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("BEGIN EXCLUSIVE")
print("locked", flush=True)
time.sleep(2.5)
c.execute("COMMIT")
print("released", flush=True)
`, path.join(dir, 't.db')], { stdio: ['ignore', 'pipe', 'inherit'] });
    t.after(() => locker.kill());
    let said = '';
    // Bounded: a poll that never gives up would keep the test file alive after a failure.
    const lockerSaid = (word) => new Promise((resolve, reject) => {
      const until = Date.now() + 15000;
      const check = () => {
        if (said.includes(word)) resolve(Date.now());
        else if (Date.now() > until) reject(new Error(`the locker never said '${word}': ${said}`));
        else setTimeout(check, 10);
      };
      check();
    });
    locker.stdout.on('data', (d) => { said += d; });
    const lockedAt = await lockerSaid('locked');
    const reply = fetch(`${base}/api/chat`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', ...session },
      body: JSON.stringify({ user: 'maria', text: 'customer add Stuck Ltd tier=B' }),
    }).then((r) => assert.equal(r.status, 200));
    // Taken just before the COMMIT is seen, less a margin for the checking loop.
    const releasedAt = (await lockerSaid('released')) - 20;
    await reply;  // answered once the lock is gone
    for (let i = 0; i < 100 && !pings().some((at) => at > releasedAt); ++i) await sleep(50);

    const during = pings().filter((at) => at > lockedAt + 600 && at < releasedAt - 50);
    assert.deepEqual(during, [], `keep-alives sent while the storage thread waited: ${during.length}`);
    assert.match(run.output, /watchdog: the storage thread has not answered for 200 ms/);
    assert.ok(pings().some((at) => at > releasedAt), 'no keep-alive after the storage thread answered again');
    run.proc.kill('SIGTERM');
    assert.equal(await run.exited, 0, run.output);
  });
