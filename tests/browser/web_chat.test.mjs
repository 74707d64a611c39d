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
import { BIN, SKIP as SKIP_NO_BIN, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'test-results');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const SKIP = !BIN ? SKIP_NO_BIN
  : !fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)` : false;
const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('web chat: pick a user, chat, get a live reminder, press Done', { skip: SKIP, timeout: 120000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const dir = tempDir(t, 'followupd-web-');
  fs.mkdirSync(RESULTS, { recursive: true });

  const server = await startServer(dir, writeConfig(dir));
  t.after(() => server.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, timeout: 30000 });
  t.after(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1100, height: 820 }, locale: 'en-US' });
  const page = await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.location()?.url || '')) problems.push(`console: ${m.text()} ${m.location()?.url || ''}`);
  });
  page.on('requestfailed', (r) => { if (!r.url().includes('/api/events')) problems.push(`requestfailed: ${r.url()}`); });

  const shot = path.join(RESULTS, 'web_chat.png');
  let shotTaken = false;
  try {
    await page.goto(server.base + '/');
    const picker = page.getByTestId('user-picker');
    await picker.locator('option[value="maria"]').waitFor({ state: 'attached' });
    const labels = await picker.locator('option').allTextContents();
    assert.ok(labels.some((l) => /Maria/.test(l) && /East Sales/.test(l)), `picker options: ${labels}`);
    await picker.selectOption('maria');
    await page.getByTestId('conn-status').and(page.locator('[data-state="live"]')).waitFor();

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

    // The choice is remembered (localStorage): a second tab opens as maria, with the reminder in its history.
    const again = await context.newPage();
    again.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await again.goto(server.base + '/');
    await again.getByTestId('profile').getByText('@maria').waitFor();
    await again.locator(`[data-testid="msg"][data-tasks~="${id}"]`).first().waitFor();
    await again.close();

    assert.deepEqual(problems, [], problems.join('\n'));
  } finally {
    if (!shotTaken) await page.screenshot({ path: shot, animations: 'disabled' }).catch(() => {});
    await page.setViewportSize({ width: 390, height: 844 }).catch(() => {});
    await page.screenshot({ path: path.join(RESULTS, 'web_chat_phone.png'), animations: 'disabled' }).catch(() => {});
  }
});

test('web chat: a manager\'s team table is shown monospace, without its fence lines', { skip: SKIP, timeout: 90000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const dir = tempDir(t, 'followupd-web-table-');
  fs.mkdirSync(RESULTS, { recursive: true });
  const server = await startServer(dir, writeConfig(dir));
  t.after(() => server.stop());
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, timeout: 30000 });
  t.after(() => browser.close());
  const page = await (await browser.newContext({ viewport: { width: 1100, height: 820 }, locale: 'en-US' })).newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));

  await page.goto(server.base + '/');
  const picker = page.getByTestId('user-picker');
  await picker.locator('option[value="li"]').waitFor({ state: 'attached' });
  await picker.selectOption('li');
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
