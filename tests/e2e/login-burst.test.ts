/**
 * A parallel burst of sign-ins against a real `wrangler dev`: every guess is answered with a
 * documented refusal, only a bounded few are ever checked, and a signed-in user's
 * `GET /api/me` still answers in the middle of it.
 */
import { describe, expect, it } from 'vitest';
import { serverSuite } from './client';

const suite = serverSuite();

const PASSWORD = 'maple quietly orbit lantern';
const FREE_FAILURES = 3; // src/worker/throttle.ts
const CLIENT_BUDGET = 20; // src/worker/throttle.ts CLIENT_FAILURES.burst

async function register(username: string) {
  const { status, body } = await suite.api.call('/auth/register?token=1', {
    json: { username, password: PASSWORD },
  });
  expect(status).toBe(201);
  return body.user as { id: string; token: string };
}

const tally = (answers: { status: number }[]) =>
  answers.reduce<Record<number, number>>(
    (t, a) => ({ ...t, [a.status]: (t[a.status] ?? 0) + 1 }),
    {},
  );

describe('a parallel sign-in burst against wrangler dev', () => {
  it('refuses the burst with documented answers while /api/me keeps answering', async () => {
    const suffix = crypto.randomUUID().slice(0, 6);
    const reader = await register(`reader_${suffix}`);
    const target = `target_${suffix}`;
    await register(target);

    const started = Date.now();
    const login = (username: string, password: string) =>
      suite.api.call('/auth/login', { json: { username, password } });
    const atTarget = Array.from({ length: 40 }, (_, i) => login(target, `wrong-guess-${i}`));
    const atStrangers = Array.from({ length: 40 }, (_, i) =>
      login(`nobody_${suffix}_${i}`, 'wrong-guess'),
    );
    const meDuring = suite.api.call('/me', { token: reader.token });

    const [target40, strangers40, me] = await Promise.all([
      Promise.all(atTarget),
      Promise.all(atStrangers),
      meDuring,
    ]);
    const elapsedSeconds = (Date.now() - started) / 1000;
    expect(me.status).toBe(200);
    expect((me.body.user as { id: string }).id).toBe(reader.id);

    const all = [...target40, ...strangers40];
    const counts = tally(all);
    // Only refusals, each with its documented code.
    expect(Object.keys(counts).every((s) => ['401', '429', '503'].includes(s))).toBe(true);
    for (const a of all) {
      const code = (a.body.error as { code: string }).code;
      expect(code).toEqual(
        a.status === 401
          ? 'invalid_credentials'
          : a.status === 503
            ? 'server_busy'
            : a.status === 429
              ? expect.stringMatching(/^(too_many_attempts|rate_limited)$/)
              : 'unexpected',
      );
    }
    // At most the free attempts were checked against the target's name, plus one per penalty
    // that ran out while the burst lasted (1 s, then 2 s, 4 s…: a slow machine can stretch the
    // burst past the first), and at most the client's budget of failures in all.
    const penaltiesServed = Math.floor(Math.log2(elapsedSeconds + 1));
    expect(tally(target40)[401] ?? 0).toBeLessThanOrEqual(FREE_FAILURES + penaltiesServed);
    expect(counts[401] ?? 0).toBeLessThanOrEqual(CLIENT_BUDGET);
    expect(counts[401] ?? 0).toBeGreaterThan(0);

    // Afterwards the API still answers the signed-in user.
    const after = await suite.api.call('/me', { token: reader.token });
    expect(after.status).toBe(200);
  });
});
