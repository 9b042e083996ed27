/** What a search query becomes (filters, words, FTS5 strings) and how a snippet is cut. */
import { describe, expect, it } from 'vitest';
import { parseSearchText } from '../../src/shared/search';
import { hexId, matchExpression, termTokens } from '../../src/worker/search/match';
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

  it('quotes every token and confines words to the text column', () => {
    const { terms } = parseSearchText('NEAR(x "a OR b" e-mail * -');
    const pub = `p${hexId('public')}`;
    expect(matchExpression(terms, scope)).toBe(
      `text : ("NEAR" AND "x" AND "a OR b" AND "e" AND "mail") AND scope : ("${pub}" OR "u${hexId('u1')}")`,
    );
    expect(matchExpression(parseSearchText('" * ( )').terms, scope)).toBeNull();
    expect([...termTokens(parseSearchText('Crème BRÛLÉE').terms)]).toEqual(['creme', 'brulee']);
  });

  it('hex-encodes ids as SQLite hex() does, byte for byte', () => {
    expect(hexId('dm:é')).toBe('646d3ac3a9');
  });

  it('cuts a long text around the first match without splitting a surrogate pair', () => {
    const text = `${'😀'.repeat(60)} needle ${'x '.repeat(200)}`;
    const s = snippetOf(text, new Set(['needle']));
    expect(s.cutStart && s.cutEnd).toBe(true);
    expect(s.text.isWellFormed()).toBe(true);
    expect(s.highlights.map((h) => s.text.slice(h.start, h.end))).toEqual(['needle']);
    const short = snippetOf('a Needle, and needles', new Set(['needle']));
    expect(short).toEqual({
      text: 'a Needle, and needles',
      highlights: [{ start: 2, end: 8 }],
      cutStart: false,
      cutEnd: false,
    });
  });
});
