import { describe, expect, it } from 'vitest';
import { MIN_SCORE, passwordStrength } from '../../src/shared/password-strength';

describe('passwordStrength', () => {
  it.each([
    ['short1!', '', /at least 8/],
    ['password123', '', /most common/],
    ['Password1!', '', /commonly used/],
    ['alice-rocks-99', 'Alice', /username/],
    ['zzzzzzzzzz', '', /Repeated/],
    ['1234567890', '', /most common|sequence/],
    ['abcdefghij', '', /sequence/],
    ['9876543210', '', /sequence/],
  ])('refuses %s with a reason', (password, username, reason) => {
    const result = passwordStrength(password, username);
    expect(result.score).toBeLessThan(MIN_SCORE);
    expect(result.reason).toMatch(reason);
  });

  it('calls "Password1!" weak and a four-word passphrase strong', () => {
    expect(passwordStrength('Password1!')).toEqual({ score: 1, reason: expect.any(String) });
    expect(passwordStrength('maple quietly orbit lantern')).toEqual({ score: 4, reason: null });
    expect(passwordStrength('river-candle-frost-mango')).toEqual({ score: 4, reason: null });
  });

  it('scores longer and more varied passwords higher', () => {
    const weak = passwordStrength('sunshine2024').score;
    const strong = passwordStrength('Plain-Words-2026!').score;
    expect(weak).toBeLessThan(MIN_SCORE);
    expect(strong).toBe(4);
  });
});
