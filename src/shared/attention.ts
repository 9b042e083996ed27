/**
 * What decides whether a message rings: each person's notification level per chat and
 * their "do not disturb". Levels and DND live in D1 (per user, per chat); the hub shards
 * hold them for the users online on them, so each activity notice says, for its reader,
 * whether it mentions them and whether it should ring (docs/protocol.md, "Attention").
 */
import * as z from 'zod/mini';
import type { ChatKind } from './chat-kind';

/**
 * `all`: every message from someone else rings; `mentions`: only messages that mention
 * you (by name, or `@here` while you have the room open); `none`: nothing rings. Every
 * level still counts unread messages.
 */
export const NOTIFY_LEVELS = ['all', 'mentions', 'none'] as const;
export type NotifyLevel = (typeof NOTIFY_LEVELS)[number];
export const notifyLevel = z.enum(NOTIFY_LEVELS);

/** A chat's level until its member picks one: DMs ring for everything, rooms for mentions. */
export function defaultNotifyLevel(kind: ChatKind): NotifyLevel {
  return kind === 'dm' ? 'all' : 'mentions';
}

/** `PUT /api/rooms/:id/notify`. */
export const notifyLevelBody = z.object({ level: notifyLevel });

/** The longest "do not disturb": 30 days from now. */
export const DND_MAX_MS = 30 * 24 * 3600_000;

/** `PUT /api/me/dnd`: until when (ms since the epoch, in the future), or null to end it. */
export const dndBody = z.object({
  until: z.nullable(z.number().check(z.int(), z.positive())),
});

/** `GET`/`PUT /api/me/dnd`: null when not set or already over. */
export const dndResponse = z.object({ until: z.nullable(z.number()) });
export const notifyLevelResponse = z.object({ roomId: z.string(), level: notifyLevel });

/** Whether a notice rings for its reader (before the reader's own sound/desktop switches). */
export function rings(
  level: NotifyLevel,
  mentionsYou: boolean,
  dndUntil: number | null,
  now: number,
): boolean {
  if (dndUntil !== null && dndUntil > now) return false;
  return level === 'all' || (level === 'mentions' && mentionsYou);
}

/** Lobby frame: this user set a chat's level (in this or another tab). */
export const notifyLevelFrame = z.object({
  type: z.literal('notify_level'),
  roomId: z.string(),
  level: notifyLevel,
});

/** Lobby frame: this user's "do not disturb" changed (null: off). */
export const dndFrame = z.object({
  type: z.literal('dnd'),
  until: z.nullable(z.number()),
});
