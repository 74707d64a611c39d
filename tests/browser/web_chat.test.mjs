// The web chat page in headless Chromium (Debian's /usr/bin/chromium via playwright-core).
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test browser/
//
// Env: FOLLOWUPD_BIN (required, else skipped), CHROMIUM (default /usr/bin/chromium).
// Screenshots: tests/browser/test-results/web_chat.png (+ web_chat_phone.png), on success and failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BIN, DEFAULT_USERS, SKIP as SKIP_NO_BIN, loginLink, startServer, tempDir, writeConfig,
} from '../lib/followupd.mjs';
import { TelegramEmulator } from '../peers/telegram_emulator.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'test-results');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SKIP = !BIN ? SKIP_NO_BIN
  : !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)` : false;
const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Maria's chat platform is Telegram (an emulator): her sign-in codes arrive there.
const TG_TOKEN = '123456:TEST-web_token';
const MARIA_TG = 4242;
const USERS = DEFAULT_USERS.map((u) => (u.handle === 'maria'
  ? { ...u, identities: { telegram: String(MARIA_TG) }, notify: 'telegram' } : u));

test('web chat: sign in with a code sent to Telegram, chat, get a live reminder, press Done, sign out',
  { skip: SKIP, timeout: 120000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const dir = tempDir(t, 'followupd-web-');
  fs.mkdirSync(RESULTS, { recursive: true });

  const emu = await TelegramEmulator.start({ token: TG_TOKEN });
  t.after(() => emu.stop());
  const server = await startServer(dir, writeConfig(dir, USERS, {
    telegram: { enabled: true, token: TG_TOKEN, api_base: emu.base, mode: 'webhook', secret_token: 's' },
  }));
  t.after(() => server.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, timeout: 30000 });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    const url = m.location()?.url || '';
    // The refusals this test provokes (not signed in yet, a wrong code, another user's messages) are logged by Chromium.
    const expected = /Failed to load resource: the server responded with a status of 40[13]/.test(m.text()) && /\/api\//.test(url);
    if (m.type() === 'error' && !/favicon/.test(url) && !expected) problems.push(`console: ${m.text()} ${url}`);
  });
  page.on('requestfailed', (r) => { if (!r.url().includes('/api/events')) problems.push(`requestfailed: ${r.url()}`); });

  const shot = path.join(RESULTS, 'web_chat.png');
  let shotTaken = false;
  try {
    await page.goto(server.base + '/');
    // Not signed in: a sign-in form, nobody to pick, no demo banner.
    await page.getByTestId('signin').waitFor();
    assert.equal(await page.getByTestId('signin-step2').isVisible(), false, 'the code field comes after the code is sent');
    assert.equal(await page.getByTestId('user-picker').isVisible(), false);
    assert.equal(await page.getByTestId('demo-banner').isVisible(), false);
    await page.getByTestId('signin-handle').fill('maria');
    await page.getByTestId('send-code').click();
    await page.getByTestId('signin-note').filter({ hasText: 'telegram' }).waitFor();
    assert.equal(await page.getByTestId('signin-step1').isVisible(), false);
    await page.screenshot({ path: path.join(RESULTS, 'web_chat_signin.png'), animations: 'disabled' });
    const sent = await emu.waitFor(() => emu.botMessages(MARIA_TG).find((m) => /\b\d{6}\b/.test(m.text)), 10000, 'a code');
    const code = /\b(\d{6})\b/.exec(sent.text)[1];
    // A wrong code first: refused, the form stays.
    await page.getByTestId('signin-code').fill(code === '000000' ? '111111' : '000000');
    await page.getByTestId('sign-in').click();
    await page.getByTestId('signin-note').filter({ hasText: /wrong, used or expired/ }).waitFor();
    await page.getByTestId('signin-code').fill(code);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('profile').getByText('@maria').waitFor();
    await page.getByTestId('conn-status').and(page.locator('[data-state="live"]')).waitFor();
    // The session cookie is out of the page's reach (HttpOnly).
    assert.equal(await page.evaluate(() => document.cookie), '');
    assert.equal(await page.getByTestId('user-picker').isVisible(), false);
    await page.getByTestId('sign-out').waitFor();

    const input = page.getByTestId('chat-input');
    const botReplies = page.locator('[data-testid="msg"][data-kind="bot"]');
    // Sends a line with Enter and waits for the bot's next reply; returns its text.
    const say = async (text) => {
      const n = await botReplies.count();
      await input.fill(text);
      await input.press('Enter');
      await botReplies.nth(n).waitFor();
      return botReplies.nth(n).getByTestId('msg-text').innerText();
    };

    const today = await say('today');
    assert.ok(today.trim().length > 0, 'empty reply to today');
    await page.locator('[data-testid="msg"][data-kind="user"]', { hasText: 'today' }).first().waitFor();

    // Bot text is rendered as text: line breaks kept.
    const help = await say('help');
    assert.ok(help.includes('\n'), 'help reply lost its line breaks');

    assert.match(await say('customer add Beta Ltd'), /Beta/);
    const scheduled = await say('followup Beta in 2s call');
    const m = /#(\d+)/.exec(scheduled);
    assert.ok(m, `no task id in: ${scheduled}`);
    const id = m[1];

    // The reminder arrives live over SSE as a card with buttons.
    const card = page.locator(`[data-testid="msg"][data-live="1"]:is([data-kind="reminder"],[data-kind="catch_up"])[data-tasks~="${id}"]`);
    await card.waitFor({ timeout: 20000 });
    assert.match(await card.getByTestId('msg-text').innerText(), /Beta/);
    const done = card.locator(`[data-testid="msg-button"][data-command="done ${id}"]`);
    await done.waitFor();

    const n = await botReplies.count();
    await done.click();
    await botReplies.nth(n).waitFor();
    const reply = await botReplies.nth(n).getByTestId('msg-text').innerText();
    assert.match(reply, new RegExp(`(^|\\D)${id}(\\D|$)`), `done reply lacks ${id}: ${reply}`);
    // the pressed command is echoed as the user's line
    await page.locator('[data-testid="msg"][data-kind="user"]', { hasText: `done ${id}` }).waitFor();

    await page.screenshot({ path: shot, animations: 'disabled' });
    shotTaken = true;

    // Only her own data: the session's user list is maria alone, and no other user's messages can be read.
    const seen = await page.evaluate(async () => {
      const users = await (await fetch('/api/users')).json();
      const other = await fetch('/api/messages?user=wang');
      return { users: users.users.map((u) => u.handle), other: other.status };
    });
    assert.deepEqual(seen, { users: ['maria'], other: 403 });

    // The session is the browser's: a second tab opens as maria, with the reminder in its history.
    const again = await context.newPage();
    again.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await again.goto(server.base + '/');
    await again.getByTestId('profile').getByText('@maria').waitFor();
    await again.locator(`[data-testid="msg"][data-tasks~="${id}"]`).first().waitFor();

    // Sign-out ends the session everywhere at once: the other tab's live stream
    // is told and it shows the sign-in form; a reload stays signed out.
    const cookie = (await context.cookies()).find((c) => c.name === 'fu_session');
    assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', JSON.stringify(cookie));
    await page.getByTestId('sign-out').click();
    await page.getByTestId('signin').waitFor();
    await again.getByTestId('signin').waitFor({ timeout: 20000 });
    await again.close();
    await page.reload();
    await page.getByTestId('signin').waitFor();
    const after = await fetch(`${server.base}/api/session`, { headers: { Cookie: `fu_session=${cookie.value}` } });
    assert.equal(after.status, 401, 'the old session id no longer works');

    assert.deepEqual(problems, [], problems.join('\n'));
  } finally {
    if (!shotTaken) await page.screenshot({ path: shot, animations: 'disabled' }).catch(() => {});
    await page.setViewportSize({ width: 390, height: 844 }).catch(() => {});
    await page.screenshot({ path: path.join(RESULTS, 'web_chat_phone.png'), animations: 'disabled' }).catch(() => {});
  }
});

test('web chat: a manager signed in with a link sees the team table monospace, without its fence lines',
  { skip: SKIP, timeout: 90000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const dir = tempDir(t, 'followupd-web-table-');
  fs.mkdirSync(RESULTS, { recursive: true });
  const configFile = writeConfig(dir);
  const server = await startServer(dir, configFile);
  t.after(() => server.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, timeout: 30000 });
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 820 }, locale: 'en-US' })).newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

  // A sign-in link (`followupd login-link`): opening it signs li in, and the token leaves the address bar.
  await page.goto(server.base + '/#sign-in=' + loginLink(configFile, 'li'));
  await page.getByTestId('profile').getByText('@li').waitFor();
  assert.equal(new URL(page.url()).hash, '');
  await page.getByTestId('conn-status').and(page.locator('[data-state="live"]')).waitFor();
  const input = page.getByTestId('chat-input');
  const botReplies = page.locator('[data-testid="msg"][data-kind="bot"]');
  const say = async (text) => {
    const n = await botReplies.count();
    await input.fill(text);
    await input.press('Enter');
    await botReplies.nth(n).waitFor();
    return botReplies.nth(n);
  };

  for (const command of ['team', 'report week']) {
    const reply = await say(command);
    const table = reply.getByTestId('msg-table').first();
    await table.waitFor();
    const font = await table.evaluate((e) => getComputedStyle(e).fontFamily);
    assert.match(font, /mono/i, `${command}: table font ${font}`);
    assert.equal(await table.evaluate((e) => getComputedStyle(e).whiteSpace), 'pre');
    const text = await reply.getByTestId('msg-text').innerText();
    assert.ok(!text.includes('```'), `${command}: fence shown: ${text}`);
    assert.match(await table.innerText(), /Wang Wei|Maria/, `${command}: no rep in the table`);
  }
  await page.screenshot({ path: path.join(RESULTS, 'web_chat_table.png'), animations: 'disabled' });
  assert.deepEqual(problems, [], problems.join('\n'));
});

test('web chat: the demo on loopback lets you pick who you are, and says so', { skip: SKIP, timeout: 90000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const dir = tempDir(t, 'followupd-web-demo-');
  const server = await startServer(dir, writeConfig(dir, DEFAULT_USERS, { demo: { seed: true } }));
  t.after(() => server.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, timeout: 30000 });
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 820 }, locale: 'en-US' })).newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(server.base + '/');
  await page.getByTestId('demo-banner').filter({ hasText: /Demo mode: pick who you are/ }).waitFor();
  const picker = page.getByTestId('user-picker');
  await picker.locator('option[value="maria"]').waitFor({ state: 'attached' });
  const labels = await picker.locator('option').allTextContents();
  assert.ok(labels.some((l) => /Maria/.test(l) && /East Sales/.test(l)), `picker options: ${labels}`);
  await picker.selectOption('maria');
  await page.getByTestId('profile').getByText('@maria').waitFor();
  assert.equal(await page.getByTestId('sign-out').isVisible(), false);
  assert.deepEqual(problems, [], problems.join('\n'));
});
