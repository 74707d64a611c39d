// The reps' page (/my and /api/my/…): my follow-ups, customer search, a
// customer's page with its history, and done / snooze / reschedule as the chat
// commands they stand for. The API with fetch; the page in headless Chromium
// (Debian's /usr/bin/chromium via playwright-core).
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test browser/my_page.test.mjs
//
// Env: FOLLOWUPD_BIN (required, else skipped), CHROMIUM (default /usr/bin/chromium),
// FU_SCREENSHOTS_DIR: where my-phone.png goes (docs/ for the README); else tests/browser/test-results/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BIN, DEFAULT_USERS, SKIP as SKIP_NO_BIN, auth, chat, loginLink, sleep, startServer, tempDir, writeConfig,
} from '../lib/followupd.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'test-results');
const SHOTS = process.env.FU_SCREENSHOTS_DIR ? path.resolve(process.env.FU_SCREENSHOTS_DIR) : RESULTS;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SKIP_BROWSER = SKIP_NO_BIN
  || (!fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)` : false);

// East Sales: li manages wang (zh) and maria (en); olaf is a rep of West Sales.
const USERS = [
  ...DEFAULT_USERS,
  { handle: 'olaf', name: 'Olaf', role: 'rep', team: 'West Sales', lang: 'en', time_zone: 'Asia/Shanghai' },
];

async function start(t, prefix) {
  const dir = tempDir(t, prefix);
  const configFile = writeConfig(dir, USERS, { teams: ['East Sales', 'West Sales'], web_chat: { auth: 'signin' } });
  const server = await startServer(dir, configFile);
  t.after(() => server.stop());
  return { server, configFile };
}

async function call(base, method, pathName, { who, body, headers = {} } = {}) {
  const h = { Accept: 'application/json', ...(who ? await auth(base, who) : {}), ...headers };
  if (body !== undefined && !h['Content-Type']) h['Content-Type'] = 'application/json';
  const res = await fetch(base + pathName, {
    method, headers: h, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(10000),
  });
  return { status: res.status, body: await res.json().catch(() => null) };
}

const id = (reply) => Number(/#(\d+)/.exec(reply.text)?.[1]);
const customerId = (reply) => Number(/\bc(\d+)\b/.exec(reply.text)?.[1]);

// maria: Acme (due in 2 s, so overdue by the time it is looked at) and Globex (tomorrow);
// olaf: Initech, another team's.
async function seed(base) {
  const acme = customerId(await chat(base, 'maria', 'customer add Acme Corp company=Acme phone=13800138000'));
  const globex = customerId(await chat(base, 'maria', 'customer add Globex'));
  const initech = customerId(await chat(base, 'olaf', 'customer add Initech'));
  assert.ok(acme && globex && initech, 'customer ids');
  const overdue = id(await chat(base, 'maria', `followup c${acme} in 2s call pricing`));
  const later = id(await chat(base, 'maria', `followup c${globex} tomorrow 10am visit demo`));
  const olafs = id(await chat(base, 'olaf', `followup c${initech} tomorrow 10am call intro`));
  assert.ok(overdue && later && olafs, 'task ids');
  await sleep(2500);
  return { acme, globex, initech, overdue, later, olafs };
}

test('reps\' page API: own follow-ups only, the chat\'s rules and replies, sessions and CSRF',
  { skip: SKIP_NO_BIN, timeout: 90000 }, async (t) => {
  const { server } = await start(t, 'followupd-my-api-');
  const base = server.base;
  const s = await seed(base);

  // No session: 401 on every route.
  for (const [method, p] of [['GET', '/api/my/agenda'], ['GET', '/api/my/customers'], ['GET', `/api/my/customers/${s.acme}`],
    ['POST', `/api/my/followups/${s.overdue}/done`]]) {
    const r = await call(base, method, p, { body: method === 'POST' ? {} : undefined });
    assert.equal(r.status, 401, `${method} ${p}`);
  }

  // maria's agenda: the overdue one and tomorrow's, nobody else's; labels in her language.
  const agenda = await call(base, 'GET', '/api/my/agenda', { who: 'maria' });
  assert.equal(agenda.status, 200, JSON.stringify(agenda.body));
  assert.equal(agenda.body.viewer.handle, 'maria');
  assert.deepEqual(agenda.body.overdue.map((x) => x.id), [s.overdue]);
  assert.equal(agenda.body.overdue[0].customer.name, 'Acme Corp');
  assert.equal(agenda.body.overdue[0].method.label, 'call');
  assert.ok(agenda.body.overdue[0].late_text, 'an overdue one says how late');
  assert.deepEqual(agenda.body.upcoming.map((x) => x.id), [s.later]);
  assert.ok(agenda.body.results.some((r) => r.code === 'reached'), 'the outcomes to pick from');
  const olafs = await call(base, 'GET', '/api/my/agenda', { who: 'olaf' });
  assert.deepEqual([...olafs.body.overdue, ...olafs.body.today, ...olafs.body.upcoming].map((x) => x.id), [s.olafs]);

  // Search and a customer's page: a rep their own, a manager the team's, nobody another team's.
  const found = await call(base, 'GET', '/api/my/customers?q=acme', { who: 'maria' });
  assert.deepEqual(found.body.items.map((c) => c.id), [s.acme]);
  assert.deepEqual((await call(base, 'GET', '/api/my/customers', { who: 'maria' })).body.items.map((c) => c.id).sort(),
    [s.acme, s.globex].sort());
  assert.deepEqual((await call(base, 'GET', '/api/my/customers?q=acme', { who: 'wang' })).body.items, []);
  assert.deepEqual((await call(base, 'GET', '/api/my/customers?q=initech', { who: 'li' })).body.items, []);
  assert.deepEqual((await call(base, 'GET', '/api/my/customers?q=acme', { who: 'li' })).body.items.map((c) => c.id), [s.acme]);
  const mine = await call(base, 'GET', `/api/my/customers/${s.acme}`, { who: 'maria' });
  assert.equal(mine.status, 200);
  assert.equal(mine.body.customer.phone, '13800138000');
  assert.deepEqual(mine.body.open.map((x) => x.id), [s.overdue]);
  assert.equal((await call(base, 'GET', `/api/my/customers/${s.acme}`, { who: 'li' })).body.customer.phone, '13800138000');
  const theirs = await call(base, 'GET', `/api/my/customers/${s.acme}`, { who: 'wang' });
  assert.equal(theirs.status, 404);
  assert.equal((await call(base, 'GET', `/api/my/customers/${s.initech}`, { who: 'li' })).status, 404);
  assert.equal((await call(base, 'GET', '/api/my/customers/abc', { who: 'maria' })).status, 404);
  assert.equal((await call(base, 'GET', '/api/my/customers?q=%FF', { who: 'maria' })).status, 400);

  // Acting: the session's CSRF token, JSON, known fields and outcomes.
  const cookieOnly = { Cookie: (await auth(base, 'maria')).Cookie, 'Content-Type': 'application/json' };
  const noCsrf = await fetch(`${base}/api/my/followups/${s.overdue}/snooze`, {
    method: 'POST', headers: cookieOnly, body: JSON.stringify({ until: 'in 2h' }),
  });
  assert.equal(noCsrf.status, 403);
  const form = await call(base, 'POST', `/api/my/followups/${s.overdue}/snooze`,
    { who: 'maria', body: 'until=in+2h', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.status, 415);
  for (const [action, body, reason] of [
    ['done', { results: ['maybe'] }, /unknown result "maybe"/],
    ['done', { satisfaction: 9 }, /"satisfaction" must be 1 to 5/],
    ['snooze', {}, /"until" is required/],
    ['snooze', { until: 'in 2h', due: 'x' }, /unknown field "due"/],
    ['reschedule', { due: 42 }, /"due" must be a string/],
  ]) {
    const r = await call(base, 'POST', `/api/my/followups/${s.overdue}/${action}`, { who: 'maria', body });
    assert.equal(r.status, 400, `${action} ${JSON.stringify(body)}`);
    assert.match(r.body.error, reason);
  }
  assert.equal((await call(base, 'POST', `/api/my/followups/${s.overdue}/close`, { who: 'maria', body: {} })).status, 404);

  // Another person's follow-up: refused as chat refuses it, and nothing changes.
  const notYours = await call(base, 'POST', `/api/my/followups/${s.olafs}/done`, { who: 'maria', body: { results: ['reached'] } });
  assert.equal(notYours.status, 422);
  assert.match(notYours.body.error, new RegExp(`no task #${s.olafs} of yours`));
  // A time that cannot be read is refused with the forms that work; one that can is kept.
  const unreadable = await call(base, 'POST', `/api/my/followups/${s.overdue}/snooze`, { who: 'maria', body: { until: 'next yesterday' } });
  assert.equal(unreadable.status, 422);
  assert.match(unreadable.body.error, /tomorrow 10am/);
  const snoozed = await call(base, 'POST', `/api/my/followups/${s.overdue}/snooze`, { who: 'maria', body: { until: 'in 2h' } });
  assert.equal(snoozed.status, 200, JSON.stringify(snoozed.body));
  assert.match(snoozed.body.reply, new RegExp(`#${s.overdue}`));
  const after = await call(base, 'GET', '/api/my/agenda', { who: 'maria' });
  assert.ok(after.body.overdue[0].snoozed_until, 'the snooze shows on the agenda');
  assert.equal(after.body.overdue[0].snoozes, 1);

  // Done with outcomes, a note and the next time: the interaction is recorded,
  // the next follow-up scheduled, and chat's history says the same.
  const done = await call(base, 'POST', `/api/my/followups/${s.overdue}/done`, {
    who: 'maria', body: { results: ['reached', 'interested'], note: 'wants a quote', next: 'in 3 days', satisfaction: 4 },
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  const next = Number(/#(\d+)/g.exec(done.body.reply.split('\n').slice(1).join('\n'))?.[1]);
  const page = await call(base, 'GET', `/api/my/customers/${s.acme}`, { who: 'maria' });
  assert.equal(page.body.interactions.length, 1);
  const i = page.body.interactions[0];
  assert.deepEqual(i.results.map((r) => r.code), ['reached', 'interested']);
  assert.equal(i.note, 'wants a quote');
  assert.equal(i.satisfaction, 4);
  assert.equal(i.by, 'Maria');
  assert.equal(page.body.open.length, 1, 'the next follow-up');
  assert.notEqual(page.body.open[0].id, s.overdue);
  if (next) assert.equal(page.body.open[0].id, next);
  const history = await chat(base, 'maria', `history c${s.acme}`);
  assert.match(history.text, /wants a quote/);
  const again = await call(base, 'POST', `/api/my/followups/${s.overdue}/done`, { who: 'maria', body: {} });
  assert.equal(again.status, 422, 'a follow-up done twice');

  // Reschedule moves the due time; the manager may act on the team's.
  const moved = await call(base, 'POST', `/api/my/followups/${s.later}/reschedule`, { who: 'li', body: { due: 'in 5 days' } });
  assert.equal(moved.status, 200, JSON.stringify(moved.body));
  const globex = await call(base, 'GET', `/api/my/customers/${s.globex}`, { who: 'maria' });
  assert.equal(globex.body.open[0].reschedules, 1);
});

test('reps\' page: sign in, see my follow-ups, complete one with its outcome, open the customer',
  { skip: SKIP_BROWSER, timeout: 120000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const { server, configFile } = await start(t, 'followupd-my-page-');
  const s = await seed(server.base);
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, timeout: 30000 });
  t.after(() => browser.close());
  const problems = [];
  const open = async (viewport) => {
    const context = await browser.newContext({ viewport, locale: 'en-US' });
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // The refusals this test provokes (no session, an unreadable time, another's customer) are logged by Chromium.
      const refused = /status of (401|404|422)/.test(m.text());
      if (m.type() === 'error' && !refused && !/favicon/.test(m.location()?.url || '')) problems.push(`console: ${m.text()}`);
    });
    return page;
  };

  // No session: the page says to sign in.
  const anon = await open({ width: 1000, height: 700 });
  await anon.goto(`${server.base}/my`);
  await anon.getByTestId('notice').filter({ hasText: /Sign in first/ }).waitFor();

  // maria, on a phone: from the chat's link to her page.
  const page = await open({ width: 390, height: 844 });
  await page.goto(`${server.base}/#sign-in=${loginLink(configFile, 'maria')}`);
  await page.getByTestId('profile').getByText('@maria').waitFor();
  await page.getByTestId('my-link').click();
  await page.waitForURL(/\/my$/);
  const overdue = page.getByTestId('overdue-list').getByTestId('task');
  await overdue.first().waitFor();
  assert.equal(await overdue.count(), 1);
  assert.match(await overdue.first().innerText(), /Acme Corp/);
  assert.match(await page.getByTestId('upcoming-list').innerText(), /Globex/);
  assert.doesNotMatch(await page.locator('main').innerText(), /Initech/);
  await page.screenshot({ path: path.join(SHOTS, 'my-phone.png'), fullPage: true });

  // An unreadable time: the reply says so and shows forms that work; nothing changes.
  await overdue.first().getByTestId('snooze-button').click();
  await page.getByTestId('until').fill('next yesterday');
  await page.getByTestId('save').click();
  await page.getByTestId('notice').filter({ hasText: /tomorrow 10am/ }).waitFor();
  assert.match(await page.getByTestId('notice').getAttribute('class'), /bad/);

  // Done: reached + interested, a note, the next time.
  await overdue.first().getByTestId('done-button').click();
  await page.locator('[data-testid="done-form"] input[data-result="reached"]').check();
  await page.locator('[data-testid="done-form"] input[data-result="interested"]').check();
  await page.getByTestId('note').fill('wants a quote by friday');
  await page.getByTestId('next').fill('in 3 days');
  await page.getByTestId('save').click();
  await page.getByTestId('notice').filter({ hasText: new RegExp(`#${s.overdue}`) }).waitFor();
  await page.getByTestId('overdue-list').getByText('Nothing overdue.').waitFor();
  assert.match(await page.getByTestId('upcoming-list').innerText(), /Acme Corp/, 'the next follow-up is coming up');

  // Search, and the customer's page with its history.
  await page.getByTestId('search').fill('acme');
  await page.getByTestId('search').press('Enter');
  await page.getByTestId('search-results').getByText('Acme Corp').click();
  await page.getByTestId('customer-name').filter({ hasText: 'Acme Corp' }).waitFor();
  await page.getByTestId('interaction').first().waitFor();
  assert.match(await page.getByTestId('interaction-note').first().innerText(), /wants a quote by friday/);
  assert.match(await page.getByTestId('interaction-results').first().innerText(), /reached/);
  assert.match(await page.locator('[data-field="f_phone"]').innerText(), /13800138000/);
  assert.equal(await page.getByTestId('customer-open').getByTestId('task').count(), 1);

  // Another rep's customer by its address: refused, nothing shown.
  await page.goto(`${server.base}/my#c${s.initech}`);
  await page.getByTestId('notice').filter({ hasText: /no customer/ }).waitFor();
  assert.deepEqual(problems, []);
});
