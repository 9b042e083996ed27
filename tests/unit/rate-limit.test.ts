import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../src/durable/rate-limit';

describe('RateLimiter', () => {
  it('allows a burst, then refuses with the wait until the next token', () => {
    const limiter = new RateLimiter(3, 2);
    const t = 1_000_000;
    expect([limiter.take('u', t), limiter.take('u', t), limiter.take('u', t)]).toEqual([0, 0, 0]);
    expect(limiter.take('u', t)).toBe(500);
    expect(limiter.take('u', t + 250)).toBe(250);
    expect(limiter.take('u', t + 500)).toBe(0);
  });

  it('keeps one bucket per user', () => {
    const limiter = new RateLimiter(1, 1);
    expect(limiter.take('a', 0)).toBe(0);
    expect(limiter.take('a', 0)).toBeGreaterThan(0);
    expect(limiter.take('b', 0)).toBe(0);
  });
});
