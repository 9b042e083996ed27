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
import { toUserRef } from '../accounts';
import type { AppEnv } from '../context';
import { parseBody, requireUser } from '../middleware';
import { adminAccess, changeSetting, requireRole } from './authority';

export const roomPrivacy = new Hono<AppEnv>().put('/:id/privacy', requireUser, async (c) => {
  const { private: isPrivate } = await parseBody(c.req, privacyBody);
  const access = await adminAccess(c);
  requireRole(access, 'owner');
  const id = access.info.id;
  // Only a real change is announced: setting what is already set answers seq null.
  const seq = await changeSetting(
    c,
    access,
    {
      sql: `UPDATE rooms SET is_private = ?2 WHERE id = ?1 AND kind = 'public' AND is_private != ?2`,
      params: [access.info.id, isPrivate ? 1 : 0],
    },
    {
      notice: {
        kind: isPrivate ? 'made_private' : 'made_public',
        actor: toUserRef(c.var.user),
        subject: null,
      },
      state: { private: isPrivate },
    },
  );
  return c.json({ ok: true as const, seq }, 200);
});
