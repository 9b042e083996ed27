/**
 * The search statement: FTS5 finds the matching rows newest first (by rowid, the order rows
 * reached D1), and the same statement joins each to its message, author and room. Access
 * is enforced twice: by the `scope` tokens inside the MATCH expression, and again here on
 * the room id itself (a DM's names its members), so a mistake in one cannot show anyone a
 * DM they are not in.
 */
import type { SearchHit } from '../../shared/search';
import { readableBy } from '../queries';
import type { ChatKind } from '../../shared/api';
import { CHAT_KIND_COLUMN } from '../queries';
import { shownNameSql, userMarkSql } from '../../durable/user-mark';
import { authorOf, type AuthorColumns } from '../../durable/message-rows';
import { FROM_SQL, IN_ROOM_SQL, MENTIONS_SQL, type SearchNames } from './filters';
import { FROM_PLACEHOLDER, IN_PLACEHOLDER, MENTIONS_PLACEHOLDER } from './match';
import { snippetOf } from './snippet';
import { mentionsIn, withNames } from '../../shared/mentions';

export interface SearchBounds {
  match: string;
  userId: string;
  /** Only rows older than this rowid (the cursor); null for the first page. */
  beforeDoc: number | null;
  /** `created_at` bounds, ms: from (inclusive), until (exclusive). */
  since: number | null;
  until: number | null;
  limit: number;
  /** `filterParams`: ?7–?13, the names `in:`, `from:` and `mentions:` give. */
  names: SearchNames;
  /**
   * `mentions:me`: the `@here` messages that reached the searcher count too (`here_mentions`,
   * as the chat list's `@` count). `match` is then the expression without the mention
   * (null when nothing but the mention was asked): an `@here` message must still match it.
   */
  here?: { match: string | null };
}

export interface SearchRow extends AuthorColumns {
  doc: number;
  room_id: string;
  seq: number;
  text: string;
  created_at: number;
  edited_at: number | null;
  room_kind: ChatKind;
  room_name: string | null;
}

/**
 * The MATCH argument: the expression with the `in:` room's and `from:` author's ids put in
 * as hex (SQLite `hex()` of the UTF-8 bytes, as the index's scope tokens). A name that
 * matches nothing (the lookup beside reports it) becomes `zz`, not hex, so the token is in
 * no row: an empty one would leave `a` or `r`, common words whose every row FTS5 would
 * check for the column (200 ms at 1,000,000 messages).
 */
const matchSql = (expression: string) => `replace(replace(replace(${expression},
  '${IN_PLACEHOLDER}', coalesce(nullif(hex(${IN_ROOM_SQL}), ''), 'zz')),
  '${FROM_PLACEHOLDER}', coalesce(nullif(hex(${FROM_SQL}), ''), 'zz')),
  '${MENTIONS_PLACEHOLDER}', coalesce(nullif(replace(${MENTIONS_SQL}, '-', ' '), ''), 'zz'))`;
const MATCH_SQL = matchSql('?1');

/**
 * The rows `mentions:me` finds: those the index matches (the searcher's `<@id>`), and the
 * `@here` messages that reached the searcher (`here_mentions_user`) that also match ?14, the
 * rest of the search (each checked by rowid, which FTS5 seeks to). The statement's access
 * and date checks apply to both alike.
 */
const MENTIONS_ME_ROWS = `(SELECT rowid AS doc FROM message_search
    WHERE message_search MATCH ${MATCH_SQL} AND rowid < ?3
  UNION
  SELECT hm.rowid FROM here_mentions h
    JOIN messages hm ON hm.room_id = h.room_id AND hm.seq = h.seq
    WHERE h.user_id = ?2 AND hm.rowid < ?3
      AND (?14 IS NULL OR EXISTS (SELECT 1 FROM message_search
        WHERE message_search MATCH ${matchSql('?14')} AND rowid = hm.rowid)))`;

/** One page of matches, one more than `limit` so the caller knows whether another follows. */
export function searchStatement(db: D1Database, b: SearchBounds): D1PreparedStatement {
  const [rows, doc, matched] = b.here
    ? [`${MENTIONS_ME_ROWS} f`, 'f.doc', '']
    : ['message_search f', 'f.rowid', `message_search MATCH ${MATCH_SQL} AND f.rowid < ?3 AND`];
  return db
    .prepare(
      `SELECT ${doc} AS doc, m.room_id, m.seq, m.text, m.created_at, m.edited_at,
         u.id AS author_id, u.username AS author_name, u.color AS author_color,
         u.is_guest AS author_guest, u.profile AS author_profile,
         ${userMarkSql('u')} AS author_mark,
         ${CHAT_KIND_COLUMN} AS room_kind,
         CASE WHEN r.kind = 'dm' THEN
           (SELECT group_concat(shown, ', ') FROM
             (SELECT ${shownNameSql('pu')} AS shown FROM memberships pm
              JOIN users pu ON pu.id = pm.user_id
              WHERE pm.room_id = r.id AND pm.user_id != ?2 ORDER BY pu.username_key))
         ELSE r.name END AS room_name
       FROM ${rows}
       JOIN messages m ON m.rowid = ${doc}
       JOIN users u ON u.id = m.author_id
       JOIN rooms r ON r.id = m.room_id
       WHERE ${matched} m.deleted_at IS NULL
         AND (substr(m.room_id, 1, 3) != 'dm:'
              OR instr(substr(m.room_id, 3) || ':', ':' || ?2 || ':') > 0)
         AND m.created_at >= ?4 AND m.created_at < ?5
         AND ${readableBy('?2')}
       ORDER BY ${doc} DESC LIMIT ?6`,
    )
    .bind(
      b.match,
      b.userId,
      b.beforeDoc ?? Number.MAX_SAFE_INTEGER,
      b.since ?? 0,
      b.until ?? Number.MAX_SAFE_INTEGER,
      b.limit + 1,
      ...b.names,
      ...(b.here ? [b.here.match] : []),
    );
}

/**
 * The usernames of the people the page's messages mention, by id: a snippet shows `@name`
 * where the message has `<@id>`, as the conversation does. No query when nobody is mentioned.
 */
export async function mentionedNames(
  db: D1Database,
  rows: readonly SearchRow[],
): Promise<Map<string, string>> {
  const ids = new Set(rows.flatMap((row) => mentionsIn(row.text)).filter((id) => id !== 'here'));
  if (ids.size === 0) return new Map();
  const { results } = await db
    .prepare(`SELECT id, username FROM users WHERE id IN (SELECT value FROM json_each(?1))`)
    .bind(JSON.stringify([...ids]))
    .all<{ id: string; username: string }>();
  return new Map(results.map((u) => [u.id, u.username]));
}

/** `names`: usernames by id for the mentions in `row` (`mentionedNames`); others read 'someone'. */
export function toSearchHit(
  row: SearchRow,
  matches: (key: string) => boolean,
  names: ReadonlyMap<string, string>,
): SearchHit {
  return {
    roomId: row.room_id,
    roomName: row.room_name ?? 'Direct message',
    roomKind: row.room_kind,
    seq: row.seq,
    author: authorOf(row),
    createdAt: row.created_at,
    editedAt: row.edited_at,
    // Offsets are into the text as shown, with names in place of the tokens.
    snippet: snippetOf(
      withNames(row.text, (id) => names.get(id) ?? 'someone'),
      matches,
    ),
  };
}
