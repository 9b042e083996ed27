/**
 * The filters of a search, from URL parameters and from `q` alike: checked (a bad value is a
 * 400 naming the filter), then resolved from names to ids inside the search's own round trip:
 * the same SQL expressions feed the MATCH expression and a lookup that says whether each
 * name was found.
 */
import { usernameKey } from '../../shared/api';
import { nameSkeleton } from '../../shared/names';
import {
  SEARCH_FILTERS,
  type ParsedSearchText,
  type SearchFilter,
  type SearchQuery,
} from '../../shared/search';
import { assertDmMember } from '../access';
import { ApiError } from '../errors';

export interface SearchFilters {
  /** A room id, or the name of a room, or `@name` for the DM with that person. */
  in?: string;
  /** A username, or a display name only one person has. */
  from?: string;
  /** `me`, or a username, or a display name only one person has. */
  mentions?: string;
  /** `created_at` bounds in ms: from (inclusive) and until (exclusive). */
  since: number | null;
  until: number | null;
}

const DAY_MS = 86_400_000;

function invalid(field: SearchFilter, message: string): ApiError {
  return new ApiError(400, 'validation_failed', message, field);
}

/** Midnight UTC at the start of a `YYYY-MM-DD` day that exists, or null. */
function dayStart(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = Date.UTC(y, mo - 1, d);
  const date = new Date(at);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
    ? at
    : null;
}

/**
 * Each filter once, from the parameters or from `q`; dates checked. `in:` naming someone
 * else's DM by id is refused here, before anything is looked up.
 */
export function mergeFilters(
  query: SearchQuery,
  typed: ParsedSearchText,
  userId: string,
): SearchFilters {
  if (typed.repeated) throw invalid(typed.repeated, `${typed.repeated}: is given twice`);
  const value: Partial<Record<SearchFilter, string>> = {};
  for (const name of SEARCH_FILTERS) {
    const param = query[name];
    const inQ = typed.filters[name];
    if (param !== undefined && inQ !== undefined)
      throw invalid(name, `${name} is given both as a parameter and in q`);
    const v = (param ?? inQ)?.trim();
    if (v === undefined) continue;
    if (v === '') throw invalid(name, `${name}: needs a value`);
    value[name] = v;
  }
  // Both spellings of an id, so `in:#dm:…` cannot slip past as a room name.
  if (value.in !== undefined) {
    assertDmMember(value.in, userId);
    assertDmMember(value.in.replace(/^#/, ''), userId);
  }
  const day = (name: 'before' | 'after') => {
    const v = value[name];
    if (v === undefined) return null;
    const at = dayStart(v);
    if (at === null) throw invalid(name, `${name}: must be a date as YYYY-MM-DD, e.g. 2026-12-01`);
    return at;
  };
  const before = day('before');
  const after = day('after');
  // `after:` a day means from the next day on, as `before:` a day means until it began.
  const since = after === null ? null : after + DAY_MS;
  if (before !== null && since !== null && since >= before)
    throw invalid('before', 'before: must be later than the day after after:');
  return { in: value.in, from: value.from, mentions: value.mentions, since, until: before };
}

/** `mentions:me` is the searcher, whatever anyone is called. */
export const mentionsSelf = (f: SearchFilters) => f.mentions?.toLowerCase() === 'me';

/**
 * Parameters ?2 and ?7–?13 of the statements below: the searcher, the `in:` room (id or
 * name), its name key, the `in:@person` name key, the `from:` name key, the `mentions:` name
 * key ('' when absent or `me`), then the `from:` and `mentions:` display-name look-alike
 * keys (as `display_skeleton`).
 */
export function filterParams(f: SearchFilters): SearchNames {
  const target = f.in ?? '';
  const person = target.startsWith('@') ? target.slice(1) : '';
  const room = person ? '' : target.replace(/^#/, '');
  // `in:name` that is no room may be a person: the DM with them.
  const personKey = usernameKey(person || room);
  const mentioned = mentionsSelf(f) ? '' : (f.mentions?.replace(/^@/, '') ?? '');
  return [
    room,
    usernameKey(room),
    f.in === undefined ? '' : personKey,
    usernameKey(f.from ?? ''),
    usernameKey(mentioned),
    nameSkeleton(f.from ?? ''),
    nameSkeleton(mentioned),
  ];
}
export type SearchNames = [string, string, string, string, string, string, string];

/**
 * A person by username key `key`, else by display-name look-alike key `display` when exactly
 * one person (not deleted) has it: a new display name may not look like anyone else's, but
 * rows older than that rule may share one, and then the name says nobody.
 */
const personSql = (key: string, display: string) => `coalesce(
  (SELECT id FROM users WHERE ${key} != '' AND username_key = ${key}),
  (SELECT max(id) FROM users WHERE ${display} != '' AND display_skeleton = ${display}
     AND deleted_at IS NULL HAVING count(*) = 1))`;

/**
 * The `in:` room's id: a room by id, or a room (never a DM) by name, else the searcher's DM
 * with the person of that name. Someone else's DM id was refused before (`mergeFilters`),
 * and a DM found by a person's name is always the searcher's own.
 */
export const IN_ROOM_SQL = `coalesce(
  (SELECT id FROM rooms r WHERE ?7 != '' AND (id = ?7 OR (kind != 'dm' AND name_key = ?8))
     AND (r.is_private = 0 OR EXISTS (SELECT 1 FROM memberships WHERE room_id = r.id AND user_id = ?2))
   ORDER BY id = ?7 DESC LIMIT 1),
  (SELECT CASE WHEN id < ?2 THEN 'dm:' || id || ':' || ?2 ELSE 'dm:' || ?2 || ':' || id END
   FROM users WHERE ?9 != '' AND username_key = ?9))`;

/** The `from:` person's id. */
export const FROM_SQL = personSql('?10', '?12');

/** The `mentions:` person's id (not for `me`: the searcher's id is known). */
export const MENTIONS_SQL = personSql('?11', '?13');

export interface Lookup {
  room_id: string | null;
  from_id: string | null;
  mentions_id: string | null;
}

/** Whether each name was found, in the search's batch; null when there is no name. */
export function lookupStatement(
  db: D1Database,
  f: SearchFilters,
  userId: string,
): D1PreparedStatement | null {
  if (f.in === undefined && f.from === undefined && (f.mentions === undefined || mentionsSelf(f)))
    return null;
  return db
    .prepare(
      `SELECT ${IN_ROOM_SQL} AS room_id, ${FROM_SQL} AS from_id, ${MENTIONS_SQL} AS mentions_id`,
    )
    .bind(null, userId, null, null, null, null, ...filterParams(f));
}

/** 400 naming the filter whose name matched nothing. */
export function assertFound(f: SearchFilters, row: Lookup | undefined): void {
  if (f.in !== undefined && !row?.room_id)
    throw invalid('in', `in: no room or person is called ${f.in}`);
  if (f.from !== undefined && !row?.from_id)
    throw invalid('from', `from: nobody is called ${f.from}`);
  if (f.mentions !== undefined && !mentionsSelf(f) && !row?.mentions_id)
    throw invalid('mentions', `mentions: nobody is called ${f.mentions}`);
}
