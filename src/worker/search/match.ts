/**
 * The FTS5 MATCH expression for a search. User text never reaches FTS5 as syntax: each term
 * becomes its tokens, each token a double-quoted string (letters, digits and marks only, so
 * it holds no quote), and the whole is confined to the `text` column. The one operator a
 * typed word may get is the prefix `*`, which this module adds after the closing quote (a
 * `*` the user typed is punctuation, never part of a token). Filters and access rules are
 * `scope` tokens (migrations/0005_search.sql), added by this module alone.
 */
import type { SearchTerm } from '../../shared/search';
import { foldWord, tokensOf } from './words';

export interface MatchScope {
  /** The searcher: may read every non-DM room and their own DMs. */
  userId: string;
  /** Whether `in:` / `from:` restrict the search (their ids are filled in by SQL). */
  inRoom: boolean;
  fromAuthor: boolean;
  /**
   * `mentions:`: the id when it is known (`me`), true when SQL fills it in (a name), else
   * absent. A mention is `<@id>` in the text, which the index holds as the id's tokens.
   */
  mentions?: string | true;
  /** `before:`/`after:` as `created_at` bounds (ms, from inclusive, until exclusive). */
  since?: number | null;
  until?: number | null;
}

// Nothing is older: the months before it need no token (the server stamps every message).
const FIRST_YEAR = 2000;
const monthOf = (ms: number) => {
  const d = new Date(ms);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
};

/**
 * The index's `y<year>` and `m<yyyymm>` tokens that cover the months a date range touches:
 * whole years as one token, at most about 50 in all. They let FTS5 skip the months outside
 * the range; the statement still checks `created_at` to the millisecond. Null when there is
 * no range; `[]` when the range holds no month at all.
 */
export function periodTokens(
  since: number | null,
  until: number | null,
  now: number,
): string[] | null {
  if (since === null && until === null) return null;
  const first = FIRST_YEAR * 12;
  const last = (new Date(now).getUTCFullYear() + 1) * 12 + 11;
  const from = Math.max(first, since === null ? first : monthOf(since));
  const to = Math.min(last, until === null ? last : monthOf(until - 1));
  const tokens: string[] = [];
  for (let m = from; m <= to;) {
    const year = Math.floor(m / 12);
    if (m % 12 === 0 && m + 11 <= to) {
      tokens.push(`y${year}`);
      m += 12;
    } else {
      tokens.push(`m${year}${String((m % 12) + 1).padStart(2, '0')}`);
      m += 1;
    }
  }
  return tokens;
}

/**
 * Where the statement puts the hex of the `in:` room's and the `from:` author's ids, which
 * it resolves itself (search/query.ts). `$` is never part of a user token, so user text
 * cannot hold a placeholder.
 */
export const IN_PLACEHOLDER = '$in$';
export const FROM_PLACEHOLDER = '$from$';
/** Where the statement puts the `mentions:` person's id, its `-` as spaces (a phrase). */
export const MENTIONS_PLACEHOLDER = '$mentions$';

/** The hex of an id's UTF-8 bytes: the form the index's `scope` tokens use (SQLite `hex()`). */
export function hexId(id: string): string {
  return Array.from(new TextEncoder().encode(id), (b) => b.toString(16).padStart(2, '0')).join('');
}

const quote = (token: string) => `"${token.replaceAll('"', '""')}"`;

/** The scope token of every message in a room that is not a DM. */
const PUBLIC = quote(`p${hexId('public')}`);

// A prefix this short would merge the doclists of most of the index's words (FTS5 reads every
// word that starts with it before giving the first row): a word of one or two letters is
// matched whole.
const PREFIX_MIN = 3;
// The index's scope tokens are one of these letters and then a digit: the hex of an ASCII id
// (`a`, `r`, `u`, `p`), a year or a month (`y2026`, `m202612`). A prefix of that form would
// pull in a scope token's doclist, which holds every row; such a word is matched whole.
const SCOPE_LIKE = /^[apmruy]\d/;

/**
 * Whether a typed word also finds the words that start with it (`mock` finds "mocks"): its
 * last token does, when it is at least three letters and not shaped like a scope token.
 */
function isPrefix(token: string): boolean {
  const key = foldWord(token);
  return [...key].length >= PREFIX_MIN && !SCOPE_LIKE.test(key);
}

/**
 * A term as FTS5 strings, or null when it has no token (punctuation only). A quoted phrase
 * is one FTS5 phrase (its tokens adjacent, in order, each whole: quotes ask for the exact
 * words); a word that is several tokens ("e-mail", "don't") is its tokens ANDed, the last
 * one a prefix (`isPrefix`): a phrase of common tokens costs FTS5 a walk of their whole
 * position lists (over 100 ms at 1,000,000 messages), an AND does not.
 */
function phraseOf(term: SearchTerm): string | null {
  const tokens = tokensOf(term.text);
  if (tokens.length === 0) return null;
  if (term.phrase) return quote(tokens.join(' '));
  const last = tokens.length - 1;
  return tokens
    .map((t, i) => (i === last && isPrefix(t) ? `${quote(t)}*` : quote(t)))
    .join(' AND ');
}

/** The words a result highlights, folded: each word equal to one of `whole`, or starting with one of `prefixes`. */
export interface WordMatch {
  whole: Set<string>;
  prefixes: string[];
}

/** What `terms` ask for, as `phraseOf` does: what a result highlights. */
export function termWords(terms: SearchTerm[]): WordMatch {
  const match: WordMatch = { whole: new Set(), prefixes: [] };
  for (const term of terms) {
    const tokens = tokensOf(term.text);
    tokens.forEach((t, i) => {
      if (!term.phrase && i === tokens.length - 1 && isPrefix(t)) match.prefixes.push(foldWord(t));
      else match.whole.add(foldWord(t));
    });
  }
  return match;
}

/** Whether the folded word `key` is one `match` highlights. */
export const matchesWord = (match: WordMatch, key: string): boolean =>
  match.whole.has(key) || match.prefixes.some((p) => key.startsWith(p));

/**
 * The MATCH expression: every term in `text`, AND each filter, AND the searcher's access.
 * Null when the terms hold no word and there is no `in:`/`from:`/`mentions:` to list by.
 */
export function matchExpression(terms: SearchTerm[], scope: MatchScope): string | null {
  const phrases = terms.map(phraseOf).filter((p): p is string => p !== null);
  const parts: string[] = [];
  if (phrases.length) parts.push(`text : (${phrases.join(' AND ')})`);
  if (scope.inRoom) parts.push(`scope : ${quote(`r${IN_PLACEHOLDER}`)}`);
  if (scope.fromAuthor) parts.push(`scope : ${quote(`a${FROM_PLACEHOLDER}`)}`);
  if (scope.mentions === true) parts.push(`text : ${quote(MENTIONS_PLACEHOLDER)}`);
  else if (scope.mentions) parts.push(`text : ${quote(tokensOf(scope.mentions).join(' '))}`);
  // Dates narrow a search; alone they would list every message of a period.
  if (parts.length === 0) return null;
  const period = periodTokens(scope.since ?? null, scope.until ?? null, Date.now());
  // An empty range asks for a token no row has (`zz` is not a month).
  if (period) parts.push(`scope : (${(period.length ? period : ['mzz']).map(quote).join(' OR ')})`);
  parts.push(`scope : (${PUBLIC} OR ${quote(`u${hexId(scope.userId)}`)})`);
  return parts.join(' AND ');
}
