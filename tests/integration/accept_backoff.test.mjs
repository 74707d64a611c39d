// The real binary out of file descriptors: run under a 64-descriptor limit
// (prlimit), it is sent more idle connections than it can accept. It must
// neither spin nor flood its log while accept() fails with EMFILE, must go on
// serving the connections it has, and must answer new ones once some close.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/accept_backoff.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { BIN, SKIP, sleep, tempDir, writeConfig } from '../lib/followupd.mjs';

const LIMIT = 64;        // RLIMIT_NOFILE of the server; it uses about 17 at rest
const CONNECTIONS = 100; // well past what it can accept
const HAVE_PRLIMIT = spawnSync('prlimit', ['--version']).status === 0;

// CPU time (user + system) of a process so far, in seconds.
function cpuSeconds(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime, stime in clock ticks (USER_HZ 100)
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

// One GET on a socket of ours; resolves with the status line, or null after `ms`.
function getOn(socket, target, ms) {
  return new Promise((resolve) => {
    let data = '';
    const timer = setTimeout(() => resolve(null), ms);
    socket.on('data', (d) => {
      data += d;
      const end = data.indexOf('\r\n');
      if (end >= 0) { clearTimeout(timer); resolve(data.slice(0, end)); }
    });
    socket.on('error', () => { clearTimeout(timer); resolve(null); });
    socket.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
  });
}

test('out of file descriptors: accepting backs off, the log stays small, service resumes',
  { skip: SKIP || (!HAVE_PRLIMIT && 'prlimit is not installed'), timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-fds-');
    const configFile = writeConfig(dir);
    const portFile = path.join(dir, 'port');
    const proc = spawn('prlimit', [`--nofile=${LIMIT}:${LIMIT}`, BIN, 'run', '--config', configFile, '--port-file', portFile],
      { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });  // prlimit execs the server: proc.pid is the server's
    // The log, kept bounded: a server that spins writes hundreds of MB.
    let logBytes = 0;
    let log = '';
    const collect = (d) => { logBytes += d.length; if (log.length < 1 << 20) log += d; };
    proc.stdout.on('data', collect);
    proc.stderr.on('data', collect);
    const sockets = [];
    t.after(() => {
      for (const s of sockets) s.destroy();
      if (proc.exitCode === null) proc.kill('SIGKILL');
    });

    let port = 0;
    for (const deadline = Date.now() + 15000; !port && Date.now() < deadline; await sleep(50)) {
      try { port = Number.parseInt(fs.readFileSync(portFile, 'utf8'), 10) || 0; } catch { /* not yet */ }
    }
    assert.ok(port, `no port file:\n${log}`);

    // The first connection is accepted while descriptors remain: it must stay served.
    const first = await connect(port);
    sockets.push(first);
    assert.match(await getOn(first, '/healthz', 5000), /^HTTP\/1\.1 200/);
    // The rest: the kernel completes every handshake (the listen backlog), the
    // server accepts until EMFILE, then its accepts fail while they stay open.
    for (let i = 1; i < CONNECTIONS; i++) sockets.push(await connect(port));
    await sleep(500);
    const logBefore = logBytes;
    const cpuBefore = cpuSeconds(proc.pid);
    await sleep(3000);
    const cpu = cpuSeconds(proc.pid) - cpuBefore;
    const grown = logBytes - logBefore;
    const failures = (log.match(/cannot accept|accept failed/g) || []).length;
    assert.ok(failures >= 1, `accept never failed (is the limit applied?):\n${log.slice(0, 4000)}`);
    assert.ok(grown < 2000, `the log grew by ${grown} bytes in 3 s while out of descriptors:\n${log.slice(-2000)}`);
    assert.ok(failures <= 2, `${failures} log lines about failed accepts:\n${log.slice(0, 4000)}`);
    assert.ok(cpu < 0.5, `the server used ${cpu.toFixed(2)} s of CPU in 3 s while out of descriptors`);

    // Connections already accepted are still served meanwhile.
    assert.match(await getOn(first, '/healthz', 5000) ?? 'no answer', /^HTTP\/1\.1 200/);

    // Once connections close, descriptors come back and new clients are answered.
    for (const s of sockets.splice(0)) s.destroy();
    const res = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(10000) });
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: 'ok' });
    proc.kill('SIGTERM');
  });
