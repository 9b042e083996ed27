import { describe, expect, it, vi } from 'vitest';
import { HashGate } from '../../src/worker/auth/hash-gate';
import { env } from 'cloudflare:test';
import { usernameKey } from '../../src/shared/api';
import { ipv6Block } from '../../src/worker/rate-buckets';
import { attemptKey, FREE_FAILURES } from '../../src/worker/throttle';
import { api, expectError, GOOD_PASSWORD, register, testClientIp, uniqueName } from '../helpers';

const login = (username: string, password: string, ip: string) =>
  api('/auth/login', {
    method: 'POST',
    json: { username, password },
    headers: { 'cf-connecting-ip': ip },
  });

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

// Each sign-in hashes a password (scrypt, ~175 ms alone, seconds on a loaded 2-core machine)
// and these tests make 20–40 of them: the default 30 s is too short for that, not for a bug.
describe('login throttling under parallel guesses', { timeout: 120_000 }, () => {
  it('checks only the first few of 40 parallel guesses at one name', async () => {
    const user = await register();
    const ip = testClientIp();
    const guesses = Array.from({ length: 40 }, (_, i) =>
      i === 39 ? GOOD_PASSWORD : `wrong-password-${i}`,
    );
    const answers = await Promise.all(guesses.map((g) => login(user.username, g, ip)));
    const statuses = answers.map((r) => r.status);
    // Exactly FREE_FAILURES attempts were reserved and checked; every other one was refused
    // before any hash. The right password is accepted only if it was one of those.
    expect(count(statuses, 429)).toBe(40 - FREE_FAILURES);
    expect(count(statuses, 401) + count(statuses, 200)).toBe(FREE_FAILURES);
    expect(statuses[39] === 200 || statuses[39] === 429).toBe(true);
    for (const res of answers.filter((r) => r.status === 429)) {
      await expectError(res, 429, 'too_many_attempts');
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });

  it('does not let a stranger’s parallel failures stop the owner on another client', async () => {
    const user = await register();
    const stranger = testClientIp();
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => login(user.username, `wrong-${i}-guess`, stranger)),
    );
    const statuses = answers.map((r) => r.status);
    expect([count(statuses, 401), count(statuses, 429)]).toEqual([
      FREE_FAILURES,
      10 - FREE_FAILURES,
    ]);
    // The stranger is slowed down (read from the row, not by retrying: on a loaded machine
    // the first lock, 1 s, can pass before a retry arrives); the owner, elsewhere, is not.
    const row = await env.DB.prepare(
      'SELECT failures, locked_until FROM login_attempts WHERE username_key = ?',
    )
      .bind(attemptKey(usernameKey(user.username), stranger))
      .first<{ failures: number; locked_until: number }>();
    expect(row?.failures).toBe(FREE_FAILURES);
    expect(row!.locked_until).toBeGreaterThan(0);
    expect((await login(user.username, GOOD_PASSWORD, testClientIp())).status).toBe(200);
  });

  it('limits one client’s failed sign-ins across names with 429 rate_limited', async () => {
    const ip = testClientIp();
    // 20 failures at 20 different names: each name is within its own free attempts.
    for (let i = 0; i < 20; i += 1) {
      await expectError(
        await login(uniqueName('ghost'), 'wrong-password-1', ip),
        401,
        'invalid_credentials',
      );
    }
    const res = await login(uniqueName('ghost'), 'wrong-password-1', ip);
    await expectError(res, 429, 'rate_limited');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another client is unaffected.
    await expectError(
      await login(uniqueName('ghost'), 'wrong-password-1', testClientIp()),
      401,
      'invalid_credentials',
    );
  });

  it('counts an IPv6 /64 as one client, and IPv4-mapped addresses as their IPv4 one', async () => {
    const hex = () => Math.floor(Math.random() * 0xffff).toString(16);
    const block = `2001:db8:${hex()}:${hex()}`;
    // 20 failures from 20 addresses of one /64, at 20 names: the /64's budget is spent.
    for (let i = 1; i <= 20; i += 1) {
      await expectError(
        await login(uniqueName('ghost'), 'wrong-password-1', `${block}::${i.toString(16)}`),
        401,
        'invalid_credentials',
      );
    }
    const written = `${block.toUpperCase()}:0:0:ffff:9`; // the same /64, written otherwise
    await expectError(
      await login(uniqueName('ghost'), 'wrong-password-1', written),
      429,
      'rate_limited',
    );
    // The next /64 is another client.
    const next = `2001:db8:${hex()}:${hex()}::1`;
    await expectError(
      await login(uniqueName('ghost'), 'wrong-password-1', next),
      401,
      'invalid_credentials',
    );
    expect(ipv6Block('2001:DB8::1')).toBe('2001:db8:0:0::/64');
    expect(ipv6Block('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(ipv6Block('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(ipv6Block('::1')).toBe('0:0:0:0::/64');
  });

  it('bounds failed sign-ins at one name across every client, and a success gives its token back', async () => {
    const user = await register();
    const key = `login-name:${usernameKey(user.username)}`;
    const setTokens = (tokens: number) =>
      env.DB.prepare(
        `INSERT INTO rate_buckets (key, tokens, updated_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (key) DO UPDATE SET tokens = ?2, updated_at = ?3`,
      )
        .bind(key, tokens, Date.now())
        .run();
    // As after 100 failed guesses from many addresses: a new client is refused too.
    await setTokens(0);
    const refused = await login(user.username, 'wrong-password-1', testClientIp());
    await expectError(refused, 429, 'too_many_attempts');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectError(
      await login(user.username, GOOD_PASSWORD, testClientIp()),
      429,
      'too_many_attempts',
    );
    // With one left, the owner signs in and the token comes back.
    await setTokens(1);
    expect((await login(user.username, GOOD_PASSWORD, testClientIp())).status).toBe(200);
    const row = await env.DB.prepare('SELECT tokens FROM rate_buckets WHERE key = ?1')
      .bind(key)
      .first<{ tokens: number }>();
    expect(row!.tokens).toBeGreaterThanOrEqual(1);
  });

  it('gives a successful sign-in its budget token back', async () => {
    const user = await register();
    const ip = testClientIp();
    for (let i = 0; i < 25; i += 1) {
      expect((await login(user.username, GOOD_PASSWORD, ip)).status).toBe(200);
    }
  });

  it('answers 503 server_busy with Retry-After when the hash queue is full', async () => {
    // Parallel sign-ins at distinct names from distinct clients: no throttle applies, only
    // the isolate's hash gate (2 running, 4 waiting).
    const answers = await Promise.all(
      Array.from({ length: 30 }, () =>
        login(uniqueName('ghost'), 'wrong-password-1', testClientIp()),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(count(statuses, 401) + count(statuses, 503)).toBe(30);
    expect(count(statuses, 401)).toBeGreaterThanOrEqual(6);
    expect(count(statuses, 503)).toBeGreaterThan(0);
    for (const res of answers.filter((r) => r.status === 503)) {
      await expectError(res, 503, 'server_busy');
      expect(res.headers.get('retry-after')).toBe('1');
    }
  });
});

describe('HashGate', () => {
  it('runs two at once, queues four, refuses the seventh, and runs every admitted one', async () => {
    const gate = new HashGate(2, 4);
    const releases: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const runs = Array.from({ length: 6 }, () =>
      gate.run(async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      }),
    );
    await Promise.resolve();
    expect(gate.busy).toEqual({ active: 2, queued: 4 });
    await expect(gate.run(async () => 'late')).rejects.toMatchObject({
      status: 503,
      code: 'server_busy',
    });
    let done = 0;
    while (done < 6) {
      await vi.waitFor(() => expect(releases.length).toBeGreaterThan(0));
      releases.shift()!();
      done += 1;
    }
    await Promise.all(runs);
    expect(most).toBe(2);
    expect(gate.busy).toEqual({ active: 0, queued: 0 });
  });
});

describe('an empty sign-in', () => {
  it('is refused as empty, naming the field, and spends no attempt', async () => {
    const user = await register();
    const ip = testClientIp();
    for (let i = 0; i < FREE_FAILURES + 2; i += 1) {
      const empty = await expectError(await login(user.username, '', ip), 400, 'validation_failed');
      expect(empty.field).toBe('password');
    }
    expect((await expectError(await login('', 'x', ip), 400, 'validation_failed')).field).toBe(
      'username',
    );
    // None of them counted: the right password still gets in at once.
    expect((await login(user.username, GOOD_PASSWORD, ip)).status).toBe(200);
  });
});
