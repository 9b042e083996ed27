/**
 * Stored messages read from D1 as the protocol's `Message`: the Worker's history pages and
 * search (src/worker/queries.ts) and the room's quote of an edited message that has left its
 * log (activity.ts) read them the same way.
 */
import type { FileInfo } from '../shared/files';
import { LIMITS } from '../shared/limits';
import type { Message, ReactionSummary, UserRef } from '../shared/protocol';
import { userMarkSql, userRefOf } from './user-mark';

/** The author columns every message read selects (`MESSAGE_COLUMNS`, search's statement). */
export interface AuthorColumns {
  author_id: string;
  author_name: string;
  author_color: string;
  author_guest: number;
  author_profile: string | null;
  author_mark: string | null;
}

export interface MessageRow extends AuthorColumns {
  seq: number;
  id: string;
  room_id: string;
  text: string;
  created_at: number;
  edited_at: number | null;
  deleted_at: number | null;
  reply_to: number | null;
  removed_by?: string | null;
  /** Only in history pages (REACTIONS_COLUMN). */
  reactions_json?: string | null;
  /** Only in history pages (FILES_COLUMN). */
  files_json?: string | null;
  /** Only in history pages (PINNED_COLUMN): 1 when pinned. */
  pinned?: number;
}

export const MESSAGE_COLUMNS = `m.seq, m.id, m.room_id, m.text, m.created_at, m.edited_at, m.deleted_at, m.reply_to, m.removed_by,
  u.id AS author_id, u.username AS author_name, u.color AS author_color, u.is_guest AS author_guest,
  u.profile AS author_profile, ${userMarkSql('u')} AS author_mark`;

/** A history row's reactions, earliest first, as `[[emoji, userId], …]` (primary-key range). */
export const REACTIONS_COLUMN = `(SELECT json_group_array(json_array(x.emoji, x.user_id)) FROM
  (SELECT emoji, user_id FROM reactions x WHERE x.room_id = m.room_id AND x.seq = m.seq
   ORDER BY x.created_at) AS x) AS reactions_json`;

/** The reaction summaries of one message, as `viewer` sees them. */
function toReactions(json: string | null | undefined, viewer: string | undefined) {
  const byEmoji = new Map<string, ReactionSummary>();
  for (const [emoji, userId] of JSON.parse(json ?? '[]') as [string, string][]) {
    const summary = byEmoji.get(emoji) ?? { emoji, count: 0, users: [], me: false };
    summary.count += 1;
    if (summary.users.length < LIMITS.reactionUsersListed) summary.users.push(userId);
    if (userId === viewer) summary.me = true;
    byEmoji.set(emoji, summary);
  }
  return [...byEmoji.values()];
}

/** A message's author as the protocol's `UserRef`, with their display name and avatar. */
export function authorOf(row: AuthorColumns): UserRef {
  return userRefOf({
    id: row.author_id,
    username: row.author_name,
    color: row.author_color,
    is_guest: row.author_guest,
    profile: row.author_profile,
    mark: row.author_mark,
  });
}

export function toMessage(row: MessageRow, viewer?: string): Message {
  return {
    id: row.id,
    roomId: row.room_id,
    seq: row.seq,
    author: authorOf(row),
    text: row.deleted_at === null ? row.text : '',
    createdAt: row.created_at,
    editedAt: row.edited_at,
    deleted: row.deleted_at !== null,
    replyTo: row.reply_to,
    reactions: row.deleted_at === null ? toReactions(row.reactions_json, viewer) : [],
    ...(row.deleted_at === null && toFiles(row.files_json)),
    ...(row.removed_by && { removed: true }),
    ...(row.pinned === 1 && row.deleted_at === null && { pinned: true }),
  };
}

/** Whether history row `m` is pinned (a primary-key lookup). */
export const PINNED_COLUMN = `EXISTS (SELECT 1 FROM pins p WHERE p.room_id = m.room_id AND p.seq = m.seq) AS pinned`;

/** The files of history row `m`, in the order sent, as a JSON array (`[]` when none). */
export const FILES_COLUMN = `(SELECT json_group_array(json_object('id', f.id, 'name', f.name,
    'type', f.type, 'size', f.size, 'width', f.width, 'height', f.height)) FROM
  (SELECT * FROM files f WHERE f.room_id = m.room_id AND f.uploader_id = m.author_id
     AND f.message_client_id = m.client_id ORDER BY f.position) AS f) AS files_json`;

/** `{ files }` for a message with files, else nothing (messages without files omit the field). */
export function toFiles(json: string | null | undefined): { files?: FileInfo[] } {
  const files = JSON.parse(json ?? '[]') as FileInfo[];
  return files.length > 0 ? { files } : {};
}

/** One message of a room as history shows it (an edit's notice quotes it), or null. */
export async function messageAt(
  db: D1Database,
  roomId: string,
  seq: number,
): Promise<Message | null> {
  const row = await db
    .prepare(
      `SELECT ${MESSAGE_COLUMNS} FROM messages m JOIN users u ON u.id = m.author_id
       WHERE m.room_id = ?1 AND m.seq = ?2`,
    )
    .bind(roomId, seq)
    .first<MessageRow>();
  return row && toMessage(row);
}
