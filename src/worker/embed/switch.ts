/**
 * `POST /api/rooms/:id/widget-session/switch`: an anonymous visitor who is already chatting
 * becomes the person's Parlor account ("Use my Parlor account", docs/widget.md). The widget's
 * frame sends it once Parlor's popup has handed it the account's widget session: the visitor's
 * token in `Authorization` (it never leaves Parlor's origin: the popup never sees it), the
 * account's in the body. The visitor ends here (every session revoked, its sockets closed) so
 * no live copy of it outlasts the switch; what it wrote stays its own.
 *
 * What it refuses, and why:
 * - any caller but an anonymous visitor: a site's identified user is one person across every
 *   device (ending it would sign them out everywhere), and an account has no visitor to end;
 * - any `Origin` but Parlor's own: the switch is the frame's, after a click in the frame (the
 *   popup needs one), never a host page's;
 * - a body token that is not a live session of a Parlor account (not a visitor) for this same
 *   room and this same site: another visitor's token, an app session, another site's widget
 *   session. So a visitor's token ends only that visitor, and only for a real account here;
 * - a replay: the visitor's token is revoked by the first switch, so `requireUser` answers 401.
 */
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Context } from 'hono';
import { visitorSwitchBody } from '../../shared/widget-account';
import { toMe } from '../accounts';
import { closeSessionSockets, endGuest } from '../auth';
import { verifySession } from '../auth/session';
import type { AppEnv } from '../context';
import * as schema from '../db/schema';
import { ApiError } from '../errors';
import { originList, parseBody } from '../middleware';

const notAnAccount = () =>
  new ApiError(
    400,
    'invalid_token',
    'That is not a live session of a Parlor account for this chat on this site',
  );

export async function switchVisitor(c: Context<AppEnv>) {
  const { token } = await parseBody(c.req, visitorSwitchBody);
  const visitor = c.var.user;
  if (!visitor.isVisitor || visitor.identityKey) {
    throw new ApiError(403, 'forbidden', 'Only a visitor can switch to a Parlor account');
  }
  const origin = c.req.header('origin');
  if (!origin || !originList(c.env.APP_ORIGINS).includes(origin)) {
    throw new ApiError(403, 'origin_not_allowed', 'Only the chat’s own frame can switch');
  }
  const db = c.var.db;
  // The visitor's own session names the room and site (scope.ts already held the path's room
  // to it): the account's must be for the very same pair.
  const mine = await db.query.sessions.findFirst({
    columns: { embedRoomId: true, embedOrigin: true },
    where: eq(schema.sessions.id, c.var.sessionId),
  });
  if (!mine?.embedRoomId || !mine.embedOrigin) throw notAnAccount();
  const claims = await verifySession(c.env.SESSION_SECRET, token).catch(() => null);
  if (!claims) throw notAnAccount();
  const [found] = await db
    .select({ user: schema.users })
    .from(schema.sessions)
    .innerJoin(schema.users, eq(schema.users.id, schema.sessions.userId))
    .where(
      and(
        eq(schema.sessions.id, claims.sessionId),
        eq(schema.sessions.userId, claims.userId),
        isNull(schema.sessions.revokedAt),
        gt(schema.sessions.expiresAt, Date.now()),
        eq(schema.sessions.embedRoomId, mine.embedRoomId),
        eq(schema.sessions.embedOrigin, mine.embedOrigin),
        eq(schema.users.isVisitor, false),
        isNull(schema.users.deletedAt),
      ),
    )
    .limit(1);
  if (!found) throw notAnAccount();
  const ended = await endGuest(c.env, db, visitor.id);
  await closeSessionSockets(c.env, db, visitor.id, ended);
  return c.json({ user: toMe(found.user) }, 200);
}
