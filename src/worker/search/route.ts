/**
 * `GET /api/search`: full-text search over the messages the searcher may read (every room
 * but other people's DMs), newest first, paged by an opaque cursor. One D1 round trip: the
 * session check, the lookup of any `in:`/`from:` names and the search share a batch; a page
 * whose messages mention people takes a second, for their names.
 */
import { Hono } from 'hono';
import { parseSearchText, searchQuery, type SearchPage } from '../../shared/search';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { backfillDisplaySkeletons } from '../profiles/display-names';
import { parseInput, readAllWithSession, requireClaims } from '../middleware';
import { spendOrThrow, type Bucket } from '../rate-buckets';
import {
  assertFound,
  filterParams,
  lookupStatement,
  mentionsSelf,
  mergeFilters,
  type Lookup,
} from './filters';
import { matchesWord, matchExpression, termWords } from './match';
import { wordsOf } from './words';
import { mentionedNames, searchStatement, toSearchHit, type SearchRow } from './query';

const CURSOR = /^d[0-9a-z]{1,11}$/;

function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const doc = CURSOR.test(cursor) ? parseInt(cursor.slice(1), 36) : NaN;
  if (!Number.isSafeInteger(doc) || doc <= 0)
    throw new ApiError(400, 'invalid_cursor', 'This cursor is not one search gave out', 'cursor');
  return doc;
}

/**
 * Searches per person: 60 at once, then one a second. Typing searches as one goes (after a
 * pause), and a prefix of common words reads much of the index: a loop of them must not
 * keep D1 busy for everyone.
 */
export const SEARCHES: Bucket = { burst: 60, perSecond: 1 };

export const search = new Hono<AppEnv>().get('/', requireClaims, async (c) => {
  const query = parseInput(searchQuery, c.req.query());
  const userId = c.var.claims.userId;
  await spendOrThrow(c.env.DB, `search:${userId}`, SEARCHES, 'Too many searches');
  const typed = parseSearchText(query.q);
  const filters = mergeFilters(query, typed, userId);
  const beforeDoc = decodeCursor(query.cursor);
  // `from:` and `mentions:` may name someone by display name: the keys must all be there.
  if (filters.from !== undefined || filters.mentions !== undefined)
    await backfillDisplaySkeletons(c.var.db);
  const scope = {
    userId,
    inRoom: filters.in !== undefined,
    fromAuthor: filters.from !== undefined,
    since: filters.since,
    until: filters.until,
  };
  const mentions = mentionsSelf(filters) ? userId : filters.mentions !== undefined || undefined;
  const match = matchExpression(typed.terms, { ...scope, mentions });
  if (match === null)
    throw new ApiError(400, 'validation_failed', 'Type a word to search for', 'q');

  const searching = searchStatement(c.env.DB, {
    match,
    userId,
    beforeDoc,
    since: filters.since,
    until: filters.until,
    limit: query.limit,
    names: filterParams(filters),
    // `mentions:me` is also an `@here` that reached the searcher.
    ...(mentionsSelf(filters) && { here: { match: matchExpression(typed.terms, scope) } }),
  });
  const lookup = lookupStatement(c.env.DB, filters, userId);
  const reads = await readAllWithSession(c, lookup ? [lookup, searching] : [searching]);
  const found = lookup ? (reads[0]![0] as Lookup | undefined) : undefined;
  if (lookup) assertFound(filters, found);
  const rows = reads.at(-1) as SearchRow[];

  const page = rows.slice(0, query.limit);
  const names = await mentionedNames(c.env.DB, page);
  // What a result highlights: the words asked for, and the `mentions:` person's name.
  const words = termWords(typed.terms);
  const mentioned = names.get(mentionsSelf(filters) ? userId : (found?.mentions_id ?? ''));
  for (const word of wordsOf(mentioned ?? '')) words.whole.add(word.key);
  const matches = (key: string) => matchesWord(words, key);
  const body: SearchPage = {
    results: page.map((row) => toSearchHit(row, matches, names)),
    nextCursor: rows.length > query.limit ? `d${page.at(-1)!.doc.toString(36)}` : null,
  };
  return c.json(body, 200);
});
