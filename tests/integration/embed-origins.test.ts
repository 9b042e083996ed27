/**
 * Issue 10, who may embed a room: the owner's list of embedding origins (validation, owner
 * only), the framed page `/embed/<room>` (frame-ancestors from the list, a refusal for other
 * sites), the global room from configuration, and CORS on the loader's routes for listed
 * origins only.
 */
import { env, exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { embeddableRoom } from '../../src/worker/embed/origins';
import { frameAncestors } from '../../src/worker/embed/page';
import { api, createRoom, expectError, guest, ORIGIN, register } from '../helpers';

const SITE = 'https://shop.example';
const DEV_SITE = 'http://localhost:8788';
const STRANGER = 'https://stranger.example';

async function putOrigins(roomId: string, token: string, origins: unknown) {
  return api(`/rooms/${roomId}/embed-origins`, { method: 'PUT', json: { origins }, token });
}

/** A room whose owner allowed `origins`. */
async function embeddedRoom(origins: string[] = [SITE, DEV_SITE]) {
  const owner = await register();
  const room = await createRoom(owner.token);
  const res = await putOrigins(room.id, owner.token, origins);
  expect(res.status).toBe(200);
  return { owner, room };
}

/** The widget's page as a browser frames it from `host` (Referer: the host page). */
function framed(roomId: string, host?: string) {
  return exports.default.fetch(`${ORIGIN}/embed/${encodeURIComponent(roomId)}`, {
    headers: { 'sec-fetch-dest': 'iframe', ...(host && { referer: `${host}/some/page?q=1` }) },
  });
}

const corsHeaders = (res: Response) =>
  [...res.headers.keys()].filter((k) => k.startsWith('access-control-'));

describe("a room's embedding origins", () => {
  it('are set by the owner, normalised, de-duplicated and read back sorted', async () => {
    const owner = await register();
    const room = await createRoom(owner.token);
    const empty = await api(`/rooms/${room.id}/embed-origins`, { token: owner.token });
    expect(await empty.json()).toEqual({ origins: [], private: false });
    const res = await putOrigins(room.id, owner.token, [
      'https://Shop.Example/',
      DEV_SITE,
      'http://127.0.0.1:9000',
      SITE,
    ]);
    expect(res.status).toBe(200);
    const expected = { origins: ['http://127.0.0.1:9000', DEV_SITE, SITE], private: false };
    expect(await res.json()).toEqual(expected);
    const read = await api(`/rooms/${room.id}/embed-origins`, { token: owner.token });
    expect(await read.json()).toEqual(expected);
    // Replacing, not adding.
    await putOrigins(room.id, owner.token, [SITE]);
    const replaced = await api(`/rooms/${room.id}/embed-origins`, { token: owner.token });
    expect(await replaced.json()).toEqual({ origins: [SITE], private: false });
  });

  it.each([
    ['http://shop.example', 'https://'],
    ['http://localhost', 'port'],
    ['http://127.0.0.1', 'port'],
    ['https://*.shop.example', 'wildcard'],
    ['https://*', 'wildcard'],
    ['https://shop.example:*', 'wildcard'],
    ['http://localhost:0', 'port from 1 to 65535'],
    ['https://shop.example:65536', 'port from 1 to 65535'],
    ['https://shop.example:', 'port from 1 to 65535'],
    ['https://shop.example/widget', 'no path, query or fragment'],
    ['https://shop.example?x=1', 'no path, query or fragment'],
    ['https://shop.example#top', 'no path, query or fragment'],
    ['https://shop.example\\evil', 'no path, query or fragment'],
    ['https://user:pw@shop.example', 'user name or password'],
    ['https://user@shop.example', 'user name or password'],
    ['javascript:alert(1)', 'must start with https://'],
    ['ftp://shop.example', 'not ftp://'],
    ['https://', 'no host'],
    ['https://:8443', 'no host'],
    ['https:shop.example', 'https://host'],
    ['', 'is empty'],
    [' https://shop.example', 'spaces'],
    ['https://shop .example', 'spaces'],
    ["https://x.example 'unsafe-inline'", 'spaces'],
    ['https://a.example;script-src', 'letters, digits, hyphens and dots'],
    ["https://x.example'unsafe-inline'", 'letters, digits, hyphens and dots'],
    ['https://shop_1.example', 'letters, digits, hyphens and dots'],
    ['https://bücher.example', 'punycode'],
    ['https://shop..example', 'empty part'],
    ['https://shop.example.', 'empty part'],
    ['https://-shop.example', 'inner hyphens'],
    ['https://127.1', 'IPv4'],
    ['https://1.2.3.256', 'IPv4'],
    ['https://[::1', 'IPv6'],
    ['https://[not-ip]', 'IPv6'],
    ['*', 'must start with https://'],
    ['shop.example', 'must start with https://'],
    ['localhost:8788', 'must start with https://'],
  ])('refuses %j with a message naming the rule', async (origin, words) => {
    const owner = await register();
    const room = await createRoom(owner.token);
    const res = await putOrigins(room.id, owner.token, [SITE, origin]);
    const error = await expectError(res, 400, 'validation_failed');
    expect(error.field).toBe('origins.1');
    expect(error.message).toContain(words);
    // The message names the value (the Embed dialog shows it as it is).
    if (origin) expect(error.message.startsWith(origin)).toBe(true);
    // Nothing was saved.
    const read = await api(`/rooms/${room.id}/embed-origins`, { token: owner.token });
    expect(await read.json()).toEqual({ origins: [], private: false });
  });

  it('are normalised as browsers send them: lower case, no default port, no trailing slash', async () => {
    const owner = await register();
    const room = await createRoom(owner.token);
    const res = await putOrigins(room.id, owner.token, [
      'HTTPS://SHOP.EXAMPLE:443/',
      'https://Shop.Example',
      'http://LOCALHOST:8788',
      'https://shop.example:8443',
      'https://xn--bcher-kva.example',
      'https://203.0.113.7',
      'https://[0:0::1]:8443',
      'http://127.0.0.1:65535',
    ]);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      origins: [
        'http://127.0.0.1:65535',
        DEV_SITE,
        'https://203.0.113.7',
        'https://[::1]:8443',
        SITE,
        'https://shop.example:8443',
        'https://xn--bcher-kva.example',
      ],
      private: false,
    });
  });

  it('refuses more than 20 origins and a body without a list', async () => {
    const owner = await register();
    const room = await createRoom(owner.token);
    const many = Array.from({ length: 21 }, (_, i) => `https://site${i}.example`);
    await expectError(await putOrigins(room.id, owner.token, many), 400, 'validation_failed');
    const noList = await api(`/rooms/${room.id}/embed-origins`, {
      method: 'PUT',
      json: {},
      token: owner.token,
    });
    expect((await expectError(noList, 400, 'validation_failed')).field).toBe('origins');
  });

  it('are read and changed by the owner only', async () => {
    const { owner, room } = await embeddedRoom();
    const member = await guest();
    await expectError(
      await api(`/rooms/${room.id}/embed-origins`, { token: member.token }),
      403,
      'forbidden',
    );
    await expectError(await putOrigins(room.id, member.token, [STRANGER]), 403, 'forbidden');
    await expectError(await api(`/rooms/${room.id}/embed-origins`), 401, 'unauthorized');
    await expectError(
      await api('/rooms/no-such-room/embed-origins', { token: owner.token }),
      404,
      'room_not_found',
    );
    // The owner's list is unchanged by the refused attempt.
    const read = await api(`/rooms/${room.id}/embed-origins`, { token: owner.token });
    expect(await read.json()).toEqual({ origins: [DEV_SITE, SITE], private: false });
  });

  it('cannot be set for the global room, whose list is configuration', async () => {
    const owner = await register();
    await expectError(await putOrigins('global', owner.token, [STRANGER]), 403, 'forbidden');
  });

  it('cannot be changed from a page on another site (CSRF)', async () => {
    const { owner, room } = await embeddedRoom();
    const res = await exports.default.fetch(`${ORIGIN}/api/rooms/${room.id}/embed-origins`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        origin: SITE,
        authorization: `Bearer ${owner.token}`,
      },
      body: JSON.stringify({ origins: [STRANGER] }),
    });
    await expectError(res, 403, 'origin_not_allowed');
  });
});

describe('the framed page /embed/<room>', () => {
  it('serves the chat to a listed site, with frame-ancestors from the list and no X-Frame-Options', async () => {
    const { room } = await embeddedRoom();
    for (const host of [SITE, DEV_SITE, undefined]) {
      const res = await framed(room.id, host);
      const html = await res.text();
      expect({ host, status: res.status, refused: html.includes('embed-refused') }).toEqual({
        host,
        status: 200,
        refused: false,
      });
      expect(html).toContain('id="app"');
      const csp = res.headers.get('content-security-policy')!;
      expect(csp.split('; ').filter((d) => d.startsWith('frame-ancestors'))).toEqual([
        `frame-ancestors ${DEV_SITE} ${SITE}`,
      ]);
      expect(csp).toContain("script-src 'self'");
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });

  it('refuses an unlisted site, a room with an empty list, a DM and a missing room, without the chat', async () => {
    const { room } = await embeddedRoom();
    const owner = await register();
    const unlisted = await createRoom(owner.token);
    const [a, b] = await Promise.all([guest(), guest()]);
    const dm = await api('/dms', { method: 'POST', json: { userId: b.id }, token: a.token });
    const dmId = ((await dm.json()) as { chat: { id: string } }).chat.id;
    const cases = [
      { roomId: room.id, host: STRANGER, status: 403, reason: 'origin_not_allowed' },
      { roomId: unlisted.id, host: SITE, status: 403, reason: 'origin_not_allowed' },
      { roomId: unlisted.id, host: undefined, status: 403, reason: 'origin_not_allowed' },
      { roomId: dmId, host: SITE, status: 403, reason: 'origin_not_allowed' },
      { roomId: 'no-such-room', host: SITE, status: 404, reason: 'room_not_found' },
    ];
    for (const { roomId, host, status, reason } of cases) {
      const res = await framed(roomId, host);
      const html = await res.text();
      expect({ roomId, status: res.status, reason: /data-reason="(\w+)"/.exec(html)?.[1] }).toEqual(
        { roomId, status, reason },
      );
      expect(html).not.toContain('id="app"');
      expect(html).not.toContain('<script');
      // Static text only, so it may be shown in any frame; it names no allowed site.
      expect(res.headers.get('content-security-policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors *",
      );
      expect(html).not.toContain(SITE);
    }
  });

  it('refuses a site as soon as the owner takes it off the list', async () => {
    const { owner, room } = await embeddedRoom();
    expect((await framed(room.id, SITE)).status).toBe(200);
    await putOrigins(room.id, owner.token, [DEV_SITE]);
    expect((await framed(room.id, SITE)).status).toBe(403);
    const res = await framed(room.id, DEV_SITE);
    expect(res.headers.get('content-security-policy')).toContain(`frame-ancestors ${DEV_SITE}`);
  });

  it('never puts a stored row that is not an exact origin in frame-ancestors, CORS or a visitor', async () => {
    // Rows saved before the rule was strict: a wildcard, a CSP injection, a bare star.
    const { owner, room } = await embeddedRoom([SITE]);
    const bad = [
      'https://*.shop.example',
      'https://a.example;script-src',
      '*',
      'http://localhost:0',
    ];
    await env.DB.batch(
      bad.map((origin) =>
        env.DB.prepare(
          'INSERT INTO embed_origins (room_id, origin, created_at) VALUES (?1, ?2, ?3)',
        ).bind(room.id, origin, Date.now()),
      ),
    );
    for (const host of [SITE, undefined]) {
      const csp = (await framed(room.id, host)).headers.get('content-security-policy')!;
      expect(csp.split('; ').filter((d) => d.startsWith('frame-ancestors'))).toEqual([
        `frame-ancestors ${SITE}`,
      ]);
      expect(csp).not.toContain('*');
    }
    expect((await framed(room.id, 'https://evil.shop.example')).status).toBe(403);
    // The owner sees only what decides anything; the next save drops the rest.
    const read = await api(`/rooms/${room.id}/embed-origins`, { token: owner.token });
    expect(await read.json()).toEqual({ origins: [SITE], private: false });
    // Nothing can claim the wildcard as its site.
    const cors = await exports.default.fetch(`${ORIGIN}/api/embed/${room.id}`, {
      headers: { origin: 'https://*.shop.example' },
    });
    await expectError(cors, 403, 'origin_not_allowed');
    const visitor = await api('/visitors', {
      method: 'POST',
      json: { room: room.id, origin: 'https://*.shop.example', name: 'Star' },
    });
    expect((await expectError(visitor, 400, 'validation_failed')).field).toBe('origin');
  });

  it('serves a room whose only rows are not exact origins as unembeddable', async () => {
    const owner = await register();
    const room = await createRoom(owner.token);
    await env.DB.prepare(
      'INSERT INTO embed_origins (room_id, origin, created_at) VALUES (?1, ?2, ?3)',
    )
      .bind(room.id, 'https://*', Date.now())
      .run();
    const res = await framed(room.id, undefined);
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('data-reason="origin_not_allowed"');
  });

  it('writes only exact origins into frame-ancestors, whatever list it is given', () => {
    expect(frameAncestors([DEV_SITE, 'https://*.shop.example', SITE, "'unsafe-inline'"])).toBe(
      `frame-ancestors ${DEV_SITE} ${SITE}`,
    );
    expect(frameAncestors(['https://*', 'https://Shop.Example'])).toBe("frame-ancestors 'none'");
  });

  it('frames the global room only on the origins the configuration names', async () => {
    const allowed = await framed('global', 'https://global-host.test');
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-security-policy')).toContain(
      'frame-ancestors https://global-host.test',
    );
    expect((await framed('global', SITE)).status).toBe(403);
    // An owner's rows never widen it: the global room has no owner.
    const unconfigured = await embeddableRoom({ ...env, GLOBAL_EMBED_ORIGINS: '' }, 'global');
    expect(unconfigured?.origins).toEqual([]);
    // The configuration is held to the same rule: a bad entry is left out, a good one normalised.
    const configured = await embeddableRoom(
      {
        ...env,
        GLOBAL_EMBED_ORIGINS:
          'https://*.global-host.test, https://Global-Host.test:443/ ,https://x.test/path,*, http://localhost:0',
      },
      'global',
    );
    expect(configured?.origins).toEqual(['https://global-host.test']);
  });
});

describe("CORS on the loader's routes", () => {
  const fromSite = (path: string, origin: string | undefined, init: RequestInit = {}) =>
    exports.default.fetch(`${ORIGIN}/api/embed${path}`, {
      ...init,
      headers: { ...(origin && { origin }), ...(init.headers as Record<string, string>) },
    });

  it('answers a listed origin, preflight included', async () => {
    const { room } = await embeddedRoom();
    const res = await fromSite(`/${room.id}`, SITE);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ room: { id: room.id, name: room.name } });
    expect(res.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(res.headers.get('vary')).toContain('origin');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    const preflight = await fromSite(`/${room.id}/visitor`, DEV_SITE, {
      method: 'OPTIONS',
      headers: {
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect({
      origin: preflight.headers.get('access-control-allow-origin'),
      methods: preflight.headers.get('access-control-allow-methods'),
      headers: preflight.headers.get('access-control-allow-headers'),
    }).toEqual({ origin: DEV_SITE, methods: 'GET, POST', headers: 'authorization, content-type' });
  });

  it('gives any other origin, and a room that cannot be embedded, no CORS headers at all', async () => {
    const { room } = await embeddedRoom();
    const owner = await register();
    const unlisted = await createRoom(owner.token);
    const refused = [
      [await fromSite(`/${room.id}`, STRANGER), 403, 'origin_not_allowed'],
      [await fromSite(`/${room.id}`, undefined), 403, 'origin_not_allowed'],
      [await fromSite(`/${room.id}`, 'null'), 403, 'origin_not_allowed'],
      [await fromSite(`/${unlisted.id}`, SITE), 403, 'origin_not_allowed'],
      [await fromSite('/global', SITE), 403, 'origin_not_allowed'],
      [await fromSite('/no-such-room', SITE), 404, 'room_not_found'],
      [await fromSite(`/${room.id}`, STRANGER, { method: 'OPTIONS' }), 403, 'origin_not_allowed'],
    ] as const;
    for (const [res, status, code] of refused) {
      expect(corsHeaders(res)).toEqual([]);
      await expectError(res, status, code);
    }
  });

  it('are the only API routes that answer CORS, even to a listed origin', async () => {
    await embeddedRoom();
    const user = await guest();
    const res = await exports.default.fetch(`${ORIGIN}/api/me`, {
      headers: { origin: SITE, authorization: `Bearer ${user.token}` },
    });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual([]);
  });
});
