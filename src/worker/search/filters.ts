/**
 * The filters of a search, from URL parameters and from `q` alike: checked (a bad value is a
 * 400 naming the filter), then resolved from names to ids in one statement.
 */
import { usernameKey } from '../../shared/api';
import {
  SEARCH_FILTERS,
  type ParsedSearchText,
  type SearchFilter,
  type SearchQuery,
} from '../../shared/search';
import { dmRoomId } from '../../durable/room-info';
import { assertDmMember } from '../access';
import { ApiError } from '../errors';

export interface SearchFilters {
  /** A room id, or the name of a room, or `@name` for the DM with that person. */
  in?: string;
  from?: string;
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

/** Each filter once, from the parameters or from `q`; dates checked. */
export function mergeFilters(query: SearchQuery, typed: ParsedSearchText): SearchFilters {
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
  return { in: value.in, from: value.from, since, until: before };
}

interface Lookup {
  room_id: string | null;
  person_id: string | null;
  from_id: string | null;
}

/** The one statement resolving `in:` and `from:` names, or null when there is none. */
export function lookupStatement(db: D1Database, f: SearchFilters): D1PreparedStatement | null {
  if (f.in === undefined && f.from === undefined) return null;
  const target = f.in ?? '';
  const room = target.replace(/^#/, '');
  const person = target.replace(/^@/, '');
  return db
    .prepare(
      `SELECT
         (SELECT id FROM rooms WHERE ?1 != '' AND (id = ?1 OR (kind != 'dm' AND name_key = ?2))
          ORDER BY id = ?1 DESC LIMIT 1) AS room_id,
         (SELECT id FROM users WHERE ?3 != '' AND username_key = ?3) AS person_id,
         (SELECT id FROM users WHERE ?4 != '' AND username_key = ?4) AS from_id`,
    )
    .bind(
      target.startsWith('@') ? '' : room,
      usernameKey(room),
      usernameKey(person),
      usernameKey(f.from ?? ''),
    );
}

/**
 * The ids the filters name. `in:` is a room (by id or name), else the DM with the person of
 * that name; someone else's DM is refused with 403 whichever way it is named.
 */
export function resolveFilters(
  f: SearchFilters,
  row: Lookup | undefined,
  userId: string,
): { roomId?: string; authorId?: string } {
  const out: { roomId?: string; authorId?: string } = {};
  if (f.in !== undefined) {
    assertDmMember(f.in, userId);
    const roomId = row?.room_id ?? (row?.person_id ? dmRoomId(userId, row.person_id) : undefined);
    if (!roomId) throw invalid('in', `in: no room or person is called ${f.in}`);
    assertDmMember(roomId, userId);
    out.roomId = roomId;
  }
  if (f.from !== undefined) {
    if (!row?.from_id) throw invalid('from', `from: nobody is called ${f.from}`);
    out.authorId = row.from_id;
  }
  return out;
}
