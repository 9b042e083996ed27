/** Which messages show large: only emoji, at most JUMBO_MAX of them. */
import { describe, expect, it } from 'vitest';
import { isJumbo, JUMBO_MAX } from '../../src/web/conversation/jumbo';

const known = (name: string) => name === 'rocket';

describe('a message of only emoji', () => {
  it('is large with one to eight emoji, sequences and flags counting once, spaces between', () => {
    for (const text of ['👍', '🎉 🎉', '👨‍👩‍👧 🇫🇷 👍🏽', '❤️', ':rocket:', `${'😀'.repeat(JUMBO_MAX)}`])
      expect(isJumbo(text, known), text).toBe(true);
  });

  it('is not with text, too many emoji, an unknown shortcode or nothing at all', () => {
    for (const text of ['ok 👍', '😀'.repeat(JUMBO_MAX + 1), ':not_a_code:', '', '  ', '1', '#'])
      expect(isJumbo(text, known), text).toBe(false);
  });
});
