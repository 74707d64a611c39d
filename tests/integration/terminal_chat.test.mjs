// End-to-end test of the terminal chat client (`followupd chat`) against the real binary.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/terminal_chat.test.mjs
//
// Starts `followupd run --config <tmp>/config.json --port-file <tmp>/port` (as in
// chat_flow.test.mjs), then runs `followupd chat --as … --url …` with piped stdin/stdout
// and drives it like a person at a terminal. Every wait is bounded; only processes
// this file spawned are ever signalled.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { BIN, SKIP, loginLink, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const USERS = [
  { handle: 'maria', name: 'Maria', role: 'rep', team: 'East Sales', lang: 'en', time_zone: 'Europe/Berlin' },
  { handle: 'wang', name: 'Wang Wei', role: 'rep', team: 'East Sales', lang: 'zh', time_zone: 'Asia/Shanghai' },
];

// Runs `followupd chat …` with piped stdio. `waitFor` resolves with the first match of
// a pattern in stdout written after position `from`; `exit` waits for the exit code.
function startChat(args) {
  const proc = spawn(BIN, ['chat', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { err += d; });
  proc.stdin.on('error', () => { /* the client may exit before reading everything */ });
  let exit = null;
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => { exit = { code, signal }; resolve(exit); }));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    write(line) { proc.stdin.write(line); },
    end() { proc.stdin.end(); },
    async waitFor(re, { from = 0, timeoutMs = 10000, what = String(re) } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const m = re.exec(out.slice(from));
        if (m) return { match: m, end: from + m.index + m[0].length };
        if (exit) throw new Error(`chat exited (${JSON.stringify(exit)}) before ${what}; stdout:\n${out}\nstderr:\n${err}`);
        if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs} ms; stdout:\n${out}\nstderr:\n${err}`);
        await sleep(50);
      }
    },
    async exit(ms = 15000) {
      const timer = setTimeout(() => { if (!exit) proc.kill('SIGKILL'); }, ms);
      const e = await exited;
      clearTimeout(timer);
      return e;
    },
    kill() { if (!exit && proc.exitCode === null) proc.kill('SIGKILL'); },
  };
}

// A loopback port nothing listens on: bind an ephemeral one, then release it.
async function closedPort() {
  const srv = net.createServer();
  await new Promise((resolve, reject) => { srv.once('error', reject); srv.listen(0, '127.0.0.1', resolve); });
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('terminal chat: add, schedule, pushed reminder with shortcuts, press 1 = done, Ctrl-D exits 0',
  { skip: SKIP, timeout: 90000 }, async (t) => {
    const dir = tempDir(t, 'followupd-term-');
    const configFile = writeConfig(dir, USERS);
    const server = await startServer(dir, configFile);
    t.after(() => server.kill());

    // The server signs people in: the client takes a sign-in link (as `login` in chat or `followupd login-link` give).
    const link = `${server.base}/#sign-in=${loginLink(configFile, 'maria')}`;
    const chat = startChat(['--as', 'maria', '--url', server.base, '--link', link]);
    t.after(() => chat.kill());

    let pos = (await chat.waitFor(/Hello, Maria! Connected to .* as maria\./, { what: 'greeting' })).end;

    chat.write('customer add Delta Inc\n');
    pos = (await chat.waitFor(/Delta/, { from: pos, what: 'reply to customer add' })).end;

    chat.write('followup Delta in 2s call\n');
    const scheduled = await chat.waitFor(/Follow-up scheduled: #(\d+)/, { from: pos, what: 'reply with a task id (#N) to followup' });
    const id = Number(scheduled.match[1]);
    pos = scheduled.end;

    // The poller prints the pushed reminder: header, text, then numbered shortcuts.
    const reminder = await chat.waitFor(
      new RegExp(`⏰ reminder\\n[^]*?Delta[^]*?\\n  \\[1\\] [^\\n]*→ done ${id}\\n` +
                 `  \\[2\\] [^\\n]*→ snooze ${id} 1h\\n  \\[3\\] [^\\n]*→ snooze ${id} tomorrow 9:00\\n`),
      { from: pos, timeoutMs: 15000, what: `pushed reminder for #${id} with [1]..[3] shortcuts` });
    pos = reminder.end;

    chat.write('1\n');
    pos = (await chat.waitFor(new RegExp(`→ done ${id}\\n`), { from: pos, what: 'echo of the pressed shortcut' })).end;
    const done = await chat.waitFor(new RegExp(`[^\\n]*#${id}(?!\\d)[^\\n]*`), { from: pos, what: `reply naming #${id}` });
    assert.match(done.match[0], /done/i, `done reply: ${done.match[0]}\nstdout:\n${chat.stdout()}`);

    chat.end();
    const exit = await chat.exit();
    assert.deepEqual(exit, { code: 0, signal: null }, `chat exit ${JSON.stringify(exit)}; stdout:\n${chat.stdout()}\nstderr:\n${chat.stderr()}`);
    assert.doesNotMatch(chat.stdout(), /cannot fetch reminders|error \d{3}|bad answer/, chat.stdout());

    const sexit = await server.stop();
    assert.deepEqual(sexit, { code: 0, signal: null }, `server exit ${JSON.stringify(sexit)}:\n${server.output()}`);
  });

test('terminal chat: without a link or a chat platform for the code, it says how to sign in and exits 1',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-term-');
    const server = await startServer(dir, writeConfig(dir, USERS));
    t.after(() => server.kill());
    const chat = startChat(['--as', 'maria', '--url', server.base]);
    t.after(() => chat.kill());
    chat.end();
    const exit = await chat.exit();
    const all = chat.stdout() + chat.stderr();
    assert.deepEqual(exit, { code: 1, signal: null }, `exit ${JSON.stringify(exit)}:\n${all}`);
    assert.match(all, /no chat platform to send a code to/, all);
    assert.match(all, /--link/, all);
    const used = startChat(['--as', 'maria', '--url', server.base, '--link', 'not-a-real-token']);
    t.after(() => used.kill());
    used.end();
    assert.deepEqual(await used.exit(), { code: 1, signal: null });
    assert.match(used.stdout() + used.stderr(), /sign-in refused: this sign-in link is wrong, used or expired/);
  });

test('terminal chat: in the demo (pick who you are) an unknown user exits 2 and lists the known users',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t, 'followupd-term-');
    const server = await startServer(dir, writeConfig(dir, USERS, { demo: { seed: true } }));
    t.after(() => server.kill());

    const chat = startChat(['--as', 'nobody', '--url', server.base]);
    t.after(() => chat.kill());
    chat.end();
    const exit = await chat.exit();
    const all = chat.stdout() + chat.stderr();
    assert.deepEqual(exit, { code: 2, signal: null }, `exit ${JSON.stringify(exit)}:\n${all}`);
    assert.match(all, /nobody/, all);
    assert.match(all, /^ +maria +Maria \(rep, East Sales\)$/m, all);
    assert.match(all, /^ +wang +Wang Wei \(rep, East Sales\)$/m, all);

    const sexit = await server.stop();
    assert.deepEqual(sexit, { code: 0, signal: null }, `server exit ${JSON.stringify(sexit)}:\n${server.output()}`);
  });

test('terminal chat: nothing listening at the URL exits 1 naming the URL',
  { skip: SKIP, timeout: 30000 }, async (t) => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    const chat = startChat(['--as', 'maria', '--url', url]);
    t.after(() => chat.kill());
    chat.end();
    const exit = await chat.exit();
    const all = chat.stdout() + chat.stderr();
    assert.deepEqual(exit, { code: 1, signal: null }, `exit ${JSON.stringify(exit)}:\n${all}`);
    assert.match(all, new RegExp(escape(url)), all);
    assert.match(all, /cannot connect|connection refused/i, all);
  });
