// The managers' dashboard (bot/web/dashboard.html): reads GET /api/dashboard
// and draws it with ECharts. Bundled with esbuild at build time (CMakeLists.txt)
// and embedded in followupd; only the ECharts parts drawn here are imported.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, FunnelChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, LegendComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, FunnelChart, GridComponent, TooltipComponent, LegendComponent, CanvasRenderer]);

const TEXT = {
  en: {
    title: 'Dashboard', chat: 'Chat', team: 'Team', rep: 'Rep', period: 'Period', week: 'This week',
    last_week: 'Last week', month: 'This month', last_month: 'Last month', custom: 'Dates…', from: 'From', to: 'To',
    rate: 'Timeliness', on_time: 'On time', late: 'Late', pending: 'Pending', overdue_now: 'Overdue now',
    due_today: 'Due today', complaints: 'Open complaints', escalated: 'Escalated', satisfaction: 'Satisfaction',
    weeks_title: 'Timeliness by week (last 12 weeks)', reps_title: 'Overdue and due today per rep',
    reps_hint: "Tap a rep's bar for their overdue list.", funnel_title: 'Outcomes',
    team_wide: 'The scope\u2019s figures, whatever rep is picked.', conversion_title: 'Conversion by tier and stage',
    conversion_hint: 'Customers followed up \u2192 won in the period.', pool_title: 'Public pool movements',
    changes_title: 'Snoozes and reschedules per rep', table_title: 'Reps', all_teams: 'All teams', all_reps: 'All reps',
    overdue: 'Overdue', snoozes: 'Snoozes', reschedules: 'Reschedules', reclaimed: 'Reclaimed', released: 'Released',
    claimed: 'Claimed', assigned: 'Assigned', contacted: 'Followed up', won: 'Won', the_team: 'Team',
    week_of: 'Week of', name: 'Rep', open: 'Open', logs: 'Logged', customer: 'Customer', due: 'Due', late_by: 'Late by',
    overdue_of: (who) => `Overdue · ${who}`, nothing_overdue: 'Nothing overdue.', more: (n) => `… and ${n} more`,
    sign_in: 'Sign in first: the dashboard needs the web chat\u2019s sign-in.', go_sign_in: 'Sign in',
    refused: 'The dashboard is for managers and admins.', failed: 'Could not load the dashboard',
    tier: 'Tier', stage: 'Stage', count: 'Count',
    top_overdue: (n, more) => `The ${n} with the most overdue; ${more} more in the table below.`,
    top_changes: (n, more) => `The ${n} with the most; ${more} more in the table below.`,
    top_late: (n, more) => `The ${n} with the most late; ${more} more not shown.`,
    cut: (n, total) => `${n} of ${total} people: the ones the charts put first. Pick a team to see everyone.`,
  },
  zh: {
    title: '看板', chat: '聊天', team: '团队', rep: '销售', period: '时间段', week: '本周', last_week: '上周',
    month: '本月', last_month: '上月', custom: '自选日期…', from: '从', to: '到', rate: '跟进及时率', on_time: '按时',
    late: '延迟', pending: '未到期限', overdue_now: '当前逾期', due_today: '今天到期', complaints: '未解决投诉',
    escalated: '升级', satisfaction: '满意度', weeks_title: '每周跟进及时率（最近 12 周）', reps_title: '各销售的逾期与今天到期',
    reps_hint: '点按销售的柱条查看其逾期清单。', funnel_title: '跟进结果', team_wide: '所选范围的数字，与所选销售无关。',
    conversion_title: '按等级和阶段的转化率', conversion_hint: '期间跟进的客户 → 成交。', pool_title: '公海流转',
    changes_title: '各销售的推迟与改期', table_title: '销售', all_teams: '全部团队', all_reps: '全部销售', overdue: '逾期',
    snoozes: '推迟', reschedules: '改期', reclaimed: '收回', released: '释放', claimed: '领取', assigned: '分配',
    contacted: '跟进', won: '成交', the_team: '团队', week_of: '周', name: '销售', open: '待办', logs: '记录',
    customer: '客户', due: '到期', late_by: '逾期', overdue_of: (who) => `逾期 · ${who}`, nothing_overdue: '没有逾期的跟进。',
    more: (n) => `… 另有 ${n} 项`, sign_in: '请先登录：看板使用网页聊天的登录。', go_sign_in: '登录',
    refused: '看板仅供经理和管理员使用。', failed: '无法加载看板', tier: '等级', stage: '阶段', count: '数量',
    top_overdue: (n, more) => `逾期最多的 ${n} 位；另有 ${more} 位见下表。`,
    top_changes: (n, more) => `最多的 ${n} 位；另有 ${more} 位见下表。`,
    top_late: (n, more) => `延迟最多的 ${n} 位；另有 ${more} 位未列出。`,
    cut: (n, total) => `共 ${total} 人，这里列出图表中最需关注的 ${n} 位。选择一个团队可查看全部。`,
  },
};

const $ = (id) => document.getElementById(id);
const byTest = (id) => document.querySelector(`[data-testid="${id}"]`);
const params = new URLSearchParams(location.search);
let lang = localStorage.getItem('fu_dashboard_lang') || '';
let data = null;
const charts = {};

const t = (key, ...args) => {
  const v = TEXT[lang || 'en'][key];
  return typeof v === 'function' ? v(...args) : v ?? key;
};
const pct = (r) => (r === null || r === undefined ? '-' : `${Math.round(r * 100)}%`);
const label = (l, fallback) => (l ? l[lang] || l.en : fallback);
const el = (tag, attrs = {}, ...kids) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') e.textContent = v;
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
};
const row = (cells, head = false) => el('tr', {}, ...cells.map((c) => (c instanceof Node
  ? el(head ? 'th' : 'td', {}, c) : el(head ? 'th' : 'td', { text: String(c) }))));

function applyLanguage() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.title = `followupd · ${t('title')}`;
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  $('lang').textContent = lang === 'zh' ? 'English' : '中文';
}

// The API's query: the filters, and (pick mode, the demo) who is looking.
function query() {
  const q = new URLSearchParams();
  for (const k of ['user', 'team', 'rep', 'period', 'from', 'to']) if (params.get(k)) q.set(k, params.get(k));
  return q;
}

function notice(text, link) {
  const n = byTest('notice');
  n.replaceChildren(text);
  if (link) n.append(' ', el('a', { href: link.href, text: link.text }));
  n.hidden = false;
}

async function load() {
  let res;
  try {
    res = await fetch(`/api/dashboard?${query()}`, { headers: { Accept: 'application/json' } });
  } catch (e) {
    notice(`${t('failed')}: ${e.message}`);
    return;
  }
  const body = await res.json().catch(() => ({}));
  if (!lang) lang = body?.viewer?.lang === 'zh' ? 'zh' : 'en';
  applyLanguage();
  if (res.status === 401) {
    notice(t('sign_in'), { href: '/', text: t('go_sign_in') });
    return;
  }
  if (!res.ok) {
    const reason = body?.error || res.statusText;
    notice(res.status === 403 ? `${t('refused')} (${reason})` : `${t('failed')}: ${reason}`);
    return;
  }
  byTest('notice').hidden = true;
  data = body;
  render();
  const focus = location.hash.match(/^#overdue=(.+)$/);
  if (focus) showOverdue(decodeURIComponent(focus[1]));
}

function fillFilters() {
  const form = byTest('filters');
  form.hidden = false;
  const team = $('team');
  team.replaceChildren();
  if (data.viewer.role === 'admin') team.append(el('option', { value: '', text: t('all_teams') }));
  for (const x of data.teams) team.append(el('option', { value: String(x.id), text: x.name }));
  team.value = data.scope.team === null ? '' : String(data.scope.team);
  $('team-field').hidden = data.viewer.role !== 'admin' && data.teams.length <= 1;
  const rep = $('rep');
  rep.replaceChildren(el('option', { value: '', text: t('all_reps') }));
  for (const r of data.people) rep.append(el('option', { value: r.handle, text: r.name }));
  rep.value = data.rep || '';
  $('period').value = data.period.kind;
  form.classList.toggle('is-custom', data.period.kind === 'custom');
  $('from').value = data.period.first_day;
  $('to').value = data.period.last_day;
  byTest('period-range').textContent = `${data.period.first_day} – ${data.period.last_day} · ${data.period.zone}`;
  byTest('scope').textContent = data.scope.name || t('all_teams');
}

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init($(id), null, { renderer: 'canvas' });
  return charts[id];
}

// The reps a chart shows: the first TOP in `order`, and how many are left out.
const TOP = 30;
function top(list, order) {
  const sorted = [...list].sort(order);
  return { rows: sorted.slice(0, TOP), hidden: Math.max(0, sorted.length - TOP) };
}

const COLORS = ['#2f6fde', '#c4320a', '#f79009', '#1a7f37', '#7a5af8', '#667085'];

function render() {
  fillFilters();
  const r = data;
  const show = (id) => { byTest(id).hidden = false; };
  show('kpis');
  // Which figures are shown (tests wait for it).
  byTest('kpis').dataset.period = `${r.period.kind} ${r.period.first_day}`;
  byTest('kpi-rate').textContent = pct(r.timeliness.rate);
  byTest('kpi-on-time').textContent = r.timeliness.on_time;
  byTest('kpi-late').textContent = r.timeliness.late;
  byTest('kpi-pending').textContent = r.timeliness.pending;
  const one = r.rep ? r.reps[0] : null;
  byTest('kpi-overdue').textContent = one ? one.overdue : r.overdue_now;
  byTest('kpi-due-today').textContent = one ? one.due_today : r.now_totals.due_today;
  byTest('kpi-complaints').textContent = r.complaints_open;
  byTest('kpi-escalated').textContent = r.escalated;
  byTest('kpi-satisfaction').replaceChildren(...(r.satisfaction.avg === null ? ['-']
    : [r.satisfaction.avg.toFixed(1), ' ', el('small', { text: `n=${r.satisfaction.count}` })]));

  // Timeliness by week: the scope (or the rep), and a rep × week table.
  show('weeks-card');
  const weeks = r.weeks.map((w) => w.monday.slice(5));
  const series = [{
    name: one ? one.name : t('the_team'), type: 'line', smooth: false, connectNulls: false, symbolSize: 7,
    data: r.weeks.map((w) => (w.rate === null ? null : Math.round(w.rate * 1000) / 10)),
    lineStyle: { width: 3 },
  }];
  chart('weeks-chart').setOption({
    animation: false, color: COLORS, grid: { left: 40, right: 16, top: 30, bottom: 28 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (v === null || v === undefined ? '-' : `${v}%`) },
    legend: { top: 0 }, xAxis: { type: 'category', data: weeks },
    yAxis: { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } }, series,
  }, true);
  const wt = byTest('weeks-table');
  wt.replaceChildren(row([t('name'), ...weeks], true));
  const cell = (rate) => {
    const td = el('td', { text: pct(rate) });
    if (rate !== null) td.className = rate >= 0.9 ? 'rate-good' : rate >= 0.7 ? 'rate-mid' : 'rate-bad';
    return td;
  };
  if (!one) wt.append(el('tr', {}, el('td', {}, el('b', { text: t('the_team') })), ...r.weeks.map((w) => cell(w.rate))));
  // Every team at once has thousands of reps: the charts and this table show the TOP that need attention.
  const weekly = top(r.reps.filter((p) => p.role === 'rep' || p.weeks.some((x) => x !== null)),
    (a, b) => b.timeliness.late - a.timeliness.late);
  for (const p of weekly.rows) wt.append(el('tr', {}, el('td', { text: p.name }), ...p.weeks.map(cell)));
  if (weekly.hidden) wt.append(row([t('top_late', TOP, weekly.hidden)]));

  // Overdue and due today per rep: a bar opens that rep's overdue list.
  show('reps-card');
  const attention = top(r.reps, (a, b) => b.overdue - a.overdue || b.due_today - a.due_today);
  const reps = attention.rows.reverse();  // the category axis runs bottom to top
  byTest('reps-more').textContent = attention.hidden ? t('top_overdue', TOP, attention.hidden) : '';
  const repsChart = chart('reps-chart');
  $('reps-chart').style.height = `${Math.max(240, 60 + reps.length * 26)}px`;
  repsChart.resize();
  repsChart.setOption({
    animation: false, color: ['#c4320a', '#f79009'], grid: { left: 8, right: 24, top: 30, bottom: 20, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0 },
    xAxis: { type: 'value', minInterval: 1 }, yAxis: { type: 'category', data: reps.map((p) => p.name) },
    series: [
      { name: t('overdue'), type: 'bar', stack: 'n', data: reps.map((p) => p.overdue), cursor: 'pointer' },
      { name: t('due_today'), type: 'bar', stack: 'n', data: reps.map((p) => p.due_today), cursor: 'pointer' },
    ],
  }, true);
  repsChart.off('click');
  repsChart.on('click', (e) => {
    const p = reps[e.dataIndex];
    if (p) { location.hash = `overdue=${encodeURIComponent(p.handle)}`; showOverdue(p.handle); }
  });

  // The outcome funnel, and its numbers.
  show('funnel-card');
  chart('funnel-chart').setOption({
    animation: false, color: ['#2f6fde', '#5b8def', '#7a5af8', '#f79009', '#1a7f37'],
    tooltip: { trigger: 'item', formatter: (p) => `${p.name}: ${p.value}` },
    series: [{
      type: 'funnel', sort: 'none', left: '8%', width: '84%', top: 10, bottom: 10, minSize: '8%', gap: 2,
      label: { show: true, position: 'inside', formatter: (p) => `${p.name} ${p.value}` },
      data: r.funnel.map((s) => ({ name: label(s.label, s.code), value: s.count })),
    }],
  }, true);
  const ft = byTest('funnel-table');
  ft.replaceChildren(...r.funnel.map((s) => {
    const tr = row([label(s.label, s.code), s.count]);
    tr.lastChild.dataset.testid = `funnel-${s.code}`;
    return tr;
  }));

  // Conversion by tier and stage.
  show('conversion-card');
  const conv = [...r.conversion.tier.map((c) => ({ ...c, group: t('tier') })),
    ...r.conversion.stage.map((c) => ({ ...c, group: t('stage') }))];
  chart('conversion-chart').setOption({
    animation: false, color: ['#2f6fde', '#1a7f37'], grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0 },
    xAxis: { type: 'category', data: conv.map((c) => label(c.label, c.key)), axisLabel: { interval: 0, rotate: 30 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('contacted'), type: 'bar', data: conv.map((c) => c.contacted) },
      { name: t('won'), type: 'bar', data: conv.map((c) => c.won) },
    ],
  }, true);
  const ct = byTest('conversion-table');
  ct.replaceChildren(row([`${t('tier')}/${t('stage')}`, t('contacted'), t('won'), '%'], true),
    ...conv.map((c) => {
      const tr = row([label(c.label, c.key), c.contacted, c.won, pct(c.rate)]);
      tr.dataset.testid = `conversion-${c.key}`;
      return tr;
    }));

  // Pool movements.
  show('pool-card');
  const pool = ['reclaimed', 'released', 'claimed', 'assigned'];
  chart('pool-chart').setOption({
    animation: false, color: ['#7a5af8'], grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'category', data: pool.map((k) => t(k)), axisLabel: { interval: 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', name: t('count'), data: pool.map((k) => r.pool[k]), barMaxWidth: 48 }],
  }, true);
  byTest('pool-table').replaceChildren(row(pool.map((k) => t(k)), true), (() => {
    const tr = el('tr');
    for (const k of pool) tr.append(el('td', { text: String(r.pool[k]), 'data-testid': `pool-${k}` }));
    return tr;
  })());

  // Snoozes and reschedules per rep in the period.
  show('changes-card');
  const changes = top(r.reps.filter((p) => p.role === 'rep' || p.snoozes || p.reschedules),
    (a, b) => b.snoozes + b.reschedules - a.snoozes - a.reschedules);
  const changed = changes.rows;
  byTest('changes-more').textContent = changes.hidden ? t('top_changes', TOP, changes.hidden) : '';
  chart('changes-chart').setOption({
    animation: false, color: ['#f79009', '#2f6fde'], grid: { left: 8, right: 16, top: 30, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } }, legend: { top: 0 },
    xAxis: { type: 'category', data: changed.map((p) => p.name), axisLabel: { interval: 0, rotate: changed.length > 6 ? 40 : 0 } },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: t('snoozes'), type: 'bar', data: changed.map((p) => p.snoozes) },
      { name: t('reschedules'), type: 'bar', data: changed.map((p) => p.reschedules) },
    ],
  }, true);

  // Every rep's figures, as `report` and `team` give them.
  show('table-card');
  // Every team at once: the server sent only the rows the charts put first.
  const cut = data.reps_total > data.people.length && !data.rep;
  byTest('table-more').textContent = cut ? t('cut', data.reps.length, data.reps_total) : '';
  const rt = byTest('reps-table');
  rt.replaceChildren(row([t('name'), t('rate'), t('on_time'), t('late'), t('pending'), t('logs'), t('open'),
    t('due_today'), t('overdue'), t('snoozes'), t('reschedules')], true));
  for (const p of r.reps) {
    const link = el('a', { href: `#overdue=${encodeURIComponent(p.handle)}`, text: String(p.overdue) });
    link.addEventListener('click', () => showOverdue(p.handle));
    const tr = row([p.name, pct(p.timeliness.rate), p.timeliness.on_time, p.timeliness.late, p.timeliness.pending,
      p.interactions, p.open, p.due_today, link, p.snoozes, p.reschedules]);
    tr.dataset.testid = `rep-${p.handle}`;
    rt.append(tr);
  }
}

async function showOverdue(handle) {
  const q = query();
  q.delete('period'); q.delete('from'); q.delete('to');
  q.set('rep', handle);
  const res = await fetch(`/api/dashboard/overdue?${q}`);
  const body = await res.json().catch(() => ({}));
  const card = byTest('overdue-card');
  card.hidden = false;
  const table = byTest('overdue-table');
  if (!res.ok) {
    byTest('overdue-title').textContent = `${t('failed')}: ${body?.error || res.statusText}`;
    table.replaceChildren();
    return;
  }
  byTest('overdue-title').textContent = t('overdue_of', body.rep?.name || handle);
  if (!body.items.length) {
    table.replaceChildren(row([t('nothing_overdue')]));
  } else {
    const age = (m) => (m < 60 ? `${m}m` : m < 1440 ? `${Math.floor(m / 60)}h` : `${Math.floor(m / 1440)}d`);
    table.replaceChildren(row(['#', t('customer'), t('due'), t('late_by'), t('snoozes')], true),
      ...body.items.map((i) => row([`${i.id}${i.urgent ? '!' : ''}`, i.customer, i.due.replace('T', ' ').slice(0, 16),
        age(i.late_minutes), i.snoozes || ''])));
    if (body.total > body.items.length) table.append(row([t('more', body.total - body.items.length)]));
  }
  card.scrollIntoView({ block: 'nearest' });
}

// Changing a filter reloads with it in the address (a link to the same view).
function onFilter() {
  const period = $('period').value;
  byTest('filters').classList.toggle('is-custom', period === 'custom');
  for (const k of ['team', 'rep', 'period', 'from', 'to']) params.delete(k);
  if ($('team').value && data?.viewer.role === 'admin') params.set('team', $('team').value);  // a manager has one
  if ($('rep').value) params.set('rep', $('rep').value);
  if (period === 'custom') {
    if (!$('from').value || !$('to').value) return;
    params.set('from', $('from').value);
    params.set('to', $('to').value);
  } else if (period !== 'week') {
    params.set('period', period);
  }
  history.replaceState(null, '', `${location.pathname}?${params}`);
  byTest('overdue-card').hidden = true;
  load();
}

for (const id of ['team', 'rep', 'period', 'from', 'to']) $(id).addEventListener('change', (e) => {
  if (e.target.id === 'team') $('rep').value = '';
  onFilter();
});
$('lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('fu_dashboard_lang', lang);
  applyLanguage();
  if (data) render();
});
if (params.get('user')) $('chat-link').href = `/?user=${encodeURIComponent(params.get('user'))}`;
window.addEventListener('resize', () => { for (const c of Object.values(charts)) c.resize(); });
window.fuDashboard = { charts };  // for the browser test (where a bar is) and the console
load();
