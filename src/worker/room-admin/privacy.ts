/**
 * `PUT /api/rooms/:id/privacy` (issue 12): the owner makes a named room private or public.
 *
 * The room's object writes D1 and then the notice, one change at a time (changeSetting), so
 * every route that decides visibility (the room browser, search, `roomAccess` for history,
 * the socket upgrade and the rest) answers by the setting the last notice announced. Only members
 * hold sockets in a room (the upgrade refuses anyone else), so going private closes none.
 */
import { Hono } from 'hono';
import { privacyBody } from '../../shared/moderation-bodies';
import { roomStub } from '../access';
import { toUserRef } from '../accounts';
import type { AppEnv } from '../context';
import { parseBody, requireUser } from '../middleware';
import { adminAccess, changeSetting, requireRole } from './authority';

export const roomPrivacy = new Hono<AppEnv>().put('/:id/privacy', requireUser, async (c) => {
  const { private: isPrivate } = await parseBody(c.req, privacyBody);
  const access = await adminAccess(c);
  requireRole(access, 'owner');
  const id = access.info.id;
  const now = Date.now();
  const writes = [
    {
      sql: `UPDATE rooms SET is_private = ?2 WHERE id = ?1 AND kind = 'public' AND is_private != ?2`,
      params: [id, isPrivate ? 1 : 0],
    },
  ];
  // A private room is embedded nowhere: every widget session made for it (visitors', site
  // users', accounts') ends in the same step, for good, as when its site leaves the list
  // (embed/settings.ts); listing the site again, public, makes new visitors only.
  if (isPrivate) {
    writes.push({
      sql: `UPDATE sessions SET revoked_at = ?2 WHERE embed_room_id = ?1 AND revoked_at IS NULL`,
      params: [id, now],
    });
  }
  // Only a real change is announced: setting what is already set answers seq null.
  const seq = await changeSetting(c, access, writes, {
    notice: {
      kind: isPrivate ? 'made_private' : 'made_public',
      actor: toUserRef(c.var.user),
      subject: null,
    },
    state: { private: isPrivate },
  });
  if (isPrivate) {
    // Their open sockets close now (1008), as on logout; and a widget session made while the
    // change was on its way (its check saw the room public) ends here too, as does one found
    // when the room was private already.
    const db = c.env.DB;
    const [, ended] = await db.batch<{ id: string }>([
      db
        .prepare(
          'UPDATE sessions SET revoked_at = ?2 WHERE embed_room_id = ?1 AND revoked_at IS NULL',
        )
        .bind(id, now),
      db
        .prepare('SELECT id FROM sessions WHERE embed_room_id = ?1 AND revoked_at = ?2')
        .bind(id, now),
    ]);
    const results = ended!.results;
    const stub = roomStub(c.env, id);
    await Promise.all(results.map((s) => stub.disconnectSession(s.id)));
  }
  return c.json({ ok: true as const, seq }, 200);
});
