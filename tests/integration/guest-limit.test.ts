import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { guestCreations } from '../../src/worker/auth';
import { api, expectError, testClientIp, uniqueName } from '../helpers';

const newGuest = (ip: string) =>
  api('/auth/guest', {
    method: 'POST',
    json: { name: uniqueName('guest') },
    headers: { 'cf-connecting-ip': ip },
  });

describe('guest creation per client', () => {
  const GUEST_CREATIONS = guestCreations(env);
  it('uses the limit wrangler.toml sets: 10 at once, then 10 an hour', () => {
    expect(GUEST_CREATIONS).toEqual({ burst: 10, perSecond: 10 / 3600 });
  });

  it('allows a burst of new guests from one client, then 429 rate_limited with Retry-After', async () => {
    const ip = testClientIp();
    for (let i = 0; i < GUEST_CREATIONS.burst; i += 1)
      expect((await newGuest(ip)).status).toBe(201);
    const refused = await newGuest(ip);
    const err = await expectError(refused, 429, 'rate_limited');
    expect(err.message).toMatch(/^Too many new guests from this network; try again in \d+ s$/);
    // One more is due after 3600 / 10 = 360 s, less what refilled while the burst was made
    // (a second or two on a loaded machine).
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(340);
    expect(retryAfter).toBeLessThanOrEqual(360);
    expect((await newGuest(testClientIp())).status).toBe(201);
  });

  it('holds under a parallel burst: exactly the burst gets through', async () => {
    const ip = testClientIp();
    const answers = await Promise.all(Array.from({ length: 30 }, () => newGuest(ip)));
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBe(GUEST_CREATIONS.burst);
    expect(statuses.filter((s) => s === 429).length).toBe(30 - GUEST_CREATIONS.burst);
  });
});
