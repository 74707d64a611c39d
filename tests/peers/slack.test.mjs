// followupd against Slack's own request verification (@slack/bolt's
// verifySlackRequest) and a stand-in for the Slack Web API (slack_web_api.mjs):
// signed slash commands, a reminder with buttons delivered through 429 and 500
// answers exactly once, a signed button press that updates the message, a
// retried event processed once, and forged signatures refused.
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test peers/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { DEFAULT_USERS, SKIP, rawPost, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';
import { SlackWebApi } from './slack_web_api.mjs';

const TOKEN = 'xoxb-0000-peer-TOKEN';
const SECRET = 'peer-signing-secret-42';
const MARIA = 'U123';           // maria's Slack member id
const MARIA_DM = 'D0MARIA';     // the DM conversations.open gives for her
const SALES = 'C0SALES';        // a channel where the slash commands are typed
const STRANGER = 'U999';

// Slack's published example (PLATFORMS.md) and the vector the C++ unit test
// (tests/unit/server/slack_test.cpp, SlackSignature.*) checks with the same constants.
const OFFICIAL = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  ts: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V'
    + '&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text='
    + '&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN'
    + '&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};
const SHARED = {
  secret: 'followupd-shared-slack-secret',
  ts: 1700000000,
  body: 'token=x&team_id=T0FU&channel_id=D0MARIA&user_id=U123&command=%2Ffollowup&text=today+%E4%BB%8A%E5%A4%A9'
    + '&trigger_id=1700000000.1.abc',
  signature: 'v0=7d32d99f4ef43b7cfb66fdd54205d56a3acd97dd8b38053f92053be8ee84802f',
};

// Slack's signing, as its docs describe it (bolt exports only the verifier).
const sign = (secret, ts, body) => `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

const boltAccepts = ({ secret, ts, body, signature }) => isValidSlackRequest({
  signingSecret: secret, body, nowMilliseconds: ts * 1000,
  headers: { 'x-slack-request-timestamp': ts, 'x-slack-signature': signature },
});

test('slack signatures: bolt accepts the official vector and the one the C++ test shares', () => {
  assert.ok(boltAccepts(OFFICIAL), 'bolt refuses the PLATFORMS.md vector');
  assert.ok(boltAccepts(SHARED), 'bolt refuses the vector of slack_test.cpp');
  assert.equal(sign(OFFICIAL.secret, OFFICIAL.ts, OFFICIAL.body), OFFICIAL.signature);
  assert.equal(sign(SHARED.secret, SHARED.ts, SHARED.body), SHARED.signature);
  assert.ok(!boltAccepts({ ...SHARED, body: `${SHARED.body}&x=1` }));
  assert.ok(!boltAccepts({ ...SHARED, secret: 'another-secret' }));
});

const users = () => DEFAULT_USERS.map((u) => (u.handle === 'maria'
  ? { ...u, identities: { slack: MARIA }, notify: 'slack' } : u));

// POSTs a body to /hooks/slack/<path>, signed now unless told otherwise; the
// signature is checked with bolt first, so followupd gets what Slack would send.
async function post(server, path, body, { contentType, signature, headers = {} } = {}) {
  const ts = Math.floor(Date.now() / 1000);
  const sig = signature ?? sign(SECRET, ts, body);
  if (!signature) {
    verifySlackRequest({ signingSecret: SECRET, body,
      headers: { 'x-slack-request-timestamp': ts, 'x-slack-signature': sig } });
  }
  return rawPost(server.base, `/hooks/slack/${path}`, body, {
    'Content-Type': contentType ?? (path === 'events' ? 'application/json' : 'application/x-www-form-urlencoded'),
    'X-Slack-Request-Timestamp': String(ts), 'X-Slack-Signature': sig, ...headers,
  });
}

let trigger = 0;
const slashBody = (user, channel, text) => new URLSearchParams({
  token: 'legacy', team_id: 'T0FU', team_domain: 'fu', channel_id: channel, channel_name: 'sales',
  user_id: user, user_name: 'someone', command: '/followup', text,
  response_url: 'https://hooks.slack.com/commands/T0FU/1/abc',
  trigger_id: `${Date.now()}.${++trigger}.peer`,
}).toString();

async function slash(server, user, channel, text) {
  const res = await post(server, 'commands', slashBody(user, channel, text));
  assert.equal(res.status, 200, `/followup ${text} -> ${res.status} ${res.body}`);
  return res;
}

// The first message accepted in channel after the first `skip` that passes match.
function message(api, channel, skip, match, what, ms = 15000) {
  return api.waitFor(() => api.messages(channel).slice(skip).find(match), ms, what)
    .catch((e) => { throw new Error(`${e.message}; in ${channel}: ${JSON.stringify(api.messages(channel).map((m) => m.text))}; `
      + `calls: ${JSON.stringify(api.calls.map((c) => `${c.method} ${c.status}`))}`); });
}

async function ask(api, server, text, ms) {
  const before = api.messages(SALES).length;
  await slash(server, MARIA, SALES, text);
  return message(api, SALES, before, () => true, `a reply to ${JSON.stringify(text)}`, ms);
}

const buttonsOf = (m) => (m.blocks.find((b) => b.type === 'actions')?.elements ?? []);

test('slack: slash commands, reminder through 429 and 500, Done pressed, retries deduplicated, forgeries refused',
  { skip: SKIP, timeout: 120000 }, async (t) => {
    const api = await SlackWebApi.start({ token: TOKEN, dms: { [MARIA]: MARIA_DM } });
    let server = null;
    t.after(async () => {
      server?.kill();
      await api.stop();
    });
    const dir = tempDir(t, 'followupd-slack-');
    const slack = { enabled: true, bot_token: TOKEN, signing_secret: SECRET, api_base: api.base, bot_user_id: 'UBOT' };
    server = await startServer(dir, writeConfig(dir, users(), { slack }));

    // The first replies meet a 429 (Retry-After: 1) and then a 500; they still arrive, once each.
    api.failPosts(429, 500);
    const added = await ask(api, server, 'customer add Acme', 20000);
    assert.match(added.text, /Acme/, added.text);
    const scheduled = await ask(api, server, 'followup Acme in 2s call');
    const m = /#(\d+)/.exec(scheduled.text);
    assert.ok(m, `no task id in: ${scheduled.text}`);
    const id = Number(m[1]);

    // The reminder goes to maria's DM (opened with conversations.open), with three buttons.
    const reminder = await message(api, MARIA_DM, 0,
      (x) => buttonsOf(x).some((b) => b.value === `done ${id}`), `the reminder for #${id}`, 25000);
    assert.match(reminder.text, /Acme/, reminder.text);
    const buttons = buttonsOf(reminder);
    assert.deepEqual(buttons.map((b) => b.value), [`done ${id}`, `snooze ${id} 1h`, `snooze ${id} tomorrow 9:00`]);
    assert.deepEqual(buttons.map((b) => b.action_id), ['fu_0', 'fu_1', 'fu_2']);
    assert.match(buttons[0].text.text, /Done/);
    assert.equal(buttons[0].type, 'button');
    assert.equal(buttons[0].text.type, 'plain_text');
    assert.equal(reminder.blocks[0].type, 'section');
    assert.equal(reminder.blocks[0].text.type, 'mrkdwn');
    assert.ok(api.calls.some((c) => c.method === 'conversations.open' && c.body?.users === MARIA), 'no conversations.open');

    // Exactly once: two replies in the channel, one reminder in the DM, and the two failures seen.
    await sleep(1500);
    assert.deepEqual(api.messages(SALES).map((x) => x.text), [added.text, scheduled.text]);
    assert.equal(api.messages(MARIA_DM).length, 1, JSON.stringify(api.messages(MARIA_DM)));
    const posts = api.calls.filter((c) => c.method === 'chat.postMessage');
    assert.deepEqual(posts.slice(0, 3).map((c) => c.status), [429, 500, 200]);
    assert.equal(posts.filter((c) => c.status === 200).length, 3);
    for (const c of api.calls) {
      assert.equal(c.auth, `Bearer ${TOKEN}`);
      assert.match(c.contentType, /^application\/json; charset=utf-8$/i);
    }

    // Done pressed: the reminder is updated in place, saying what was done and by whom.
    const payload = {
      type: 'block_actions', user: { id: MARIA, username: 'maria', team_id: 'T0FU' }, api_app_id: 'A0FU',
      container: { type: 'message', message_ts: reminder.ts, channel_id: MARIA_DM, is_ephemeral: false },
      trigger_id: `${Date.now()}.7.peer`, channel: { id: MARIA_DM, name: 'directmessage' },
      message: { ts: reminder.ts, text: reminder.text, blocks: reminder.blocks },
      response_url: 'https://hooks.slack.com/actions/T0FU/1/xyz',
      actions: [{ ...buttons[0], block_id: 'b0', action_ts: `${Date.now() / 1000}` }],
    };
    const press = await post(server, 'interactive', new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    assert.equal(press.status, 200, JSON.stringify(press));
    assert.equal(press.body, '');
    const edit = await api.waitFor(() => reminder.edits.at(-1), 10000, 'chat.update of the reminder');
    assert.match(edit.text, /done|✅/i, edit.text);
    assert.match(edit.text, /Maria/, edit.text);
    assert.ok(!buttonsOf(edit).some((b) => b.value === `done ${id}`), 'Done is still offered');
    assert.equal(api.messages(MARIA_DM).length, 1, 'the press posted a new message instead of updating');

    const history = await ask(api, server, 'history Acme');
    assert.match(history.text, /\bdone\b/i, history.text);

    // An event Slack retries (same event_id, X-Slack-Retry-Num: 1) is processed once.
    const event = JSON.stringify({
      token: 'legacy', team_id: 'T0FU', api_app_id: 'A0FU', type: 'event_callback', event_id: 'Ev0PEERDUP1',
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel: MARIA_DM, user: MARIA, text: 'today', ts: `${Date.now() / 1000}`, channel_type: 'im' },
    });
    const dmBefore = api.messages(MARIA_DM).length;
    assert.equal((await post(server, 'events', event)).status, 200);
    const retried = await post(server, 'events', event, { headers: { 'X-Slack-Retry-Num': '1', 'X-Slack-Retry-Reason': 'http_timeout' } });
    assert.equal(retried.status, 200);
    const today = await message(api, MARIA_DM, dmBefore, () => true, 'the reply to the DM "today"');
    assert.ok(today.text.length > 0);
    await sleep(2000);
    assert.equal(api.messages(MARIA_DM).length, dmBefore + 1, 'a retried event was answered twice');

    // The Events API URL check.
    const challenge = await post(server, 'events', JSON.stringify({ token: 't', challenge: 'ch4ll3nge', type: 'url_verification' }));
    assert.equal(challenge.status, 200);
    assert.deepEqual(JSON.parse(challenge.body), { challenge: 'ch4ll3nge' });

    // A stranger's slash command is answered in the ack, only to them.
    const who = await slash(server, STRANGER, SALES, 'today');
    const ephemeral = JSON.parse(who.body);
    assert.equal(ephemeral.response_type, 'ephemeral');
    assert.match(ephemeral.text, /not registered|未注册/, ephemeral.text);

    // Forged, stale or unsigned: 401, and nothing happens.
    const callsBefore = api.calls.length;
    const forgedBody = slashBody(MARIA, SALES, 'customer add Forged');
    const forged = await post(server, 'commands', forgedBody, { signature: sign('not-the-secret', Math.floor(Date.now() / 1000), forgedBody) });
    assert.equal(forged.status, 401, JSON.stringify(forged));
    const stale = Math.floor(Date.now() / 1000) - 600;
    const old = await rawPost(server.base, '/hooks/slack/commands', forgedBody, {
      'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Request-Timestamp': String(stale),
      'X-Slack-Signature': sign(SECRET, stale, forgedBody) });
    assert.equal(old.status, 401, JSON.stringify(old));
    const unsigned = await rawPost(server.base, '/hooks/slack/events', event, { 'Content-Type': 'application/json' });
    assert.equal(unsigned.status, 401);
    await sleep(1500);
    // Every accepted command is answered with a post: none means none was processed.
    assert.equal(api.calls.length, callsBefore, 'a refused request caused a Web API call');

    assert.ok(!server.output().includes(TOKEN), 'the bot token appears in the log');
    assert.ok(!server.output().includes(SECRET), 'the signing secret appears in the log');
  });
