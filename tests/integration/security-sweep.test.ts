/**
 * The security suite's sweep: every route the Worker serves, read from the Hono app itself
 * (so a route added later is covered without editing this file), tried as an attacker would:
 * a cross-site page (CSRF, cross-site WebSocket hijacking), forged and stolen tokens, SQL and
 * FTS5 injection in every path parameter, query and body field, and a stranger reaching for a
 * DM by its id. Every answer must be the documented refusal, never a 5xx, always in the one
 * error shape with the security headers, and the database must come out unchanged.
 */
import { env } from 'cloudflare:test';
import { exports } from 'cloudflare:workers';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../../src/worker/index';
import {
  api,
  createRoom,
  drain,
  GOOD_PASSWORD,
  join,
  openRoom,
  refusedSocket,
  register,
  say,
} from '../helpers';

const ORIGIN = 'https://parlor.test';
const EVIL = 'https://evil.example';
const SECRET = new TextEncoder().encode('test-secret-that-is-long-enough-0123456789');
const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

interface Route {
  method: string;
  path: string;
}

/** Every method + path the app answers, once each (middleware entries are `ALL`). */
const ROUTES: Route[] = [
  ...new Map(
    app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => [`${r.method} ${r.path}`, { method: r.method, path: r.path }]),
  ).values(),
];
/**
 * Routes that answer without a session (signing in, mailed links and reset requests, the
 * widget's own (a visitor's making, and what they see of the room before writing), the
 * bench's, the development outbox, avatar images: shown to whoever sees the person,
 * addressed by a content hash).
 */
const OPEN =
  /^\/api\/(auth\/(register|login|guest|verify-email|reset-request|reset)$|embed\/|visitors(\/preview)?$|_bench\/|_dev\/|avatars\/)|^\/embed\//;
/** The widget's API answers other sites under its own per-room origin rule (embed tests). */
const EMBED = /^\/api\/embed\//;
const isSocket = (r: Route) => r.path.endsWith('/ws');

interface Person {
  id: string;
  token: string;
  cookie: string;
}
let alice: Person; // owns the room, has a DM with bob and a group DM with bob and carol
let bob: Person;
let carol: Person;
let mallory: Person; // the attacker: signed in, in no chat of theirs
let roomId: string;
let dmId: string;
let groupId: string;
let privateId: string;
const DM_SECRET = 'the launch code is swordfish';
const GROUP_SECRET = 'the vault opens at noon with albatross';
const PRIVATE_SECRET = 'the treasure is under the oak';

/** A path with its parameters filled: `:id`/`:room` → `room` unless given. */
function fill(path: string, value: string): string {
  return path.replace(/:[a-z]+/gi, encodeURIComponent(value));
}

function request(
  route: Route,
  {
    path = fill(route.path, roomId),
    headers = {},
    body,
  }: { path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Response> {
  const h = new Headers(headers);
  if (isSocket(route) && !h.has('upgrade')) h.set('upgrade', 'websocket');
  return exports.default.fetch(`${ORIGIN}${path}`, {
    method: route.method,
    headers: h,
    ...(body !== undefined && MUTATING.has(route.method) && { body }),
  });
}

/** The one error shape, and the headers every API answer carries. */
async function expectRefusal(res: Response, statuses: number[], code?: string, what = '') {
  expect(statuses, `${what}: status ${res.status}`).toContain(res.status);
  const body = (await res.json()) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code, `${what}: error shape`).toBe('string');
  expect(typeof body.error?.message, `${what}: error message`).toBe('string');
  if (code) expect(body.error!.code, what).toBe(code);
  expectApiHeaders(res, what);
}

function expectApiHeaders(res: Response, what: string) {
  expect(res.headers.get('x-content-type-options'), `${what}: nosniff`).toBe('nosniff');
  expect(res.headers.get('cache-control'), `${what}: cache-control`).toBe('no-store');
  expect(res.headers.get('content-security-policy'), `${what}: CSP`).toContain(
    "frame-ancestors 'none'",
  );
  expect(res.headers.get('referrer-policy'), `${what}: referrer`).toBeTruthy();
}

/** Every table's rows, except counters that refused requests may legitimately spend. */
async function databaseState(): Promise<Record<string, string>> {
  const { results } = await env.DB.prepare(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_cf%' ESCAPE '\\'
       AND name NOT LIKE 'sqlite%' AND name NOT LIKE 'd1\\_%' ESCAPE '\\'`,
  ).all<{ name: string }>();
  const state: Record<string, string> = {};
  for (const { name } of results) {
    // Rate buckets and throttles count refusals; online counts change with sockets.
    if (/bucket|throttle|attempt|online/i.test(name)) {
      state[name] = 'volatile';
      continue;
    }
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    state[name] = JSON.stringify(rows.results);
  }
  return state;
}

beforeAll(async () => {
  const withCookie = async () => {
    const u = await register();
    return { id: u.id, token: u.token, cookie: u.cookie.split(';')[0]! };
  };
  [alice, bob, mallory] = [await withCookie(), await withCookie(), await withCookie()];
  carol = await withCookie();
  const room = await createRoom(alice.token);
  roomId = room.id;
  await join(roomId, bob.token);
  const dm = await api('/dms', { method: 'POST', json: { userId: bob.id }, token: alice.token });
  dmId = ((await dm.json()) as { chat: { id: string } }).chat.id;
  const s = await openRoom(dmId, alice.token);
  await say(s, DM_SECRET);
  s.close();
  await drain(dmId);
  const group = await api('/dms/group', {
    method: 'POST',
    json: { userIds: [bob.id, carol.id] },
    token: alice.token,
  });
  groupId = ((await group.json()) as { chat: { id: string } }).chat.id;
  const g = await openRoom(groupId, alice.token);
  await say(g, GROUP_SECRET);
  g.close();
  await drain(groupId);
  const secret = await api('/rooms', {
    method: 'POST',
    json: { name: `hidden-${crypto.randomUUID().slice(0, 8)}`, private: true },
    token: alice.token,
  });
  privateId = ((await secret.json()) as { room: { id: string } }).room.id;
  const p = await openRoom(privateId, alice.token);
  await say(p, PRIVATE_SECRET);
  p.close();
  await drain(privateId);
});

describe('the route list', () => {
  it('is read from the app and covers sockets, mutations and reads', () => {
    expect(ROUTES.filter(isSocket).length).toBeGreaterThanOrEqual(2);
    expect(ROUTES.filter((r) => MUTATING.has(r.method)).length).toBeGreaterThanOrEqual(10);
    expect(ROUTES.some((r) => r.path === '/api/rooms/:id/messages')).toBe(true);
  });
});

describe('cross-site requests', () => {
  it('every state-changing route refuses a foreign Origin with 403, and nothing changes', async () => {
    const before = await databaseState();
    for (const route of ROUTES.filter((r) => MUTATING.has(r.method))) {
      const res = await request(route, {
        headers: { origin: EVIL, cookie: bob.cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'pwned', username: 'pwned', origins: [EVIL] }),
      });
      await expectRefusal(
        res,
        [403],
        EMBED.test(route.path) ? undefined : 'origin_not_allowed',
        `${route.method} ${route.path}`,
      );
    }
    expect(await databaseState()).toEqual(before);
  });

  it('every state-changing route refuses a body a cross-site form can send', async () => {
    const before = await databaseState();
    const forms = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ];
    for (const route of ROUTES.filter((r) => MUTATING.has(r.method))) {
      for (const type of forms) {
        // No Origin at all: some browsers and privacy tools leave it out.
        const res = await request(route, {
          headers: { cookie: bob.cookie, 'content-type': type },
          body: type.startsWith('multipart') ? '--x\r\n\r\nname=pwned\r\n--x--' : 'name=pwned',
        });
        expect(res.status, `${route.method} ${route.path} as ${type}`).toBeGreaterThanOrEqual(400);
        expect(res.status, `${route.method} ${route.path} as ${type}`).toBeLessThan(500);
        await res.body?.cancel();
      }
    }
    expect(await databaseState()).toEqual(before);
  });

  it('every socket route refuses a cross-site upgrade carrying the cookie (CSWSH)', async () => {
    for (const route of ROUTES.filter(isSocket)) {
      const res = await request(route, { headers: { origin: EVIL, cookie: bob.cookie } });
      expect(res.webSocket, route.path).toBeFalsy();
      await expectRefusal(res, [403], 'origin_not_allowed', route.path);
    }
  });
});

describe('forged and stolen tokens', () => {
  const enc = (o: object) =>
    btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  const now = () => Math.floor(Date.now() / 1000);
  async function sid(p: Person) {
    return (
      JSON.parse(atob(p.token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as {
        sid: string;
      }
    ).sid;
  }
  function jwt(claims: Record<string, unknown>, alg: string, key: Uint8Array) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg })
      .setIssuer('parlor')
      .setAudience('parlor-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(key);
  }

  it('every route that needs a session refuses each forgery with 401', async () => {
    const aliceSid = await sid(alice);
    const [h, p] = alice.token.split('.');
    const revoked = await register();
    await api('/auth/logout', { method: 'POST', json: {}, token: revoked.token });
    const forgeries: [string, string][] = [
      ['alg none', `${enc({ alg: 'none', typ: 'JWT' })}.${p}.`],
      ['HS512 with the real key', await jwt({ sid: aliceSid, sub: alice.id }, 'HS512', SECRET)],
      [
        'another deployment’s key',
        await jwt(
          { sid: aliceSid, sub: alice.id },
          'HS256',
          new TextEncoder().encode('x'.repeat(40)),
        ),
      ],
      [
        'claims edited, signature kept',
        `${h}.${enc({ sid: aliceSid, sub: bob.id, iss: 'parlor', aud: 'parlor-api', iat: now(), exp: now() + 3600 })}.${alice.token.split('.')[2]}`,
      ],
      // Signed with the real key: a leaked key must still not let alice's session act as bob.
      ['another user’s session id', await jwt({ sid: aliceSid, sub: bob.id }, 'HS256', SECRET)],
      [
        'a made-up session id',
        await jwt({ sid: crypto.randomUUID(), sub: alice.id }, 'HS256', SECRET),
      ],
      [
        'wrong audience',
        await new SignJWT({ sid: aliceSid })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('parlor')
          .setAudience('elsewhere')
          .setSubject(alice.id)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(SECRET),
      ],
      [
        'expired',
        await new SignJWT({ sid: aliceSid })
          .setProtectedHeader({ alg: 'HS256' })
          .setIssuer('parlor')
          .setAudience('parlor-api')
          .setSubject(alice.id)
          .setIssuedAt(now() - 7200)
          .setExpirationTime(now() - 3600)
          .sign(SECRET),
      ],
      ['revoked by logout', revoked.token],
      ['garbage', 'not.a.token'],
    ];
    const guarded = ROUTES.filter((r) => !OPEN.test(r.path) && r.path !== '/api/auth/logout');
    expect(guarded.length).toBeGreaterThan(10);
    for (const route of guarded) {
      for (const [what, token] of forgeries) {
        const headers: Record<string, string> = {
          authorization: `Bearer ${token}`,
          origin: ORIGIN,
        };
        if (MUTATING.has(route.method)) headers['content-type'] = 'application/json';
        // A valid query, so that no route can answer 400 about it before the session check.
        const path = `${fill(route.path, roomId)}?q=hello`;
        const res = await request(route, { path, headers, body: '{}' });
        expect(res.webSocket, `${route.path}: ${what}`).toBeFalsy();
        await expectRefusal(res, [401], undefined, `${route.method} ${route.path} with ${what}`);
      }
    }
  });
});

// SQL (D1 / SQLite) and FTS5 query syntax, and a few things that break naive escaping.
const PAYLOADS = [
  `' OR '1'='1`,
  `'; DROP TABLE users; --`,
  `" OR 1=1 --`,
  `1 UNION SELECT password_hash FROM users --`,
  `%' --`,
  `\\'; SELECT 1; --`,
  `") OR ("a"="a`,
  `NEAR(a b)`,
  `"unterminated`,
  `a* OR b:c ^d -e`,
  `\u0000`,
  `${'x'.repeat(5000)}`,
];
const QUERY_NAMES = [
  'q',
  'before',
  'after',
  'around',
  'limit',
  'cursor',
  'prefix',
  'in',
  'from',
  'since',
  'until',
];
const BODY_NAMES = [
  'name',
  'topic',
  'username',
  'password',
  'email',
  'userId',
  'seq',
  'token',
  'origins',
  'text',
];

describe('injection', () => {
  it('no parameter, query or body field of any route reaches SQL or FTS5 as code', async () => {
    const tables = (await databaseState()) as Record<string, string>;
    const users = await env.DB.prepare('SELECT count(*) AS n FROM users').first<{ n: number }>();
    const seen: string[] = [];
    // Not sign-out: it would end the attacker's own session and every later answer would be 401.
    const swept = ROUTES.filter(
      (r) => !isSocket(r) && !r.path.startsWith('/api/_bench') && !r.path.endsWith('/logout'),
    );
    for (const route of swept) {
      for (const payload of PAYLOADS) {
        const query = new URLSearchParams(QUERY_NAMES.map((n) => [n, payload])).toString();
        const body = JSON.stringify(
          Object.fromEntries(BODY_NAMES.map((n) => [n, n === 'origins' ? [payload] : payload])),
        );
        const headers = {
          cookie: mallory.cookie,
          origin: ORIGIN,
          'content-type': 'application/json',
        };
        for (const path of [
          `${fill(route.path, payload)}?${query}`,
          `${fill(route.path, roomId)}?${query}`,
        ]) {
          const res = await request(route, { path, headers, body });
          const what = `${route.method} ${path.slice(0, 80)}`;
          expect(res.status, what).toBeLessThan(500);
          const text = await res.text();
          // A password hash or SQLite's own words in an answer would mean the payload ran.
          expect(text, what).not.toMatch(
            /scrypt\$|SQLITE_|syntax error|no such (table|column)|fts5/i,
          );
          if (res.status >= 400 && path.startsWith('/api/')) {
            expect(JSON.parse(text).error?.code, what).toBeTypeOf('string');
          }
          seen.push(what);
        }
      }
    }
    expect(seen.length).toBeGreaterThan(200);
    // Nothing dropped, no user lost (some payloads may have created rooms: that is text).
    const after = await databaseState();
    expect(Object.keys(after).sort()).toEqual(Object.keys(tables).sort());
    const usersAfter = await env.DB.prepare('SELECT count(*) AS n FROM users').first<{
      n: number;
    }>();
    expect(usersAfter!.n).toBeGreaterThanOrEqual(users!.n);
  }, 90_000); // every route × every payload: it grows with the routes, and the machine is shared
});

describe('a stranger, a DM and a private room', () => {
  it('no route reveals a private room to someone outside it, by its id in any parameter', async () => {
    expect((await api('/me', { token: mallory.token })).status).toBe(200);
    for (const route of ROUTES.filter(
      (r) => /:/.test(r.path) && !r.path.startsWith('/api/_bench'),
    )) {
      const headers: Record<string, string> = { cookie: mallory.cookie, origin: ORIGIN };
      if (MUTATING.has(route.method)) headers['content-type'] = 'application/json';
      const res = await request(route, { path: fill(route.path, privateId), headers, body: '{}' });
      const what = `${route.method} ${route.path}`;
      // The room's socket opens only to refuse: one error frame, then close (nothing of it).
      if (isSocket(route)) {
        expect(await refusedSocket(res, what)).toMatch(/^(room_not_found|forbidden)$/);
        continue;
      }
      const text = await res.text();
      expect(text, what).not.toContain(PRIVATE_SECRET);
      if (route.path !== '/embed/:room')
        expect(res.status, `${what}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    }
    const search = await api(`/search?q=treasure`, { token: mallory.token });
    expect(await search.text()).not.toContain(PRIVATE_SECRET);
    const list = await api(`/rooms?q=hidden`, { token: mallory.token });
    expect(await list.text()).not.toContain(privateId);
  });

  it('no route reveals a DM to someone outside it, by its id in any parameter', async () => {
    // Refusals below must be about the DM, not about a dead session.
    expect((await api('/me', { token: mallory.token })).status).toBe(200);
    for (const route of ROUTES.filter(
      (r) => /:/.test(r.path) && !r.path.startsWith('/api/_bench'),
    )) {
      const headers: Record<string, string> = { cookie: mallory.cookie, origin: ORIGIN };
      if (MUTATING.has(route.method)) headers['content-type'] = 'application/json';
      const res = await request(route, { path: fill(route.path, dmId), headers, body: '{}' });
      const what = `${route.method} ${route.path}`;
      // The room's socket opens only to refuse: one error frame, then close (nothing of it).
      if (isSocket(route)) {
        expect(await refusedSocket(res, what)).toMatch(/^(room_not_found|forbidden)$/);
        continue;
      }
      const text = await res.text();
      expect(text, what).not.toContain(DM_SECRET);
      expect(text, what).not.toContain(alice.id);
      if (route.path !== '/embed/:room')
        expect(res.status, `${what}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    }
    // Search and the chat list either: the words are not findable by anyone else.
    const search = await api(`/search?q=${encodeURIComponent('swordfish')}`, {
      token: mallory.token,
    });
    expect(await search.text()).not.toContain(DM_SECRET);
    const asBob = await api(`/search?q=swordfish`, { token: bob.token });
    expect(await asBob.text()).toContain('swordfish');
    const chats = await api('/chats', { token: mallory.token });
    expect(await chats.text()).not.toContain(dmId);
  });

  it('no route reveals a group DM to someone outside it, by its id in any parameter', async () => {
    expect((await api('/me', { token: mallory.token })).status).toBe(200);
    for (const route of ROUTES.filter(
      (r) => /:/.test(r.path) && !r.path.startsWith('/api/_bench'),
    )) {
      const headers: Record<string, string> = { cookie: mallory.cookie, origin: ORIGIN };
      if (MUTATING.has(route.method)) headers['content-type'] = 'application/json';
      const res = await request(route, { path: fill(route.path, groupId), headers, body: '{}' });
      const what = `${route.method} ${route.path}`;
      // The room's socket opens only to refuse: one error frame, then close (nothing of it).
      if (isSocket(route)) {
        expect(await refusedSocket(res, what)).toMatch(/^(room_not_found|forbidden)$/);
        continue;
      }
      const text = await res.text();
      expect(text, what).not.toContain(GROUP_SECRET);
      expect(text, what).not.toContain(carol.id);
      if (route.path !== '/embed/:room')
        expect(res.status, `${what}: ${text.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
    }
    const search = await api(`/search?q=albatross`, { token: mallory.token });
    expect(await search.text()).not.toContain(GROUP_SECRET);
    const inGroup = await api(`/search?q=albatross&in=${encodeURIComponent(groupId)}`, {
      token: mallory.token,
    });
    expect(inGroup.status).toBe(403);
    const asCarol = await api(`/search?q=albatross`, { token: carol.token });
    expect(await asCarol.text()).toContain('albatross');
    const chats = await api('/chats', { token: mallory.token });
    expect(await chats.text()).not.toContain(groupId);
  });
});

describe('forged fields', () => {
  it('a frame naming another author, seq or time is stored as the sender’s, now, in order', async () => {
    const s = await openRoom(roomId, bob.token);
    const clientId = crypto.randomUUID();
    s.send({
      type: 'send',
      clientId,
      text: 'who wrote this?',
      author: { id: alice.id, name: 'alice', color: '#000', guest: false },
      seq: 1,
      createdAt: 0,
      id: 'forged-id',
      roomId: dmId,
    });
    const ack = await s.q.take((f) => f.type === 'ack' && f.clientId === clientId);
    const event = await s.q.take((f) => f.type === 'message');
    const message = event.message as {
      author: { id: string };
      createdAt: number;
      id: string;
      roomId: string;
    };
    expect(message.author.id).toBe(bob.id);
    expect(message.createdAt).toBeGreaterThan(Date.now() - 60_000);
    expect(message.id).not.toBe('forged-id');
    expect(message.roomId).toBe(roomId);
    expect(ack.seq).toBe(event.seq);
    s.close();
  });

  it('a body naming another owner or user is ignored: the session decides who acts', async () => {
    const res = await api('/rooms', {
      method: 'POST',
      json: {
        name: `owned-${crypto.randomUUID().slice(0, 8)}`,
        createdBy: alice.id,
        userId: alice.id,
      },
      token: mallory.token,
    });
    expect(res.status).toBe(201);
    const { room } = (await res.json()) as { room: { id: string } };
    const row = await env.DB.prepare('SELECT created_by FROM rooms WHERE id = ?')
      .bind(room.id)
      .first<{ created_by: string }>();
    expect(row!.created_by).toBe(mallory.id);
  });
});
