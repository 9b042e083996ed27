import { env } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { takeToken } from '../../src/worker/rate-buckets';

describe('D1 token buckets', () => {
  it('lets exactly the burst through when parallel takes race for one bucket', async () => {
    const key = `race:${crypto.randomUUID()}`;
    const now = 1_000_000;
    const waits = await Promise.all(
      Array.from({ length: 12 }, () => takeToken(env.DB, key, { burst: 5, perSecond: 1 }, 1, now)),
    );
    expect(waits.filter((w) => w === 0)).toHaveLength(5);
    expect(waits.filter((w) => w > 0)).toEqual(Array(7).fill(1000));
  });

  it('refills at the configured rate and never above the burst', async () => {
    const key = `refill:${crypto.randomUUID()}`;
    const bucket = { burst: 2, perSecond: 2 };
    expect(await takeToken(env.DB, key, bucket, 1, 0)).toBe(0);
    expect(await takeToken(env.DB, key, bucket, 1, 0)).toBe(0);
    expect(await takeToken(env.DB, key, bucket, 1, 0)).toBe(500);
    expect(await takeToken(env.DB, key, bucket, 1, 500)).toBe(0);
    // An hour later the bucket holds 2, not 7,200.
    expect(await takeToken(env.DB, key, bucket, 2, 3_600_000)).toBe(0);
    expect(await takeToken(env.DB, key, bucket, 1, 3_600_000)).toBe(500);
  });
});
