// The limits section end to end (docs/CONFIG.md, limits.*): live event
// streams per person and in all, connections in all, and the length of a chat
// command, each answered with a status and a reason rather than a stall.
// Loopback only; every socket and stream a test opens is closed at its end.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/limits.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { SKIP, auth, chat, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

// Opens GET /api/events as `user`; resolves with the status, the body of a
// refusal, and the request (to close an open stream).
async function openStream(base, user) {
  const headers = await auth(base, user);
  return new Promise((resolve, reject) => {
    const req = http.get(new URL('/api/events', base), { headers }, (res) => {
      if (res.statusCode === 200) { resolve({ status: 200, req }); return; }
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: JSON.parse(body), req }));
    });
    req.setTimeout(10000, () => req.destroy(new Error('no answer to GET /api/events')));
    req.on('error', reject);
  });
}

// One raw GET on a new connection: everything the server sent until it closed, or
// what came within `ms`.
function rawGet(port, target, ms = 5000) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let data = '';
    const timer = setTimeout(() => { s.destroy(); resolve(data); }, ms);
    s.on('connect', () => s.write(`GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`));
    s.on('data', (d) => { data += d; });
    s.on('close', () => { clearTimeout(timer); resolve(data); });
    s.on('error', () => {});
  });
}

test('live streams: over limits.streams_per_user is 429, over limits.streams_total 503, each saying why',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const server = await startServer(dir, writeConfig(dir, undefined,
      { limits: { streams_per_user: 2, streams_total: 3 } }));
    const open = [];
    t.after(async () => {
      for (const s of open) s.req.destroy();
      await server.stop();
    });

    for (let i = 0; i < 2; i++) {
      const s = await openStream(server.base, 'maria');
      open.push(s);
      assert.equal(s.status, 200);
    }
    const third = await openStream(server.base, 'maria');
    assert.equal(third.status, 429);
    assert.match(third.body.error, /maria already has 2 live event streams open \(limits\.streams_per_user\)/);

    // Another person still gets one, up to the total.
    const li = await openStream(server.base, 'li');
    open.push(li);
    assert.equal(li.status, 200);
    const wang = await openStream(server.base, 'wang');
    assert.equal(wang.status, 503);
    assert.match(wang.body.error, /all its 3 live event streams open \(limits\.streams_total\)/);

    // The chat itself is not held up by them.
    const reply = await chat(server.base, 'maria', 'today');
    assert.equal(typeof reply.text, 'string');
  });

test('connections: past limits.connections a new one gets 503 with a reason and Connection: close, at once',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const LIMIT = 16;
    const server = await startServer(dir, writeConfig(dir, undefined,
      { limits: { connections: LIMIT, streams_total: 8 } }));
    const idle = [];
    t.after(async () => {
      for (const s of idle) s.destroy();
      await server.stop();
    });

    // Idle connections up to the limit: accepted, waiting for a request.
    for (let i = 0; i < LIMIT; i++) {
      idle.push(await new Promise((resolve, reject) => {
        const s = net.connect({ host: '127.0.0.1', port: server.port });
        s.once('connect', () => resolve(s));
        s.once('error', reject);
      }));
    }
    await sleep(300);  // all accepted

    const started = Date.now();
    const answer = await rawGet(server.port, '/healthz');
    const took = Date.now() - started;
    assert.match(answer, /^HTTP\/1\.1 503/, `answer: ${answer.slice(0, 300)}`);
    assert.match(answer, /\r\nConnection: close\r\n/i);
    assert.match(answer, /\r\nRetry-After: 1\r\n/i);
    assert.match(answer, /all its 16 connections open \(limits\.connections\)/);
    assert.ok(took < 3000, `the 503 took ${took} ms`);
    assert.match(server.output(), /connections open, the limit \(limits\.connections\)/);

    // Once connections close, new ones are served again.
    for (const s of idle.splice(0)) s.destroy();
    await sleep(300);
    assert.match(await rawGet(server.port, '/healthz'), /^HTTP\/1\.1 200/);
  });

test('a chat command over limits.command_chars is answered in the person\'s language, with its length',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const server = await startServer(dir, writeConfig(dir, undefined, { limits: { command_chars: 500 } }));
    t.after(() => server.stop());
    const zh = await chat(server.base, 'wang', `新客户 ${'客'.repeat(600)}`);
    assert.match(zh.text, /这条消息有 604 个字符，一条命令最多 500 个字符/);
    const en = await chat(server.base, 'maria', `customer add ${'x'.repeat(900_000)}`);
    assert.match(en.text, /That message is 900013 characters long; a command may have at most 500/);
    assert.doesNotMatch((await chat(server.base, 'maria', 'customers')).text, /xxxx/);
  });

test('SIGHUP applies a changed limit to the next stream',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const dir = tempDir(t);
    const configFile = writeConfig(dir, undefined, { limits: { streams_per_user: 1 } });
    const server = await startServer(dir, configFile);
    const open = [];
    t.after(async () => {
      for (const s of open) s.req.destroy();
      await server.stop();
    });
    const first = await openStream(server.base, 'maria');
    open.push(first);
    assert.equal(first.status, 200);
    assert.equal((await openStream(server.base, 'maria')).status, 429);

    const config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
    config.limits.streams_per_user = 2;
    fs.writeFileSync(configFile, JSON.stringify(config));
    const from = server.output().length;
    server.proc.kill('SIGHUP');
    for (const deadline = Date.now() + 10000; !/SIGHUP: config reloaded/.test(server.output().slice(from)); await sleep(50))
      assert.ok(Date.now() < deadline, `no reload line:\n${server.output().slice(from)}`);
    assert.match(server.output().slice(from), /applied: limits\.streams_per_user; needs a restart: none/);
    const second = await openStream(server.base, 'maria');
    open.push(second);
    assert.equal(second.status, 200);
  });
