/**
 * Response schemas of the room admin routes (issue 12), so the client parses what they
 * answer; checked against the interfaces in moderation.ts at compile time.
 */
import * as z from 'zod/mini';
import {
  ROOM_ROLES,
  roomNotice,
  type AuditEntry,
  type RoomAdmin,
  type RoomBan,
  type RoomInvite,
} from './moderation';
import { userRef } from './user-ref';

export const roomAdmin = z.object({
  id: z.string(),
  name: z.string(),
  topic: z.nullable(z.string()),
  description: z.nullable(z.string()),
  private: z.boolean(),
  archived: z.boolean(),
  slowModeSeconds: z.number(),
  owner: z.nullable(userRef),
  moderators: z.array(userRef),
  role: z.nullable(z.enum(ROOM_ROLES)),
  memberCount: z.optional(z.number()),
}) satisfies z.ZodMiniType<RoomAdmin>;
export const roomAdminResponse = z.object({ room: roomAdmin });

export const changed = z.object({ ok: z.literal(true), seq: z.optional(z.nullable(z.number())) });

export const bansResponse = z.object({
  bans: z.array(z.object({ user: userRef, by: userRef, at: z.number() })),
}) satisfies z.ZodMiniType<{ bans: RoomBan[] }>;

const invite = z.object({
  id: z.string(),
  createdBy: userRef,
  createdAt: z.number(),
  expiresAt: z.number(),
  maxUses: z.number(),
  uses: z.number(),
  token: z.optional(z.string()),
}) satisfies z.ZodMiniType<RoomInvite>;
export const invitesResponse = z.object({ invites: z.array(invite) });
export const inviteResponse = z.object({ invite });

export const auditResponse = z.object({
  entries: z.array(z.object({ seq: z.number(), notice: roomNotice })),
}) satisfies z.ZodMiniType<{ entries: AuditEntry[] }>;

export const joinedByInvite = z.object({ ok: z.literal(true), roomId: z.string() });
/** `GET /api/invites/:token`: the room a link invites to; `member`: already in it. */
export const inviteAnswer = z.object({
  room: z.object({ id: z.string(), name: z.string() }),
  member: z.boolean(),
});
