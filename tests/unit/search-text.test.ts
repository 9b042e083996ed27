/** What a search query becomes (filters, words, FTS5 strings) and how a snippet is cut. */
import { describe, expect, it } from 'vitest';
import { parseSearchText } from '../../src/shared/search';
import {
  hexId,
  matchesWord,
  matchExpression,
  periodTokens,
  termWords,
} from '../../src/worker/search/match';
import { snippetOf } from '../../src/worker/search/snippet';

const scope = { userId: 'u1', inRoom: false, fromAuthor: false };

describe('search text', () => {
  it('splits words, quoted phrases and the four filters; other name: is a word', () => {
    expect(
      parseSearchText('deploy in:"book club" from:Ada "red fox" text:x after:2026-01-02'),
    ).toEqual({
      terms: [
        { text: 'deploy', phrase: false },
        { text: 'red fox', phrase: true },
        { text: 'text:x', phrase: false },
      ],
      filters: { in: 'book club', from: 'Ada', after: '2026-01-02' },
      repeated: null,
    });
    expect(parseSearchText('in:a IN:b').repeated).toBe('in');
  });

  it('quotes every token, makes a typed word a prefix, and confines words to the text column', () => {
    const { terms } = parseSearchText('NEAR(x "a OR b" e-mail * - mock* "mock"* a3b m2026 Ünï');
    const pub = `p${hexId('public')}`;
    expect(matchExpression(terms, scope)).toBe(
      `text : ("NEAR" AND "x" AND "a OR b" AND "e" AND "mail"* AND "mock"* AND "mock" AND "a3b" AND "m2026" AND "Ünï"*) AND scope : ("${pub}" OR "u${hexId('u1')}")`,
    );
    expect(matchExpression(parseSearchText('" * ( )').terms, scope)).toBeNull();
    const words = termWords(parseSearchText('Crème BRÛLÉE "Tart" ab').terms);
    expect(words).toEqual({ whole: new Set(['tart', 'ab']), prefixes: ['creme', 'brulee'] });
    expect(
      ['cremes', 'crem', 'tart', 'tarts', 'ab', 'abc'].filter((k) => matchesWord(words, k)),
    ).toEqual(['cremes', 'tart', 'ab']);
  });

  it('covers a date range with whole years and the months at its ends', () => {
    const now = Date.UTC(2026, 11, 6);
    const day = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d);
    expect(periodTokens(null, null, now)).toBeNull();
    expect(periodTokens(day(2026, 11, 2), day(2026, 12, 1), now)).toEqual(['m202611']);
    expect(periodTokens(day(2024, 11, 30), day(2026, 2, 1), now)).toEqual([
      'm202411',
      'm202412',
      'y2025',
      'm202601',
    ]);
    // Unbounded below: from 2000 on, so at most about 50 tokens.
    const before = periodTokens(null, day(2026, 3, 1), now)!;
    expect(before.slice(0, 2)).toEqual(['y2000', 'y2001']);
    expect(before.slice(-3)).toEqual(['y2025', 'm202601', 'm202602']);
    expect(periodTokens(day(2026, 12, 1), null, now)).toEqual(['m202612', 'y2027']);
    expect(periodTokens(null, day(1999, 1, 1), now)).toEqual([]);
  });

  it('hex-encodes ids as SQLite hex() does, byte for byte', () => {
    expect(hexId('dm:é')).toBe('646d3ac3a9');
  });

  it('cuts a long text around the first match without splitting a surrogate pair', () => {
    const text = `${'😀'.repeat(60)} needle ${'x '.repeat(200)}`;
    const s = snippetOf(text, (key) => key === 'needle');
    expect(s.cutStart && s.cutEnd).toBe(true);
    expect(s.text.isWellFormed()).toBe(true);
    expect(s.highlights.map((h) => s.text.slice(h.start, h.end))).toEqual(['needle']);
    const short = snippetOf('a Needle, and needles', (key) => key === 'needle');
    expect(short).toEqual({
      text: 'a Needle, and needles',
      highlights: [{ start: 2, end: 8 }],
      cutStart: false,
      cutEnd: false,
    });
  });
});
