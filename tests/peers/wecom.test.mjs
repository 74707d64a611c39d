// followupd against WeCom's own crypto package (@wecom/crypto: getSignature,
// encrypt, decrypt) and a stand-in for the application API (wecom_api.mjs):
// the URL check and the messages are made by the package, the replies and a
// reminder card arrive through message/send, a card press updates the card, an
// access_token expired early is replaced once, a repeated MsgId is processed
// once, and forged, foreign, stale or broken callbacks are refused.
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test peers/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { decrypt, encrypt, getSignature } from '@wecom/crypto';
import { DEFAULT_USERS, SKIP, rawPost, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';
import { WeComApi } from './wecom_api.mjs';

const CORP = 'ww5e1f0a42cafe7001';
const SECRET = 'peer-corp-SECRET-0042';
const AGENT = 1000002;
const TOKEN = 'peerCallbackToken9';
const AES_KEY = 'PTjI0pKx2GLxyP8lbb99XzKxKAaHkotOcoGAjpY89Y8';
const WANG = 'wang';            // wang's WeCom UserID
const STRANGER = 'eve';

// WeCom's published vector (PLATFORMS.md) and the one the C++ unit test
// (tests/unit/server/wecom_test.cpp, WeComCrypto.*) makes with the same constants.
const OFFICIAL = {
  token: 'QDG6eK', key: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C', corp: 'wx5823bf96d3bd56c7',
  signature: '5c45ff5e21c57e6ad56bac8758b79b1d9ac89fd3', ts: '1409659589', nonce: '263014780',
  echostr: 'P9nAzCzyDtyTWESHep1vC5X9xho/qYX3Zpb4yKa9SKld1DsH3Iyt3tP3zNdtp+4RPcs8TgAE7OaBO+FZXvnaqQ==',
};
const SHARED = {
  random: '0123456789abcdef', message: 'followupd 企业微信 shared vector',
  encrypt: 'sKqRbbiSUnDhFHOvPjtUMRTc0Xj6ss0uqnZhRNvvZK+89MZUh6Ke0+TGRiXSXDkkPOi23yViBmgmh8vaIkpEy4OqlIbBW2ONjM1U5NMzP+2qx075yj82'
    + 'V+9OvF2ImXnC',
  signature: 'e92223eee598c58802a1b7cd410878f4d5a34b49',
};

test('wecom crypto: the package reproduces the official vector and opens what followupd sealed', () => {
  assert.equal(getSignature(OFFICIAL.token, OFFICIAL.ts, OFFICIAL.nonce, OFFICIAL.echostr), OFFICIAL.signature);
  const official = decrypt(OFFICIAL.key, OFFICIAL.echostr);
  assert.equal(official.message, '1616140317555161061');
  assert.equal(official.id, OFFICIAL.corp);
  // SHARED.encrypt is wc::encrypt's output in the C++ test: the package opens it, and seals the same bytes.
  const shared = decrypt(OFFICIAL.key, SHARED.encrypt);
  assert.equal(shared.message, SHARED.message);
  assert.equal(shared.id, OFFICIAL.corp);
  assert.equal(encrypt(OFFICIAL.key, SHARED.message, OFFICIAL.corp, Buffer.from(SHARED.random)), SHARED.encrypt);
  assert.equal(getSignature(OFFICIAL.token, '1700000000', 'nonce42', SHARED.encrypt), SHARED.signature);
});

const users = () => DEFAULT_USERS.map((u) => (u.handle === 'wang'
  ? { ...u, identities: { wecom: WANG }, notify: 'wecom' } : u));

const now = () => String(Math.floor(Date.now() / 1000));
const nonce = () => String(randomBytes(4).readUInt32BE(0));
let msgIds = 7300000000000000000n;
const nextMsgId = () => String(++msgIds);

const textXml = (from, content, msgId = nextMsgId()) => `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName>`
  + `<FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${now()}</CreateTime>`
  + `<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${content}]]></Content>`
  + `<MsgId>${msgId}</MsgId><AgentID>${AGENT}</AgentID></xml>`;

const cardEventXml = (from, key, taskId, responseCode) => `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName>`
  + `<FromUserName><![CDATA[${from}]]></FromUserName><CreateTime>${now()}</CreateTime>`
  + '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[template_card_event]]></Event>'
  + `<EventKey><![CDATA[${key}]]></EventKey><TaskId><![CDATA[${taskId}]]></TaskId>`
  + '<CardType><![CDATA[button_interaction]]></CardType>'
  + `<ResponseCode><![CDATA[${responseCode}]]></ResponseCode><AgentID>${AGENT}</AgentID></xml>`;

// A callback as WeCom sends it: the plaintext sealed and signed by @wecom/crypto.
function sealed(plain, { corp = CORP, token = TOKEN, ts = now(), signature, encrypted } = {}) {
  const enc = encrypted ?? encrypt(AES_KEY, plain, corp);
  const n = nonce();
  const query = new URLSearchParams({ msg_signature: signature ?? getSignature(token, ts, n, enc), timestamp: ts, nonce: n });
  const body = `<xml><ToUserName><![CDATA[${CORP}]]></ToUserName><Encrypt><![CDATA[${enc}]]></Encrypt>`
    + `<AgentID><![CDATA[${AGENT}]]></AgentID></xml>`;
  return { path: `/hooks/wecom?${query}`, body };
}

const post = (server, { path, body }) => rawPost(server.base, path, body, { 'Content-Type': 'text/xml' });

function get(base, path) {
  return new Promise((resolve, reject) => {
    http.get(new URL(path, base), (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: data }));
    }).on('error', reject);
  });
}

// Sends `text` as wang and waits for the next message to him.
async function ask(api, server, text, ms = 15000) {
  const before = api.messages(WANG).length;
  const started = Date.now();
  const res = await post(server, sealed(textXml(WANG, text)));
  assert.equal(res.status, 200, `${text} -> ${res.status} ${res.body}`);
  assert.equal(res.body, '', 'a registered user is answered through message/send, not in the callback');
  assert.ok(Date.now() - started < 5000, 'the callback was not answered within 5 s');
  return api.waitFor(() => api.messages(WANG)[before], ms, `a reply to ${JSON.stringify(text)}`)
    .catch((e) => { throw new Error(`${e.message}; calls: ${JSON.stringify(api.calls.map((c) => [c.path, c.answer.errcode, c.answer.errmsg]))}`); });
}

const contentOf = (m) => (m.msgtype === 'text' ? m.body.text.content
  : `${m.body.template_card.main_title.title}\n${m.body.template_card.sub_title_text ?? ''}`);
const commandOf = (key) => (key.startsWith('c_') ? Buffer.from(key.slice(2), 'base64url').toString('utf8') : null);

test('wecom: URL check, replies, a reminder card pressed, token expiry, retries, strangers and forgeries',
  { skip: SKIP, timeout: 120000 }, async (t) => {
    const api = await WeComApi.start({ corpId: CORP, secret: SECRET, agentId: AGENT });
    let server = null;
    t.after(async () => {
      server?.kill();
      await api.stop();
    });
    const dir = tempDir(t, 'followupd-wecom-');
    const wecom = { enabled: true, corp_id: CORP, corp_secret: SECRET, agent_id: AGENT, token: TOKEN,
      encoding_aes_key: AES_KEY, api_base: api.base };
    server = await startServer(dir, writeConfig(dir, users(), { wecom }));

    // The URL check: the package's echostr, answered with the bare plaintext.
    const echo = '5927782489442352469';
    const echostr = encrypt(AES_KEY, echo, CORP);
    const ts = now();
    const n = nonce();
    const check = await get(server.base, `/hooks/wecom?${new URLSearchParams({
      msg_signature: getSignature(TOKEN, ts, n, echostr), timestamp: ts, nonce: n, echostr })}`);
    assert.equal(check.status, 200, JSON.stringify(check));
    assert.equal(check.body, echo);

    // A text message: the reply is exactly the documented message/send body, with the token in the query.
    const added = await ask(api, server, 'customer add Acme', 20000);
    assert.equal(added.msgtype, 'text');
    assert.match(added.body.text.content, /Acme/);
    assert.deepEqual(added.body, { touser: WANG, msgtype: 'text', agentid: AGENT, text: { content: added.body.text.content } });
    const firstSend = api.calls.find((c) => c.path === '/cgi-bin/message/send');
    assert.deepEqual(firstSend.query, { access_token: api.tokens[0] });
    assert.match(firstSend.contentType, /^application\/json/);
    const gettoken = api.calls.filter((c) => c.path === '/cgi-bin/gettoken');
    assert.equal(gettoken.length, 1);
    assert.deepEqual(gettoken[0].query, { corpid: CORP, corpsecret: SECRET });
    assert.equal(gettoken[0].method, 'GET');

    // A reminder arrives as a button_interaction card with three buttons.
    const scheduled = await ask(api, server, 'followup Acme in 2s call');
    const m = /#(\d+)/.exec(contentOf(scheduled));
    assert.ok(m, `no task id in: ${contentOf(scheduled)}`);
    const id = Number(m[1]);
    const reminder = await api.waitFor(() => api.messages(WANG).find((x) => x.msgtype === 'template_card'
      && x.body.template_card.button_list.some((b) => commandOf(b.key) === `完成 ${id}`)), 25000, `the reminder card for #${id}`);
    const card = reminder.body.template_card;
    assert.equal(reminder.body.touser, WANG);
    assert.equal(reminder.body.agentid, AGENT);
    assert.equal(card.card_type, 'button_interaction');
    assert.match(contentOf(reminder), /Acme/);
    assert.deepEqual(card.button_list.map((b) => commandOf(b.key)), [`完成 ${id}`, `推迟 ${id} 1小时后`, `推迟 ${id} 明天9点`]);
    assert.match(card.button_list[0].text, /完成/);
    assert.ok(api.calls.every((c) => c.path === '/cgi-bin/gettoken' || c.query.access_token === api.tokens[0]), 'the token was not reused');

    // The first button pressed: the card is updated, nothing new is posted.
    const countBefore = api.messages(WANG).length;
    const code = api.pressCode(card.task_id);
    const press = await post(server, sealed(cardEventXml(WANG, card.button_list[0].key, card.task_id, code)));
    assert.equal(press.status, 200, JSON.stringify(press));
    assert.equal(press.body, '');
    const update = await api.waitFor(() => reminder.updates[0], 15000, 'update_template_card of the reminder');
    assert.deepEqual(update.userids, [WANG]);
    assert.equal(update.agentid, AGENT);
    assert.equal(update.response_code, code);
    const updated = `${update.template_card.main_title.title}\n${update.template_card.sub_title_text ?? ''}`;
    assert.match(updated, /完成|done/i, updated);
    assert.match(updated, /Wang Wei|王伟/, updated);
    assert.ok(!update.template_card.button_list.some((b) => commandOf(b.key) === `完成 ${id}`), 'Done is still offered');
    await sleep(1000);
    assert.equal(api.messages(WANG).length, countBefore, 'the press posted a new message instead of updating the card');
    const history = await ask(api, server, 'history Acme');
    assert.match(contentOf(history), /完成|done/i, contentOf(history));

    // The token expires early: one gettoken more, and the refused send made again with the new token.
    api.expireToken();
    const callsBefore = api.calls.length;
    const today = await ask(api, server, 'today');
    const since = api.calls.slice(callsBefore);
    assert.deepEqual(since.map((c) => [c.path, c.answer.errcode]), [
      ['/cgi-bin/message/send', 42001], ['/cgi-bin/gettoken', 0], ['/cgi-bin/message/send', 0]]);
    assert.equal(since[0].query.access_token, api.tokens[0]);
    assert.equal(since[2].query.access_token, api.tokens[1]);
    assert.deepEqual(since[2].body, since[0].body);
    assert.deepEqual(today.body, since[2].body);
    assert.equal(api.tokens.length, 2);

    // WeCom retries a message it got no answer for: same MsgId, processed once.
    const repeated = textXml(WANG, 'today', nextMsgId());
    const first = sealed(repeated);
    const dmBefore = api.messages(WANG).length;
    assert.equal((await post(server, first)).status, 200);
    assert.equal((await post(server, first)).status, 200);            // the very same request
    assert.equal((await post(server, sealed(repeated))).status, 200);  // signed anew, same MsgId
    await api.waitFor(() => api.messages(WANG)[dmBefore], 15000, 'the reply to the repeated message');
    await sleep(3000);
    assert.equal(api.messages(WANG).length, dmBefore + 1, 'a repeated MsgId was answered twice');

    // A stranger is answered in the callback: a passive reply the package verifies and opens.
    const apiCalls = api.calls.length;
    const stranger = await post(server, sealed(textXml(STRANGER, 'today')));
    assert.equal(stranger.status, 200);
    const field = (name) => new RegExp(`<${name}>(?:<!\\[CDATA\\[)?(.*?)(?:\\]\\]>)?</${name}>`).exec(stranger.body)?.[1];
    const [enc, sig, stamp, nonceBack] = ['Encrypt', 'MsgSignature', 'TimeStamp', 'Nonce'].map(field);
    assert.ok(enc && sig && stamp && nonceBack, stranger.body);
    assert.equal(getSignature(TOKEN, stamp, nonceBack, enc), sig);
    const opened = decrypt(AES_KEY, enc);
    assert.equal(opened.id, CORP);
    assert.match(opened.message, /<ToUserName><!\[CDATA\[eve\]\]><\/ToUserName>/);
    assert.match(opened.message, new RegExp(`<FromUserName><!\\[CDATA\\[${CORP}\\]\\]></FromUserName>`));
    assert.match(opened.message, /<MsgType><!\[CDATA\[text\]\]><\/MsgType>/);
    assert.match(opened.message, /未注册|not registered/);

    // Forged, foreign, stale or broken: refused, and nothing happens.
    const forged = await post(server, sealed(textXml(WANG, 'customer add Forged'), { signature: getSignature('not-the-token', now(), '1', 'x') }));
    assert.equal(forged.status, 401, JSON.stringify(forged));
    const foreign = await post(server, sealed(textXml(WANG, 'customer add Foreign'), { corp: 'wwSOMEONEELSE' }));
    assert.equal(foreign.status, 401, JSON.stringify(foreign));
    const stale = await post(server, sealed(textXml(WANG, 'customer add Stale'), { ts: String(Number(now()) - 600) }));
    assert.equal(stale.status, 401, JSON.stringify(stale));
    const broken = await post(server, sealed('<xml><FromUserName><![CDATA[wang]]></FromUserName><MsgType>text'));
    assert.equal(broken.status, 400, JSON.stringify(broken));
    const notXml = await rawPost(server.base, sealed('x').path, '{"Encrypt":"abc"}', { 'Content-Type': 'application/json' });
    assert.equal(notXml.status, 400, JSON.stringify(notXml));
    const badBase64 = await post(server, sealed('', { encrypted: '***not base64***' }));
    assert.equal(badBase64.status, 400, JSON.stringify(badBase64));
    await sleep(1500);
    assert.equal(api.calls.length, apiCalls, 'a stranger or a refused callback caused an API call');
    const log = server.output();
    for (const why of ['msg_signature does not match', 'receive id', 'timestamp is more than', 'not WeCom message XML',
      'not a WeCom callback body', 'not base64'])
      assert.ok(log.includes(why), `no log line says "${why}"`);

    for (const secret of [SECRET, AES_KEY, TOKEN, ...api.tokens])
      assert.ok(!log.includes(secret), `a secret appears in the log: ${secret.slice(0, 6)}…`);
  });

test('wecom: a manager\'s report is too long for a card: the whole text, then its buttons in a card',
  { skip: SKIP, timeout: 60000 }, async (t) => {
    const api = await WeComApi.start({ corpId: CORP, secret: SECRET, agentId: AGENT });
    let server = null;
    t.after(async () => {
      server?.kill();
      await api.stop();
    });
    const dir = tempDir(t, 'followupd-wecom-long-');
    const wecom = { enabled: true, corp_id: CORP, corp_secret: SECRET, agent_id: AGENT, token: TOKEN,
      encoding_aes_key: AES_KEY, api_base: api.base };
    const people = DEFAULT_USERS.map((u) => (u.handle === 'li' ? { ...u, identities: { wecom: 'li' } } : u));
    server = await startServer(dir, writeConfig(dir, people, { wecom }));

    const res = await post(server, sealed(textXml('li', 'report')));
    assert.equal(res.status, 200, JSON.stringify(res));
    const [text, card] = await api.waitFor(() => (api.messages('li').length >= 2 ? api.messages('li') : null),
      15000, 'the report and its buttons');
    assert.equal(text.msgtype, 'text');
    const content = text.body.text.content;
    assert.match(content, /Report/);
    assert.match(content, /Timeliness/);
    assert.match(content, /A \(VIP\)/, `the conversion table is cut: ${content}`);
    assert.match(content, /Public pool/, `the end of the report is cut: ${content}`);
    assert.ok(!content.includes('…'), content);
    assert.equal(card.msgtype, 'template_card');
    assert.equal(card.body.template_card.main_title.title, content.split('\n')[0]);
    assert.equal(card.body.template_card.sub_title_text, undefined);
    const commands = card.body.template_card.button_list.map((b) => commandOf(b.key));
    assert.ok(commands.length > 0 && commands.every((c) => /^report /.test(c)), JSON.stringify(commands));
    await sleep(1000);
    assert.equal(api.messages('li').length, 2, 'the report was sent more than once');
  });
