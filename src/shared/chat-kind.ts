/** A chat's kind: as stored (`RoomKind`) and as clients are told it (`ChatKind`). */

/**
 * What a chat is as stored and as the Worker and room objects reason about it: the one
 * global room, a named room (open or private: `rooms.is_private`), or a DM. Never sent to
 * clients as is.
 */
export type RoomKind = 'global' | 'public' | 'dm';

/**
 * What a chat is as the API and the wire report it (room summaries, the chat list, search
 * hits, activity frames): a named room is `public` (listed in the room browser, anyone may
 * join) or `private` (members only, joined by invitation), never both. A room's owner can
 * switch it (`PUT /api/rooms/:id/privacy`), so a room's kind can change.
 */
export const CHAT_KINDS = ['global', 'public', 'private', 'dm'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

/** The kind a client is told for a stored kind and the room's privacy. */
export function chatKind(kind: RoomKind, isPrivate: boolean): ChatKind {
  return kind === 'public' && isPrivate ? 'private' : kind;
}
