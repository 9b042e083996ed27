/**
 * The FTS5 MATCH expression for a search. User text never reaches FTS5 as syntax: each term
 * becomes its tokens, each token a double-quoted string (letters, digits and marks only, so
 * it holds no quote), and the whole is confined to the `text` column. Filters and access
 * rules are `scope` tokens (migrations/0003_search.sql), added by this module alone.
 */
import type { SearchTerm } from '../../shared/search';
import { foldWord, tokensOf } from './words';

export interface MatchScope {
  /** The searcher: may read every non-DM room and their own DMs. */
  userId: string;
  /** Whether `in:` / `from:` restrict the search (their ids are filled in by SQL). */
  inRoom: boolean;
  fromAuthor: boolean;
}

/**
 * Where the statement puts the hex of the `in:` room's and the `from:` author's ids, which
 * it resolves itself (search/query.ts). `$` is never part of a user token, so user text
 * cannot hold a placeholder.
 */
export const IN_PLACEHOLDER = '$in$';
export const FROM_PLACEHOLDER = '$from$';

/** The hex of an id's UTF-8 bytes: the form the index's `scope` tokens use (SQLite `hex()`). */
export function hexId(id: string): string {
  return Array.from(new TextEncoder().encode(id), (b) => b.toString(16).padStart(2, '0')).join('');
}

const quote = (token: string) => `"${token.replaceAll('"', '""')}"`;

/** The scope token of every message in a room that is not a DM. */
const PUBLIC = quote(`p${hexId('public')}`);

/**
 * A term as FTS5 strings, or null when it has no token (punctuation only). A quoted phrase
 * is one FTS5 phrase (its tokens adjacent, in order); a word that is several tokens ("e-mail",
 * "don't") is its tokens ANDed: a phrase of common tokens costs FTS5 a walk of their whole
 * position lists (over 100 ms at 1,000,000 messages), an AND does not.
 */
function phraseOf(term: SearchTerm): string | null {
  const tokens = tokensOf(term.text);
  if (tokens.length === 0) return null;
  return term.phrase ? quote(tokens.join(' ')) : tokens.map(quote).join(' AND ');
}

/** The words `terms` contribute, folded: what a result highlights. */
export function termTokens(terms: SearchTerm[]): Set<string> {
  return new Set(terms.flatMap((t) => tokensOf(t.text).map(foldWord)));
}

/**
 * The MATCH expression: every term in `text`, AND the searcher's access, AND each filter.
 * Null when the terms hold no word and there is no filter to list by.
 */
export function matchExpression(terms: SearchTerm[], scope: MatchScope): string | null {
  const phrases = terms.map(phraseOf).filter((p): p is string => p !== null);
  const parts: string[] = [];
  if (phrases.length) parts.push(`text : (${phrases.join(' AND ')})`);
  if (scope.inRoom) parts.push(`scope : ${quote(`r${IN_PLACEHOLDER}`)}`);
  if (scope.fromAuthor) parts.push(`scope : ${quote(`a${FROM_PLACEHOLDER}`)}`);
  if (parts.length === 0) return null;
  parts.push(`scope : (${PUBLIC} OR ${quote(`u${hexId(scope.userId)}`)})`);
  return parts.join(' AND ');
}
