/**
 * The read queries behind history, the chat list and the room browser: raw SQL where a
 * CTE or correlated subquery keeps each of them to one indexed statement.
 */
import { defaultNotifyLevel, type NotifyLevel } from '../shared/attention';
import type { ChatKind, ChatListItem, HistoryPage, RoomSummary } from '../shared/api';
import { groupMembers, groupName } from './group-members';
import { profileRefFields, shownName } from '../shared/profile';
import type { Message, UserRef } from '../shared/protocol';
import {
  FILES_COLUMN,
  MESSAGE_COLUMNS,
  REACTIONS_COLUMN,
  PINNED_COLUMN,
  toMessage,
  type MessageRow,
} from '../durable/message-rows';
import { shownNameSql } from '../durable/user-mark';

/**
 * A history page as the statements that read it for one D1 batch take it (its messages,
 * `historyStatement`; the notices between them, room-notices.ts): the newest `limit`
 * messages of `roomId` before `before` (the newest of all without it), as `viewer` may read.
 */
export type PageBefore = [
  db: D1Database,
  roomId: string,
  before: number | undefined,
  limit: number,
  viewer: string,
];

/**
 * One page of history, newest last, in one statement; the room's `last_seq` is read in the
 * same snapshot. No rows means the room does not exist.
 */
export function historyStatement(
  ...[db, roomId, before, limit, viewer]: PageBefore
): D1PreparedStatement {
  return db
    .prepare(
      `WITH page AS (
         SELECT ${MESSAGE_COLUMNS}, ${REACTIONS_COLUMN}, ${FILES_COLUMN}, ${PINNED_COLUMN} FROM messages m JOIN users u ON u.id = m.author_id
         WHERE m.room_id = ?1 AND m.seq < ?2 ORDER BY m.seq DESC LIMIT ?3
       )
       SELECT r.last_seq AS room_seq, page.* FROM rooms r LEFT JOIN page ON 1
       WHERE r.id = ?1 AND ${readableBy('?4')} ORDER BY page.seq DESC`,
    )
    .bind(roomId, before ?? Number.MAX_SAFE_INTEGER, limit + 1, viewer);
}

/**
 * The page around `around` (up to half the limit at or before it, the rest after it), or with
 * `around` null the page after `after`: one statement like `historyStatement`.
 */
export function historyAroundStatement(
  db: D1Database,
  roomId: string,
  query: { around: number; after?: undefined } | { after: number; around?: undefined },
  limit: number,
  viewer: string,
): D1PreparedStatement {
  const older = query.around === undefined ? 0 : Math.ceil(limit / 2);
  const from = query.around ?? query.after! + 1;
  return db
    .prepare(
      `WITH older AS (
         SELECT ${MESSAGE_COLUMNS}, ${REACTIONS_COLUMN}, ${FILES_COLUMN}, ${PINNED_COLUMN} FROM messages m JOIN users u ON u.id = m.author_id
         WHERE m.room_id = ?1 AND m.seq < ?2 ORDER BY m.seq DESC LIMIT ?3
       ), newer AS (
         SELECT ${MESSAGE_COLUMNS}, ${REACTIONS_COLUMN}, ${FILES_COLUMN}, ${PINNED_COLUMN} FROM messages m JOIN users u ON u.id = m.author_id
         WHERE m.room_id = ?1 AND m.seq >= ?2 ORDER BY m.seq ASC LIMIT ?4
       ), page AS (SELECT * FROM older UNION ALL SELECT * FROM newer)
       SELECT r.last_seq AS room_seq, page.* FROM rooms r LEFT JOIN page ON 1
       WHERE r.id = ?1 AND ${readableBy('?5')} ORDER BY page.seq DESC`,
    )
    .bind(roomId, from, older, limit - older + 1, viewer);
}

export type HistoryRow = MessageRow & { room_seq: number };

/** Room `r`'s kind as clients are told it (`chatKind` in SQL): a private room is `private`. */
export const CHAT_KIND_COLUMN = `CASE WHEN r.kind = 'public' AND r.is_private = 1 THEN 'private' ELSE r.kind END`;

/**
 * Whether the user bound at `param` may read room `r` (issue 12): a private room only by its
 * members, no room by someone banned from it. A room that fails reads as not found.
 */
export function readableBy(param: string): string {
  return `(r.is_private = 0 OR EXISTS (SELECT 1 FROM memberships WHERE room_id = r.id AND user_id = ${param}))
    AND NOT EXISTS (SELECT 1 FROM room_bans WHERE room_id = r.id AND user_id = ${param})`;
}

/**
 * The page from `historyStatement`'s rows, or null if the room does not exist. With `from`
 * (the first seq an `around`/`after` page may hold at its newer end), the statement asked for
 * one newer row more than fits: if it came, `nextAfter` says where newer pages start.
 */
export function toHistoryPage(
  results: HistoryRow[],
  limit: number,
  viewer: string,
  around?: { from: number; older: number },
): HistoryPage | null {
  const first = results[0];
  if (!first) return null;
  let messages = results
    .filter((r) => r.seq !== null)
    .map((row) => toMessage(row, viewer))
    .reverse();
  if (!around) {
    // The statement asked for one row more than the page: if it came, older pages exist.
    // (Seq 1 need not be a message now that notices take seqs too.)
    const more = messages.length > limit;
    if (more) messages = messages.slice(1);
    return {
      messages,
      nextBefore: more ? messages[0]!.seq : null,
      roomSeq: first.room_seq,
    };
  }
  const olderCount = messages.filter((m) => m.seq < around.from).length;
  const more = messages.length - olderCount > limit - around.older;
  if (more) messages = messages.slice(0, -1);
  const oldest = messages[0];
  return {
    messages,
    // Older pages exist if the older half came full (or, for `after`, from the page's start).
    nextBefore:
      oldest && oldest.seq > 1 && (around.older === 0 || olderCount === around.older)
        ? oldest.seq
        : null,
    nextAfter: more ? (messages.at(-1)?.seq ?? null) : null,
    roomSeq: first.room_seq,
  };
}

interface ChatRow {
  id: string;
  kind: ChatKind;
  name: string;
  topic: string | null;
  description: string | null;
  last_seq: number;
  last_activity_at: number;
  read_seq: number;
  hidden_seq: number | null;
  unread: number;
  mentions: number;
  notify: NotifyLevel | null;
  peer_id: string | null;
  peer_name: string | null;
  peer_color: string | null;
  peer_guest: number | null;
  peer_profile: string | null;
}

// Unread counts stop at this many; the client shows "99+".
const UNREAD_CAP = 100;

/** The user's chats, newest activity first, with unread counts and the last message. */
export async function chatList(
  db: D1Database,
  userId: string,
  roomId?: string,
): Promise<ChatListItem[]> {
  const { results } = await db
    .prepare(
      `SELECT r.id, ${CHAT_KIND_COLUMN} AS kind, r.name, r.topic, r.description, r.last_seq, r.last_activity_at,
         mb.read_seq, mb.hidden_seq,
         min(${UNREAD_CAP}, (SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.room_id = r.id
            AND m.seq > mb.read_seq AND m.author_id != ?1 AND m.deleted_at IS NULL LIMIT ${UNREAD_CAP}))
         -- Being added to a room is news too: its notice counts until the room is read.
         + mb.added_unseen) AS unread,
         (SELECT count(*) FROM (SELECT 1 FROM messages m WHERE m.room_id = r.id AND m.seq > mb.read_seq
            AND m.author_id != ?1 AND m.deleted_at IS NULL
            AND NOT EXISTS (SELECT 1 FROM blocks bl WHERE bl.user_id = ?1 AND bl.blocked_id = m.author_id)
            AND (instr(m.text, '<@' || ?1 || '>') > 0 OR (instr(m.text, '<@here>') > 0
              AND EXISTS (SELECT 1 FROM here_mentions h
                WHERE h.room_id = m.room_id AND h.seq = m.seq AND h.user_id = ?1)))
            LIMIT ${UNREAD_CAP})) AS mentions,
         nl.level AS notify,
         p.id AS peer_id, p.username AS peer_name, p.color AS peer_color, p.is_guest AS peer_guest,
         p.profile AS peer_profile
       FROM memberships mb
       JOIN rooms r ON r.id = mb.room_id
       LEFT JOIN memberships om ON r.kind = 'dm' AND om.room_id = r.id AND om.user_id != ?1
         AND r.id NOT LIKE 'dm:%:%:%'
       LEFT JOIN users p ON p.id = om.user_id
       LEFT JOIN notify_levels nl ON nl.user_id = ?1 AND nl.room_id = r.id
       WHERE mb.user_id = ?1 AND (?2 IS NULL OR r.id = ?2)
         AND (r.kind != 'dm' OR r.last_seq > 0 OR r.created_by = ?1 OR ?2 IS NOT NULL)
       ORDER BY r.last_activity_at DESC, r.id`,
    )
    .bind(userId, roomId ?? null)
    .all<ChatRow>();
  const ids = results.map((r) => r.id);
  const [lastMessages, groups] = await Promise.all([
    latestMessages(db, ids),
    groupMembers(db, ids, userId),
  ]);
  return results.map((r) => {
    const peer: UserRef | null = r.peer_id
      ? {
          id: r.peer_id,
          name: r.peer_name!,
          color: r.peer_color!,
          guest: r.peer_guest === 1,
          ...profileRefFields(r.peer_profile),
        }
      : null;
    return chatItem(r, peer, groups.get(r.id), lastMessages.get(r.id) ?? null);
  });
}

/** One row of the list; a DM is named after its people as messages name them. */
function chatItem(
  r: ChatRow,
  peer: UserRef | null,
  members: UserRef[] | undefined,
  last: Message | null,
): ChatListItem {
  return {
    id: r.id,
    kind: r.kind,
    name:
      r.kind !== 'dm'
        ? r.name
        : members
          ? groupName(members)
          : peer
            ? shownName(peer)
            : 'Direct message',
    topic: r.topic,
    ...(r.description && { description: r.description }),
    peer,
    ...(members && { members }),
    lastSeq: r.last_seq,
    readSeq: r.read_seq,
    // Closed and nothing newer since: out of the list (a later message brings it back).
    ...(r.hidden_seq !== null && r.last_seq <= r.hidden_seq && { closedAt: r.hidden_seq }),
    unread: r.unread,
    mentions: r.mentions,
    notify: r.notify ?? defaultNotifyLevel(r.kind),
    lastActivityAt: r.last_activity_at,
    last,
  };
}

/** The newest message of each room, in one statement. */
async function latestMessages(db: D1Database, roomIds: string[]): Promise<Map<string, Message>> {
  if (roomIds.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM json_each(?1) AS j
       JOIN messages m ON m.room_id = j.value
         AND m.seq = (SELECT max(seq) FROM messages WHERE room_id = j.value)
       JOIN users u ON u.id = m.author_id`,
    )
    .bind(JSON.stringify(roomIds))
    .all<MessageRow>();
  return new Map(results.map((r) => [r.room_id, toMessage(r)]));
}

interface RoomRow {
  id: string;
  kind: ChatKind;
  name: string;
  name_key: string | null;
  topic: string | null;
  description: string | null;
  last_activity_at: number;
  online_count: number;
  member_count: number;
  member: number;
  archived_at: number | null;
}

/** A room's columns for a summary; `?1` is the user asking, for `member`. */
function roomColumns(name = 'r.name'): string {
  return `r.id, ${CHAT_KIND_COLUMN} AS kind, ${name} AS name, r.name_key, r.topic,
    r.description, r.last_activity_at, r.online_count, r.archived_at,
    (SELECT count(*) FROM memberships WHERE room_id = r.id) AS member_count,
    EXISTS (SELECT 1 FROM memberships WHERE room_id = r.id AND user_id = ?1) AS member`;
}

function toRoomFacts(r: RoomRow): RoomSummary {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    topic: r.topic,
    memberCount: r.member_count,
    lastActivityAt: r.last_activity_at,
    onlineCount: r.online_count,
    member: r.member === 1 || r.kind === 'global',
    archived: r.archived_at !== null,
    ...(r.description && { description: r.description }),
  };
}

export interface DirectoryPage {
  rooms: RoomSummary[];
  /** The `name_key` the next page starts after; null when this page is the last. */
  nextAfter: string | null;
}

/**
 * One page of the room browser: the global room first (on the first page, if it matches),
 * then public rooms in name order. The order is by the unique `name_key`, which never
 * changes, so walking the pages with `after` visits every room exactly once however
 * busy the rooms are meanwhile. `search` (already case-folded) matches anywhere in the name.
 */
export async function roomDirectory(
  db: D1Database,
  userId: string,
  { after, search, limit }: { after: string | null; search: string; limit: number },
): Promise<DirectoryPage> {
  const matches = `(?2 = '' OR instr(r.name_key, ?2) > 0)`;
  const statements = [
    db
      .prepare(
        `SELECT ${roomColumns()} FROM rooms r
         WHERE r.kind = 'public' AND r.name_key > ?3 AND ${matches} AND ${readableBy('?1')}
         ORDER BY r.name_key LIMIT ?4`,
      )
      // One more than the page holds tells whether another page follows.
      .bind(userId, search, after ?? '', limit + 1),
  ];
  if (after === null) {
    statements.push(
      db
        .prepare(`SELECT ${roomColumns()} FROM rooms r WHERE r.kind = 'global' AND ${matches}`)
        .bind(userId, search),
    );
  }
  const [publicRows, globalRows] = await db.batch<RoomRow>(statements);
  const rows = [...(globalRows?.results ?? []), ...publicRows!.results];
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const more = rows.length > limit;
  return {
    rooms: page.map(toRoomFacts),
    nextAfter: more ? (last?.kind !== 'global' ? last!.name_key! : '') : null,
  };
}

/**
 * One room as the room browser shows it, for `GET /api/rooms/:id`; a DM is named after the
 * other member (`peerId`). Undefined for an unknown room.
 */
export async function roomFacts(
  db: D1Database,
  roomId: string,
  userId: string,
  peerId: string | null,
): Promise<RoomSummary | undefined> {
  const row = await db
    .prepare(
      `SELECT ${roomColumns(`coalesce((SELECT ${shownNameSql('p')} FROM users p WHERE p.id = ?3), r.name)`)}
       FROM rooms r WHERE r.id = ?2`,
    )
    .bind(userId, roomId, peerId)
    .first<RoomRow>();
  return row ? toRoomFacts(row) : undefined;
}
