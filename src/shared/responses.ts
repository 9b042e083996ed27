/**
 * Schemas for REST responses, so clients parse what the API answers instead of casting it.
 * Built from the shared frame schemas and checked against the interfaces in api.ts at
 * compile time (`satisfies`), so the two cannot drift apart silently.
 */
import * as z from 'zod/mini';
import type { ChatListItem, HistoryPage, Me, RoomSummary } from './api';
import { CHAT_KINDS } from './chat-kind';
import { notifyLevel } from './attention';
import { noticeEvent } from './moderation';
import { message, userRef } from './protocol';

const roomKind = z.enum(CHAT_KINDS);

export const me = z.extend(userRef, {
  username: z.string(),
  email: z.nullable(z.string()),
  timeZone: z.nullable(z.string()),
  readReceipts: z.boolean(),
  token: z.optional(z.string()),
}) satisfies z.ZodMiniType<Me>;

export const userResponse = z.object({ user: me });

export const roomSummary = z.object({
  id: z.string(),
  kind: roomKind,
  name: z.string(),
  topic: z.nullable(z.string()),
  memberCount: z.number(),
  onlineCount: z.number(),
  lastActivityAt: z.number(),
  member: z.boolean(),
  archived: z.optional(z.boolean()),
  description: z.optional(z.string()),
}) satisfies z.ZodMiniType<RoomSummary>;

export const chatListItem = z.object({
  id: z.string(),
  kind: roomKind,
  name: z.string(),
  topic: z.nullable(z.string()),
  description: z.optional(z.string()),
  peer: z.nullable(userRef),
  members: z.optional(z.array(userRef)),
  lastSeq: z.number(),
  readSeq: z.number(),
  closedAt: z.optional(z.number()),
  unread: z.number(),
  mentions: z.number(),
  notify: notifyLevel,
  lastActivityAt: z.number(),
  last: z.nullable(message),
}) satisfies z.ZodMiniType<ChatListItem>;

/** `roomSeq`: the room's latest event seq this page covers; the socket resumes after it. */
export const historyPage = z.object({
  messages: z.array(message),
  nextBefore: z.nullable(z.number()),
  roomSeq: z.number(),
  notices: z.optional(z.array(noticeEvent)),
}) satisfies z.ZodMiniType<HistoryPage>;
export type HistoryPageResponse = z.output<typeof historyPage>;

export const ok = z.object({ ok: z.literal(true) });
/** `GET /api/visitors/preview`: an embedded room's latest messages, oldest first. */
export const visitorPreview = z.object({ messages: z.array(message) });
export const chatsResponse = z.object({ chats: z.array(chatListItem) });
/** `GET /api/rooms`: one page; pass `nextCursor` as `cursor` for the next (null: the last page). */
export const roomsResponse = z.object({
  rooms: z.array(roomSummary),
  nextCursor: z.nullable(z.string()),
});
export const roomResponse = z.object({ room: roomSummary });
/** `GET /api/rooms/:id`: the room and who is in it now, whether or not the caller has joined. */
export const roomDetailResponse = z.object({ room: roomSummary, online: z.array(userRef) });
export const joinedResponse = z.object({ ok: z.literal(true), roomId: z.string() });
export const chatResponse = z.object({ chat: chatListItem });
export const usersResponse = z.object({ users: z.array(userRef) });
export const membersResponse = z.object({ members: z.array(userRef) });
export const personResponse = z.object({ user: userRef });
