#!/usr/bin/env node
// Checks one peer of bench/outside/peers end to end, by its contract alone (no harness needed):
//   node flowcheck.mjs PEER_DIR PORT [--tries N] [--seconds S] [--concurrency C] [--wrk]
// It starts `PEER_DIR/peer start PORT DATA_DIR` (a fresh empty DATA_DIR) in its own process group,
// times the launch to the first 200 of HEALTH_URL, runs `peer prepare`, then one full flow:
// authorize -> login form -> consent form (every checkbox ticked) -> redirect with code -> code
// exchange (code_verifier, client_id/client_secret in the body) -> API_URL -> refresh grant, and
// stops the server. --tries N repeats the start-up N times. --seconds S (default 0: none) adds a
// rough try of S seconds each of flows, refresh grants and API calls with C concurrent clients of
// this one Node process (rough: the client shares the machine's cores with the server); --wrk adds
// S seconds of wrk -t1 -c32 on API_URL (one flow's access token) and on HEALTH_URL.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  if (i < 0) return dflt;
  const v = args[i + 1];
  args.splice(i, 2);
  return Number(v);
};
const tries = opt('--tries', 1);
const seconds = opt('--seconds', 0);
const concurrency = opt('--concurrency', 4);
const wrkAt = args.indexOf('--wrk');
const useWrk = wrkAt >= 0;
if (useWrk) args.splice(wrkAt, 1);
if (args.length !== 2) {
  console.error('usage: node flowcheck.mjs PEER_DIR PORT [--tries N] [--seconds S] [--concurrency C]');
  process.exit(2);
}
const peerDir = resolve(args[0]);
const port = args[1];
const peer = join(peerDir, 'peer');

// ---- HTML forms (enough for plain server-rendered pages) ----
const decode = (s) => s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|#39);/gi, (m, e) => {
  const l = e.toLowerCase();
  if (l.startsWith('#x')) return String.fromCodePoint(parseInt(l.slice(2), 16));
  if (l.startsWith('#')) return String.fromCodePoint(parseInt(l.slice(1), 10));
  return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[l];
});
const attrs = (tag) => {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z_:-]+)(?:\s*=\s*("([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1].toLowerCase()] = decode(m[3] ?? m[4] ?? m[5] ?? '');
  }
  return out;
};
function forms(html) {
  const list = [];
  for (const m of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const a = attrs(m[1]);
    const inputs = [...m[2].matchAll(/<input\b([^>]*)>/gi)].map((i) => attrs(i[1]));
    list.push({ action: a.action ?? '', method: (a.method ?? 'get').toLowerCase(), inputs });
  }
  return list;
}

// ---- one browser-less user agent with its own cookie jar ----
class Agent {
  jar = new Map();
  async req(url, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    if (this.jar.size) headers.cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(c)) this.jar.delete(name); else this.jar.set(name, value);
    }
    return res;
  }
}

const b64url = (buf) => buf.toString('base64url');
const form = (obj) => new URLSearchParams(obj).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function flow(d, log = () => {}) {
  const agent = new Agent();
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(12));
  const q = {
    response_type: 'code', client_id: d.CLIENT_ID, redirect_uri: d.REDIRECT_URI, scope: d.SCOPES,
    state, code_challenge: challenge, code_challenge_method: 'S256', prompt: 'consent',
  };
  if (d.SCOPES.split(' ').includes('openid')) q.nonce = b64url(randomBytes(12));
  let url = `${d.AUTHORIZE_URL}?${form(q)}`;
  let init = {};
  let sawLogin = false;
  let sawConsent = false;
  for (let step = 0; step < 30; step++) {
    const res = await agent.req(url, init);
    init = {};
    const loc = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && loc) {
      await res.arrayBuffer();
      const next = new URL(loc, url).toString();
      log(`${res.status} -> ${next.slice(0, 110)}`);
      if (next.startsWith(d.REDIRECT_URI)) {
        const p = new URL(next).searchParams;
        if (p.get('error')) throw new Error(`authorization error: ${p.get('error')} ${p.get('error_description') ?? ''}`);
        if (p.get('state') !== state) throw new Error('state mismatch');
        if (!sawLogin || !sawConsent) throw new Error(`code without login (${sawLogin}) or consent (${sawConsent})`);
        return exchange(d, p.get('code'), verifier, log);
      }
      url = next;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`${res.status} at ${url}: ${html.slice(0, 300)}`);
    if (/<script\b/i.test(html)) log(`note: page has a <script> (${url})`);
    const fs = forms(html).filter((f) => f.method === 'post');
    const login = fs.find((f) => f.inputs.some((i) => i.type === 'password'));
    const fields = new URLSearchParams();
    let target;
    if (login) {
      sawLogin = true;
      target = login;
      for (const i of login.inputs) {
        if (!i.name) continue;
        if (i.name === d.USER_FIELD) fields.append(i.name, d.USERNAME);
        else if (i.name === d.PASSWORD_FIELD) fields.append(i.name, d.PASSWORD);
        else if ((i.type ?? 'text') === 'hidden') fields.append(i.name, i.value ?? '');
      }
      log(`login form -> ${login.action} (${[...fields.keys()].join(',')})`);
    } else {
      if (fs.length !== 1) throw new Error(`expected one consent form at ${url}, found ${fs.length}: ${html.slice(0, 300)}`);
      sawConsent = true;
      target = fs[0];
      for (const i of target.inputs) {
        if (!i.name) continue;
        const type = (i.type ?? 'text').toLowerCase();
        if (i.disabled !== undefined) continue; // a browser sends no disabled input
        if (type === 'checkbox') fields.append(i.name, i.value ?? 'on');
        else if (type === 'hidden') fields.append(i.name, i.value ?? '');
      }
      if (d.CONSENT_SUBMIT) {
        const k = d.CONSENT_SUBMIT.indexOf('=');
        fields.append(d.CONSENT_SUBMIT.slice(0, k), d.CONSENT_SUBMIT.slice(k + 1));
      }
      log(`consent form -> ${target.action} (${fields.toString().slice(0, 160)})`);
    }
    url = new URL(target.action || url, url).toString();
    init = { method: 'POST', headers: FORM, body: fields.toString() };
  }
  throw new Error('too many steps');
}

async function tokenCall(d, params) {
  const body = { ...params, client_id: d.CLIENT_ID, client_secret: d.CLIENT_SECRET };
  const res = d.TOKEN_BODY === 'json'
    ? await fetch(d.TOKEN_URL, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    : await fetch(d.TOKEN_URL, { method: 'POST', headers: FORM, body: form(body) });
  const json = await res.json();
  if (res.status !== 200 || !json.access_token) throw new Error(`token ${params.grant_type}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function exchange(d, code, verifier, log) {
  const t = await tokenCall(d, { grant_type: 'authorization_code', code, redirect_uri: d.REDIRECT_URI, code_verifier: verifier });
  log(`code exchange: ${Object.keys(t).join(',')}`);
  if (!t.refresh_token) throw new Error(`no refresh_token in ${JSON.stringify(t)}`);
  return t;
}

async function api(d, accessToken) {
  const res = await fetch(d.API_URL, { headers: { authorization: `Bearer ${accessToken}` } });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`API_URL ${res.status}: ${text.slice(0, 200)}`);
  return JSON.parse(text);
}

// ---- the peer's process ----
function describe(dataDir) {
  const out = execFileSync(peer, ['describe', port, dataDir], { encoding: 'utf8' });
  const d = {};
  for (const line of out.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) d[line.slice(0, i)] = line.slice(i + 1);
  }
  return d;
}

async function startPeer(d, dataDir) {
  const t0 = process.hrtime.bigint();
  const child = spawn(peer, ['start', port, dataDir], { detached: true, stdio: ['ignore', 'ignore', 'inherit'] });
  let exited = null;
  child.on('exit', (c, s) => { exited = `exit ${c ?? s}`; });
  for (;;) {
    if (exited) throw new Error(`peer start ended: ${exited}`);
    try {
      const res = await fetch(d.HEALTH_URL);
      await res.arrayBuffer();
      if (res.status === 200) break;
    } catch { /* not listening yet */ }
    await new Promise((r) => setTimeout(r, 20));
    if (process.hrtime.bigint() - t0 > 120_000_000_000n) throw new Error('not healthy in 120 s');
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  return {
    ms,
    stop: () => new Promise((res) => {
      if (exited) return res();
      child.on('exit', () => res());
      try { process.kill(-child.pid, 'SIGTERM'); } catch { return res(); }
      setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000).unref();
    }),
  };
}

async function timed(label, secs, workers, fn) {
  const lat = [];
  let errors = 0;
  let firstError;
  const end = Date.now() + secs * 1000;
  await Promise.all(Array.from({ length: workers }, async (_, w) => {
    while (Date.now() < end) {
      const t = performance.now();
      try { await fn(w); lat.push(performance.now() - t); } catch (e) { errors++; firstError ??= e; }
    }
  }));
  lat.sort((a, b) => a - b);
  const pct = (p) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(lat.length * p))].toFixed(1) : '-');
  console.log(`${label}: ${(lat.length / secs).toFixed(1)}/s (${lat.length} in ${secs} s, c=${workers}, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, errors ${errors})`);
  if (firstError) console.log(`  first error: ${firstError.message}`);
}

const starts = [];
for (let t = 1; t <= tries; t++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'peer-data-'));
  const d = describe(dataDir);
  const server = await startPeer(d, dataDir);
  starts.push(server.ms);
  try {
    console.log(`start ${t}: healthy after ${server.ms.toFixed(0)} ms`);
    execFileSync(peer, ['prepare', port, dataDir], { stdio: 'inherit' });
    if (t === 1) {
      const tok = await flow(d, (m) => console.log(`  ${m}`));
      const me = await api(d, tok.access_token);
      console.log(`  API_URL 200: ${JSON.stringify(me).slice(0, 160)}`);
      const r = await tokenCall(d, { grant_type: 'refresh_token', refresh_token: tok.refresh_token });
      const rotated = !!r.refresh_token && r.refresh_token !== tok.refresh_token;
      console.log(`  refresh grant: ${Object.keys(r).join(',')}; rotated=${rotated} (REFRESH_ROTATES=${d.REFRESH_ROTATES})`);
      if (rotated !== (d.REFRESH_ROTATES === 'yes')) throw new Error('REFRESH_ROTATES does not match');
      await api(d, r.access_token);
      if (rotated) {
        const again = await fetch(d.TOKEN_URL, { method: 'POST', headers: FORM, body: form({ grant_type: 'refresh_token', refresh_token: tok.refresh_token, client_id: d.CLIENT_ID, client_secret: d.CLIENT_SECRET }) });
        console.log(`  old refresh token again: ${again.status}`);
      }
      console.log('FLOW OK');
      if (seconds > 0) {
        await timed('full flows', seconds, concurrency, () => flow(d));
        const pool = []; // one live refresh token per client, each answer's new one replaces it
        for (let i = 0; i < concurrency; i++) pool.push((await flow(d)).refresh_token);
        await timed('refresh grants', seconds, concurrency, async (w) => {
          const x = await tokenCall(d, { grant_type: 'refresh_token', refresh_token: pool[w] });
          pool[w] = x.refresh_token ?? pool[w];
        });
        const at = (await flow(d)).access_token;
        await timed('API_URL', seconds, concurrency, () => api(d, at));
        if (useWrk) { // the API and health GETs from wrk -t1 -c32, a client lighter than this one
          for (const [label, url, hdr] of [['API_URL', d.API_URL, [`-H`, `Authorization: Bearer ${at}`]], ['HEALTH_URL', d.HEALTH_URL, []]]) {
            const out = execFileSync('wrk', ['-t1', '-c32', `-d${seconds}s`, '--latency', ...hdr, url], { encoding: 'utf8' });
            const rps = out.match(/Requests\/sec:\s+([\d.]+)/)?.[1];
            const p99 = out.match(/99%\s+(\S+)/)?.[1];
            const bad = out.match(/Non-2xx or 3xx responses: (\d+)/)?.[1] ?? '0';
            console.log(`${label} (wrk -t1 -c32): ${rps}/s, p99 ${p99}, non-2xx ${bad}`);
          }
        }
      }
    }
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
if (tries > 1) console.log(`start-up to healthy (ms): ${starts.map((m) => m.toFixed(0)).join(', ')}`);
