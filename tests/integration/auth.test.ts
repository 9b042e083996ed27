import { env } from 'cloudflare:test';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  api,
  expectError,
  GOOD_PASSWORD,
  guest,
  register,
  testClientIp,
  uniqueName,
} from '../helpers';

const login = (username: string, password: string, ip = 'auth-test-client') =>
  api('/auth/login?token=1', {
    method: 'POST',
    json: { username, password },
    headers: { 'cf-connecting-ip': ip },
  });

describe('register, login, me, logout', () => {
  it('registers, sets a __Host- HttpOnly Secure SameSite=Lax cookie and answers /me', async () => {
    const name = uniqueName();
    const res = await api('/auth/register', {
      method: 'POST',
      json: { username: name, password: GOOD_PASSWORD },
    });
    expect(res.status).toBe(201);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^__Host-parlor_session=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Lax$/,
    );
    const body = (await res.json()) as { user: Record<string, unknown> };
    expect(body.user).toMatchObject({ name, username: name, guest: false, email: null });
    expect(body.user.token).toBeUndefined();
    expect(body.user.color).toMatch(/^#[0-9a-f]{6}$/);

    const me = await api('/me', { headers: { cookie: cookie.split(';')[0]! } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { user: { id: string } }).user.id).toBe(body.user.id);
  });

  it('stores a salted, parameterised scrypt hash, never the password', async () => {
    const user = await register();
    const row = await env.DB.prepare('SELECT password_hash FROM users WHERE id = ?')
      .bind(user.id)
      .first<{ password_hash: string }>();
    expect(row!.password_hash).toMatch(/^scrypt\$16384\$8\$5\$[\w-]{22}\$[\w-]{43}$/);
    expect(row!.password_hash).not.toContain(GOOD_PASSWORD);
  });

  it('logs in with the right password and accepts the Bearer token', async () => {
    const user = await register();
    const res = await login(user.username, GOOD_PASSWORD);
    expect(res.status).toBe(200);
    const { token } = ((await res.json()) as { user: { token: string } }).user;
    const me = await api('/me', { token });
    expect(me.status).toBe(200);
  });

  it('refuses the token after logout, although it has not expired', async () => {
    const user = await register();
    const out = await api('/auth/logout', { method: 'POST', json: {}, token: user.token });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    await expectError(await api('/me', { token: user.token }), 401, 'session_expired');
  });

  it('answers /me without a session with 401 unauthorized', async () => {
    await expectError(await api('/me'), 401, 'unauthorized');
  });

  it('refuses a duplicate username differing only in case', async () => {
    const name = uniqueName('Case');
    await register(name);
    const res = await api('/auth/register', {
      method: 'POST',
      json: { username: name.toUpperCase(), password: GOOD_PASSWORD },
    });
    const err = await expectError(res, 409, 'username_taken');
    expect(err.field).toBe('username');
  });

  it('treats NFC and NFD spellings of a name as the same user', async () => {
    const base = uniqueName('n');
    await register(`${base}\u00e9`);
    const res = await api('/auth/register', {
      method: 'POST',
      json: { username: `${base}e\u0301`, password: GOOD_PASSWORD },
    });
    await expectError(res, 409, 'username_taken');
  });
});

describe('username rules', () => {
  const cases: [string, string][] = [
    ['a', 'too short'],
    ['x'.repeat(33), 'too long'],
    ['two  spaces', 'two spaces in a row'],
    ['tab\tname', 'a tab'],
    ['semi;colon', 'punctuation'],
    ['cgj\u034Fname', 'a combining grapheme joiner (U+034F)'],
    ['vs\uFE0Fname', 'a variation selector (U+FE0F)'],
    ['vs\u{E0100}name', 'a supplementary variation selector (U+E0100)'],
    ['hangul\u115Ffiller', 'a Hangul choseong filler (U+115F)'],
    ['hangul\u3164filler', 'a Hangul filler (U+3164)'],
    ['khmer\u17B4vowel', 'a Khmer inherent vowel (U+17B4)'],
    ['mongol\u180Bfvs', 'a Mongolian variation selector (U+180B)'],
    ['tag\u{E0041}char', 'a tag character'],
    ['zero\u200Bwidth', 'zero-width'],
    ['bidi\u202Eevil', 'bidi override'],
    ['ctrl\u0007char', 'control'],
  ];
  for (const [username, why] of cases) {
    it(`refuses a username with ${why}`, async () => {
      const res = await api('/auth/register', {
        method: 'POST',
        json: { username, password: GOOD_PASSWORD },
      });
      const err = await expectError(res, 400, 'validation_failed');
      expect(err.field).toBe('username');
    });
  }

  it('names the invisible code point it refuses', async () => {
    const res = await api('/auth/register', {
      method: 'POST',
      json: { username: 'De\u034Fe', password: GOOD_PASSWORD },
    });
    const err = await expectError(res, 400, 'validation_failed');
    expect(err.message).toBe(
      'Username contains an invisible, filler or control character (U+034F)',
    );
  });

  it('accepts letters of any script, digits, "_", "-", "." and single inner spaces', async () => {
    await register(`Zoë.李_${crypto.randomUUID().slice(0, 4)}-9`);
    const spaced = await register(`  Visitor Val ${crypto.randomUUID().slice(0, 4)} `);
    expect(spaced.username).toMatch(/^Visitor Val [0-9a-f]{4}$/);
  });
});

describe('weak passwords', () => {
  const cases: [string, string, RegExp][] = [
    ['short', 'short', /at least 8/],
    ['common', 'password123', /common/],
    ['username', 'USERNAME', /username/],
    ['repeated', 'aaaaaaaaaa', /Repeated/],
    ['near-common', 'Password1!', /commonly used/],
  ];
  for (const [why, password, reason] of cases) {
    it(`refuses a ${why} password and says why`, async () => {
      const username = uniqueName('weak');
      const pw = password === 'USERNAME' ? `${username}!` : password;
      const res = await api('/auth/register', { method: 'POST', json: { username, password: pw } });
      const err = await expectError(
        res,
        400,
        why === 'short' ? 'validation_failed' : 'weak_password',
      );
      expect(err.field).toBe('password');
      expect(err.message).toMatch(reason);
    });
  }
});

describe('sign-in failures', () => {
  it('answers a wrong password and an unknown user identically', async () => {
    const user = await register();
    const wrong = await login(user.username, 'not-the-password-1');
    const unknown = await login(uniqueName('ghost'), 'not-the-password-1');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(await wrong.text()).toBe(await unknown.text());
  });

  it('slows this client down after repeated failures, up to a 15-minute cap, then lifts', async () => {
    const user = await register();
    const ip = testClientIp();
    const rowKey = `${ip}\n${user.username.toLowerCase()}`;
    for (let i = 0; i < 3; i += 1) {
      await expectError(
        await login(user.username, `wrong-password-${i}`, ip),
        401,
        'invalid_credentials',
      );
    }
    // The third failure imposed a delay on this client: even the right password waits now.
    const slowed = await login(user.username, GOOD_PASSWORD, ip);
    await expectError(slowed, 429, 'too_many_attempts');
    expect(Number(slowed.headers.get('retry-after'))).toBeGreaterThan(0);

    // Each further failure doubles the delay, capped at 15 minutes.
    await env.DB.prepare(
      'UPDATE login_attempts SET failures = 30, locked_until = 0 WHERE username_key = ?',
    )
      .bind(rowKey)
      .run();
    await expectError(
      await login(user.username, 'wrong-again-123', ip),
      401,
      'invalid_credentials',
    );
    const locked = await login(user.username, GOOD_PASSWORD, ip);
    await expectError(locked, 429, 'too_many_attempts');
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    expect(Number(locked.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);

    // When the delay is over the right password works and the counter resets.
    await env.DB.prepare('UPDATE login_attempts SET locked_until = ? WHERE username_key = ?')
      .bind(Date.now() - 1, rowKey)
      .run();
    expect((await login(user.username, GOOD_PASSWORD, ip)).status).toBe(200);
    const row = await env.DB.prepare(
      'SELECT count(*) AS n FROM login_attempts WHERE username_key = ?',
    )
      .bind(rowKey)
      .first<{ n: number }>();
    expect(row!.n).toBe(0);
  });

  it('throttles unknown usernames the same way', async () => {
    const ghost = uniqueName('ghost');
    const ip = testClientIp();
    for (let i = 0; i < 3; i += 1) await login(ghost, `wrong-password-${i}`, ip);
    await expectError(await login(ghost, 'anything-at-all', ip), 429, 'too_many_attempts');
  });
});

describe('guests', () => {
  it('gives a guest a colour and a session, and the same browser gets the same guest', async () => {
    const g = await guest();
    const device = g.cookies.find((c) => c.startsWith('__Host-parlor_device='))!.split(';')[0]!;
    expect(g.cookies.find((c) => c.startsWith('__Host-parlor_device='))).toMatch(
      /HttpOnly; Secure; SameSite=Lax/,
    );
    const again = await api('/auth/guest', {
      method: 'POST',
      json: { name: g.name },
      headers: { cookie: device },
    });
    expect(again.status).toBe(200);
    const body = (await again.json()) as { user: { id: string; guest: boolean; color: string } };
    expect(body.user).toMatchObject({ id: g.id, guest: true });
  });

  it('refuses a guest name that an account already has', async () => {
    const user = await register();
    const res = await api('/auth/guest', {
      method: 'POST',
      json: { name: user.username.toUpperCase() },
      headers: { 'cf-connecting-ip': testClientIp() },
    });
    await expectError(res, 409, 'username_taken');
  });

  it('lets a guest claim the name by setting a password, then sign in with it', async () => {
    const g = await guest();
    const res = await api('/auth/claim', {
      method: 'POST',
      json: { password: GOOD_PASSWORD },
      token: g.token,
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: { guest: boolean } }).user.guest).toBe(false);
    expect((await login(g.name, GOOD_PASSWORD)).status).toBe(200);
  });

  it('refuses a weak password when a guest claims the name', async () => {
    const g = await guest();
    const res = await api('/auth/claim', {
      method: 'POST',
      json: { password: '12345678' },
      token: g.token,
    });
    await expectError(res, 400, 'weak_password');
  });
});

describe('tokens', () => {
  const secret = new TextEncoder().encode('test-secret-that-is-long-enough-0123456789');
  const claims = async (user: { id: string; token: string }) => {
    const [, payload] = user.token.split('.');
    return JSON.parse(atob(payload!.replace(/-/g, '+').replace(/_/g, '/'))) as {
      sid: string;
      sub: string;
    };
  };

  it('refuses a tampered token', async () => {
    const user = await register();
    const [h, p, s] = user.token.split('.');
    const forged = `${h}.${p}.${s!.slice(0, -4)}AAAA`;
    await expectError(await api('/me', { token: forged }), 401, 'unauthorized');
  });

  it('refuses an expired token with session_expired', async () => {
    const user = await register();
    const { sid } = await claims(user);
    const expired = await new SignJWT({ sid })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('parlor')
      .setAudience('parlor-api')
      .setSubject(user.id)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(secret);
    await expectError(await api('/me', { token: expired }), 401, 'session_expired');
  });

  it('refuses a token signed with another algorithm or none', async () => {
    const user = await register();
    const { sid } = await claims(user);
    const hs512 = await new SignJWT({ sid })
      .setProtectedHeader({ alg: 'HS512' })
      .setIssuer('parlor')
      .setAudience('parlor-api')
      .setSubject(user.id)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(secret);
    await expectError(await api('/me', { token: hs512 }), 401, 'unauthorized');
    const enc = (o: object) =>
      btoa(JSON.stringify(o)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const none = `${enc({ alg: 'none' })}.${enc({ sid, sub: user.id, iss: 'parlor', aud: 'parlor-api', iat: 1, exp: 4e9 })}.`;
    await expectError(await api('/me', { token: none }), 401, 'unauthorized');
  });
});

describe('bad requests', () => {
  it('refuses a body that is not JSON', async () => {
    const res = await api('/auth/login', {
      method: 'POST',
      body: '{"username": oops',
      headers: { 'content-type': 'application/json' },
    });
    await expectError(res, 400, 'invalid_json');
  });

  it('refuses wrong types and names the field', async () => {
    const res = await api('/auth/register', {
      method: 'POST',
      json: { username: 42, password: GOOD_PASSWORD },
    });
    const err = await expectError(res, 400, 'validation_failed');
    expect(err.field).toBe('username');
    expect(err.message).toBe('Username must be text');
  });

  it('refuses a missing field and names it', async () => {
    const res = await api('/auth/register', { method: 'POST', json: { username: uniqueName() } });
    const err = await expectError(res, 400, 'validation_failed');
    expect(err.field).toBe('password');
    expect(err.message).toBe('password is required');
  });

  it('refuses a 1 MB body with 413, with or without Content-Length', async () => {
    const huge = JSON.stringify({ username: 'x'.repeat(1024 * 1024), password: GOOD_PASSWORD });
    const declared = await api('/auth/register', {
      method: 'POST',
      body: huge,
      headers: { 'content-type': 'application/json' },
    });
    await expectError(declared, 413, 'payload_too_large');
    const stream = new Blob([huge]).stream();
    const chunked = await api('/auth/register', {
      method: 'POST',
      body: stream,
      headers: { 'content-type': 'application/json' },
      // @ts-expect-error: needed to stream a request body
      duplex: 'half',
    });
    await expectError(chunked, 413, 'payload_too_large');
  });

  it('refuses a POST that is not application/json', async () => {
    const res = await api('/auth/login', {
      method: 'POST',
      body: 'username=a&password=b',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    await expectError(res, 415, 'unsupported_media_type');
  });

  it('refuses a POST from a foreign Origin', async () => {
    const res = await api('/auth/register', {
      method: 'POST',
      body: JSON.stringify({ username: uniqueName(), password: GOOD_PASSWORD }),
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    });
    await expectError(res, 403, 'origin_not_allowed');
  });

  it('answers an unknown API route with JSON 404, never HTML', async () => {
    const res = await api('/nope');
    await expectError(res, 404, 'not_found');
  });
});
