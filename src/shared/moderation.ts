/**
 * Room ownership, privacy and moderation (issue 12): the notice every join, leave and
 * moderation action becomes in the room's order, and the shapes the admin routes
 * answer with. protocol.ts puts `noticeEvent` in the room's events; the request bodies are
 * in moderation-bodies.ts, which only the Worker loads (zod schemas cannot be tree-shaken, so
 * here they would weigh on the client's first screen).
 */
import * as z from 'zod/mini';
import { userRef, type UserRef } from './user-ref';

/** A member's standing in a room. The global room and DMs have no owner. */
export const ROOM_ROLES = ['owner', 'moderator', 'member'] as const;
export type RoomRole = (typeof ROOM_ROLES)[number];

/** Joins and leaves: shown in the stream, collapsible, not in the audit list. */
export const MEMBERSHIP_NOTICES = ['joined', 'left'] as const;
/** Moderation actions: in the stream and in the owner's and moderators' audit list. */
export const MODERATION_NOTICES = [
  'invited',
  'removed',
  'banned',
  'unbanned',
  'moderator_added',
  'moderator_removed',
  'owner_changed',
  'settings',
  'archived',
  'unarchived',
  'made_private',
  'made_public',
  'slow_mode',
  'message_removed',
] as const;
/**
 * A message pinned to the chat or unpinned (`target`): in the stream, not in the audit list.
 * In a room the owner and moderators pin; in a DM either member.
 */
export const PIN_NOTICES = ['pinned', 'unpinned'] as const;
export const NOTICE_KINDS = [...MEMBERSHIP_NOTICES, ...MODERATION_NOTICES, ...PIN_NOTICES] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * Changes of who is in a room: in a topic or private room their notice carries
 * `memberCount`, the count right after the change.
 */
export const COUNTED_NOTICES: ReadonlySet<NoticeKind> = new Set<NoticeKind>([
  'joined',
  'left',
  'invited',
  'removed',
  'banned',
  'unbanned',
]);

/** One notice: who did it (`actor`), to whom (`subject`), and what changed. */
export const roomNotice = z.object({
  kind: z.enum(NOTICE_KINDS),
  actor: z.nullable(userRef),
  subject: z.nullable(userRef),
  at: z.number(),
  /** `settings`: the room's name, topic and description after the change. */
  name: z.optional(z.string()),
  topic: z.optional(z.nullable(z.string())),
  description: z.optional(z.nullable(z.string())),
  /** `slow_mode`: seconds between one person's messages, 0 for off. */
  seconds: z.optional(z.number()),
  /** `message_removed`, `pinned`, `unpinned`: the message's seq. */
  target: z.optional(z.number()),
  /** COUNTED_NOTICES in a topic or private room: how many members it has after the change. */
  memberCount: z.optional(z.number()),
});
export type RoomNotice = z.infer<typeof roomNotice>;

/** A notice in the room's order: takes the next `seq` like a message. */
export const noticeEvent = z.object({
  type: z.literal('notice'),
  seq: z.number(),
  notice: roomNotice,
});
export type NoticeEvent = z.infer<typeof noticeEvent>;

/** A room's state as `GET /api/rooms/:id/admin` returns it, and the viewer's role in it. */
export interface RoomAdmin {
  id: string;
  name: string;
  topic: string | null;
  description: string | null;
  private: boolean;
  archived: boolean;
  slowModeSeconds: number;
  owner: UserRef | null;
  moderators: UserRef[];
  /** The viewer's role; null for someone who may read but is not a member. */
  role: RoomRole | null;
  /** How many people are in the room; absent for the global room (everyone is). */
  memberCount?: number;
}

export interface RoomBan {
  user: UserRef;
  by: UserRef;
  at: number;
}

export interface RoomInvite {
  id: string;
  createdBy: UserRef;
  createdAt: number;
  expiresAt: number;
  maxUses: number;
  uses: number;
  /** Only in the answer that created it: the token is stored hashed and never shown again. */
  token?: string;
}

export interface AuditEntry {
  seq: number;
  notice: RoomNotice;
}
