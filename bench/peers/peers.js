// make bench-peers: casbin (enforceSync) and cedar-wasm (statefulIsAuthorized)
// on the same two workloads as the library (bench/ppbench --peers), printing
// ns per decision beside the library's C and Python figures, casbin for Go's
// (bench/peers/casbin-go, timed by run.sh) and the ratios.
// Usage: node peers.js MODULES_DIR LIBRARY_FIGURES_JSON
// Each workload: 4 request shapes in turn, 10,000 warm-up calls, then
// 100,000 timed calls; the median of REPEAT such runs (min and max beside).
'use strict';
const path = require('path');

const modules = path.resolve(process.argv[2]);
const library = JSON.parse(process.argv[3]);
const casbin = require(path.join(modules, 'node_modules', 'casbin'));
const cedar = require(path.join(modules, 'node_modules', '@cedar-policy', 'cedar-wasm', 'nodejs'));

const WARMUP = 10000;
const CALLS = 100000;
const REPEAT = Number(process.env.PEER_REPEAT || 3);

// Every shape's answer is checked on every call: a peer that decides wrong
// would be timing something else.
function time(shapes, call) {
  const runs = [];
  for (let r = 0; r < REPEAT; r++) {
    let t0 = 0n;
    for (let i = 0; i < WARMUP + CALLS; i++) {
      if (i === WARMUP) t0 = process.hrtime.bigint();
      const s = shapes[i % shapes.length];
      if (call(s) !== s.allow) throw new Error(`wrong answer for shape ${i % shapes.length}`);
    }
    runs.push(Number(process.hrtime.bigint() - t0) / CALLS);
  }
  runs.sort((a, b) => a - b);
  return { median: runs[Math.floor(runs.length / 2)], min: runs[0], max: runs[runs.length - 1] };
}

// ---- authorization: team members may approve quarantined devices of their
// product; view-only may not.  Shapes: developer + quarantined (allow),
// view-only + quarantined, developer + device already a member, stranger.

// casbin with the model and policy NAME.conf and NAME.csv that the Go peer
// reads too (bench/peers/casbin).
function casbinEnforcer(name) {
  const dir = path.join(__dirname, 'casbin');
  return casbin.newEnforcer(path.join(dir, `${name}.conf`), path.join(dir, `${name}.csv`));
}

async function casbinAuthz() {
  const e = await casbinEnforcer('authorization');
  const q = { State: 'quarantined', Product: 'p1' }, m = { State: 'member', Product: 'p1' };
  const shapes = [
    { sub: 'alice', obj: q, allow: true }, { sub: 'bob', obj: q, allow: false },
    { sub: 'alice', obj: m, allow: false }, { sub: 'carol', obj: q, allow: false }];
  return time(shapes, (s) => e.enforceSync(s.sub, s.obj, 'approve'));
}

function cedarCall(id, s) {
  const a = cedar.statefulIsAuthorized({
    principal: s.principal, action: s.action, resource: s.resource, context: {},
    preparsedPolicySetId: id, entities: s.entities });
  if (a.type !== 'success') throw new Error(JSON.stringify(a));
  return a.response.decision === 'allow';
}

function cedarAuthz() {
  const r = cedar.preparsePolicySet('authz', { staticPolicies: {
    'members-approve-quarantined': `permit(principal is User, action == Action::"approve", resource is Device)
  when { resource.state == "quarantined" && principal.role == "member" && principal in resource.product };`,
    'viewers-never-approve': `forbid(principal is User, action == Action::"approve", resource)
  when { principal.role == "viewer" };` } });
  if (r.type !== 'success') throw new Error(JSON.stringify(r));
  const product = { uid: { type: 'Product', id: 'p1' }, attrs: {}, parents: [] };
  const user = (id, role) => ({ uid: { type: 'User', id }, attrs: { role },
    parents: role === 'none' ? [] : [{ type: 'Product', id: 'p1' }] });
  const device = (id, state) => ({ uid: { type: 'Device', id },
    attrs: { state, product: { __entity: { type: 'Product', id: 'p1' } } }, parents: [] });
  const shape = (who, role, dev, state, allow) => ({
    principal: { type: 'User', id: who }, action: { type: 'Action', id: 'approve' },
    resource: { type: 'Device', id: dev },
    entities: [user(who, role), device(dev, state), product], allow });
  const shapes = [shape('alice', 'member', 'd1', 'quarantined', true),
    shape('bob', 'viewer', 'd1', 'quarantined', false),
    shape('alice', 'member', 'd2', 'member', false),
    shape('carol', 'none', 'd1', 'quarantined', false)];
  return time(shapes, (s) => cedarCall('authz', s));
}

// ---- admission: the decision's core, reduced to what both engines express
// (allow = admitted with privileges): a member of its cloud product (rule 7),
// an unknown legacy device of a quarantine product (12), a legacy device of
// an auto-approve product owned by a team member (14), and by a stranger
// (15).  The library answers the whole decision table for the same calls.

async function casbinAdmission() {
  const e = await casbinEnforcer('admission');
  const p1 = { ID: 'p1', Auto: false, Org: 'acme' }, p2 = { ID: 'p2', Auto: true, Org: 'acme' };
  const shapes = [
    { dev: { Cloud: 'p1', Legacy: false, Owner: '' }, prod: p1, allow: true },
    { dev: { Cloud: '', Legacy: true, Owner: '' }, prod: p1, allow: false },
    { dev: { Cloud: '', Legacy: true, Owner: 'alice' }, prod: p2, allow: true },
    { dev: { Cloud: '', Legacy: true, Owner: 'mallory' }, prod: p2, allow: false }];
  return time(shapes, (s) => e.enforceSync(s.dev, s.prod, 'connect'));
}

function cedarAdmission() {
  const r = cedar.preparsePolicySet('admission', { staticPolicies: {
    member: `permit(principal is Device, action == Action::"connect", resource is Product)
  when { principal has cloud_product && principal.cloud_product == resource };`,
    'auto-approve-team': `permit(principal is Device, action == Action::"connect", resource is Product)
  when { resource.auto_approve && principal.legacy && principal has owner && principal.owner in resource.org };` } });
  if (r.type !== 'success') throw new Error(JSON.stringify(r));
  const ref = (type, id) => ({ __entity: { type, id } });
  const product = (id, auto) => ({ uid: { type: 'Product', id },
    attrs: { auto_approve: auto, org: ref('Org', 'acme') }, parents: [] });
  const user = (id, org) => ({ uid: { type: 'User', id }, attrs: {},
    parents: org ? [{ type: 'Org', id: 'acme' }] : [] });
  const org = { uid: { type: 'Org', id: 'acme' }, attrs: {}, parents: [] };
  const shape = (dev, attrs, prod, more, allow) => ({
    principal: { type: 'Device', id: dev }, action: { type: 'Action', id: 'connect' },
    resource: { type: 'Product', id: prod.uid.id },
    entities: [{ uid: { type: 'Device', id: dev }, attrs, parents: [] }, prod, org, ...more], allow });
  const shapes = [
    shape('d1', { legacy: false, cloud_product: ref('Product', 'p1') }, product('p1', false), [], true),
    shape('d2', { legacy: true }, product('p1', false), [], false),
    shape('d3', { legacy: true, owner: ref('User', 'alice') }, product('p2', true), [user('alice', true)], true),
    shape('d4', { legacy: true, owner: ref('User', 'mallory') }, product('p2', true), [user('mallory', false)], false)];
  return time(shapes, (s) => cedarCall('admission', s));
}

function fmt(x) { return x >= 100 ? x.toFixed(0) : x.toFixed(1); }

async function main() {
  const rows = [];
  const peers = {
    authorization: [['casbin 5.51.1 enforceSync', await casbinAuthz(),
      'the matcher evaluated in JS over the request objects; no marshalling', 40],
      ['cedar-wasm 4.13.0 statefulIsAuthorized', cedarAuthz(),
        'pre-parsed policies; the 3 entities passed as JSON and converted into wasm on every call', 1000]],
    admission: [['casbin 5.51.1 enforceSync', await casbinAdmission(),
      'the matcher evaluated in JS over the request objects; no marshalling', 40],
      ['cedar-wasm 4.13.0 statefulIsAuthorized', cedarAdmission(),
        'pre-parsed policies; the 3-4 entities passed as JSON and converted into wasm on every call', 1000]],
  };
  console.log(`node ${process.version}; ${WARMUP} warm-up then ${CALLS} calls over 4 request shapes; `
    + `median of ${REPEAT} runs [min, max]`);
  console.log('');
  console.log('| workload | engine | ns/decision | what the figure includes | library C / peer | target |');
  console.log('|---|---|--:|---|--:|---|');
  for (const w of ['authorization', 'admission']) {
    const c = library[w].c, py = library[w].python;
    const range = (s) => `${fmt(s.median)} [${fmt(s.min)}, ${fmt(s.max)}]`;
    console.log(`| ${w} | libparticlepolicy C ${w === 'authorization' ? 'pp_authorize' : 'pp_decide'} `
      + `| ${range(c)} | one C call: record validation and the whole rule table | 1 | |`);
    console.log(`| ${w} | libparticlepolicy Python `
      + `${w === 'authorization' ? 'Policy.authorize' : 'Policy.decide'} | ${range(py)} `
      + `| extension call, Device dataclass in, ${w === 'authorization' ? 'Authorization' : 'Decision'} `
      + 'dataclass out | | |');
    if (library[w].casbin_go.median > 0) {
      peers[w].unshift(['casbin 2.60.0 (Go, Debian) Enforce', library[w].casbin_go,
        'the matcher evaluated by govaluate over Go structs, in process; no marshalling', 40]);
    }
    for (const [name, s, includes, want] of peers[w]) {
      const speedup = s.median / c.median;
      rows.push(speedup);
      const target = `>= ${want}x: ${speedup >= want ? 'met' : `missed by ${((1 - speedup / want) * 100).toFixed(0)}%`}`;
      console.log(`| ${w} | ${name} | ${range(s)} | ${includes} | 1/${speedup.toFixed(0)} `
        + `(${speedup.toFixed(0)}x faster) | ${target} |`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
