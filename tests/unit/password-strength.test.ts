import { describe, expect, it } from 'vitest';
import { passwordStrength } from '../../src/shared/password-strength';

describe('passwordStrength', () => {
  it.each([
    ['short1!', '', /at least 8/],
    ['password123', '', /common/],
    ['alice-rocks-99', 'Alice', /username/],
    ['zzzzzzzzzz', '', /repeated/],
    ['1234567890', '', /common|sequence/],
    ['abcdefghij', '', /sequence/],
    ['9876543210', '', /sequence/],
  ])('refuses %s with a reason', (password, username, reason) => {
    const result = passwordStrength(password, username);
    expect(result.score).toBe(0);
    expect(result.reason).toMatch(reason);
  });

  it('scores longer and more varied passwords higher', () => {
    const weak = passwordStrength('plainwords').score;
    const strong = passwordStrength('Plain-Words-2026!').score;
    expect(weak).toBeGreaterThan(0);
    expect(strong).toBe(4);
    expect(strong).toBeGreaterThan(weak);
  });
});
