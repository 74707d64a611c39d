// followupd against a Telegram Bot API emulator (npm telegram-test-api, wrapped
// in telegram_emulator.mjs): webhook mode with the secret token, reminders with
// inline keyboards, button presses (answered, message edited, outcome stored),
// strangers; and long polling.
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test peers/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_USERS, SKIP, rawPost, sleep, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';
import { TelegramEmulator } from './telegram_emulator.mjs';

const TOKEN = '123456:TEST-peer_token';
const SECRET = 'peer-secret_123';
const MARIA = 4242;      // maria's Telegram user id (= her private chat id)
const STRANGER = 9999;   // linked to nobody

const users = () => DEFAULT_USERS.map((u) => (u.handle === 'maria'
  ? { ...u, identities: { telegram: String(MARIA) }, notify: 'telegram' } : u));

// Emulator + followupd with a telegram section; both are stopped after the test.
async function setup(t, mode) {
  const emu = await TelegramEmulator.start({ token: TOKEN });
  let server = null;
  t.after(async () => {
    server?.kill();
    await emu.stop();
  });
  const dir = tempDir(t, 'followupd-tg-');
  const telegram = { enabled: true, token: TOKEN, api_base: emu.base, mode, secret_token: SECRET };
  if (mode === 'polling') telegram.poll_timeout_s = 1;
  server = await startServer(dir, writeConfig(dir, users(), { telegram }));
  if (mode === 'webhook') emu.setWebhook(`${server.base}/hooks/telegram`, SECRET);
  return { emu, server };
}

// The first bot message in chatId after the first `skip` ones that passes `match`.
function botMessage(emu, chatId, skip, match, what, ms = 10000) {
  return emu.waitFor(() => emu.botMessages(chatId).slice(skip).find(match), ms, what)
    .catch((e) => { throw new Error(`${e.message}; bot messages: ${JSON.stringify(emu.botMessages(chatId))}`); });
}

// Sends text as a user and resolves with the bot's next message in that chat.
async function ask(emu, user, text, ms = 10000) {
  const before = emu.botMessages(user.chatId).length;
  const delivery = await user.send(text);
  if (delivery) assert.equal(delivery.status, 200, `webhook for ${JSON.stringify(text)}: ${JSON.stringify(delivery)}`);
  return botMessage(emu, user.chatId, before, () => true, `a reply to ${JSON.stringify(text)}`, ms);
}

test('telegram webhook: commands, reminder with buttons, Done pressed, strangers, secret token',
  { skip: SKIP, timeout: 90000 }, async (t) => {
    const { emu, server } = await setup(t, 'webhook');
    const maria = emu.user({ userId: MARIA, firstName: 'Maria' });

    const today = await ask(emu, maria, '/today');
    assert.match(today.text, /Nothing due today/, today.text);

    // A webhook without the right secret is refused and does nothing.
    emu.setWebhook(`${server.base}/hooks/telegram`, 'not-the-secret');
    const before = emu.botMessages(MARIA).length;
    const refused = await maria.send('/today');
    assert.equal(refused.status, 401, JSON.stringify(refused));
    emu.setWebhook(`${server.base}/hooks/telegram`);  // no header at all
    assert.equal((await maria.send('/today')).status, 401);
    emu.setWebhook(`${server.base}/hooks/telegram`, SECRET);
    await sleep(1000);
    assert.equal(emu.botMessages(MARIA).length, before, 'a refused webhook was answered');

    const added = await ask(emu, maria, 'customer add Acme');
    assert.match(added.text, /Acme/, added.text);
    const scheduled = await ask(emu, maria, 'followup Acme in 2s call');
    const m = /#(\d+)/.exec(scheduled.text);
    assert.ok(m, `no task id in: ${scheduled.text}`);
    const id = Number(m[1]);

    // The reminder arrives as a bot message with an inline keyboard.
    const reminder = await botMessage(emu, MARIA, 0,
      (x) => x.keyboard.flat().some((b) => b.callback_data === `done ${id}`), `the reminder for #${id}`, 20000);
    assert.match(reminder.text, /Acme/, reminder.text);
    const buttons = reminder.keyboard.flat();
    assert.deepEqual(buttons.map((b) => b.callback_data),
      [`done ${id}`, `snooze ${id} 1h`, `snooze ${id} tomorrow 9:00`], JSON.stringify(reminder.keyboard));
    assert.match(buttons[0].text, /Done/);
    assert.match(buttons[1].text, /Snooze 1h/);
    assert.match(buttons[2].text, /Tomorrow 9:00/);

    // Done: the press is answered, the reminder edited, the outcome stored.
    const press = await maria.press(`done ${id}`, reminder.messageId);
    assert.equal(press.status, 200, JSON.stringify(press));
    const queryId = press.update.callback_query.id;
    await emu.waitFor(() => emu.calls.find((c) => c.method === 'answerCallbackQuery'
      && String(c.body?.callback_query_id) === String(queryId)), 5000, 'answerCallbackQuery');
    const edited = await emu.waitFor(() => emu.botMessages(MARIA).find((x) => x.messageId === reminder.messageId
      && x.edited && x.text !== reminder.text), 10000, `the reminder (message ${reminder.messageId}) to be edited`)
      .catch((e) => { throw new Error(`${e.message}; calls: ${JSON.stringify(emu.calls.map((c) => c.method))}`); });
    assert.match(edited.text, /done|✅/i, edited.text);
    assert.ok(!edited.keyboard.flat().some((b) => b.callback_data === `done ${id}`), 'Done is still offered');

    const history = await ask(emu, maria, 'history Acme');
    assert.match(history.text, /\bdone\b/i, history.text);

    // Someone who is not linked to a user is told so, in their own chat.
    const stranger = emu.user({ userId: STRANGER, firstName: 'Eve' });
    const who = await ask(emu, stranger, '/today');
    assert.match(who.text, /not registered|未注册/i, who.text);

    // Every webhook that reached followupd with the secret was answered 200.
    for (const d of emu.deliveries) assert.ok(d.status === 200 || d.status === 401, JSON.stringify(d));
    assert.ok(!server.output().includes(TOKEN), 'the bot token appears in the log');
  });

test('telegram polling: getUpdates brings /today, the reply is sent', { skip: SKIP, timeout: 60000 }, async (t) => {
  const { emu, server } = await setup(t, 'polling');
  const maria = emu.user({ userId: MARIA, firstName: 'Maria' });
  const today = await ask(emu, maria, '/today', 15000);
  assert.match(today.text, /Nothing due today/, today.text);
  assert.equal(emu.pendingUpdates(), 0);
  assert.ok(emu.calls.some((c) => c.method === 'getUpdates'), 'no getUpdates call');

  // Webhooks are off in polling mode.
  const hook = await rawPost(server.base, '/hooks/telegram',
    JSON.stringify({ update_id: 1, message: { from: { id: MARIA }, chat: { id: MARIA, type: 'private' }, text: '/today' } }),
    { 'X-Telegram-Bot-Api-Secret-Token': SECRET });
  assert.notEqual(hook.status, 200, `webhook in polling mode -> ${hook.status} ${hook.body}`);

  // SIGTERM ends the pending long poll at once: a clean, quick exit.
  const t0 = Date.now();
  const exit = await server.stop(10000);
  assert.deepEqual(exit, { code: 0, signal: null }, `SIGTERM exit ${JSON.stringify(exit)}:\n${server.output()}`);
  assert.ok(Date.now() - t0 < 5000, `stopping took ${Date.now() - t0} ms`);
});
