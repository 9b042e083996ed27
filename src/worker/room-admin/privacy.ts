/**
 * `PUT /api/rooms/:id/privacy` (issue 12): the owner makes a named room private or public.
 *
 * D1 changes first, so every route that decides visibility (the room browser, search,
 * `roomAccess` for history, the socket upgrade and the rest) answers by the new setting from
 * the next request on. Then the change becomes a notice in the room's order. Only members
 * hold sockets in a room (the upgrade refuses anyone else), so going private closes none.
 */
import { Hono } from 'hono';
import { privacyBody } from '../../shared/moderation-bodies';
import { toUserRef } from '../accounts';
import type { AppEnv } from '../context';
import { parseBody, requireUser } from '../middleware';
import { adminAccess, announce, requireRole } from './authority';

export const roomPrivacy = new Hono<AppEnv>().put('/:id/privacy', requireUser, async (c) => {
  const { private: isPrivate } = await parseBody(c.req, privacyBody);
  const access = await adminAccess(c);
  requireRole(access, 'owner');
  const id = access.info.id;
  // Only a real change is announced: setting what is already set answers seq null.
  const changed = await c.env.DB.prepare(
    `UPDATE rooms SET is_private = ?2 WHERE id = ?1 AND kind = 'public' AND is_private != ?2`,
  )
    .bind(id, isPrivate ? 1 : 0)
    .run();
  if (changed.meta.changes === 0) return c.json({ ok: true as const, seq: null }, 200);
  const seq = await announce(c, access, {
    notice: {
      kind: isPrivate ? 'made_private' : 'made_public',
      actor: toUserRef(c.var.user),
      subject: null,
    },
    state: { private: isPrivate },
  });
  return c.json({ ok: true as const, seq }, 200);
});
