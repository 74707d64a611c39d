// Calendar feeds end to end against the real binary: `calendar` in chat gives
// an address; the feed it serves parses with a real iCalendar parser
// (python3-icalendar) and holds exactly the person's open follow-ups (as the
// REST API lists them); done and rescheduled follow-ups show on the next
// fetch; `calendar new` and `calendar off` stop the old address at once.
//
//   cd tests && FOLLOWUPD_BIN=../build/followupd node --test integration/calendar_feed.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, DEFAULT_USERS, SKIP, chat, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const USERS = [...DEFAULT_USERS, { handle: 'boss', name: 'The Admin', role: 'admin', lang: 'en', time_zone: 'Asia/Shanghai' }];

// The parser: Debian's python3-icalendar, in the first Python that has it (a
// python3 earlier on PATH, pyenv's say, may lack Debian's packages). Where
// scripts/test requires the tools (FU_TEST_REQUIRE_TOOLS=1) its absence fails
// the test; elsewhere it skips.
const PYTHON = ['python3', '/usr/bin/python3']
  .find((py) => spawnSync(py, ['-c', 'import icalendar'], { encoding: 'utf8' }).status === 0);
const hasIcalendar = Boolean(PYTHON);

// Parses the feed with icalendar.Calendar.from_ical and gives what the test compares, as JSON.
const PARSE = `
import json, sys, datetime, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
out = {"version": str(cal.get("VERSION")), "prodid": str(cal.get("PRODID")), "calscale": str(cal.get("CALSCALE")),
       "name": str(cal.get("X-WR-CALNAME")), "events": []}
for e in cal.walk("VEVENT"):
    start = e.decoded("DTSTART")
    assert isinstance(start, datetime.datetime) and start.utcoffset() == datetime.timedelta(0), start
    out["events"].append({
        "uid": str(e.get("UID")),
        "start": start.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration": e.decoded("DURATION").total_seconds(),
        "sequence": int(e.get("SEQUENCE")),
        "summary": str(e.get("SUMMARY")),
        "description": str(e.get("DESCRIPTION")),
        "url": str(e.get("URL")),
        "dtstamp": e.decoded("DTSTAMP").isoformat(),
    })
print(json.dumps(out))
`;

function parseIcs(text) {
  const r = spawnSync(PYTHON, ['-c', PARSE], { input: text, encoding: 'utf8' });
  assert.equal(r.status, 0, `icalendar could not parse the feed:\n${r.stderr}\n${text}`);
  return JSON.parse(r.stdout);
}

// RFC 5545 framing the parser forgives: CRLF everywhere, no physical line over 75 octets.
function checkFraming(text) {
  assert.ok(text.endsWith('\r\n'), 'the feed ends in CRLF');
  const lines = text.split('\r\n').slice(0, -1);
  for (const l of lines) {
    assert.ok(!l.includes('\n'), `a bare LF in ${JSON.stringify(l)}`);
    assert.ok(Buffer.byteLength(l, 'utf8') <= 75, `a line of ${Buffer.byteLength(l, 'utf8')} octets: ${l}`);
  }
}

const feedUrl = (text) => {
  const m = /(https?:\/\/\S+\/calendar\/[A-Za-z0-9_-]{43}\.ics)/.exec(text);
  assert.ok(m, `no calendar address in: ${text}`);
  return m[1];
};

async function fetchFeed(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(10000) });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

function createToken(configFile) {
  const r = spawnSync(BIN, ['token', 'create', '--name', 'calendar-test', '--all', '--as', 'boss', '-c', configFile],
    { encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 0, `token create failed: ${r.stderr}`);
  return /^(fu_[A-Za-z0-9_-]{43})$/m.exec(r.stdout)[1];
}

// The person's open follow-ups, as the REST API lists them.
async function openFollowups(base, token, handle) {
  const res = await fetch(`${base}/api/v1/followups?assignee=${handle}&status=open&limit=200`, {
    headers: { Authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(10000),
  });
  assert.equal(res.status, 200);
  return (await res.json()).items;
}

const iso = (s) => new Date(s).toISOString().replace(/\.000Z$/, 'Z');
const METHOD_ZH = { call: '电话', email: '邮件', visit: '拜访', im: '微信/消息', other: '其他' };

// The feed holds exactly these follow-ups: one event each, same UID, start and summary.
function assertMatches(feed, followups, host, summaryOf) {
  const byUid = new Map(feed.events.map((e) => [e.uid, e]));
  assert.equal(feed.events.length, followups.length,
    `events ${JSON.stringify(feed.events.map((e) => e.uid))} vs follow-ups ${JSON.stringify(followups.map((f) => f.id))}`);
  for (const f of followups) {
    const e = byUid.get(`task-${f.id}@${host}`);
    assert.ok(e, `no event for follow-up #${f.id} in ${JSON.stringify([...byUid.keys()])}`);
    assert.equal(e.start, iso(f.due), `#${f.id} start`);
    assert.equal(e.summary, summaryOf(f), `#${f.id} summary`);
    assert.equal(e.duration, 1800);
    assert.equal(e.sequence, f.reschedule_count);
  }
}

test('calendar feed: the address from chat serves the person\'s open follow-ups; changes show on the next fetch; new and off stop the old address',
  { skip: SKIP, timeout: 120000 }, async (t) => {
    if (!hasIcalendar) {
      assert.notEqual(process.env.FU_TEST_REQUIRE_TOOLS, '1', 'python3-icalendar is required (FU_TEST_REQUIRE_TOOLS=1)');
      t.skip('python3-icalendar is not installed (Debian package python3-icalendar): the feed is not parsed');
      return;
    }
    const dir = tempDir(t, 'followupd-calendar-');
    const configFile = writeConfig(dir, USERS);
    const server = await startServer(dir, configFile);
    t.after(() => server.kill());
    const { base } = server;
    const host = new URL(base).hostname;
    const token = createToken(configFile);

    // maria (English): customers with contacts, follow-ups with commas and semicolons in their topics.
    await chat(base, 'maria', 'customer add Acme Corp phone=13900139000 email=ceo@acme.example tier=A stage=active');
    await chat(base, 'maria', 'customer add Beta Ltd tier=B stage=active');
    const f1 = Number(/#(\d+)/.exec((await chat(base, 'maria', 'followup Acme tomorrow 10am call quote, v2; check terms')).text)[1]);
    const f2 = Number(/#(\d+)/.exec((await chat(base, 'maria', 'followup Beta in 3 days email renewal')).text)[1]);
    const f3 = Number(/#(\d+)/.exec((await chat(base, 'maria', 'followup Acme in 5 days visit demo')).text)[1]);

    const made = await chat(base, 'maria', 'calendar');
    for (const app of ['Outlook', 'Google', 'Apple', 'other apps']) assert.match(made.text, new RegExp(app), made.text);
    const url = feedUrl(made.text);
    assert.ok(url.startsWith(`${base}/calendar/`), url);

    const res = await fetchFeed(url);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers.get('content-type'), 'text/calendar; charset=utf-8');
    assert.match(res.headers.get('cache-control'), /^private, max-age=\d+$/);
    checkFraming(res.text);
    for (const secret of ['13900139000', 'ceo@acme.example']) assert.ok(!res.text.includes(secret), `${secret} in the feed`);
    const feed = parseIcs(res.text);
    assert.equal(feed.version, '2.0');
    assert.equal(feed.calscale, 'GREGORIAN');
    assert.match(feed.prodid, /followupd/);
    assert.match(feed.name, /Maria/);
    const summaryEn = (f) => `${f.customer_name} · ${f.method}: ${f.topic}`;
    let followups = await openFollowups(base, token, 'maria');
    assert.ok([f1, f2, f3].every((id) => followups.some((f) => f.id === id)), JSON.stringify(followups));
    assertMatches(feed, followups, host, summaryEn);
    const e1 = feed.events.find((e) => e.uid === `task-${f1}@${host}`);
    assert.equal(e1.summary, 'Acme Corp · call: quote, v2; check terms');  // escaped in the feed, read back whole
    assert.match(e1.description, /Customer: Acme Corp/);
    assert.match(e1.description, new RegExp(`done ${f1}`));
    assert.equal(e1.url, `${base}/`);

    // Done and rescheduled: the next fetch shows it.
    await chat(base, 'maria', `done ${f2}`);
    await chat(base, 'maria', `reschedule ${f3} in 9 days 3pm`);
    const feed2 = parseIcs((await fetchFeed(url)).text);
    followups = await openFollowups(base, token, 'maria');
    assert.ok(!followups.some((f) => f.id === f2));
    assertMatches(feed2, followups, host, summaryEn);
    assert.ok(!feed2.events.some((e) => e.uid === `task-${f2}@${host}`), 'the done follow-up left the feed');
    const moved = feed2.events.find((e) => e.uid === `task-${f3}@${host}`);
    assert.notEqual(moved.start, feed.events.find((e) => e.uid === `task-${f3}@${host}`).start);
    assert.equal(moved.sequence, 1);

    // Asked again: the feed stays, its address is not shown again.
    const again = await chat(base, 'maria', 'calendar');
    assert.ok(!/\.ics/.test(again.text), again.text);
    assert.equal((await fetchFeed(url)).status, 200);

    // calendar new: the old address stops at once, the new one serves.
    const rotated = await chat(base, 'maria', 'calendar new');
    const url2 = feedUrl(rotated.text);
    assert.notEqual(url2, url);
    const gone = await fetchFeed(url);
    assert.equal(gone.status, 404);
    assert.equal(gone.text.trim(), 'not found');
    assertMatches(parseIcs((await fetchFeed(url2)).text), followups, host, summaryEn);

    // calendar off: that one stops too.
    assert.match((await chat(base, 'maria', 'calendar off')).text, /is off/);
    assert.equal((await fetchFeed(url2)).status, 404);
    assert.equal((await fetchFeed(`${base}/calendar/not-a-token.ics`)).status, 404);

    // wang (Chinese): topics and replies in Chinese, an automatic topic code worded for him.
    await chat(base, 'wang', '新客户 华为 电话=13800138000 等级=B 阶段=活跃');
    const w1 = Number(/#(\d+)/.exec((await chat(base, 'wang', '跟进 华为 明天下午3点 打电话 问报价')).text)[1]);
    const zhMade = await chat(base, 'wang', '日历');
    assert.match(zhMade.text, /其他应用/);
    const zhText = (await fetchFeed(feedUrl(zhMade.text))).text;
    checkFraming(zhText);
    assert.ok(!zhText.includes('13800138000'), 'a phone number in the feed');
    const zhFeed = parseIcs(zhText);
    assert.match(zhFeed.name, /跟进提醒/);
    const wangFollowups = await openFollowups(base, token, 'wang');
    assert.ok(wangFollowups.some((f) => f.id === w1));
    // The REST API words topics in English; the feed words a code in Chinese, a typed topic as typed.
    const zhSummary = (f) => (f.topic_code
      ? zhFeed.events.find((e) => e.uid === `task-${f.id}@${host}`).summary
      : `${f.customer_name} · ${METHOD_ZH[f.method]}：${f.topic}`);
    assertMatches(zhFeed, wangFollowups, host, zhSummary);
    for (const f of wangFollowups.filter((x) => x.topic_code)) {
      const s = zhFeed.events.find((e) => e.uid === `task-${f.id}@${host}`).summary;
      assert.ok(!s.includes(f.topic_code) && !s.includes(f.topic), `code ${f.topic_code} not worded in Chinese: ${s}`);
    }
    assert.equal(zhFeed.events.find((e) => e.uid === `task-${w1}@${host}`).summary, '华为 · 电话：问报价');
    const zhRotated = await chat(base, 'wang', '日历 新');
    assert.match(zhRotated.text, /已失效/);
    assert.equal((await fetchFeed(feedUrl(zhMade.text))).status, 404);
    assert.match((await chat(base, 'wang', '日历 关闭')).text, /已关闭/);
    assert.equal((await fetchFeed(feedUrl(zhRotated.text))).status, 404);
    assert.match((await chat(base, 'wang', '日历 下载')).text, /用法：日历/);

    // The address is a credential: the access log and the metrics never hold it.
    assert.match(server.output(), /GET \/calendar\/… 200/);
    for (const u of [url, url2]) assert.ok(!server.output().includes(new URL(u).pathname.slice(10, 53)), 'a feed token in the log');
    const metrics = await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(10000) })).text();
    assert.match(metrics, /followupd_http_request_duration_seconds_count\{route="\/calendar",status="404"\} [1-9]/);
  });
