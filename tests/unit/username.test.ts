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

describe('username spaces', () => {
  it('trims outer spaces and allows single spaces between words', () => {
    expect(username.parse('  Visitor Val ')).toBe('Visitor Val');
    expect(usernameKey(' Visitor Val ')).toBe('visitor val');
  });

  it('refuses two spaces in a row and every other kind of space', () => {
    expect(username.safeParse('Visitor  Val').error?.issues[0]?.message).toBe(
      'Use single spaces between the words of a name',
    );
    for (const space of ['\u00A0', '\u3000', '\u2003', '\t']) {
      expect(username.safeParse(`Visitor${space}Val`).success).toBe(false);
    }
  });
});
