// followupd against DingTalk's sign as npm dingtalk-robot-sender computes it
// and a stand-in for DingTalk's servers (dingtalk_api.mjs): signed callbacks
// answered through the sessionWebhook, through oToMessages/batchSend once it
// has expired and in a group; a reminder sent proactively as Markdown with
// command links while its accessToken expires early (one refresh, one resend);
// a replayed msgId processed once; forged and stale signs refused.
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test peers/dingtalk.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { DEFAULT_USERS, SKIP, chat, rawPost, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';
import { DingTalkApi } from './dingtalk_api.mjs';

const require = createRequire(import.meta.url);
const ChatBot = require('dingtalk-robot-sender');
const librarySign = require('dingtalk-robot-sender/lib/sign');

const APP_KEY = 'dingpeerappkey';
const SECRET = 'peer-dingtalk-app-SECRET-42';
const WANG = 'staff-wang';       // wang's senderStaffId (a zh user: Chinese replies)
const STRANGER = 'staff-nobody';
const DIRECT = 'cidPeerDirectWang==';
const GROUP = 'cidPeerGroupSales==';

// PLATFORMS.md's vector, also checked by tests/unit/server/dingtalk_test.cpp (DingTalkSign.PlatformsVector).
const VECTOR = { ts: 1700000000000, secret: 'SECtest0123456789abcdef', sign: '/lfnxUUu80FwVTsIlv2F1cMGBb+PxEKAwYh/bsRxXcc=' };

// dingtalk-robot-sender's sign of a timestamp (it URL-encodes it for its webhook URLs).
const signAt = (ts, secret = SECRET) => decodeURIComponent(librarySign(secret, `${ts}\n${secret}`));

// The timestamp and sign dingtalk-robot-sender puts on a message it sends now:
// its own request is captured instead of sent.
function signedNow() {
  let url = '';
  const robot = new ChatBot({ webhook: 'https://oapi.dingtalk.com/robot/send?access_token=peer', secret: SECRET,
    httpclient: { request: (u) => { url = u; return Promise.resolve({}); } } });
  robot.text('sign me');
  const q = new URL(url).searchParams;
  return { timestamp: q.get('timestamp'), sign: q.get('sign') };
}

test('dingtalk sign: dingtalk-robot-sender gives the PLATFORMS.md vector', () => {
  assert.equal(signAt(VECTOR.ts, VECTOR.secret), VECTOR.sign);
  assert.notEqual(signAt(VECTOR.ts + 1, VECTOR.secret), VECTOR.sign);
  const { timestamp, sign } = signedNow();
  assert.ok(Math.abs(Number(timestamp) - Date.now()) < 5000, timestamp);
  assert.equal(sign, signAt(timestamp));
});

const users = () => DEFAULT_USERS.map((u) => (u.handle === 'wang'
  ? { ...u, identities: { dingtalk: WANG }, notify: 'dingtalk' } : u));

let seq = 0;
// A robot callback body as DingTalk sends it, with a sessionWebhook from the stand-in.
function callback(session, { text, staff = WANG, conversation = DIRECT, group = false, msgId } = {}) {
  return {
    conversationId: conversation, atUsers: group ? [{ dingtalkId: '$:LWCP_v1:$bot' }] : [],
    chatbotCorpId: 'dingpeercorp', chatbotUserId: '$:LWCP_v1:$bot', msgId: msgId ?? `msgPeer${Date.now()}${++seq}`,
    senderNick: staff === WANG ? '王伟' : '路人', isAdmin: false, senderStaffId: staff,
    sessionWebhookExpiredTime: session.expiresAt, createAt: Date.now(), senderCorpId: 'dingpeercorp',
    conversationType: group ? '2' : '1', senderId: `$:LWCP_v1:$${staff}`, isInAtList: group,
    conversationTitle: group ? 'East Sales' : undefined, sessionWebhook: session.url,
    text: { content: group ? ` ${text}` : text }, robotCode: APP_KEY, msgtype: 'text',
  };
}

// POSTs a callback, signed by dingtalk-robot-sender now unless headers are given.
function post(server, body, headers = signedNow()) {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  return rawPost(server.base, '/hooks/dingtalk', raw, headers);
}

async function send(server, body) {
  const res = await post(server, body);
  assert.equal(res.status, 200, `callback ${JSON.stringify(body.text)} -> ${res.status} ${res.body}`);
  return res;
}

// The first accepted message after the first `skip` that passes match.
function message(api, skip, match, what, ms = 15000) {
  return api.waitFor(() => api.messages.slice(skip).find(match), ms, what)
    .catch((e) => { throw new Error(`${e.message}; messages: ${JSON.stringify(api.messages)}; `
      + `calls: ${JSON.stringify(api.calls.map((c) => `${c.path} ${c.status} ${c.token ?? ''}`))}`); });
}

// [label](dtmd://dingtalkclient/sendMessage?content=…) links: the commands they send.
const commandLinks = (text) => [...text.matchAll(/\[([^\]]+)\]\((dtmd:\/\/dingtalkclient\/sendMessage\?content=[^)]*)\)/g)]
  .map((m) => ({ label: m[1], command: new URL(m[2]).searchParams.get('content') }));

test('dingtalk: sessionWebhook replies, batchSend and group sends, a reminder through an expired token, replays and forgeries',
  { skip: SKIP, timeout: 120000 }, async (t) => {
    const api = await DingTalkApi.start({ appKey: APP_KEY, appSecret: SECRET });
    let server = null;
    t.after(async () => {
      server?.kill();
      await api.stop();
    });
    const dir = tempDir(t, 'followupd-dingtalk-');
    const dingtalk = { enabled: true, app_key: APP_KEY, app_secret: SECRET, api_base: api.base };
    server = await startServer(dir, writeConfig(dir, users(), { dingtalk }));

    // A signed direct message: the reply goes to its sessionWebhook, exactly the
    // text the same user gets in the web chat, without any token.
    const s1 = api.session(90 * 60 * 1000);
    await send(server, callback(s1, { text: '帮助' }));
    const help = await message(api, 0, (m) => m.session === s1.id, 'the reply to 帮助');
    const expected = await chat(server.base, 'wang', '帮助');
    assert.deepEqual(expected.buttons ?? [], []);
    const webhookCall = api.calls.find((c) => c.session === s1.id);
    assert.deepEqual(webhookCall.body, { msgtype: 'text', text: { content: expected.text } });
    assert.match(webhookCall.contentType, /^application\/json; charset=utf-8$/i);
    assert.equal(webhookCall.token, undefined);
    assert.match(help.text, /跟进|帮助|命令/, help.text);  // Chinese: wang's language
    assert.equal(api.tokensIssued, 0);

    const s2 = api.session(90 * 60 * 1000);
    await send(server, callback(s2, { text: 'customer add Acme' }));
    const added = await message(api, 0, (m) => m.session === s2.id, 'the reply to customer add');
    assert.match(added.text, /Acme/, added.text);

    // The same with an expired sessionWebhook: oToMessages/batchSend, with the token header.
    const expired = api.session(-1000);
    const before = api.messages.length;
    await send(server, callback(expired, { text: 'followup Acme in 2s call' }));
    const scheduled = await message(api, before, () => true, 'the reply to followup');
    assert.equal(scheduled.via, 'oto');
    assert.deepEqual(scheduled.userIds, [WANG]);
    assert.equal(scheduled.msgtype, 'text');
    const id = Number(/#(\d+)/.exec(scheduled.text)?.[1]);
    assert.ok(id > 0, `no task id in: ${scheduled.text}`);
    const otoCall = api.calls.find((c) => c.path === '/v1.0/robot/oToMessages/batchSend');
    assert.equal(otoCall.token, 'tok-1');
    assert.deepEqual(otoCall.body, { robotCode: APP_KEY, userIds: [WANG], msgKey: 'sampleText',
      msgParam: JSON.stringify({ content: scheduled.text }) });
    assert.deepEqual(api.calls.filter((c) => c.path === '/v1.0/oauth2/accessToken').map((c) => c.body),
      [{ appKey: APP_KEY, appSecret: SECRET }]);

    // The token expires early: the reminder's first batchSend is refused, followupd
    // fetches one new token and sends again, once.
    api.expireTokens();
    const reminder = await message(api, before + 1, (m) => m.msgtype === 'markdown', `the reminder for #${id}`, 25000);
    assert.equal(reminder.via, 'oto');
    assert.deepEqual(reminder.userIds, [WANG]);
    assert.match(reminder.text, /Acme/, reminder.text);
    assert.ok(reminder.title && !reminder.title.includes('dtmd:'), reminder.title);
    assert.deepEqual(commandLinks(reminder.text).map((l) => l.command), [`完成 ${id}`, `推迟 ${id} 1小时后`, `推迟 ${id} 明天9点`]);
    assert.match(commandLinks(reminder.text)[0].label, /完成/);
    await sleep(1500);
    const sends = api.calls.filter((c) => c.path === '/v1.0/robot/oToMessages/batchSend');
    assert.deepEqual(sends.map((c) => [c.status, c.token]), [[200, 'tok-1'], [400, 'tok-1'], [200, 'tok-2']]);
    assert.deepEqual(sends[1].body, sends[2].body);
    assert.equal(sends[2].body.msgKey, 'sampleMarkdown');
    assert.equal(api.tokensIssued, 2, 'the token was refreshed more than once');
    assert.equal(api.messages.filter((m) => m.msgtype === 'markdown').length, 1, 'the reminder arrived twice');

    // A link pressed is the command sent as the user: a text message like any other.
    const s3 = api.session(90 * 60 * 1000);
    await send(server, callback(s3, { text: commandLinks(reminder.text)[0].command }));
    const done = await message(api, 0, (m) => m.session === s3.id, 'the reply to the 完成 link');
    assert.match(done.text, new RegExp(`#${id}`), done.text);

    // A group message (@robot) is answered in the group, through its webhook…
    const g1 = api.session(90 * 60 * 1000);
    await send(server, callback(g1, { text: '今天', conversation: GROUP, group: true }));
    const inGroup = await message(api, 0, (m) => m.session === g1.id, 'the reply in the group');
    assert.equal(inGroup.msgtype, 'text');
    assert.ok(inGroup.text.length > 0);
    // …and once that has expired, through groupMessages/send to the same conversation.
    const g2 = api.session(-1000);
    const groupBefore = api.messages.length;
    await send(server, callback(g2, { text: '今天', conversation: GROUP, group: true }));
    const groupSend = await message(api, groupBefore, () => true, 'the reply in the group after its webhook expired');
    assert.equal(groupSend.via, 'group');
    assert.equal(groupSend.openConversationId, GROUP);
    const groupCall = api.calls.find((c) => c.path === '/v1.0/robot/groupMessages/send');
    assert.equal(groupCall.token, 'tok-2');
    assert.equal(groupCall.body.robotCode, APP_KEY);

    // A replayed msgId (same body, freshly signed) is refused and answered once.
    const s4 = api.session(90 * 60 * 1000);
    const once = callback(s4, { text: '今天' });
    assert.equal((await post(server, once)).status, 200);
    const replay = await post(server, once);
    assert.equal(replay.status, 409, JSON.stringify(replay));
    await message(api, 0, (m) => m.session === s4.id, 'the reply to the first delivery');
    await sleep(1500);
    assert.equal(api.messages.filter((m) => m.session === s4.id).length, 1, 'a replay was answered');

    // A stranger is told, in their conversation.
    const s5 = api.session(90 * 60 * 1000);
    await send(server, callback(s5, { text: '今天', staff: STRANGER, conversation: 'cidPeerStranger==' }));
    const who = await message(api, 0, (m) => m.session === s5.id, 'the reply to a stranger');
    assert.match(who.text, /not registered|未注册/, who.text);

    // Forged, stale, unsigned or malformed: refused, and nothing is sent.
    const callsBefore = api.calls.length;
    const s6 = api.session(90 * 60 * 1000);
    const forgedBody = callback(s6, { text: 'customer add Forged' });
    const now = Date.now();
    const forged = await post(server, forgedBody, { timestamp: String(now), sign: signAt(now, 'not-the-secret') });
    assert.equal(forged.status, 401, JSON.stringify(forged));
    for (const ts of [now - 3601 * 1000, now + 3601 * 1000]) {
      const stale = await post(server, forgedBody, { timestamp: String(ts), sign: signAt(ts) });
      assert.equal(stale.status, 401, JSON.stringify(stale));
    }
    assert.equal((await rawPost(server.base, '/hooks/dingtalk', JSON.stringify(forgedBody))).status, 401);
    assert.equal((await post(server, '{"msgId": "x", ')).status, 400);
    await sleep(1500);
    assert.equal(api.calls.length, callsBefore, 'a refused callback caused a request to DingTalk');
    const history = await chat(server.base, 'wang', 'customers');
    assert.doesNotMatch(history.text, /Forged/, history.text);

    // Each refusal says which check failed; the secret is never logged.
    const log = server.output();
    for (const why of [/sign does not match/, /timestamp is more than 3600 s from now/, /missing timestamp header/,
      /msgId msgPeer\d+ was already received/, /not a robot message/]) {
      assert.match(log, new RegExp(`dingtalk: callback refused: ${why.source}`), `no log line for: ${why}`);
    }
    assert.ok(!log.includes(SECRET), 'the app secret appears in the log');
  });
