// The managers' dashboard (/dashboard and /api/dashboard) over the demo's seeded
// history, in headless Chromium (Debian's /usr/bin/chromium via playwright-core).
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test browser/dashboard.test.mjs
//
// Env: FOLLOWUPD_BIN (required, else skipped), CHROMIUM (default /usr/bin/chromium),
// FU_SCREENSHOTS_DIR: where dashboard-desktop.png and dashboard-phone.png go (docs/ for
// the README); else tests/browser/test-results/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  BIN, DEFAULT_USERS, SKIP as SKIP_NO_BIN, auth, chat, loginLink, startServer, tempDir, writeConfig,
} from '../lib/followupd.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, 'test-results');
const SHOTS = process.env.FU_SCREENSHOTS_DIR ? path.resolve(process.env.FU_SCREENSHOTS_DIR) : RESULTS;
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROME_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SKIP_BROWSER = SKIP_NO_BIN
  || (!fs.existsSync(CHROMIUM) ? `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)` : false);

// East Sales (li manages wang and maria), West Sales (mona manages olaf), and ada, an admin in no team.
const USERS = [
  ...DEFAULT_USERS,
  { handle: 'mona', name: 'Mona', role: 'manager', team: 'West Sales', lang: 'zh', time_zone: 'Asia/Shanghai' },
  { handle: 'olaf', name: 'Olaf', role: 'rep', team: 'West Sales', lang: 'en', time_zone: 'Asia/Shanghai' },
  { handle: 'ada', name: 'Ada', role: 'admin', lang: 'en', time_zone: 'Asia/Shanghai' },
];

async function start(t, prefix) {
  const dir = tempDir(t, prefix);
  // The demo's seeded history (last week's follow-ups, outcomes, pool moves, overdue ones), people signing in.
  const configFile = writeConfig(dir, USERS, {
    teams: ['East Sales', 'West Sales'], demo: { seed: true }, web_chat: { auth: 'signin' },
  });
  const server = await startServer(dir, configFile);
  t.after(() => server.stop());
  return { server, configFile };
}

async function get(base, pathName, headers = {}) {
  const res = await fetch(base + pathName, { headers, signal: AbortSignal.timeout(10000) });
  return { status: res.status, body: await res.json().catch(() => null), headers: res.headers };
}

test('dashboard API: no session 401, a rep 403, a manager their team only, an admin every team',
  { skip: SKIP_NO_BIN, timeout: 60000 }, async (t) => {
  const { server } = await start(t, 'followupd-dash-api-');
  const base = server.base;

  const none = await get(base, '/api/dashboard');
  assert.equal(none.status, 401);
  assert.match(none.body.error, /sign in/);
  assert.equal((await get(base, '/api/dashboard/overdue')).status, 401);

  const rep = await get(base, '/api/dashboard', await auth(base, 'wang'));
  assert.equal(rep.status, 403);
  assert.match(rep.body.error, /for managers and admins: wang is a rep/);
  assert.equal((await get(base, '/api/dashboard/overdue?rep=wang', await auth(base, 'wang'))).status, 403);

  const li = await auth(base, 'li');
  const mine = await get(base, '/api/dashboard', li);
  assert.equal(mine.status, 200, JSON.stringify(mine.body));
  assert.equal(mine.headers.get('cache-control'), 'no-store');
  assert.equal(mine.body.scope.name, 'East Sales');
  assert.deepEqual(mine.body.teams.map((x) => x.name), ['East Sales']);
  const handles = mine.body.reps.map((r) => r.handle);
  assert.ok(handles.includes('wang') && handles.includes('maria'), handles.join());
  assert.ok(!handles.includes('olaf'), `another team's rep on li's dashboard: ${handles}`);
  assert.equal(mine.body.weeks.length, 12);
  assert.deepEqual(mine.body.funnel.map((s) => s.code), ['reached', 'interested', 'quote_sent', 'meeting', 'won']);

  const admin = await get(base, '/api/dashboard', await auth(base, 'ada'));
  assert.equal(admin.status, 200, JSON.stringify(admin.body));
  assert.equal(admin.body.scope.team, null);
  const west = admin.body.teams.find((x) => x.name === 'West Sales');
  assert.ok(west, JSON.stringify(admin.body.teams));
  const everyone = admin.body.reps.map((r) => r.handle);
  assert.ok(everyone.includes('olaf') && everyone.includes('wang'), everyone.join());
  const westOnly = await get(base, `/api/dashboard?team=${west.id}`, await auth(base, 'ada'));
  assert.equal(westOnly.status, 200);
  assert.ok(westOnly.body.reps.every((r) => ['olaf', 'mona'].includes(r.handle)), JSON.stringify(westOnly.body.reps));

  // A manager asking for another team, or its rep, is refused.
  const other = await get(base, `/api/dashboard?team=${west.id}`, li);
  assert.equal(other.status, 403);
  assert.match(other.body.error, /only their own team/);
  assert.equal((await get(base, '/api/dashboard?rep=olaf', li)).status, 404);
  assert.equal((await get(base, '/api/dashboard/overdue?rep=olaf', li)).status, 404);
  assert.equal((await get(base, '/api/dashboard/overdue?rep=olaf', await auth(base, 'ada'))).status, 200);

  // Filters: one rep, a custom period; bad ones get a reason.
  const one = await get(base, '/api/dashboard?rep=wang&period=last_week', li);
  assert.equal(one.status, 200);
  assert.deepEqual(one.body.reps.map((r) => r.handle), ['wang']);
  assert.equal(one.body.period.kind, 'last_week');
  assert.ok(one.body.people.some((p) => p.handle === 'maria'), 'the rep filter lists the whole team');
  const custom = await get(base, '/api/dashboard?from=2026-01-05&to=2026-01-11', li);
  assert.equal(custom.status, 200);
  assert.deepEqual([custom.body.period.kind, custom.body.period.first_day, custom.body.period.last_day],
    ['custom', '2026-01-05', '2026-01-11']);
  for (const [query, reason] of [['period=year', /"period" must be/], ['from=2026-01-05', /both "from" and "to"/],
    ['from=2026-02-30&to=2026-03-01', /"from" must be a date/], ['from=2026-03-01&to=2026-02-01', /before "from"/],
    ['team=east', /"team" must be a team id/]]) {
    const bad = await get(base, `/api/dashboard?${query}`, li);
    assert.equal(bad.status, 400, query);
    assert.match(bad.body.error, reason, query);
  }

  // The script: versioned by the page, cached for a year, revalidated by its ETag.
  const page = await fetch(`${base}/dashboard`).then((r) => r.text());
  const src = /<script src="(\/assets\/dashboard\.js\?v=[0-9a-f]{16})"><\/script>/.exec(page);
  assert.ok(src, 'the page loads the versioned script');
  const script = await fetch(base + src[1]);
  assert.equal(script.status, 200);
  assert.match(script.headers.get('cache-control'), /max-age=31536000, immutable/);
  assert.match(script.headers.get('content-type'), /javascript/);
  const again = await fetch(base + src[1], { headers: { 'If-None-Match': script.headers.get('etag') } });
  assert.equal(again.status, 304);
});

// Figures of the chat's `report` reply (English).
function reportFigures(text) {
  const m = (re) => {
    const found = re.exec(text);
    assert.ok(found, `${re} not in the report:\n${text}`);
    return found;
  };
  const tl = m(/Timeliness (\S+) · on time (\d+) · late (\d+) · pending (\d+)/);
  const pool = m(/Public pool: reclaimed (\d+) · released (\d+) · claimed (\d+) · assigned (\d+)/);
  const outcomes = {};
  const line = m(/Outcomes: (.*)/)[1];
  for (const [name, code] of [['reached', 'reached'], ['interested', 'interested'], ['quote sent', 'quote_sent'],
    ['meeting booked', 'meeting'], ['won', 'won']]) {
    const n = new RegExp(`(?:^| · )${name} (\\d+)`).exec(line);
    outcomes[code] = n ? n[1] : '0';
  }
  return {
    rate: tl[1], on_time: tl[2], late: tl[3], pending: tl[4],
    reclaimed: pool[1], released: pool[2], claimed: pool[3], assigned: pool[4],
    complaints: m(/complaints open (\d+)/)[1], overdue: m(/overdue now (\d+)/)[1], escalated: m(/Escalated (\d+)/)[1],
    outcomes,
  };
}

test('dashboard page: a rep is refused, a manager sees the figures `report` gives, in en and zh, desktop and phone',
  { skip: SKIP_BROWSER, timeout: 120000 }, async (t) => {
  const { chromium } = await import('playwright-core');
  const { server, configFile } = await start(t, 'followupd-dash-page-');
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROME_ARGS, timeout: 30000 });
  t.after(() => browser.close());
  const problems = [];
  const open = async (viewport, options = {}) => {
    const context = await browser.newContext({ viewport, locale: 'en-US', ...options });
    const page = await context.newPage();
    page.setDefaultTimeout(10000);
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // The refusals this test provokes (no session, a rep) are logged by Chromium.
      const refused = /status of 40[13]/.test(m.text()) && /\/api\//.test(m.location()?.url || '');
      if (m.type() === 'error' && !refused && !/favicon/.test(m.location()?.url || '')) problems.push(`console: ${m.text()}`);
    });
    return page;
  };
  const signIn = async (page, who) => {
    await page.goto(`${server.base}/#sign-in=${loginLink(configFile, who)}`);
    await page.getByTestId('profile').getByText(`@${who}`).waitFor();
  };

  // No session: the page says to sign in.
  const anon = await open({ width: 1000, height: 700 });
  await anon.goto(`${server.base}/dashboard`);
  await anon.getByTestId('notice').filter({ hasText: /Sign in first/ }).waitFor();
  assert.equal(await anon.getByTestId('kpis').isVisible(), false);

  // A rep: the chat has no dashboard link, and the page says who may look.
  const rep = await open({ width: 1000, height: 700 });
  await signIn(rep, 'maria');
  assert.equal(await rep.getByTestId('dashboard-link').count(), 0);
  await rep.goto(`${server.base}/dashboard`);
  await rep.getByTestId('notice').filter({ hasText: /for managers and admins/ }).waitFor();
  assert.equal(await rep.getByTestId('kpis').isVisible(), false);

  // The manager: from the chat's link to the dashboard; this week's figures are `report`'s.
  const page = await open({ width: 1280, height: 900 });
  await signIn(page, 'li');
  await page.getByTestId('dashboard-link').click();
  await page.waitForURL(/\/dashboard$/);
  await page.getByTestId('kpis').waitFor();
  const showing = (period) => page.locator(`[data-testid="kpis"][data-period^="${period} "]`).waitFor();
  await showing('week');
  for (const [period, command] of [['last_week', 'report last week'], ['week', 'report']]) {
    await page.getByTestId('period').selectOption(period);
    await showing(period);
    const want = reportFigures((await chat(server.base, 'li', command)).text);
    const shown = async (id) => (await page.getByTestId(id).innerText()).trim();
    assert.equal(await shown('kpi-rate'), want.rate, `${period}: timeliness`);
    assert.equal(await shown('kpi-on-time'), want.on_time, `${period}: on time`);
    assert.equal(await shown('kpi-late'), want.late, `${period}: late`);
    assert.equal(await shown('kpi-pending'), want.pending, `${period}: pending`);
    assert.equal(await shown('kpi-overdue'), want.overdue, `${period}: overdue now`);
    assert.equal(await shown('kpi-complaints'), want.complaints, `${period}: complaints`);
    assert.equal(await shown('kpi-escalated'), want.escalated, `${period}: escalated`);
    for (const k of ['reclaimed', 'released', 'claimed', 'assigned'])
      assert.equal(await shown(`pool-${k}`), want[k], `${period}: pool ${k}`);
    for (const [code, n] of Object.entries(want.outcomes))
      assert.equal(await shown(`funnel-${code}`), n, `${period}: outcome ${code}`);
    if (period === 'last_week')
      assert.ok(Number(want.on_time) + Number(want.late) > 0, 'the demo seeds last week: something to compare');
  }

  // Every chart is drawn (a canvas each).
  for (const id of ['weeks-chart', 'reps-chart', 'funnel-chart', 'conversion-chart', 'pool-chart', 'changes-chart'])
    assert.equal(await page.locator(`#${id} canvas`).count(), 1, `${id} drawn`);

  // A rep's overdue count links to their overdue list (the bars do the same).
  const wangRow = page.getByTestId('rep-wang');
  const wangOverdue = await wangRow.locator('a').innerText();
  await wangRow.locator('a').click();
  await page.getByTestId('overdue-title').filter({ hasText: /Overdue · Wang Wei/ }).waitFor();
  const listed = await page.getByTestId('overdue-table').locator('tr').count();
  if (Number(wangOverdue) > 0) assert.equal(listed, Number(wangOverdue) + 1, 'header and one row per overdue follow-up');
  assert.match(page.url(), /#overdue=wang$/);

  // Tapping a rep's overdue bar opens the same list.
  await page.getByTestId('period').selectOption('week');
  await showing('week');
  const bar = await page.evaluate(() => {
    const c = window.fuDashboard.charts['reps-chart'];
    const { yAxis, series } = c.getOption();
    const i = series[0].data.findIndex((n) => n > 0);
    return i < 0 ? null : { name: yAxis[0].data[i], at: c.convertToPixel({ seriesIndex: 0 }, [series[0].data[i] / 2, i]) };
  });
  assert.ok(bar, 'the demo leaves someone overdue');
  await page.locator('#reps-chart canvas').click({ position: { x: bar.at[0], y: bar.at[1] } });
  await page.getByTestId('overdue-title').filter({ hasText: `Overdue · ${bar.name}` }).waitFor();
  assert.ok(await page.getByTestId('overdue-table').locator('tr').count() > 1);

  // Desktop screenshot, in English, back on last week (the demo's full week).
  await page.getByTestId('period').selectOption('last_week');
  await showing('last_week');
  assert.match(page.url(), /\?period=last_week$/);
  await page.getByTestId('overdue-card').waitFor({ state: 'hidden' });
  await page.evaluate(() => window.scrollTo(0, 0));  // the sticky header stays on top in a full-page shot
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-desktop.png'), fullPage: true, animations: 'disabled' });

  // The language toggle: the labels in Chinese, the figures the same.
  const before = await page.getByTestId('kpi-rate').innerText();
  await page.getByTestId('lang-toggle').click();
  await page.getByText('跟进及时率').first().waitFor();
  assert.equal(await page.getByTestId('kpi-rate').innerText(), before);
  await page.getByTestId('lang-toggle').click();

  // A phone: the same page fits its width.
  const phone = await open({ width: 390, height: 844 }, { deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  await signIn(phone, 'li');
  await phone.goto(`${server.base}/dashboard?period=last_week`);
  await phone.locator('[data-testid="kpis"][data-period^="last_week "]').waitFor();
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 1, `the page is ${overflow}px wider than a phone`);
  // The first screen, as a phone shows it.
  await phone.screenshot({ path: path.join(SHOTS, 'dashboard-phone.png'), animations: 'disabled' });

  // The admin: every team, and a team to pick.
  const admin = await open({ width: 1280, height: 900 });
  await signIn(admin, 'ada');
  await admin.goto(`${server.base}/dashboard`);
  await admin.getByTestId('kpis').waitFor();
  assert.equal(await admin.getByTestId('scope').innerText(), 'All teams');
  const teams = await admin.getByTestId('team').locator('option').allTextContents();
  assert.deepEqual(teams, ['All teams', 'East Sales', 'West Sales']);
  assert.ok(await admin.getByTestId('rep-olaf').count() === 1 && await admin.getByTestId('rep-wang').count() === 1);

  assert.deepEqual(problems, [], problems.join('\n'));
});
