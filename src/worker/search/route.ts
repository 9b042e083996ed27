/**
 * `GET /api/search`: full-text search over the messages the searcher may read (every room
 * but other people's DMs), newest first, paged by an opaque cursor. One D1 round trip when
 * the search names no room or person (the session check and the search share a batch),
 * two when it does (names are resolved first, with the session check).
 */
import { Hono } from 'hono';
import { parseSearchText, searchQuery, type SearchPage } from '../../shared/search';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { parseInput, readWithSession, requireClaims } from '../middleware';
import { lookupStatement, mergeFilters, resolveFilters } from './filters';
import { matchExpression, termTokens } from './match';
import { searchStatement, toSearchHit, type SearchRow } from './query';
import { assertDmMember } from '../access';

const CURSOR = /^d[0-9a-z]{1,11}$/;

function decodeCursor(cursor: string | undefined): number | null {
  if (!cursor) return null;
  const doc = CURSOR.test(cursor) ? parseInt(cursor.slice(1), 36) : NaN;
  if (!Number.isSafeInteger(doc) || doc <= 0)
    throw new ApiError(400, 'invalid_cursor', 'This cursor is not one search gave out', 'cursor');
  return doc;
}

export const search = new Hono<AppEnv>().get('/', requireClaims, async (c) => {
  const query = parseInput(searchQuery, c.req.query());
  const typed = parseSearchText(query.q);
  const filters = mergeFilters(query, typed);
  const beforeDoc = decodeCursor(query.cursor);
  const userId = c.var.claims.userId;
  if (filters.in !== undefined) assertDmMember(filters.in, userId);

  const lookup = lookupStatement(c.env.DB, filters);
  const ids = lookup
    ? resolveFilters(filters, (await readWithSession<never>(c, lookup))[0], userId)
    : {};
  const match = matchExpression(typed.terms, { userId, ...ids });
  if (match === null)
    throw new ApiError(400, 'validation_failed', 'Type a word to search for', 'q');

  const statement = searchStatement(c.env.DB, {
    match,
    userId,
    beforeDoc,
    since: filters.since,
    until: filters.until,
    limit: query.limit,
  });
  const rows = lookup
    ? (await statement.all<SearchRow>()).results
    : await readWithSession<SearchRow>(c, statement);
  const keys = termTokens(typed.terms);
  const page = rows.slice(0, query.limit);
  const body: SearchPage = {
    results: page.map((row) => toSearchHit(row, keys)),
    nextCursor: rows.length > query.limit ? `d${page.at(-1)!.doc.toString(36)}` : null,
  };
  return c.json(body, 200);
});
