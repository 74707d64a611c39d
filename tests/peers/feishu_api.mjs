// A stand-in for the Feishu / Lark Open API for the peer tests: plain node:http
// on 127.0.0.1 with an ephemeral port. It issues tenant_access_tokens, accepts
// im/v1/messages (text and interactive cards) and PATCHes of cards, records every
// request exactly as it came, and can expire the current token early.
//
//   const api = await FeishuApi.start({ appId, appSecret, p2p: { ou_wang: 'oc_wang' } });
//   api.base                   -> 'http://127.0.0.1:<port>' (followupd's feishu.api_base)
//   api.expireToken()          -> the token in use answers 99991663 from now on
//   api.tokenRequests          -> [{ body, status }] every token request
//   api.calls                  -> [{ method, path, query, auth, contentType, body, status, code, at }] every message call
//   api.messages(chatId)       -> [{ message_id, msg_type, content, via, edits: [content] }] accepted, content parsed
//   api.delayMs = 12000        -> im/v1/messages POSTs are answered this late (a slow platform)
//   api.dropAnswers = 1        -> this many POSTs are accepted, then the connection closes unanswered
//   api.refuse = (body) => …   -> [status, answer, headers] to refuse an im/v1/messages POST with
//                                 (an outage: 500, a rate limit: 429), or undefined to take it
// As Feishu does, a POST whose `uuid` was seen within the hour creates nothing
// and answers with the message it created then.
//   await api.waitFor(() => …, ms, what)
//   await api.stop()
import http from 'node:http';
import { closeServer, waitFor } from '../lib/stand_in.mjs';

const TOKEN_INVALID = { code: 99991663, msg: 'Invalid access token for authorization. Please make a request with token attached.' };
const TOKEN_MISSING = { code: 99991661, msg: 'Missing access token for authorization. Please make a request with token attached.' };

export class FeishuApi {
  static async start(options) {
    const api = new FeishuApi(options);
    await new Promise((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.base = `http://127.0.0.1:${api.server.address().port}`;
    return api;
  }

  constructor({ appId, appSecret, p2p = {} }) {
    this.appId = appId;
    this.appSecret = appSecret;
    this.p2p = p2p;                 // open_id -> the p2p chat with the bot
    this.valid = new Set();         // tokens that are accepted
    this.current = '';
    this.tokenRequests = [];
    this.calls = [];
    this.chats = new Map();         // chat_id -> messages
    this.byId = new Map();          // message_id -> message
    this.seq = 0;
    this.uuids = new Map();         // uuid -> the answer of the message it created
    this.delayMs = 0;
    this.dropAnswers = 0;
    this.refuse = null;
    this.server = http.createServer((req, res) => this.#serve(req, res));
  }

  expireToken() { this.valid.delete(this.current); }

  messages(chatId) { return this.chats.get(chatId) ?? []; }

  waitFor(probe, ms, what) { return waitFor(probe, ms, what); }

  stop() { return closeServer(this.server); }

  #serve(req, res) {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://x');
      let body = null;
      try { body = JSON.parse(raw); } catch { /* recorded as null */ }
      let status;
      let answer;
      let headers = {};
      const refused = req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages' ? this.refuse?.(body) : undefined;
      if (refused) {
        [status, answer, headers = {}] = refused;
        this.calls.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams),
          auth: req.headers.authorization, contentType: req.headers['content-type'], body, status, code: answer.code,
          at: Date.now() });
      } else if (url.pathname === '/open-apis/auth/v3/tenant_access_token/internal') {
        [status, answer] = this.#token(req, body);
        this.tokenRequests.push({ method: req.method, contentType: req.headers['content-type'], body, status });
      } else {
        [status, answer] = this.#message(req, url, body);
        this.calls.push({ method: req.method, path: url.pathname, query: Object.fromEntries(url.searchParams),
          auth: req.headers.authorization, contentType: req.headers['content-type'], body, status, code: answer.code,
          at: Date.now() });
        if (req.method === 'POST' && this.dropAnswers > 0) {
          this.dropAnswers -= 1;
          req.socket.destroy();  // accepted, but the sender never hears of it
          return;
        }
      }
      const send = () => {
        res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
        res.end(JSON.stringify(answer));
      };
      if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages' && this.delayMs > 0) {
        setTimeout(send, this.delayMs);
      } else {
        send();
      }
    });
  }

  #token(req, body) {
    if (req.method !== 'POST' || body?.app_id !== this.appId || body?.app_secret !== this.appSecret) {
      return [400, { code: 10014, msg: 'app secret invalid' }];
    }
    this.current = `t-${this.tokenRequests.length + 1}`;
    this.valid.add(this.current);
    return [200, { code: 0, msg: 'ok', tenant_access_token: this.current, expire: 7200 }];
  }

  #message(req, url, body) {
    const auth = req.headers.authorization ?? '';
    if (!auth.startsWith('Bearer ')) return [400, TOKEN_MISSING];
    if (!this.valid.has(auth.slice(7))) return [400, TOKEN_INVALID];
    if (!body) return [400, { code: 9499, msg: 'Bad Request' }];
    const patch = /^\/open-apis\/im\/v1\/messages\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'PATCH' && patch) return this.#update(decodeURIComponent(patch[1]), body);
    if (req.method === 'POST' && url.pathname === '/open-apis/im/v1/messages') return this.#create(url, body);
    return [404, { code: 404, msg: 'no such API' }];
  }

  #create(url, body) {
    const seen = typeof body.uuid === 'string' ? this.uuids.get(body.uuid) : undefined;
    if (seen && Date.now() - seen.at < 3600 * 1000) return seen.answer;
    const type = url.searchParams.get('receive_id_type');
    const chatId = type === 'chat_id' ? body.receive_id : type === 'open_id' ? this.p2p[body.receive_id] : undefined;
    if (!chatId) return [400, { code: 230001, msg: `invalid receive_id for ${type}` }];
    if (!['text', 'interactive'].includes(body.msg_type) || typeof body.content !== 'string') {
      return [400, { code: 230001, msg: 'invalid msg_type or content' }];
    }
    const message = { message_id: `om_${++this.seq}`, chat_id: chatId, msg_type: body.msg_type,
      content: JSON.parse(body.content), via: type, edits: [] };
    this.byId.set(message.message_id, message);
    this.chats.set(chatId, [...this.messages(chatId), message]);
    const answer = [200, { code: 0, msg: 'success', data: { message_id: message.message_id, chat_id: chatId,
      msg_type: body.msg_type, create_time: String(Date.now()) } }];
    if (typeof body.uuid === 'string') this.uuids.set(body.uuid, { at: Date.now(), answer });
    return answer;
  }

  #update(id, body) {
    const message = this.byId.get(id);
    if (!message) return [400, { code: 230011, msg: 'The message was withdrawn or not found.' }];
    if (message.msg_type !== 'interactive' || typeof body.content !== 'string') {
      return [400, { code: 230001, msg: 'only cards can be updated' }];
    }
    const card = JSON.parse(body.content);
    // Only shared cards, before and after, can be updated for everyone.
    if (message.content.config?.update_multi !== true || card.config?.update_multi !== true) {
      return [400, { code: 230099, msg: 'update_multi is required' }];
    }
    message.edits.push(card);
    return [200, { code: 0, msg: 'success', data: {} }];
  }
}
