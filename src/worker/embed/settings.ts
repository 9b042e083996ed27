/**
 * `GET`/`PUT /api/rooms/:id/embed-origins`: the room's owner (its creator) reads and replaces
 * the list of sites allowed to embed it. Nobody else may read it: the list says which sites
 * a room is on.
 */
import { Hono, type Context } from 'hono';
import { embedOriginsBody } from '../../shared/embed-origins';
import { roomStub } from '../access';
import type { AppEnv } from '../context';
import { GLOBAL_ROOM_ID } from '../db/schema';
import { ApiError } from '../errors';
import { parseBody, requireUser } from '../middleware';
import { newIdentitySecret, sealSecret } from './identity-secret';
import { embeddableRoom, type EmbeddableRoom } from './origins';

async function ownedRoom(c: Context<AppEnv>): Promise<EmbeddableRoom> {
  const room = await embeddableRoom(c.env, c.req.param('id')!, { orPrivate: true });
  // A private room is not found by anyone but its owner here (others may not know it exists).
  if (!room || (room.private && room.createdBy !== c.var.user.id))
    throw new ApiError(404, 'room_not_found', 'No such room');
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
 * Ends, for good, every widget session of the room made on a site that is not on `origins`
 * (the new list): visitors', site users' and accounts' alike. Run in the batch that writes
 * the list, so no reader sees the site gone while its sessions live on, and listing the site
 * again revives none of them (a visitor comes back as a new visitor; an account's widget
 * session leaves the account's session list). Comparing with the whole new list, not with
 * what was removed, also ends a session made on a site that left the list before.
 */
function endUnlistedSessions(env: Env, roomId: string, origins: string[], now: number) {
  return env.DB.prepare(
    `UPDATE sessions SET revoked_at = ?3
     WHERE embed_room_id = ?1 AND revoked_at IS NULL
       AND embed_origin NOT IN (SELECT value FROM json_each(?2))
     RETURNING id`,
  ).bind(roomId, JSON.stringify(origins), now);
}

export const embedSettings = new Hono<AppEnv>()
  .get('/:id/embed-origins', requireUser, async (c) => {
    const room = await ownedRoom(c);
    return c.json({ origins: room.origins, private: room.private }, 200);
  })
  .put('/:id/embed-origins', requireUser, async (c) => {
    const { origins } = await parseBody(c.req, embedOriginsBody);
    const room = await ownedRoom(c);
    const unique = [...new Set(origins)].sort();
    const now = Date.now();
    // Replaced in one batch (a transaction in D1): no reader sees half a list, or a site gone
    // from it whose sessions still live.
    const results = await c.env.DB.batch<{ id: string }>([
      c.env.DB.prepare('DELETE FROM embed_origins WHERE room_id = ?1').bind(room.id),
      ...unique.map((origin) =>
        c.env.DB.prepare(
          'INSERT INTO embed_origins (room_id, origin, created_at) VALUES (?1, ?2, ?3)',
        ).bind(room.id, origin, now),
      ),
      endUnlistedSessions(c.env, room.id, unique, now),
    ]);
    // Their open sockets close now (1008), as on logout; only this room's: a widget session
    // reaches no other chat and no hub (scope.ts).
    const ended = results.at(-1)!.results;
    const stub = roomStub(c.env, room.id);
    await Promise.all(ended.map((s) => stub.disconnectSession(s.id)));
    return c.json({ origins: unique, private: room.private }, 200);
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
