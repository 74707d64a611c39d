// The reps' page (/my): my follow-ups (overdue, due today, coming up), customer
// search, a customer's page with its history, and done / snooze / reschedule.
// Everything it shows comes from /api/my/…; every action is the chat command
// it stands for, run by the server with the same rules (its reply is shown).
// No dependencies: bundled and minified by esbuild at build time.

const TEXT = {
  en: {
    title: 'My follow-ups', chat: 'Chat', dashboard: 'Dashboard', overdue: 'Overdue', today: 'Due today',
    upcoming: 'Coming up', customers: 'Customers', search: 'Search', search_hint: 'Name, company or id in your CRM',
    back: '← My follow-ups', open: 'Open follow-ups', history: 'History', transfers: 'Owners',
    demo: 'Demo: you picked who you are; anyone who can reach this page can.',
    none_overdue: 'Nothing overdue.', none_today: 'Nothing else due today.', none_upcoming: 'Nothing scheduled.',
    none_found: 'No customer of yours matches.', none_history: 'Nothing recorded yet.', none_open: 'No open follow-up.',
    more_upcoming: (n) => `${n} more later`, more_found: 'More match: type more of the name.',
    done: 'Done', snooze: 'Snooze', reschedule: 'Reschedule', customer: 'Customer',
    results: 'Outcome', note: 'Note', next: 'Next follow-up (optional)', next_hint: 'e.g. next fri 3pm, in 3 days',
    sat: 'Satisfaction', sat_none: '—', save: 'Save', cancel: 'Cancel',
    until: 'Remind me at', until_hint: 'e.g. in 2h, tomorrow 10am', due: 'New due time', due_hint: 'e.g. fri 3pm, 2026-12-24 10:00',
    snooze_chips: ['in 1h', 'in 2h', 'tomorrow 10am'], reschedule_chips: ['tomorrow 10am', 'next mon 10am'],
    late: 'late', snoozed: 'snoozed to', urgent: 'urgent',
    sign_in: 'Sign in first: this page uses the web chat\u2019s sign-in.', go_sign_in: 'Sign in',
    failed: 'Could not load', refused: 'Not done', saved: 'Done',
    f_company: 'Company', f_owner: 'Owner', f_stage: 'Stage', f_tier: 'Tier', f_next: 'Next follow-up',
    f_last: 'Last contact', f_phone: 'Phone', f_email: 'E-mail', f_im: 'IM', f_source: 'Source', f_value: 'Value',
    f_tags: 'Tags', pool: 'public pool', hidden: 'contacts are hidden: only the owner, their manager and admins see them',
    by: 'by', moved: (from, to) => `${from} → ${to}`,
  },
  zh: {
    title: '我的跟进', chat: '聊天', dashboard: '看板', overdue: '已逾期', today: '今天到期', upcoming: '接下来',
    customers: '客户', search: '搜索', search_hint: '客户名、公司或 CRM 编号', back: '← 我的跟进', open: '待跟进',
    history: '跟进记录', transfers: '负责人变更', demo: '演示模式：你选择了自己的身份；任何能打开此页面的人都可以。',
    none_overdue: '没有逾期的跟进。', none_today: '今天没有其他到期的跟进。', none_upcoming: '没有安排。',
    none_found: '你的客户中没有匹配的。', none_history: '还没有记录。', none_open: '没有待跟进的任务。',
    more_upcoming: (n) => `之后还有 ${n} 项`, more_found: '还有更多匹配：请输入更完整的名称。',
    done: '完成', snooze: '推迟', reschedule: '改期', customer: '客户', results: '结果', note: '备注',
    next: '下次跟进（可选）', next_hint: '例如：下周五下午3点、3天后', sat: '满意度', sat_none: '—', save: '保存',
    cancel: '取消', until: '提醒时间', until_hint: '例如：2小时后、明天上午10点', due: '新的到期时间',
    due_hint: '例如：周五下午3点、2026-12-24 10:00', snooze_chips: ['1小时后', '2小时后', '明天上午10点'],
    reschedule_chips: ['明天上午10点', '下周一上午10点'], late: '逾期', snoozed: '推迟到', urgent: '紧急',
    sign_in: '请先登录：此页面使用网页聊天的登录。', go_sign_in: '登录', failed: '加载失败', refused: '未完成',
    saved: '已完成', f_company: '公司', f_owner: '负责人', f_stage: '阶段', f_tier: '等级', f_next: '下次跟进',
    f_last: '最近联系', f_phone: '电话', f_email: '邮箱', f_im: '即时通讯', f_source: '来源', f_value: '金额',
    f_tags: '标签', pool: '公海', hidden: '联系方式已隐藏：只有负责人、其主管和管理员可以查看',
    by: '记录人', moved: (from, to) => `${from} → ${to}`,
  },
};

const params = new URLSearchParams(location.search);
let lang = localStorage.getItem('fu_my_lang') || '';
let csrf = '';
let mode = 'signin';
let agenda = null;

const $ = (id) => document.getElementById(id);
const byTest = (id) => document.querySelector(`[data-testid="${id}"]`);
const t = (key) => TEXT[lang || 'en'][key] ?? TEXT.en[key];

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

function applyLanguage() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = t(e.dataset.i18nPlaceholder);
  $('lang').textContent = lang === 'zh' ? 'English' : '中文';
  document.title = `followupd · ${t('title')}`;
}

// The API's query string: in the demo (pick mode), who is looking.
function withUser(path, extra = {}) {
  const q = new URLSearchParams(extra);
  if (params.get('user')) q.set('user', params.get('user'));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

function notice(text, kind = '', link = null) {
  const n = byTest('notice');
  n.className = `notice ${kind}`;
  n.replaceChildren(text);
  if (link) n.append(' ', el('a', { href: link.href, text: link.text }));
  n.hidden = false;
}

async function getJson(path, extra) {
  const res = await fetch(withUser(path, extra), { headers: { Accept: 'application/json' } });
  const body = await res.json().catch(() => ({}));
  return { res, body };
}

async function session() {
  const { res, body } = await getJson('/api/session');
  if (res.ok) {
    mode = body.mode;
    csrf = body.csrf || '';
  }
  return res;
}

// ---- the agenda -----------------------------------------------------------

function taskLine(task, withCustomer) {
  const line = el('div', { class: 'line' },
    el('span', { class: 'id', text: `#${task.id}` }),
    withCustomer && task.customer
      ? el('a', { class: 'cust', href: `#c${task.customer.id}`, 'data-testid': 'task-customer', text: task.customer.name })
      : null,
    task.customer?.company ? el('span', { class: 'meta', text: task.customer.company }) : null,
    el('span', { text: `${task.method.label}${task.topic ? `: ${task.topic}` : ''}` }),
    el('span', { class: 'meta', 'data-testid': 'task-due', text: task.due_text }),
    task.late_text ? el('span', { class: 'late', text: task.late_text }) : null,
    task.snoozed_until_text ? el('span', { class: 'meta', text: `${t('snoozed')} ${task.snoozed_until_text}` }) : null,
    task.urgent ? el('span', { class: 'urgent', text: `⚑ ${t('urgent')}` }) : null,
    task.assignee && !withCustomer ? el('span', { class: 'meta', text: `@ ${task.assignee}` }) : null);
  return line;
}

function taskItem(task, withCustomer, after) {
  const li = el('li', { 'data-testid': 'task', 'data-task': task.id });
  const actions = el('div', { class: 'actions' });
  const slot = el('div');
  const open = (kind) => {
    slot.replaceChildren(actionForm(kind, task, () => slot.replaceChildren(), after));
    slot.querySelector('input[type=text]')?.focus();
  };
  actions.append(
    el('button', { class: 'btn primary', type: 'button', 'data-testid': 'done-button', text: t('done'), onclick: () => open('done') }),
    el('button', { class: 'btn', type: 'button', 'data-testid': 'snooze-button', text: t('snooze'), onclick: () => open('snooze') }),
    el('button', { class: 'btn', type: 'button', 'data-testid': 'reschedule-button', text: t('reschedule'),
      onclick: () => open('reschedule') }));
  li.append(taskLine(task, withCustomer), actions, slot);
  return li;
}

function fillList(name, items, emptyKey, withCustomer) {
  const list = byTest(`${name}-list`);
  list.replaceChildren();
  byTest(`${name}-count`).textContent = `(${items.length})`;
  if (!items.length) list.append(el('li', { class: 'empty', text: t(emptyKey) }));
  for (const task of items) list.append(taskItem(task, withCustomer, loadAgenda));
}

function renderAgenda() {
  fillList('overdue', agenda.overdue, 'none_overdue', true);
  fillList('today', agenda.today, 'none_today', true);
  fillList('upcoming', agenda.upcoming, 'none_upcoming', true);
  if (agenda.more_upcoming) {
    byTest('upcoming-count').textContent = `(${agenda.upcoming.length + agenda.more_upcoming})`;
    byTest('upcoming-list').append(el('li', { class: 'empty', text: t('more_upcoming')(agenda.more_upcoming) }));
  }
}

async function loadAgenda() {
  const { res, body } = await getJson('/api/my/agenda');
  if (!res.ok) return failed(res, body);
  agenda = body;
  if (!lang) lang = body.viewer.lang === 'zh' ? 'zh' : 'en';
  applyLanguage();
  const v = body.viewer;
  byTest('who').textContent = `${v.name} @${v.handle}`;
  const dash = $('dashboard-link');
  dash.hidden = v.role === 'rep';
  dash.href = withUser('/dashboard');
  $('chat-link').href = withUser('/');
  renderAgenda();
  return true;
}

function failed(res, body) {
  if (!lang) lang = 'en';
  applyLanguage();
  if (res.status === 401) notice(t('sign_in'), '', { href: '/', text: t('go_sign_in') });
  else notice(`${t('failed')}: ${body?.error || res.statusText}`, 'bad');
  return false;
}

// ---- the actions: the chat commands, as forms -------------------------------

function chips(values, input) {
  return el('div', { class: 'chips' }, ...values.map((v) =>
    el('button', { type: 'button', text: v, onclick: () => { input.value = v; input.focus(); } })));
}

function actionForm(kind, task, close, after) {
  const form = el('form', { class: 'act', 'data-testid': `${kind}-form` });
  const fields = {};
  if (kind === 'done') {
    const box = el('div', { class: 'results', 'data-testid': 'results' });
    for (const r of agenda?.results || [])
      box.append(el('label', {}, el('input', { type: 'checkbox', value: r.code, 'data-result': r.code }), r.label));
    form.append(el('label', {}, t('results'), box));
    fields.note = el('input', { type: 'text', 'data-testid': 'note', maxlength: '2000' });
    form.append(el('label', {}, t('note'), fields.note));
    fields.next = el('input', { type: 'text', 'data-testid': 'next', placeholder: t('next_hint') });
    form.append(el('label', {}, t('next'), fields.next));
    fields.sat = el('select', { 'data-testid': 'satisfaction' }, el('option', { value: '', text: t('sat_none') }),
      ...[1, 2, 3, 4, 5].map((n) => el('option', { value: String(n), text: '★'.repeat(n) })));
    form.append(el('label', {}, t('sat'), fields.sat));
  } else {
    const key = kind === 'snooze' ? 'until' : 'due';
    fields.when = el('input', { type: 'text', 'data-testid': key, placeholder: t(`${key}_hint`), required: true });
    form.append(el('label', {}, t(key), fields.when), chips(t(`${kind}_chips`), fields.when));
  }
  form.append(el('div', { class: 'row' },
    el('button', { class: 'btn primary', type: 'submit', 'data-testid': 'save', text: t('save') }),
    el('button', { class: 'btn', type: 'button', text: t('cancel'), onclick: close })));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    let body;
    if (kind === 'done') {
      body = { results: [...form.querySelectorAll('input[data-result]:checked')].map((c) => c.value) };
      if (fields.note.value.trim()) body.note = fields.note.value.trim();
      if (fields.next.value.trim()) body.next = fields.next.value.trim();
      if (fields.sat.value) body.satisfaction = Number(fields.sat.value);
    } else {
      body = { [kind === 'snooze' ? 'until' : 'due']: fields.when.value.trim() };
    }
    form.querySelector('[data-testid=save]').disabled = true;
    const ok = await act(task.id, kind, body);
    form.querySelector('[data-testid=save]').disabled = false;
    if (ok) {
      close();
      await after();
    }
  });
  return form;
}

async function act(id, kind, body) {
  let res;
  try {
    res = await fetch(withUser(`/api/my/followups/${id}/${kind}`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch (e) {
    notice(`${t('refused')}: ${e.message}`, 'bad');
    return false;
  }
  const answer = await res.json().catch(() => ({}));
  if (res.ok) {
    notice(answer.reply || t('saved'), 'ok');
    return true;
  }
  if (res.status === 401) notice(t('sign_in'), '', { href: '/', text: t('go_sign_in') });
  else notice(answer.error || `${t('refused')} (${res.status})`, 'bad');
  return false;
}

// ---- customers ----------------------------------------------------------------

async function search(text) {
  const { res, body } = await getJson('/api/my/customers', { q: text });
  const list = byTest('search-results');
  list.replaceChildren();
  if (!res.ok) return failed(res, body);
  if (!body.items.length) list.append(el('li', { class: 'empty', text: t('none_found') }));
  for (const c of body.items)
    list.append(el('li', { 'data-testid': 'found' },
      el('a', { href: `#c${c.id}`, text: c.name }), ' ',
      el('span', { class: 'muted', text: [c.company, c.stage.label, c.next_followup_text].filter(Boolean).join(' · ') })));
  if (body.more) list.append(el('li', { class: 'empty', text: t('more_found') }));
  return true;
}

async function showCustomer(id) {
  const { res, body } = await getJson(`/api/my/customers/${id}`);
  if (!res.ok) {
    failed(res, body);
    return;
  }
  const c = body.customer;
  byTest('customer-name').textContent = `c${c.id} ${c.name}`;
  const facts = byTest('customer-facts');
  facts.replaceChildren();
  const fact = (key, value) => {
    if (value === null || value === undefined || value === '') return;
    facts.append(el('dt', { text: t(key) }), el('dd', { 'data-field': key, text: String(value) }));
  };
  fact('f_company', c.company);
  fact('f_owner', c.owner ?? t('pool'));
  fact('f_stage', c.stage.label);
  fact('f_tier', c.tier.label);
  fact('f_next', c.next_followup_text);
  fact('f_last', c.last_contact_text);
  fact('f_phone', c.phone);
  fact('f_email', c.email);
  fact('f_im', c.im);
  if (!c.contacts_visible && (c.phone || c.email || c.im)) facts.append(el('dt'), el('dd', { class: 'muted', text: t('hidden') }));
  fact('f_source', c.source);
  if (c.value) fact('f_value', c.value.toLocaleString());
  if (c.tags?.length) fact('f_tags', c.tags.join(', '));

  const open = byTest('customer-open');
  open.replaceChildren();
  if (!body.open.length) open.append(el('li', { class: 'empty', text: t('none_open') }));
  for (const task of body.open) open.append(taskItem(task, false, () => showCustomer(id)));

  const hist = byTest('history');
  hist.replaceChildren();
  if (!body.interactions.length) hist.append(el('li', { class: 'empty', text: t('none_history') }));
  for (const i of body.interactions)
    hist.append(el('li', { 'data-testid': 'interaction' },
      el('div', { class: 'line' },
        el('span', { class: 'meta', text: i.at_text }),
        el('span', { text: i.method.label }),
        el('b', { 'data-testid': 'interaction-results', text: i.results.map((r) => r.label).join(' · ') }),
        i.satisfaction ? el('span', { text: '★'.repeat(i.satisfaction) }) : null,
        el('span', { class: 'meta', text: `${t('by')} ${i.by ?? ''}` })),
      i.note ? el('div', { class: 'note', 'data-testid': 'interaction-note', text: i.note }) : null,
      i.next_step ? el('div', { class: 'meta', text: `→ ${i.next_step}` }) : null));

  const tr = byTest('transfers');
  tr.replaceChildren();
  for (const x of body.transfers)
    tr.append(el('li', {}, el('span', { class: 'meta', text: `${x.at_text} ` }),
      t('moved')(x.from ?? t('pool'), x.to ?? t('pool')), x.reason ? el('span', { class: 'meta', text: ` · ${x.reason}` }) : null));
  byTest('transfers-card').hidden = !body.transfers.length;
}

// ---- the page -------------------------------------------------------------------

async function route() {
  const m = location.hash.match(/^#c(\d+)$/);
  $('agenda-view').hidden = !!m;
  $('customer-view').hidden = !m;
  if (m) await showCustomer(m[1]);
  window.scrollTo(0, 0);
}

async function start() {
  const res = await session();
  if (res.status === 401) return failed(res, {});
  byTest('demo').hidden = mode !== 'pick';
  if (!(await loadAgenda())) return;
  await search('');
  await route();
}

$('lang').addEventListener('click', async () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('fu_my_lang', lang);
  applyLanguage();
  if (agenda) renderAgenda();
  if (!$('customer-view').hidden) await route();
});
$('search-form').addEventListener('submit', (e) => {
  e.preventDefault();
  search($('search').value.trim());
});
byTest('back').addEventListener('click', (e) => {
  e.preventDefault();
  history.pushState(null, '', location.pathname + location.search);
  route();
});
window.addEventListener('hashchange', route);
// The agenda moves with the clock (due today becomes overdue) and with changes
// made elsewhere (chat, a manager): it is read again every minute and when the
// page comes back into view, unless a form is open.
const refresh = () => {
  if (!agenda || document.hidden || !$('customer-view').hidden || document.querySelector('form.act')) return;
  loadAgenda();
};
setInterval(refresh, 60000);
document.addEventListener('visibilitychange', refresh);
start();
