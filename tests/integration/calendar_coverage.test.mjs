// The holiday calendar running out: the real binary warns at start-up and
// /metrics says how many days it still covers. Holiday files of the test's
// own make the answer independent of today's date.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/calendar_coverage.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { SKIP, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

async function run(t, year) {
  const dir = tempDir(t);
  const holidays = path.join(dir, 'holidays.txt');
  fs.writeFileSync(holidays, `${year}-01-01 off New Year\n`);
  const server = await startServer(dir, writeConfig(dir, undefined, { calendar: { holidays } }));
  t.after(() => server.stop());
  const metrics = await (await fetch(`${server.base}/metrics`)).text();
  const gauge = /^followupd_calendar_covered_seconds (\d+)$/m.exec(metrics);
  assert.ok(gauge, metrics);
  return { days: Number(gauge[1]) / 86400, log: server.output() };
}

test('a calendar that has ended is warned of at start-up and is 0 in /metrics', { skip: SKIP }, async (t) => {
  const year = new Date().getUTCFullYear() - 1;
  const { days, log } = await run(t, year);
  assert.equal(days, 0);
  assert.match(log, new RegExp(`calendar: .*holidays\\.txt ends ${year}-12-31 \\(0 days from today\\)`));
});

test('a calendar covering the next 60 days is not warned of', { skip: SKIP }, async (t) => {
  const { days, log } = await run(t, new Date().getUTCFullYear() + 1);
  assert.ok(days > 365, `${days}`);
  assert.doesNotMatch(log, / ends \d{4}-12-31/);
});
