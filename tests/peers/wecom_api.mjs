// A stand-in for WeCom's application API for the peer tests: plain node:http on
// 127.0.0.1 with an ephemeral port. It hands out access tokens (gettoken),
// accepts message/send and message/update_template_card the way the documented
// API does (checking the fields followupd relies on), records every call
// exactly as it came, and can expire the current token early.
//
//   const api = await WeComApi.start({ corpId, secret, agentId[, tls: { key, cert }] });
//   api.base                -> 'http://127.0.0.1:<port>' (followupd's wecom.api_base); with tls,
//                              'https://localhost:<port>' (the certificate must name localhost)
//   api.expireToken()       -> the current token is refused from now on (errcode 42001)
//   api.pressCode(taskId)   -> a ResponseCode for a press on that card, as WeCom puts in the callback
//   api.messages(user)      -> [{ msgtype, body, taskId, updates: [body] }] accepted message/send calls
//   api.calls               -> [{ method, path, query, body, answer }] every call, answered
//   api.tokens              -> the tokens handed out, in order
//   await api.waitFor(() => …, ms, what)
//   await api.stop()
import http from 'node:http';
import https from 'node:https';
import { closeServer, waitFor } from '../lib/stand_in.mjs';

const TASK_ID = /^[0-9A-Za-z_\-@]{1,128}$/;
const bytes = (s) => Buffer.byteLength(s, 'utf8');

export class WeComApi {
  static async start(options) {
    const api = new WeComApi(options);
    await new Promise((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.port = api.server.address().port;
    api.base = options.tls ? `https://localhost:${api.port}` : `http://127.0.0.1:${api.port}`;
    return api;
  }

  constructor({ corpId, secret, agentId, tls }) {
    Object.assign(this, { corpId, secret, agentId });
    this.calls = [];
    this.tokens = [];
    this.expired = new Set();
    this.sent = [];                 // accepted message/send bodies: { msgtype, body, taskId, updates }
    this.taskIds = new Set();
    this.codes = new Map();         // response code -> { taskId, used }
    this.seq = 0;
    const serve = (req, res) => this.#serve(req, res);
    this.server = tls ? https.createServer({ key: tls.key, cert: tls.cert }, serve) : http.createServer(serve);
  }

  expireToken() { this.expired.add(this.tokens.at(-1)); }

  pressCode(taskId) {
    const code = `RC-press-${++this.seq}`;
    this.codes.set(code, { taskId, used: false });
    return code;
  }

  messages(user) { return this.sent.filter((m) => m.body.touser === user); }

  waitFor(probe, ms, what) { return waitFor(probe, ms, what); }

  stop() { return closeServer(this.server); }

  #serve(req, res) {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://localhost');
      const query = Object.fromEntries(url.searchParams);
      let body = null;
      try { body = raw ? JSON.parse(raw) : null; } catch { /* recorded as null */ }
      const answer = this.#answer(req.method, url.pathname, query, body);
      this.calls.push({ method: req.method, path: url.pathname, query, body, contentType: req.headers['content-type'],
        proxyAuthorization: req.headers['proxy-authorization'], answer });
      res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(answer));
    });
  }

  #answer(method, path, query, body) {
    if (path === '/cgi-bin/gettoken') {
      if (method !== 'GET') return { errcode: 43001, errmsg: 'require GET method' };
      if (query.corpid !== this.corpId) return { errcode: 40013, errmsg: 'invalid corpid' };
      if (query.corpsecret !== this.secret) return { errcode: 40001, errmsg: 'invalid credential' };
      const token = `wecom-access-token-${this.tokens.length + 1}`;
      this.tokens.push(token);
      return { errcode: 0, errmsg: 'ok', access_token: token, expires_in: 7200 };
    }
    if (method !== 'POST') return { errcode: 43002, errmsg: 'require POST method' };
    if (this.expired.has(query.access_token)) return { errcode: 42001, errmsg: 'access_token expired' };
    if (!this.tokens.includes(query.access_token)) return { errcode: 40014, errmsg: 'invalid access_token' };
    if (!body) return { errcode: 47001, errmsg: 'data format error' };
    if (body.agentid !== this.agentId) return { errcode: 40056, errmsg: 'invalid agentid' };
    if (path === '/cgi-bin/message/send') return this.#send(body);
    if (path === '/cgi-bin/message/update_template_card') return this.#update(body);
    return { errcode: 404, errmsg: 'no such API in the stand-in' };
  }

  #send(body) {
    if (typeof body.touser !== 'string' || !body.touser) return { errcode: 40003, errmsg: 'invalid userid' };
    let taskId = '';
    if (body.msgtype === 'text') {
      const content = body.text?.content;
      if (typeof content !== 'string' || !content || bytes(content) > 2048) return { errcode: 44004, errmsg: 'empty or long content' };
    } else if (body.msgtype === 'template_card') {
      const problem = this.#cardProblem(body.template_card, true);
      if (problem) return { errcode: 40058, errmsg: problem };
      taskId = body.template_card.task_id;
      this.taskIds.add(taskId);
    } else {
      return { errcode: 40008, errmsg: 'invalid message type' };
    }
    this.sent.push({ msgtype: body.msgtype, body, taskId, updates: [] });
    const msgid = `msgid-${++this.seq}`;
    const code = `RC-send-${this.seq}`;
    this.codes.set(code, { taskId, used: false });
    return { errcode: 0, errmsg: 'ok', invaliduser: '', msgid, response_code: code };
  }

  #update(body) {
    const code = this.codes.get(body.response_code);
    if (!code || code.used) return { errcode: 40058, errmsg: 'invalid response_code' };
    if (!Array.isArray(body.userids) || body.userids.length === 0) return { errcode: 40003, errmsg: 'invalid userids' };
    const problem = this.#cardProblem(body.template_card, false);
    if (problem) return { errcode: 40058, errmsg: problem };
    const message = this.sent.find((m) => m.taskId === code.taskId);
    if (!message) return { errcode: 40058, errmsg: 'no such card' };
    code.used = true;
    message.updates.push(body);
    return { errcode: 0, errmsg: 'ok' };
  }

  // What the documentation requires of a button_interaction card.
  #cardProblem(card, fresh) {
    if (!card || card.card_type !== 'button_interaction') return 'card_type must be button_interaction';
    if (typeof card.task_id !== 'string' || !TASK_ID.test(card.task_id)) return 'invalid task_id';
    if (fresh && this.taskIds.has(card.task_id)) return 'task_id used before';
    if (typeof card.main_title?.title !== 'string' || !card.main_title.title) return 'main_title.title missing';
    const buttons = card.button_list;
    if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > 6) return 'button_list must hold 1 to 6 buttons';
    const keys = new Set();
    for (const b of buttons) {
      if (typeof b.text !== 'string' || !b.text) return 'button text missing';
      if (typeof b.key !== 'string' || !b.key || bytes(b.key) > 1024) return 'button key missing or over 1024 bytes';
      if (keys.has(b.key)) return 'key Missing or Invalid (repeated)';
      keys.add(b.key);
    }
    return '';
  }
}
