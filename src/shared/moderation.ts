/**
 * Room ownership, privacy and moderation (issue 12): the notice every join, leave and
 * moderation action becomes in the room's order, and the REST bodies of `/api/rooms/:id/…`
 * admin routes and `/api/invites`. protocol.ts puts `noticeEvent` in the room's events.
 */
import * as z from 'zod/mini';
import { createRoomBody } from './api';
import { LIMITS } from './limits';
import { userRef, type UserRef } from './user-ref';
import './zod-messages';

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
  'slow_mode',
  'message_removed',
] as const;
export const NOTICE_KINDS = [...MEMBERSHIP_NOTICES, ...MODERATION_NOTICES] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

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
  /** `message_removed`: the message's seq. */
  target: z.optional(z.number()),
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

export const SLOW_MODE_MAX_SECONDS = 3600;
export const INVITE_MAX_USES = 1000;
/** An invite link lives at most 30 days. */
export const INVITE_MAX_SECONDS = 30 * 24 * 3600;
export const DESCRIPTION_CHARS = 1000;

const roomName = createRoomBody.shape.name;
const optionalText = (max: number, what: string) =>
  z.optional(
    z.nullable(
      z.string().check(z.trim(), z.maxLength(max, `${what} is longer than ${max} characters`)),
    ),
  );

/** `PATCH /api/rooms/:id` (owner): any of name, topic, description; empty text clears. */
export const roomSettingsBody = z
  .object({
    name: z.optional(roomName),
    topic: optionalText(LIMITS.topicChars, 'Topic'),
    description: optionalText(DESCRIPTION_CHARS, 'Description'),
  })
  .check(
    z.refine((b) => b.name !== undefined || b.topic !== undefined || b.description !== undefined, {
      message: 'Change at least one of name, topic and description',
    }),
  );
const userId = z.string().check(z.minLength(1), z.maxLength(64));
export const userIdBody = z.object({ userId });
export const archiveBody = z.object({ archived: z.boolean() });
export const slowModeBody = z.object({
  seconds: z.number().check(z.int(), z.minimum(0), z.maximum(SLOW_MODE_MAX_SECONDS)),
});
export const createInviteBody = z.object({
  expiresInSeconds: z.number().check(z.int(), z.minimum(60), z.maximum(INVITE_MAX_SECONDS)),
  maxUses: z.number().check(z.int(), z.minimum(1), z.maximum(INVITE_MAX_USES)),
});
/** An invite link's token: 32 URL-safe characters. */
export const inviteToken = z.string().check(z.regex(/^[A-Za-z0-9_-]{32}$/, 'Not an invite link'));
