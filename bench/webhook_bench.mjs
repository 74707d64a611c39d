#!/usr/bin/env node
// Webhook rate of each platform adapter on loopback.
//
//   node bench/webhook_bench.mjs [path/to/followupd]   (or FOLLOWUPD_BIN)
//   BENCH_SECONDS=10 BENCH_CONCURRENCY=32 BENCH_PLATFORMS=telegram,slack
//
// Starts followupd (127.0.0.1, port 0, a temporary SQLite file) with the
// platforms enabled and their APIs pointed at a local stand-in that accepts
// every send at once. Then, per platform and for a bounded time, it posts
// authenticated webhooks, each a distinct event from a linked user saying
// `today`. Each one is verified, deduplicated, executed, and its reply queued
// as a delivery. Prints accepted webhooks/s and p50/p99 latency. (The replies
// then leave at the platform's pace: about one message a second per chat.)
// Loopback only; stops everything it started, by PID.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

const bin = path.resolve(process.argv[2] || process.env.FOLLOWUPD_BIN || 'build/followupd');
process.env.FOLLOWUPD_BIN = bin;
const { writeConfig, startServer } = await import('../tests/lib/followupd.mjs');

const seconds = Number(process.env.BENCH_SECONDS || 10);
const concurrency = Number(process.env.BENCH_CONCURRENCY || 32);
const platforms = (process.env.BENCH_PLATFORMS || 'telegram,slack').split(',');
const SECRET = 'bench-secret-token';
const SIGNING = 'bench-signing-secret';

// The stand-in platform API: every send succeeds.
let sends = 0;
const api = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => { body += d; });
  req.on('end', () => {
    sends += 1;
    res.setHeader('content-type', 'application/json');
    if (req.url.includes('conversations.open')) return res.end('{"ok":true,"channel":{"id":"D1"}}');
    if (req.url.startsWith('/bot')) return res.end(`{"ok":true,"result":{"message_id":${sends},"chat":{"id":1}}}`);
    res.end(`{"ok":true,"channel":"D1","ts":"1.${sends}"}`);
  });
});
await new Promise((r) => api.listen(0, '127.0.0.1', r));
const apiBase = `http://127.0.0.1:${api.address().port}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'followupd-bench-'));
const users = [{ handle: 'maria', name: 'Maria', role: 'rep', team: 'Bench', lang: 'en', time_zone: 'UTC',
  identities: { telegram: '1001', slack: 'U1001' } }];
const extra = {
  teams: ['Bench'],
  log: { level: 'warn' },
  telegram: { enabled: platforms.includes('telegram'), token: '123:bench', api_base: apiBase, secret_token: SECRET },
};
if (platforms.includes('slack'))
  extra.slack = { enabled: true, bot_token: 'xoxb-bench', signing_secret: SIGNING, api_base: apiBase };
const server = await startServer(dir, writeConfig(dir, users, extra));
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(pathName, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: pathName, method: 'POST', agent,
      headers: { 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end(body);
  });
}

let seq = 0;
const requests = {
  telegram: () => {
    const id = ++seq;
    const body = JSON.stringify({ update_id: id, message: { message_id: id, date: 0, text: 'today',
      from: { id: 1001, is_bot: false, first_name: 'Maria' }, chat: { id: 1001, type: 'private' } } });
    return ['/hooks/telegram', body,
      { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET }];
  },
  slack: () => {
    const id = ++seq;
    const body = JSON.stringify({ type: 'event_callback', event_id: `Ev${id}`, team_id: 'T1',
      event: { type: 'message', channel_type: 'im', channel: 'D1', user: 'U1001', text: 'today', ts: `${id}.0` } });
    const ts = Math.floor(Date.now() / 1000).toString();
    const sig = 'v0=' + crypto.createHmac('sha256', SIGNING).update(`v0:${ts}:${body}`).digest('hex');
    return ['/hooks/slack/events', body, { 'content-type': 'application/json',
      'x-slack-request-timestamp': ts, 'x-slack-signature': sig }];
  },
};

const results = [];
try {
  for (const platform of platforms) {
    const latencies = [];
    let bad = 0;
    const end = Date.now() + seconds * 1000;
    const worker = async () => {
      while (Date.now() < end) {
        const [p, body, headers] = requests[platform]();
        const t0 = process.hrtime.bigint();
        const status = await post(p, body, headers);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
        if (status !== 200) bad += 1;
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const elapsed = (Date.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2);
    const r = { platform, webhooks: latencies.length, per_second: (latencies.length / elapsed).toFixed(0),
      p50_ms: q(0.5), p99_ms: q(0.99), non200: bad };
    results.push(r);
    console.log(`webhook_bench: ${JSON.stringify(r)}`);
  }
} finally {
  agent.destroy();
  await server.stop(10000);
  api.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(results.every((r) => r.non200 === 0) ? 0 : 1);
