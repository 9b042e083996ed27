/**
 * `/api/embed/:room/*`: the routes a host page's loader calls from its own origin. They
 * answer CORS (preflights included) for the room's allowed embedding origins only; every
 * other origin gets no CORS headers at all, so its browser hides the answer. They carry no
 * cookies: a visitor is named by a token in `Authorization`.
 */
import { Hono, type Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';
import { closeSessionSockets, endGuest } from '../auth';
import { requireUser, withDb } from '../middleware';
import { identify } from './identity';
import { embeddableRoom, mayEmbed, type EmbeddableRoom } from './origins';

export interface EmbedEnv extends AppEnv {
  Variables: AppEnv['Variables'] & { embedRoom: EmbeddableRoom; embedOrigin: string };
}

const CORS_METHODS = 'GET, POST';
const CORS_HEADERS = 'authorization, content-type';

/**
 * Decides the room and the caller's origin once: allowed origins get CORS headers (and
 * preflights a 204), others a 403 without any, before a handler runs.
 */
const embedCors = createMiddleware<EmbedEnv>(async (c, next) => {
  const origin = c.req.header('origin');
  const room = await embeddableRoom(c.env, c.req.param('room')!);
  const allowed = mayEmbed(room, origin);
  c.header('vary', 'origin');
  if (!allowed) {
    if (!room) throw new ApiError(404, 'room_not_found', 'No such room');
    throw new ApiError(403, 'origin_not_allowed', 'This site may not embed this room');
  }
  c.header('access-control-allow-origin', origin!);
  if (c.req.method === 'OPTIONS') {
    c.header('access-control-allow-methods', CORS_METHODS);
    c.header('access-control-allow-headers', CORS_HEADERS);
    c.header('access-control-max-age', '600');
    return c.body(null, 204);
  }
  c.set('embedRoom', room!);
  c.set('embedOrigin', origin!);
  await next();
  // Also on a handler's error answer (made anew by onError), so the page can read why.
  c.res.headers.set('access-control-allow-origin', origin!);
  c.res.headers.set('vary', 'origin');
});

/** An account's widget session on this site and room (only that; never an app session). */
async function endWidgetSession(c: Context<EmbedEnv>): Promise<void> {
  const ended = await c.env.DB.prepare(
    `UPDATE sessions SET revoked_at = ?5
     WHERE id = ?1 AND user_id = ?2 AND embed_room_id = ?3 AND embed_origin = ?4
       AND revoked_at IS NULL
     RETURNING id`,
  )
    .bind(c.var.sessionId, c.var.user.id, c.var.embedRoom.id, c.var.embedOrigin, Date.now())
    .first<{ id: string }>();
  if (!ended) throw new ApiError(403, 'forbidden', 'Only a widget session signs out here');
  await closeSessionSockets(c.env, c.var.db, c.var.user.id, [ended.id]);
}

export const embedApi = new Hono<EmbedEnv>()
  .use('/:room', withDb, embedCors)
  .use('/:room/*', withDb, embedCors)
  .get('/:room', (c) => {
    const room = c.var.embedRoom;
    return c.json({ room: { id: room.id, name: room.name } }, 200);
  })
  /** `Parlor('identify', token)`: a site's own user, from a token its server signed. */
  .post('/:room/identify', identify)
  /**
   * `Parlor('logout')` from the host page, even before the frame exists: ends the visitor
   * named by the token (every session of theirs, their sockets closed), so a token copied
   * before cannot come back; for a Parlor account chatting as itself on the site, ends that
   * widget session only (the account and its other sessions stay). Only a session made on
   * this site and room passes `requireUser` here (src/worker/embed/scope.ts); the token
   * travels in `Authorization`, which a cross-site form cannot set.
   */
  .post('/:room/logout', requireUser, async (c) => {
    const user = c.var.user;
    if (!user.isVisitor) {
      await endWidgetSession(c);
      return c.json({ ok: true as const }, 200);
    }
    const ended = await endGuest(c.env, c.var.db, user.id);
    await closeSessionSockets(c.env, c.var.db, user.id, ended);
    return c.json({ ok: true as const }, 200);
  });
