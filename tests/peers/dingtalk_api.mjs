// A stand-in for DingTalk's servers for the peer tests: plain node:http on
// 127.0.0.1 with an ephemeral port. It serves the accessToken endpoint, the
// robot send APIs (oToMessages/batchSend, groupMessages/send) and
// sessionWebhooks, records every request as it arrived, and keeps the messages
// it accepted. A token can be made to expire early (expireTokens).
//
//   const api = await DingTalkApi.start({ appKey, appSecret });
//   api.base                  -> 'http://127.0.0.1:<port>' (followupd's dingtalk.api_base)
//   api.session(ttlMs)        -> { url, expiresAt } a sessionWebhook for a callback body
//   api.expireTokens()        -> every token issued so far is refused from now on
//   api.calls                 -> [{ path, session, status, token, contentType, body }] every request, answered
//   api.messages              -> [{ via: 'session'|'oto'|'group', session, userIds, openConversationId,
//                                    msgtype, title, text }] accepted messages
//   api.tokensIssued          -> how many tokens the token endpoint gave out
//   await api.waitFor(() => …, ms, what)
//   await api.stop()
import http from 'node:http';
import { closeServer, waitFor } from '../lib/stand_in.mjs';

const INVALID_TOKEN = { code: 'InvalidAuthentication', requestid: 'peer-req', message: '不合法的access_token' };

export class DingTalkApi {
  static async start(options) {
    const api = new DingTalkApi(options);
    await new Promise((resolve) => api.server.listen(0, '127.0.0.1', resolve));
    api.base = `http://127.0.0.1:${api.server.address().port}`;
    return api;
  }

  constructor({ appKey, appSecret }) {
    this.appKey = appKey;
    this.appSecret = appSecret;
    this.calls = [];
    this.messages = [];
    this.tokensIssued = 0;
    this.validTokens = new Set();
    this.sessions = new Map();  // id -> expiresAt (ms)
    this.server = http.createServer((req, res) => this.#serve(req, res));
  }

  session(ttlMs) {
    const id = `s${this.sessions.size + 1}`;
    const expiresAt = Date.now() + ttlMs;
    this.sessions.set(id, expiresAt);
    return { id, url: `${this.base}/robot/sendBySession?session=${id}`, expiresAt };
  }

  expireTokens() { this.validTokens.clear(); }

  waitFor(probe, ms, what) { return waitFor(probe, ms, what); }

  stop() { return closeServer(this.server); }

  #serve(req, res) {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { raw += d; });
    req.on('end', () => {
      const url = new URL(req.url, 'http://stand-in');
      let body = null;
      try { body = JSON.parse(raw); } catch { /* recorded as null */ }
      const token = req.headers['x-acs-dingtalk-access-token'];
      const [status, answer] = req.method === 'POST' ? this.#answer(url, body, token) : [405, { code: 'method' }];
      this.calls.push({ path: url.pathname, session: url.searchParams.get('session'), status, token,
        contentType: req.headers['content-type'], body });
      res.writeHead(status, { 'Content-Type': 'application/json;charset=utf-8' });
      res.end(JSON.stringify(answer));
    });
  }

  #answer(url, body, token) {
    if (!body) return [400, { code: 'InvalidParameter', message: 'not JSON' }];
    switch (url.pathname) {
      case '/v1.0/oauth2/accessToken': {
        if (body.appKey !== this.appKey || body.appSecret !== this.appSecret) {
          return [400, { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret' }];
        }
        const accessToken = `tok-${++this.tokensIssued}`;
        this.validTokens.add(accessToken);
        return [200, { accessToken, expireIn: 7200 }];
      }
      case '/robot/sendBySession': {
        const id = url.searchParams.get('session');
        if (!(this.sessions.get(id) > Date.now())) return [200, { errcode: 300001, errmsg: 'session not exist' }];
        const m = body.msgtype === 'markdown' ? body.markdown : { text: body.text?.content };
        this.messages.push({ via: 'session', session: id, msgtype: body.msgtype, title: m?.title, text: m?.text });
        return [200, { errcode: 0, errmsg: 'ok' }];
      }
      case '/v1.0/robot/oToMessages/batchSend':
      case '/v1.0/robot/groupMessages/send': {
        if (!this.validTokens.has(token)) return [400, INVALID_TOKEN];
        const oto = url.pathname.includes('oToMessages');
        if (body.robotCode !== this.appKey || typeof body.msgParam !== 'string'
          || (oto ? !Array.isArray(body.userIds) : !body.openConversationId)) {
          return [400, { code: 'param.error', message: 'robotCode, msgKey, msgParam and a target are required' }];
        }
        const param = JSON.parse(body.msgParam);
        const markdown = body.msgKey === 'sampleMarkdown';
        this.messages.push({ via: oto ? 'oto' : 'group', userIds: body.userIds,
          openConversationId: body.openConversationId, msgtype: markdown ? 'markdown' : 'text',
          title: param.title, text: markdown ? param.text : param.content });
        return [200, { processQueryKey: `pqk-${this.messages.length}`, invalidStaffIdList: [], flowControlledStaffIdList: [] }];
      }
      default:
        return [404, { code: 'NotFound', message: url.pathname }];
    }
  }
}
