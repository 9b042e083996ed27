/**
 * `GET`/`PUT /api/rooms/:id/embed-origins`: the room's owner (its creator) reads and replaces
 * the list of sites allowed to embed it. Nobody else may read it: the list says which sites
 * a room is on.
 */
import { Hono, type Context } from 'hono';
import { embedOriginsBody } from '../../shared/embed';
import { roomStub } from '../access';
import type { AppEnv } from '../context';
import { GLOBAL_ROOM_ID } from '../db/schema';
import { ApiError } from '../errors';
import { parseBody, requireUser } from '../middleware';
import { newIdentitySecret, sealSecret } from './identity-secret';
import { embeddableRoom, type EmbeddableRoom } from './origins';

async function ownedRoom(c: Context<AppEnv>): Promise<EmbeddableRoom> {
  const room = await embeddableRoom(c.env, c.req.param('id')!);
  if (!room) throw new ApiError(404, 'room_not_found', 'No such room');
  if (room.id === GLOBAL_ROOM_ID) {
    throw new ApiError(
      403,
      'forbidden',
      "The global room's embedding sites are set by the deployment (GLOBAL_EMBED_ORIGINS)",
    );
  }
  if (room.kind === 'dm')
    throw new ApiError(403, 'forbidden', 'Direct messages cannot be embedded');
  if (room.createdBy !== c.var.user.id) {
    throw new ApiError(403, 'forbidden', "Only the room's owner can change where it is embedded");
  }
  return room;
}

/**
 * A site taken off the list loses its visitors' open sockets at once (their requests are
 * refused from now on: `embed_listed` in the session check). Their sessions are not revoked:
 * listing the site again brings its visitors back as they were.
 */
async function closeRemovedSites(env: Env, roomId: string, removed: string[], now: number) {
  if (!removed.length) return;
  const { results } = await env.DB.prepare(
    `SELECT id FROM sessions
     WHERE embed_room_id = ?1 AND embed_origin IN (SELECT value FROM json_each(?2))
       AND revoked_at IS NULL AND expires_at > ?3`,
  )
    .bind(roomId, JSON.stringify(removed), now)
    .all<{ id: string }>();
  const room = roomStub(env, roomId);
  await Promise.all(results.map((s) => room.disconnectSession(s.id)));
}

export const embedSettings = new Hono<AppEnv>()
  .get('/:id/embed-origins', requireUser, async (c) => {
    const room = await ownedRoom(c);
    return c.json({ origins: room.origins }, 200);
  })
  .put('/:id/embed-origins', requireUser, async (c) => {
    const { origins } = await parseBody(c.req, embedOriginsBody);
    const room = await ownedRoom(c);
    const unique = [...new Set(origins)].sort();
    const removed = room.origins.filter((o) => !unique.includes(o));
    const now = Date.now();
    // Replaced in one batch (a transaction in D1): no reader sees half a list.
    await c.env.DB.batch([
      c.env.DB.prepare('DELETE FROM embed_origins WHERE room_id = ?1').bind(room.id),
      ...unique.map((origin) =>
        c.env.DB.prepare(
          'INSERT INTO embed_origins (room_id, origin, created_at) VALUES (?1, ?2, ?3)',
        ).bind(room.id, origin, now),
      ),
    ]);
    await closeRemovedSites(c.env, room.id, removed, now);
    return c.json({ origins: unique }, 200);
  })
  /** Whether the room has an identity secret, and since when; never the secret itself. */
  .get('/:id/identity-secret', requireUser, async (c) => {
    const room = await ownedRoom(c);
    const row = await c.env.DB.prepare(
      'SELECT created_at FROM room_identity_secrets WHERE room_id = ?1',
    )
      .bind(room.id)
      .first<{ created_at: number }>();
    return c.json({ configured: !!row, createdAt: row?.created_at ?? null }, 200);
  })
  /**
   * A new identity secret, shown this once: it replaces the old one, so tokens the site
   * signed with that are refused from now on (rotation).
   */
  .post('/:id/identity-secret', requireUser, async (c) => {
    const room = await ownedRoom(c);
    const secret = newIdentitySecret();
    const now = Date.now();
    await c.env.DB.prepare(
      `INSERT INTO room_identity_secrets (room_id, secret, created_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (room_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at`,
    )
      .bind(room.id, await sealSecret(c.env.SESSION_SECRET, secret), now)
      .run();
    return c.json({ secret, createdAt: now }, 201);
  });
