// WebSocket /ws end to end, with the `ws` client against a running weft (run.sh starts it):
// WEFT_URL, WEFT_ADMIN_KEY. Every check fails the process with a message naming what broke.
'use strict';
const WebSocket = require('ws');
const assert = require('assert/strict');

const base = process.env.WEFT_URL;
const adminKey = process.env.WEFT_ADMIN_KEY;
const wsUrl = base.replace(/^http/, 'ws') + '/ws';

async function api(method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (_) { /* not JSON */ }
  return { status: res.status, json, headers: res.headers, text };
}
const admin = { 'X-API-Key': adminKey };

// A connection with a message inbox: next(pred) waits for the first message matching pred.
function connect(headers, options = {}) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl, { headers, ...options });
    const inbox = [];
    const waiters = [];
    ws.on('message', (data) => {
      const m = JSON.parse(data.toString());
      inbox.push(m);
      for (const w of [...waiters]) w();
    });
    ws.on('unexpected-response', (_req, res) => reject(Object.assign(new Error('refused'), { status: res.statusCode })));
    ws.on('error', reject);
    ws.on('open', () => {
      ws.inbox = inbox;
      ws.next = (pred, ms = 10000) => new Promise((res, rej) => {
        const check = () => {
          const i = inbox.findIndex(pred);
          if (i < 0) return false;
          const [m] = inbox.splice(i, 1);
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(timer);
          res(m);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          rej(new Error(`no matching message within ${ms} ms; inbox: ${JSON.stringify(inbox).slice(0, 500)}`));
        }, ms);
        waiters.push(check);
        check();
      });
      ws.request = (type, data) => {
        ws.send(JSON.stringify({ type, data }));
        return ws.next((m) => m.type === 'subscribed' || m.type === 'unsubscribed' || m.type === 'error');
      };
      resolve(ws);
    });
  });
}

async function refusedStatus(headers) {
  try {
    const ws = await connect(headers);
    ws.close();
    return 101;
  } catch (e) {
    if (e.status === undefined) throw e;
    return e.status;
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function workflow(name) {
  return {
    name,
    nodes: [
      { id: 'm', type: 'weft.manual', typeVersion: 1 },
      { id: 's', type: 'weft.set', typeVersion: 1, parameters: { fields: [{ name: 'done', value: true }] } },
    ],
    edges: [{ from: 'm', to: 's' }],
  };
}

async function createWorkflow(name, headers = admin) {
  const r = await api('POST', '/api/v1/workflows', workflow(name), headers);
  assert.equal(r.status, 201, `create workflow: ${r.text}`);
  return r.json.id;
}

async function run(id, items, headers = admin) {
  const r = await api('POST', `/api/v1/workflows/${id}/run?wait=true`, items ? { items } : undefined, headers);
  assert.ok(r.status === 200 || r.status === 202, `run: ${r.status} ${r.text.slice(0, 300)}`);
  return r.json.id;
}

// A new user `name` (email <name>@example.com) with `role`, signed in: { id, login } where login
// is the login answer (its JSON holds the access token; `extra` asks for more, e.g. a cookie).
async function signUp(name, role, extra = {}) {
  const email = `${name}@example.com`;
  const password = `${name}'s long password 1`;
  const u = await api('POST', '/api/v1/users', { email, name, password, role }, admin);
  assert.equal(u.status, 201, u.text);
  const login = await api('POST', '/api/v1/auth/login', { email, password, ...extra });
  assert.equal(login.status, 200, login.text);
  return { id: u.json.id, login };
}

// Runs `wf` while the admin watches it, then checks that `client` received nothing.
async function expectNoEvents(client, wf, what) {
  const watcher = await connect(admin);
  assert.equal((await watcher.request('workflow.subscribe', { workflowId: wf })).type, 'subscribed');
  await run(wf);
  await watcher.next((m) => m.type === 'execution.completed');
  await sleep(300);
  assert.deepEqual(client.inbox, [], what);
  watcher.close();
}

async function main() {
  // 1. The full ordered event sequence of one execution on a workflow subscription.
  {
    const wf = await createWorkflow('ws ordered');
    const ws = await connect(admin);
    const ok = await ws.request('workflow.subscribe', { workflowId: wf });
    assert.equal(ok.type, 'subscribed', JSON.stringify(ok));
    const exec = await run(wf);
    const done = await ws.next((m) => m.type === 'execution.completed');
    assert.equal(done.data.executionId, exec);
    assert.equal(done.data.status, 'succeeded');
    const seen = ws.inbox.filter((m) => m.data.executionId === exec).map((m) => m.type + (m.data.nodeId ? ':' + m.data.nodeId : ''));
    assert.deepEqual(seen, [
      'execution.queued', 'execution.started',
      'execution.node_started:m', 'execution.node_completed:m',
      'execution.node_started:s', 'execution.node_completed:s',
    ], 'event sequence');
    const nodeDone = ws.inbox.find((m) => m.type === 'execution.node_completed' && m.data.nodeId === 's');
    assert.equal(nodeDone.data.nodeType, 'weft.set');
    assert.deepEqual(nodeDone.data.itemsIn, [1]);
    assert.deepEqual(nodeDone.data.itemsOut, [1]);
    assert.equal(typeof nodeDone.data.durationMs, 'number');
    assert.equal(typeof nodeDone.data.timestamp, 'number');
    assert.equal(nodeDone.data.output, undefined, 'output data only on request');
    for (let i = 1; i < ws.inbox.length; ++i) assert.ok(ws.inbox[i].data.sequence > ws.inbox[i - 1].data.sequence);
    ws.inbox.length = 0;
    // An execution subscription with includeData gets the node output; workflow events too.
    const again = await connect(admin);
    const r = await api('PATCH', `/api/v1/workflows/${wf}`, { name: 'ws ordered 2' }, admin);
    assert.equal(r.status, 200, r.text);
    const upd = await ws.next((m) => m.type === 'workflow.updated');
    assert.equal(upd.data.workflowId, wf);
    assert.equal(upd.data.workflowVersion, 2);
    const bad = await again.request('execution.subscribe', { executionId: 'no-such-execution' });
    assert.equal(bad.type, 'error');
    assert.equal(bad.data.message, "execution 'no-such-execution' not found");
    const unk = await again.request('bogus.type', {});
    assert.equal(unk.type, 'error');
    ws.close();
    again.close();
    console.log('ok: ordered event sequence, workflow.updated, errors');
  }

  // 2. No credential: 401 before any upgrade; a session cookie with a bad (or no) Origin: 403;
  //    with an allowed Origin the cookie works.
  {
    assert.equal(await refusedStatus({}), 401, 'unauthenticated upgrade');
    assert.equal(await refusedStatus({ 'X-API-Key': 'wk_not-a-real-key' }), 401, 'bad key');
    const { login } = await signUp('cookie', 'viewer', { cookie: true });
    const session = login.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('__Host-weft-session='));
    assert.ok(session, 'login set the session cookie');
    assert.equal(await refusedStatus({ Cookie: session, Origin: 'https://evil.example' }), 403, 'cookie + bad Origin');
    assert.equal(await refusedStatus({ Cookie: session }), 403, 'cookie without Origin');
    assert.equal(await refusedStatus({ Cookie: session, Origin: 'https://app.example' }), 101, 'cookie + allowed Origin');
    console.log('ok: 401 without credential, 403 for a cookie with a bad Origin');
  }

  // 3. Another user's workflow and execution: the same error as an unknown id, and no events.
  {
    const wf = await createWorkflow('ws private');
    const { login } = await signUp('bob', 'editor');
    const bob = await connect({ Authorization: 'Bearer ' + login.json.accessToken });
    const exec = await run(wf);
    const e1 = await bob.request('execution.subscribe', { executionId: exec });
    assert.deepEqual(e1, { type: 'error', data: { message: `execution '${exec}' not found` } });
    const w1 = await bob.request('workflow.subscribe', { workflowId: wf });
    assert.deepEqual(w1, { type: 'error', data: { message: `workflow '${wf}' not found` } });
    await expectNoEvents(bob, wf, 'bob received events of a workflow he may not read');
    bob.close();
    console.log("ok: another user's execution yields an error and no events");
  }

  // 3b. Taking access away counts on an open connection (run.sh: revalidateIntervalMs 200):
  //     an unshared workflow's subscription ends, a disabled user and a revoked key are closed.
  {
    const wf = await createWorkflow('ws shared');
    const u = await signUp('carol', 'viewer');
    const share = await api('PUT', `/api/v1/workflows/${wf}/shares/${u.id}`, { access: 'read' }, admin);
    assert.equal(share.status, 200, share.text);
    const login = u.login;
    const carol = await connect({ Authorization: 'Bearer ' + login.json.accessToken });
    const closed = new Promise((resolve) => carol.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    assert.equal((await carol.request('workflow.subscribe', { workflowId: wf })).type, 'subscribed');

    const unshare = await api('DELETE', `/api/v1/workflows/${wf}/shares/${u.id}`, undefined, admin);
    assert.equal(unshare.status, 204, unshare.text);
    const ended = await carol.next((m) => m.type === 'unsubscribed');
    assert.deepEqual(ended, { type: 'unsubscribed', data: { workflowId: wf, reason: 'access revoked' } });
    await expectNoEvents(carol, wf, 'carol received events after the workflow was unshared');

    const disable = await api('PATCH', `/api/v1/users/${u.id}`, { disabled: true }, admin);
    assert.equal(disable.status, 200, disable.text);
    const how = await closed;
    assert.equal(how.code, 1008, `close code ${how.code} ${how.reason}`);
    assert.match(how.reason, /revoked or has expired/);

    const key = await api('POST', '/api/v1/api-keys', { name: 'ws key' }, admin);
    assert.equal(key.status, 201, key.text);
    const keyed = await connect({ 'X-API-Key': key.json.key });
    const keyClosed = new Promise((resolve) => keyed.on('close', (code) => resolve(code)));
    const revoke = await api('DELETE', `/api/v1/api-keys/${key.json.id}`, undefined, admin);
    assert.equal(revoke.status, 204, revoke.text);
    assert.equal(await keyClosed, 1008, 'a revoked key keeps its WebSocket');
    console.log('ok: unsharing ends a subscription; disabling the user and revoking the key close the socket');
  }

  // 4. A client that never reads is closed (1008, with a reason) while another gets everything.
  {
    const wf = await createWorkflow('ws slow');
    const slow = await connect(admin);
    const fast = await connect(admin);
    for (const ws of [slow, fast])
      assert.equal((await ws.request('workflow.subscribe', { workflowId: wf, includeData: true })).type, 'subscribed');
    const closed = new Promise((resolve) => slow.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    slow._socket.pause();  // reads nothing from here on
    const big = 'x'.repeat(200 * 1024);
    const runs = 40;
    const ids = [];
    for (let i = 0; i < runs; ++i) ids.push(await run(wf, [{ i, big }]));
    for (const id of ids) await fast.next((m) => m.type === 'execution.completed' && m.data.executionId === id, 20000);
    const nodeDone = fast.inbox.filter((m) => m.type === 'execution.node_completed' && m.data.nodeId === 'm');
    assert.equal(nodeDone.length, runs, 'the fast client got every node event');
    assert.equal(nodeDone[0].data.output[0][0].big.length, big.length, 'includeData carries the output');
    slow._socket.resume();
    const how = await Promise.race([closed, sleep(15000).then(() => null)]);
    assert.ok(how, 'the slow client was not closed');
    assert.equal(how.code, 1008, `close code ${how.code} ${how.reason}`);
    assert.match(how.reason, /reads too slowly/);
    fast.close();
    console.log(`ok: a client that never reads is closed (${how.code} "${how.reason}"); the other got all ${runs}`);
  }

  // 5. 1,000 connections subscribe and all receive an event.
  {
    const wf = await createWorkflow('ws many');
    const started = Date.now();
    const all = [];
    for (let batch = 0; batch < 20; ++batch) {
      const some = await Promise.all(Array.from({ length: 50 }, () => connect(admin)));
      await Promise.all(some.map(async (ws) => {
        const ok = await ws.request('workflow.subscribe', { workflowId: wf });
        assert.equal(ok.type, 'subscribed');
      }));
      all.push(...some);
    }
    const exec = await run(wf);
    await Promise.all(all.map((ws) => ws.next((m) => m.type === 'execution.completed' && m.data.executionId === exec, 30000)));
    // Bounded by each wait (30 s) and the test's CTest timeout; the time is reported, not judged.
    const elapsed = Date.now() - started;
    for (const ws of all) ws.terminate();
    console.log(`ok: 1,000 connections subscribed and received the event in ${elapsed} ms`);
  }
}

main().then(() => process.exit(0), (e) => {
  console.error('FAIL:', e && e.stack || e);
  process.exit(1);
});
