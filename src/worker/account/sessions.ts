/**
 * `/api/me/sessions`: the signed-in user's live sessions, and signing one or all others out.
 * A revoked session's sockets close (1008) in every chat and the hub, as on logout.
 */
import { Hono } from 'hono';
import type { SessionInfo } from '../../shared/account';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { requireUser } from '../middleware';
import { clearedSessionCookie } from '../auth/session';
import { deviceOf } from './device';
import { endSessions } from './revoke';

// Listed at most; a user with more (scripts signing in in a loop) sees the newest.
const LISTED = 100;
// `last_seen_at` is written at most this often per session.
const SEEN_EVERY_MS = 5 * 60 * 1000;

export const sessions = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => {
    const { results } = await c.env.DB.prepare(
      `SELECT s.id, s.created_at, s.last_seen_at, s.user_agent, s.embed_room_id, s.embed_origin,
         (SELECT name FROM rooms WHERE id = s.embed_room_id) AS embed_room_name
       FROM sessions s
       WHERE user_id = ?1 AND revoked_at IS NULL AND expires_at > ?2
       ORDER BY coalesce(last_seen_at, created_at) DESC LIMIT ?3`,
    )
      .bind(c.var.user.id, Date.now(), LISTED)
      .all<{
        id: string;
        created_at: number;
        last_seen_at: number | null;
        user_agent: string | null;
        embed_room_id: string | null;
        embed_origin: string | null;
        embed_room_name: string | null;
      }>();
    const list: SessionInfo[] = results.map((s) => ({
      id: s.id,
      createdAt: s.created_at,
      lastSeenAt: s.last_seen_at,
      device: deviceOf(s.user_agent),
      current: s.id === c.var.sessionId,
      ...(s.embed_room_id &&
        s.embed_origin && {
          widget: { roomId: s.embed_room_id, roomName: s.embed_room_name, origin: s.embed_origin },
        }),
    }));
    return c.json({ sessions: list }, 200);
  })
  /** Signs every session but this one out. */
  .post('/revoke-others', async (c) => {
    const revoked = await endSessions(c.env, c.var.db, c.var.user.id, { except: c.var.sessionId });
    return c.json({ revoked }, 200);
  })
  /** Signs one session out (this one too: then it is a sign-out, and the cookie goes). */
  .post('/:id/revoke', async (c) => {
    const id = c.req.param('id');
    const revoked = await endSessions(c.env, c.var.db, c.var.user.id, { only: id });
    // Someone else's session id, or one already ended: the same answer, nothing revealed.
    if (revoked === 0) throw new ApiError(404, 'not_found', 'No such session of yours');
    if (id === c.var.sessionId) c.header('set-cookie', clearedSessionCookie(), { append: true });
    return c.json({ revoked }, 200);
  });

/** Notes that a session is in use (the lobby socket opened); one write per few minutes. */
export function noteSeen(db: D1Database, sessionId: string, now = Date.now()) {
  return db
    .prepare(
      `UPDATE sessions SET last_seen_at = ?2
       WHERE id = ?1 AND (last_seen_at IS NULL OR last_seen_at < ?3)`,
    )
    .bind(sessionId, now, now - SEEN_EVERY_MS)
    .run();
}
