// A stand-in for the Slack Web API for the peer tests: plain node:http on
// 127.0.0.1 with an ephemeral port. It records every call, keeps the messages
// it accepted (with their blocks) per channel, applies chat.update to them, and
// fails chat.postMessage on demand (429 with Retry-After, 5xx).
//
//   const api = await SlackWebApi.start({ token, dms: { U123: 'D0MARIA' } });
//   api.base                      -> 'http://127.0.0.1:<port>/api' (followupd's slack.api_base)
//   api.failPosts(429, 500)       -> the next postMessage calls answer these, in order
//   api.messages(channel)         -> [{ ts, text, blocks, edits: [{ text, blocks }] }] accepted posts
//   api.calls                     -> [{ method, status, auth, body }] every call, answered
//   await api.waitFor(() => …, ms, what)
//   await api.stop()
import http from 'node:http';
import { closeServer, waitFor } from '../lib/stand_in.mjs';

export class SlackWebApi {
  static async start(options) {
    const api = new SlackWebApi(options);
    await new Promise((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.base = `http://127.0.0.1:${api.server.address().port}/api`;
    return api;
  }

  constructor({ token, dms = {} }) {
    this.token = token;
    this.dms = dms;
    this.calls = [];
    this.failures = [];
    this.channels = new Map();  // channel -> [{ ts, text, blocks, edits }]
    this.seq = 0;
    this.server = http.createServer((req, res) => this.#serve(req, res));
  }

  failPosts(...statuses) { this.failures.push(...statuses); }

  messages(channel) { return this.channels.get(channel) ?? []; }

  waitFor(probe, ms, what) { return waitFor(probe, ms, what); }

  stop() { return closeServer(this.server); }

  #serve(req, res) {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const method = (req.url || '').replace(/^\/api\//, '').split('?')[0];
      let body = null;
      try { body = JSON.parse(raw); } catch { /* recorded as null */ }
      const [status, answer, headers] = this.#answer(method, body, req.headers);
      this.calls.push({ method, status, auth: req.headers.authorization, contentType: req.headers['content-type'], body });
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(answer));
    });
  }

  #answer(method, body, headers) {
    if (headers.authorization !== `Bearer ${this.token}`) return [200, { ok: false, error: 'invalid_auth' }];
    if (!body) return [200, { ok: false, error: 'invalid_json' }];
    if (method === 'conversations.open') {
      const channel = this.dms[body.users];
      return channel ? [200, { ok: true, channel: { id: channel } }] : [200, { ok: false, error: 'user_not_found' }];
    }
    if (method === 'chat.postMessage') {
      const failure = this.failures.shift();
      if (failure === 429) return [429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '1' }];
      if (failure) return [failure, { ok: false, error: 'internal_error' }];
      if (!body.channel || typeof body.text !== 'string') return [200, { ok: false, error: 'channel_not_found' }];
      const ts = `${1700000000 + ++this.seq}.000100`;
      const list = this.channels.get(body.channel) ?? [];
      list.push({ ts, text: body.text, blocks: body.blocks ?? [], edits: [] });
      this.channels.set(body.channel, list);
      return [200, { ok: true, channel: body.channel, ts, message: { text: body.text } }];
    }
    if (method === 'chat.update') {
      const m = this.messages(body.channel).find((x) => x.ts === body.ts);
      if (!m) return [200, { ok: false, error: 'message_not_found' }];
      m.edits.push({ text: body.text, blocks: body.blocks ?? [] });
      return [200, { ok: true, channel: body.channel, ts: body.ts, text: body.text }];
    }
    return [200, { ok: false, error: 'unknown_method' }];
  }
}
