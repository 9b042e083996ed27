import { describe, expect, it } from 'vitest';
import { username, usernameKey } from '../../src/shared/api';

describe('username', () => {
  it('normalises to NFC and folds case for the uniqueness key', () => {
    expect(username.parse('Ame\u0301lie')).toBe('Am\u00e9lie');
    expect(usernameKey('AM\u00c9LIE')).toBe(usernameKey('ame\u0301lie'));
  });

  it('counts characters, not UTF-16 units, against the 32 limit', () => {
    expect(username.safeParse('😀'.repeat(2)).success).toBe(false); // symbols are not letters
    expect(username.safeParse('語'.repeat(32)).success).toBe(true);
    expect(username.safeParse('語'.repeat(33)).success).toBe(false);
  });
});
