// The widget's demo: a host site on a second local origin (npm start serves it on the app's
// port + 1, e.g. http://localhost:8788) that embeds a Parlor room in both modes. On first run
// it makes a demo owner and a "Widget demo" room through the API and lists the demo's origins
// as the room's embedding sites; later runs reuse them (state in .wrangler/widget-demo.json,
// next to the local database it describes).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname } from 'node:path';

/** The demo site's two origins (localhost and 127.0.0.1 are different origins). */
export function demoOrigins(port) {
  return [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
}

async function call(parlor, path, { method, json, token } = {}) {
  const headers = { origin: parlor };
  if (json !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${parlor}/api${path}`, {
    method: method ?? (json === undefined ? 'GET' : 'POST'),
    headers,
    body: json === undefined ? undefined : JSON.stringify(json),
  });
  return { status: res.status, body: await res.json() };
}

/**
 * The demo room, made on first run (owner, room, embedding origins) and reused after; its
 * list is set again each time, so a changed demo port is allowed too.
 * @returns {Promise<{ roomId: string, ownerToken: string, created: boolean }>}
 */
export async function ensureDemoRoom(parlor, origins, stateFile) {
  let state = null;
  try {
    state = JSON.parse(readFileSync(stateFile, 'utf8'));
  } catch {
    // First run (or the state was deleted): make everything below.
  }
  let created = false;
  if (state && (await call(parlor, '/me', { token: state.ownerToken })).status !== 200)
    state = null;
  if (!state) {
    const suffix = Math.random().toString(36).slice(2, 7);
    const owner = await call(parlor, '/auth/guest?token=1', {
      json: { name: `Demo owner ${suffix}` },
    });
    if (owner.status !== 201) throw new Error(`demo owner: ${JSON.stringify(owner.body)}`);
    const room = await call(parlor, '/rooms', {
      json: { name: `Widget demo ${suffix}`, topic: 'Embedded on the demo site' },
      token: owner.body.user.token,
    });
    if (room.status !== 201) throw new Error(`demo room: ${JSON.stringify(room.body)}`);
    state = { ownerToken: owner.body.user.token, roomId: room.body.room.id };
    created = true;
  }
  const listed = await call(parlor, `/rooms/${state.roomId}/embed-origins`, {
    method: 'PUT',
    json: { origins },
    token: state.ownerToken,
  });
  if (listed.status !== 200) throw new Error(`demo origins: ${JSON.stringify(listed.body)}`);
  mkdirSync(dirname(stateFile), { recursive: true });
  writeFileSync(stateFile, JSON.stringify(state, null, 2));
  return { ...state, created };
}

const escape = (s) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A demo page: the documented snippet and script tag, in launcher or inline mode. */
export function demoPage(parlor, roomId, mode) {
  const inline = mode === 'inline';
  const attrs = inline
    ? `data-mode="inline" data-target="#chat" data-height="520px"`
    : `data-greeting="Hi! Ask us anything."`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Parlor widget demo (${inline ? 'inline' : 'launcher'})</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:760px;margin:2rem auto;padding:0 1rem}button{font:inherit;margin-right:.5rem}</style>
</head>
<body>
<h1>A site that embeds Parlor</h1>
<p>This page is on another origin than Parlor (${escape(parlor)}). ${
    inline
      ? 'The chat is inline below. <a href="/">Launcher mode</a>.'
      : 'The chat is behind the round button in the corner. <a href="/inline">Inline mode</a>.'
  }</p>
<p>
  <button type="button" id="open">Parlor('toggle')</button>
  <button type="button" id="logout">Parlor('logout')</button>
  <span id="unread" aria-live="polite"></span>
</p>
<div id="chat"></div>
<script>
  window.Parlor = window.Parlor || function () { (Parlor.q = Parlor.q || []).push(arguments); };
  Parlor('on', 'unread', function (n) { document.getElementById('unread').textContent = n ? n + ' unread' : ''; });
  document.getElementById('open').onclick = function () { Parlor('toggle'); };
  document.getElementById('logout').onclick = function () { Parlor('logout'); };
</script>
<script src="${escape(parlor)}/widget.js" data-room="${escape(roomId)}" ${attrs} async></script>
</body>
</html>`;
}

/** Serves the demo pages on `port` (both loopback names); resolves once listening. */
export function serveDemo(parlor, roomId, port) {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://demo').pathname;
    if (path !== '/' && path !== '/inline') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(demoPage(parlor, roomId, path === '/inline' ? 'inline' : 'launcher'));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // 127.0.0.1: what both names reach (browsers send localhost to the loopback address).
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

/** Polls Parlor until its API answers (wrangler dev takes a few seconds to start). */
export async function waitForParlor(parlor, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${parlor}/api/me`)).status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Parlor did not answer at ${parlor}`);
}
