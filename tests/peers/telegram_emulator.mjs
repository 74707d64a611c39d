// A Telegram Bot API emulator for the peer tests: npm `telegram-test-api`, run
// in-process on 127.0.0.1 with an ephemeral port, with its quirks fixed:
//
//   - webhook deliveries carry X-Telegram-Bot-Api-Secret-Token (the secret given to
//     setWebhook, as real Telegram does), and a failed delivery (non-2xx, refused
//     connection) is recorded instead of crashing the emulator (upstream throws an
//     unhandled rejection and stops);
//   - every Bot API call the bot makes is recorded (method name and JSON body);
//   - the port is ephemeral (upstream turns port 0 into 9000).
//
// Still upstream behaviour: getUpdates ignores offset/timeout (answers at once,
// each update only once); editMessageText answers {ok: true, result: null};
// bot messages' `date` is in ms.
//
//   const emu = await TelegramEmulator.start({ token });
//   emu.base                          -> 'http://127.0.0.1:<port>' (the bot's api_base)
//   emu.setWebhook(url, secret)       -> as the bot's setWebhook would
//   const maria = emu.user({ userId: 4242, firstName: 'Maria' });
//   await maria.send('/today')        -> the update (webhook: after our server answered)
//   await maria.press(data, messageId)
//   emu.botMessages(chatId)           -> [{ messageId, text, keyboard, edited }]
//   await emu.waitFor(() => …, ms, what)
//   emu.calls, emu.deliveries         -> what the bot called (and when); what the webhook answered
//   await emu.stop()
import { createRequire } from 'node:module';
import { setTimeout as sleep } from 'node:timers/promises';

const require = createRequire(import.meta.url);
const TelegramServer = require('telegram-test-api');

export class TelegramEmulator {
  static async start({ token, storeTimeoutS = 3600 } = {}) {
    const emu = new TelegramEmulator(token, storeTimeoutS);
    await emu.#listen();
    return emu;
  }

  constructor(token, storeTimeoutS) {
    if (!token) throw new Error('TelegramEmulator needs the bot token');
    this.token = token;
    this.calls = [];       // [{ method, body, at }] Bot API calls made by the bot (at: Date.now() on arrival)
    this.deliveries = [];  // [{ update, status, body } | { update, error }] webhook POSTs
    this.server = new TelegramServer({ host: '127.0.0.1', port: 1, storeTimeout: storeTimeoutS });
    this.server.config.port = 0;  // normalizeConfig turns 0 into 9000: listen on an ephemeral port instead
    this.server.addUserUpdate = (update) => this.#addUserUpdate(update);
  }

  async #listen() {
    await this.server.start();
    const { port } = this.server.server.address();
    this.port = port;
    this.base = `http://127.0.0.1:${port}`;
    this.server.config.port = port;
    this.server.config.apiURL = this.base;
    // Observe the Bot API calls: express has parsed req.body by the time the answer is sent.
    this.server.server.on('request', (req, res) => {
      const at = Date.now();  // when the call came
      res.on('finish', () => {
        const m = /^\/bot([^/]+)\/([A-Za-z]+)/.exec(req.url || '');
        if (m) this.calls.push({ method: m[2], token: decodeURIComponent(m[1]), status: res.statusCode, body: req.body, at });
      });
    });
  }

  // Replaces upstream's addUserUpdate (see the top of this file).
  async #addUserUpdate(update) {
    const srv = this.server;
    if (!update.botToken) throw new Error('an update needs botToken');
    update.updateId = srv.updateId++;  // numbered up front: concurrent sends get distinct ids
    const webhook = srv.webhooks[update.botToken];
    if (!webhook) {
      srv.storage.userMessages.push(update);
      return;
    }
    const body = TelegramServer.formatUpdate(update);
    const headers = { 'Content-Type': 'application/json' };
    if (webhook.secret_token) headers['X-Telegram-Bot-Api-Secret-Token'] = webhook.secret_token;
    try {
      const res = await fetch(webhook.url, {
        method: 'POST', headers, body: JSON.stringify(body), signal: AbortSignal.timeout(15000),
      });
      this.deliveries.push({ update: body, status: res.status, body: await res.text() });
    } catch (error) {
      this.deliveries.push({ update: body, error: String(error) });
    }
  }

  setWebhook(url, secretToken) {
    const hook = { url };
    if (secretToken) hook.secret_token = secretToken;
    this.server.setWebhook(hook, this.token);
  }

  deleteWebhook() { this.server.deleteWebhook(this.token); }

  // A Telegram user in a private chat with the bot (chat id = user id), or in a
  // group with { chatId: -100…, type: 'group' }.
  user({ userId, firstName = 'Test', userName, chatId, type = 'private' }) {
    const client = this.server.getClient(this.token, {
      userId, chatId: chatId ?? userId, firstName, userName: userName ?? `user${userId}`, type,
    });
    const emu = this;
    return {
      userId,
      chatId: chatId ?? userId,
      // Sends text (a command when it starts with "/"); resolves with the webhook's answer, if any.
      async send(text) {
        const message = text.startsWith('/') ? client.makeCommand(text) : client.makeMessage(text);
        const n = emu.deliveries.length;
        if (text.startsWith('/')) await emu.server.addUserCommand(message);
        else await emu.server.addUserMessage(message);
        return emu.deliveries[n];
      },
      // Presses an inline button with this callback data on the bot message messageId.
      async press(data, messageId) {
        const query = client.makeCallbackQuery(data, { message: { message_id: messageId } });
        const n = emu.deliveries.length;
        await emu.server.addUserCallback(query);
        return emu.deliveries[n];
      },
    };
  }

  // The bot's messages in a chat, oldest first, as they are now (edits applied).
  botMessages(chatId) {
    return this.server.storage.botMessages
      .filter((m) => m.botToken === this.token && String(m.message.chat_id) === String(chatId))
      .map((m) => ({
        messageId: m.messageId,
        text: m.message.text,
        keyboard: m.message.reply_markup?.inline_keyboard ?? [],
        edited: 'message_id' in m.message,  // editMessageText merged its body (with message_id) in
        time: m.time,
      }));
  }

  // Updates not yet fetched with getUpdates (polling mode).
  pendingUpdates() {
    return this.server.storage.userMessages.filter((u) => u.botToken === this.token && !u.isRead).length;
  }

  async waitFor(check, timeoutMs, what) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await sleep(100);
    }
  }

  async stop() { await this.server.stop(); }
}
