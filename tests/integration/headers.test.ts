/**
 * Security headers on API answers and the Origin check against configured origins
 * (issue 8, item 16). The static pages' headers are checked against wrangler dev in
 * tests/e2e/browser/headers.test.ts.
 */
import { exports } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { api, connect, expectError, guest, ORIGIN } from '../helpers';

function expectApiHeaders(res: Response) {
  expect({
    cacheControl: res.headers.get('cache-control'),
    nosniff: res.headers.get('x-content-type-options'),
    referrer: res.headers.get('referrer-policy'),
    csp: res.headers.get('content-security-policy'),
  }).toEqual({
    cacheControl: 'no-store',
    nosniff: 'nosniff',
    referrer: 'strict-origin-when-cross-origin',
    csp: "default-src 'none'; frame-ancestors 'none'",
  });
}

describe('API answers', () => {
  it('are never cached, sniffed or framed: private answers, errors and sign-in alike', async () => {
    const a = await guest();
    const answers = [
      await api('/me', { token: a.token }),
      await api('/chats', { token: a.token }),
      await api('/rooms', { token: a.token }),
      await api('/me'),
      await api('/rooms/nope', { token: a.token }),
      await api('/no-such-route'),
      await api('/auth/login', { method: 'POST', json: { username: 'x', password: 'y' } }),
    ];
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 401, 404, 404, 401]);
    for (const res of answers) expectApiHeaders(res);
  });
});

describe('the Origin check', () => {
  /** A browser on `origin` posting to a server it reached under the host `host`. */
  const postFrom = (origin: string, host: string) =>
    exports.default.fetch(`http://${host}/api/auth/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin },
      body: JSON.stringify({ name: 'Rebound' }),
    });

  it('does not trust the Host a request names: a rebinding page is refused', async () => {
    // A page on rebind.example, whose DNS now points at the server, sends its own name as
    // both Host and Origin. The old check compared Origin with the request's own URL.
    const res = await postFrom('http://rebind.example:8787', 'rebind.example:8787');
    await expectError(res, 403, 'origin_not_allowed');
    expectApiHeaders(res);
  });

  it('admits the configured app origin, whatever the Host', async () => {
    const res = await postFrom(ORIGIN, 'internal.example');
    expect(res.status).toBe(201);
  });

  it('refuses a WebSocket from an origin that is not configured, even when it matches Host', async () => {
    const a = await guest();
    const res = await exports.default.fetch('http://rebind.example/api/lobby/ws', {
      headers: {
        upgrade: 'websocket',
        authorization: `Bearer ${a.token}`,
        origin: 'http://rebind.example',
      },
    });
    await expectError(res, 403, 'origin_not_allowed');
    const { socket } = await connect('/lobby/ws', a.token);
    expect(socket).not.toBeNull();
    socket!.close();
  });
});
