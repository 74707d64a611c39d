// The REST API against the real binary: a token made with `followupd token
// create`, a CRM-style flow over HTTP, revocation, and the OpenAPI document
// (valid OpenAPI 3.0; real responses match its schemas).
//
//   cd tests && npm ci && FOLLOWUPD_BIN=../build/followupd node --test integration/rest_api.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SwaggerParser from '@apidevtools/swagger-parser';
import Ajv from 'ajv';
import { BIN, DEFAULT_USERS, SKIP, startServer, tempDir, writeConfig } from '../lib/followupd.mjs';

const OPENAPI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../docs/openapi.yaml');

const USERS = [
  ...DEFAULT_USERS,
  { handle: 'boss', name: 'The Admin', role: 'admin', lang: 'en', time_zone: 'Asia/Shanghai' },
  { handle: 'olga', name: 'Olga', role: 'rep', team: 'West Sales', lang: 'en', time_zone: 'Europe/Berlin' },
];

function cli(configFile, ...args) {
  const r = spawnSync(BIN, ['token', ...args, '-c', configFile], { encoding: 'utf8', timeout: 20000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function createToken(configFile, ...scope) {
  const r = cli(configFile, 'create', '--name', 'crm', ...scope, '--as', 'boss');
  assert.equal(r.code, 0, `token create failed: ${r.err}`);
  const m = /^(fu_[A-Za-z0-9_-]{43})$/m.exec(r.out);
  assert.ok(m, `no secret in: ${r.out}`);
  const id = Number(/token #(\d+)/.exec(r.out)[1]);
  return { secret: m[1], id };
}

async function schemas() {
  const doc = await SwaggerParser.dereference(OPENAPI);
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  return (name, value) => {
    const validate = ajv.compile(doc.components.schemas[name]);
    assert.ok(validate(value), `${name} does not match the document: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value)}`);
  };
}

function api(base, token) {
  return async (method, p, body, type = 'application/json') => {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = type;
    const res = await fetch(`${base}/api/v1${p}`, {
      method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
      signal: AbortSignal.timeout(10000),
    });
    const text = await res.text();
    let json = null;
    if ((res.headers.get('content-type') || '').startsWith('application/json')) json = JSON.parse(text);
    return { status: res.status, json, text };
  };
}

test('the OpenAPI document is valid OpenAPI 3.0 and lists every endpoint', async () => {
  const doc = await SwaggerParser.validate(OPENAPI);
  assert.match(doc.openapi, /^3\.0\./);
  for (const p of ['/customers', '/customers/{id}', '/customers/{id}/history', '/followups', '/followups/{id}',
    '/reports/team', '/reports/summary', '/imports/customers', '/exports/{kind}.csv', '/audit']) {
    assert.ok(doc.paths[p], `${p} is missing from docs/openapi.yaml`);
  }
  assert.deepEqual(Object.keys(doc.paths['/customers/{id}']).filter((k) => k !== 'parameters').sort(), ['delete', 'get', 'patch']);
  assert.equal(doc.components.securitySchemes.bearerAuth.scheme, 'bearer');
  for (const code of ['unauthorized', 'revoked', 'forbidden', 'not_found', 'invalid_json', 'invalid_field', 'conflict', 'payload_too_large']) {
    assert.ok(doc.components.schemas.Error.properties.code.enum.includes(code), code);
  }
});

test('CRM flow: token from the CLI, customer, follow-up done, report, revoke', { skip: SKIP, timeout: 90000 }, async (t) => {
  const dir = tempDir(t, 'followupd-rest-');
  const configFile = writeConfig(dir, USERS, { teams: ['East Sales', 'West Sales'] });
  const check = await schemas();

  // Only an admin may create tokens; a team or --all is required.
  assert.notEqual(cli(configFile, 'create', '--name', 'x', '--team', 'East Sales', '--as', 'wang').code, 0);
  assert.notEqual(cli(configFile, 'create', '--name', 'x', '--as', 'boss').code, 0);
  const east = createToken(configFile, '--team', 'East Sales');
  const all = createToken(configFile, '--all');

  const server = await startServer(dir, configFile);
  t.after(() => server.kill());
  const crm = api(server.base, east.secret);
  const admin = api(server.base, all.secret);

  const none = await api(server.base, '')('GET', '/customers');
  assert.equal(none.status, 401);
  check('Error', none.json);

  const created = await crm('POST', '/customers', {
    name: 'Acme Corp', owner: 'maria', tier: 'A', stage: 'lead', phone: '13800000000', external_id: 'SF-001', tags: ['vip'],
  });
  assert.equal(created.status, 201, created.text);
  check('Customer', created.json);
  assert.equal(created.json.owner, 'maria');
  assert.equal(created.json.open_followups.length, 1, 'a new lead gets its first follow-up from the cadence');
  const customerId = created.json.id;

  const byExternal = await crm('GET', '/customers?external_id=SF-001');
  assert.equal(byExternal.status, 200);
  check('CustomerList', byExternal.json);
  assert.deepEqual(byExternal.json.items.map((c) => c.id), [customerId]);

  const bad = await crm('POST', '/customers', { name: 'X', stage: 'sold' });
  assert.equal(bad.status, 400);
  check('Error', bad.json);
  assert.equal(bad.json.field, 'stage');

  const due = new Date(Date.now() + 2 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
  const fu = await crm('POST', '/followups', { customer: customerId, due, method: 'call', topic: 'send the quote' });
  assert.equal(fu.status, 201, fu.text);
  check('Followup', fu.json);
  assert.equal(fu.json.assignee, 'maria');
  assert.equal(fu.json.due, due);

  const open = await crm('GET', `/followups?status=open&customer=${customerId}`);
  check('FollowupList', open.json);
  assert.deepEqual(open.json.items.map((x) => x.id), [fu.json.id], 'the hand-set follow-up supersedes the cadence one');

  const done = await crm('PATCH', `/followups/${fu.json.id}`, {
    status: 'done', results: ['reached', 'interested'], note: 'wants a quote', satisfaction: 5,
  });
  assert.equal(done.status, 200, done.text);
  check('Followup', done.json);
  assert.equal(done.json.status, 'done');
  assert.ok(done.json.next_followup, `no next follow-up: ${done.text}`);
  check('Followup', done.json.next_followup);
  assert.equal(done.json.next_followup.status, 'open');
  assert.notEqual(done.json.next_followup.id, fu.json.id);

  const again = await crm('PATCH', `/followups/${fu.json.id}`, { status: 'done' });
  assert.equal(again.status, 409);
  check('Error', again.json);

  const history = await crm('GET', `/customers/${customerId}/history`);
  check('History', history.json);
  assert.deepEqual(history.json.interactions[0].results, ['reached', 'interested']);

  const team = await crm('GET', '/reports/team?tz=Asia/Shanghai');
  assert.equal(team.status, 200, team.text);
  check('TeamStatus', team.json);
  assert.ok(team.json.reps.every((r) => r.name !== 'Olga'), 'a team token sees its own team only');
  const summary = await crm('GET', '/reports/summary?period=week&tz=Asia/Shanghai');
  assert.equal(summary.status, 200, summary.text);
  check('Report', summary.json);
  assert.ok(summary.json.outcomes.reached >= 1, JSON.stringify(summary.json.outcomes));

  assert.equal((await crm('GET', '/audit')).status, 403);
  const audit = await admin('GET', '/audit?limit=50');
  assert.equal(audit.status, 200);
  check('AuditList', audit.json);
  const viaApi = audit.json.items.filter((a) => a.detail.includes(`via API token #${east.id} crm`));
  assert.ok(viaApi.some((a) => a.action === 'task.done'), JSON.stringify(audit.json.items));
  assert.ok(viaApi.every((a) => a.actor === 'boss'));

  const dry = await admin('POST', '/imports/customers?dry_run=true', 'name,owner,tier\nBeta Ltd,wang,B\n', 'text/csv');
  assert.equal(dry.status, 200, dry.text);
  check('ImportResult', dry.json);
  const problems = await admin('POST', '/imports/customers', 'name,tier\nGamma,Q\n', 'text/csv');
  assert.equal(problems.status, 422, problems.text);
  check('ImportProblems', problems.json);
  const csv = await crm('GET', '/exports/customers.csv');
  assert.equal(csv.status, 200);
  assert.match(csv.text, /Acme Corp/);

  // Revoked from the CLI while the service runs: refused at once.
  const listed = cli(configFile, 'list');
  assert.equal(listed.code, 0, listed.err);
  assert.ok(!listed.out.includes(east.secret), 'token list must never show secrets');
  assert.equal(cli(configFile, 'revoke', String(east.id), '--as', 'boss').code, 0);
  const revoked = await crm('GET', `/customers/${customerId}`);
  assert.equal(revoked.status, 401);
  check('Error', revoked.json);
  assert.equal(revoked.json.code, 'revoked');
  assert.match(revoked.json.message, /revoked/);
  assert.equal((await admin('GET', `/customers/${customerId}`)).status, 200, 'other tokens keep working');

  const stopped = await server.stop();
  assert.equal(stopped.code, 0, server.output());
});
