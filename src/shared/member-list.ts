/**
 * `GET /api/rooms/:id/member-list`: a room's members by username, a page at a time, with
 * each one's role and the room's member count. Its own module: only the Worker and the lazily
 * loaded members dialog import it, so the schemas weigh nothing on the first screen.
 */
import * as z from 'zod/mini';
import { ROOM_ROLES } from './moderation';
import { userRef } from './user-ref';

/** Members on one page, at most. */
export const MEMBER_PAGE_MAX = 100;

/** `after`: the `nextCursor` of the page before (empty for the first page). */
export const memberListQuery = z.object({
  after: z._default(z.string().check(z.maxLength(64)), ''),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(MEMBER_PAGE_MAX)), 50),
});

export const roomMember = z.object({ user: userRef, role: z.enum(ROOM_ROLES) });
export type RoomMember = z.infer<typeof roomMember>;

export const memberListResponse = z.object({
  members: z.array(roomMember),
  /** Everyone in the room, not only this page. */
  count: z.number(),
  nextCursor: z.nullable(z.string()),
});
export type MemberList = z.infer<typeof memberListResponse>;
